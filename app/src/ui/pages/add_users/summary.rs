//! Step 6: the whole application at a glance, the terms and the checkbox, then "Akkoord"; and
//! the page after it.

use super::authorizations::Price;
use super::{field_error, submit_failure_text, use_wizard, StepError};
use crate::api::wizard::{wizard_discard, wizard_submit, WizardStep};
use crate::api::ApiError;
use crate::domain::codes::Field;
use crate::domain::new_user::NewUser;
use crate::ui::components::terms::TermsAgreement;
use crate::ui::i18n::{tr, use_i18n, Msg};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

/// Users the summary lists before "Toon alle gebruikers"; it always says how many it shows.
const LISTED_USERS: usize = 100;

/// The step where the server found a problem with `field` (of a new user when `row`).
fn step_of(field: Field, row: Option<u32>) -> WizardStep {
    match field {
        _ if row.is_some() => WizardStep::Users,
        Field::Level => WizardStep::Organization,
        Field::Kvk | Field::Branch => WizardStep::Kvk,
        Field::Users => WizardStep::Users,
        Field::Services | Field::Validity => WizardStep::Authorizations,
        _ => WizardStep::Summary,
    }
}

#[component]
pub fn SummaryStep() -> impl IntoView {
    let wizard = use_wizard();
    let i18n = use_i18n();
    let agreed = RwSignal::new(false);
    let busy = wizard.submitting;
    let show_all = RwSignal::new(false);
    let tried = RwSignal::new(false);
    let terms = wizard.start.with_value(|s| s.terms.clone());
    let terms_version = terms.version;
    let org_name = move || {
        wizard
            .org
            .with(|o| o.as_ref().map(|o| o.name.clone()).unwrap_or_default())
    };
    let branch = move || {
        let id = wizard.draft.with(|d| d.branch_id.clone());
        match id {
            None => i18n.t(Msg::AllBranches).to_string(),
            Some(id) => wizard.org.with(|o| {
                o.as_ref()
                    .and_then(|o| o.branches.iter().find(|b| b.id == id))
                    .map(|b| format!("{} · {}", b.number, b.name))
                    .unwrap_or_default()
            }),
        }
    };
    let authorizations = move || {
        wizard.draft.with(|d| {
            if !d.with_authorizations {
                i18n.t(Msg::NoAuthorizations).to_string()
            } else if d.all_services {
                i18n.t(Msg::AllServices).to_string()
            } else {
                i18n.count(d.services.len() as u64, Msg::NServicesOne, Msg::NServices)
            }
        })
    };
    let submit = move |_| {
        tried.set(true);
        // One "Akkoord" at a time: the button is disabled too, and the server returns the
        // first application for a second submit of the same draft.
        if !agreed.get() || busy.get_untracked() {
            return;
        }
        busy.set(true);
        wizard.error.set(None);
        wizard.submit_failed.set(false);
        let draft = wizard.draft.get_untracked();
        spawn_local(async move {
            let result = wizard_submit(draft, terms_version, true).await;
            busy.set(false);
            match result {
                Ok(id) => wizard.submitted.set(Some(id)),
                Err(e) => {
                    if let ApiError::Validation { field, row, .. } = &e {
                        let step = step_of(*field, *row);
                        if step != WizardStep::Summary {
                            wizard.draft.update(|d| d.step = step);
                        }
                    }
                    wizard.submit_failed.set(true);
                    wizard.error.set(Some(e));
                }
            }
        });
    };
    // Shown next to the button: whether anything was sent, and why not.
    let submit_error = move || {
        if !wizard.submit_failed.get() {
            return None;
        }
        wizard
            .error
            .with(|e| e.as_ref().map(|e| submit_failure_text(i18n, e)))
    };
    let user_count = move || wizard.draft.with(|d| d.users.len());
    let listed = move || {
        let limit = if show_all.get() {
            usize::MAX
        } else {
            LISTED_USERS
        };
        wizard.draft.with(|d| {
            d.users
                .iter()
                .take(limit)
                .map(|u| {
                    view! { <li>{format!("{} · {}", u.full_name(), u.email)}</li> }
                })
                .collect_view()
        })
    };
    let terms_error = Signal::derive(move || {
        (tried.get() && !agreed.get())
            .then(|| i18n.t(Msg::AgreeFirst).to_string())
            .or_else(field_error(wizard, Field::Terms))
    });
    view! {
        <h2>{tr(Msg::StepSummary)}</h2>
        <StepError/>
        <dl class="details">
            <dt>{tr(Msg::Organization)}</dt><dd>{org_name}</dd>
            <dt>{tr(Msg::Level)}</dt><dd>{move || wizard.draft.with(|d| d.level.map(|l| l.as_str()).unwrap_or_default())}</dd>
            <dt>{tr(Msg::Branch)}</dt><dd>{branch}</dd>
            <dt>{tr(Msg::Users)}</dt><dd>{move || wizard.draft.with(|d| d.users.len())}</dd>
            <dt>{tr(Msg::StepAuthorizations)}</dt><dd>{authorizations}</dd>
            <dt>{tr(Msg::ManagersLine)}</dt><dd>{move || {
                let names = wizard.draft.with(|d| d.users.iter()
                    .filter(|u| d.becomes_manager(&u.email))
                    .map(NewUser::full_name)
                    .collect::<Vec<_>>());
                if names.is_empty() { i18n.t(Msg::No).to_string() } else { names.join(", ") }
            }}</dd>
            <dt>{tr(Msg::Validity)}</dt><dd>{move || {
                let years = wizard.draft.with(|d| d.validity_years);
                i18n.t(if years == 1 { Msg::OneYear } else { Msg::NYears }).replace("{n}", &years.to_string())
            }}</dd>
        </dl>
        <details>
            <summary>{move || i18n.count(user_count() as u64, Msg::ShowUsersOne, Msg::ShowUsers)}</summary>
            <ul class="user-list">{listed}</ul>
            <Show when=move || { !show_all.get() && user_count() > LISTED_USERS }>
                <p>
                    {move || i18n.t(Msg::UsersShownOfTotal).replace("{n}", &LISTED_USERS.to_string()).replace("{m}", &user_count().to_string())}
                    " "
                    <button type="button" class="link" on:click=move |_| show_all.set(true)>{tr(Msg::ShowAllUsers)}</button>
                </p>
            </Show>
        </details>
        <Price/>
        <TermsAgreement terms=terms agreed=agreed error=terms_error/>
        {move || submit_error().map(|text| view! { <p class="error" role="alert">{text}</p> })}
        <div class="step-buttons">
            <button type="button" class="secondary" disabled=busy
                on:click=move |_| wizard.go(WizardStep::Authorizations)>{tr(Msg::Back)}</button>
            <button type="button" class="primary" disabled=busy on:click=submit>
                {move || i18n.t(if busy.get() { Msg::SendingApplication } else { Msg::Agree })}
            </button>
        </div>
    }
}

#[component]
pub fn Submitted() -> impl IntoView {
    let wizard = use_wizard();
    let again = move |_| {
        spawn_local(async move {
            if let Ok(draft) = wizard_discard().await {
                wizard.org.set(None);
                wizard.draft.set(draft);
                wizard.submitted.set(None);
            }
        });
    };
    view! {
        <section class="card">
            <h1>{tr(Msg::ApplicationSent)}</h1>
            <p role="status">{tr(Msg::ApplicationSentText)}</p>
            <p><A href="/beheer/lopende-aanvragen">{tr(Msg::ToApplications)}</A></p>
            <button type="button" class="secondary" on:click=again>{tr(Msg::AddMoreUsers)}</button>
        </section>
    }
}
