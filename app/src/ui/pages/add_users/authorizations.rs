//! Step 5: authorizations now or not, all services or chosen ones (searched in the catalog,
//! only services the chosen level can use), the validity, and the live price.

use super::{field_error, use_wizard, StepButtons, StepError, Wizard};
use crate::api::wizard::WizardStep;
use crate::domain::codes::Field;
use crate::domain::tariff::{quote, Validity};
use crate::ui::components::price::PriceBox;
use crate::ui::components::service_picker::CatalogPicker;
use crate::ui::i18n::{tr, use_i18n, Msg};
use leptos::prelude::*;

#[component]
pub fn AuthorizationsStep() -> impl IntoView {
    let wizard = use_wizard();
    let i18n = use_i18n();
    let with = move || wizard.draft.with(|d| d.with_authorizations);
    let all = move || wizard.draft.with(|d| d.all_services);
    let validity = move || wizard.draft.with(|d| d.validity_years);
    let ready = move || {
        wizard
            .draft
            .with(|d| !d.with_authorizations || d.all_services || !d.services.is_empty())
    };
    view! {
        <h2>{tr(Msg::StepAuthorizations)}</h2>
        <StepError/>
        <fieldset>
            <legend>{tr(Msg::AddAuthorizationsNow)}</legend>
            <label class="choice"><input type="radio" name="with" prop:checked=with
                on:change=move |_| wizard.edit(|d| d.with_authorizations = true)/>{tr(Msg::Yes)}</label>
            <label class="choice"><input type="radio" name="with" prop:checked=move || !with()
                on:change=move |_| wizard.edit(|d| d.with_authorizations = false)/>{tr(Msg::No)}</label>
        </fieldset>
        <Show when=move || !with()>
            <p class="warning">{tr(Msg::NoAuthorizationsWarning)}</p>
        </Show>
        <Show when=with>
            <fieldset>
                <legend>{tr(Msg::AllServicesQuestion)}</legend>
                <label class="choice"><input type="radio" name="all" prop:checked=all
                    on:change=move |_| wizard.edit(|d| d.all_services = true)/>{tr(Msg::Yes)}</label>
                <label class="choice"><input type="radio" name="all" prop:checked=move || !all()
                    on:change=move |_| wizard.edit(|d| d.all_services = false)/>{tr(Msg::No)}</label>
            </fieldset>
            <p class="hint">{move || if all() { i18n.t(Msg::AllServicesHint) } else { i18n.t(Msg::ChosenServicesHint) }}</p>
            <Show when=move || !all()>
                <ServicePicker/>
            </Show>
            <ChooseManagers/>
        </Show>
        <fieldset aria-describedby="validity-error">
            <legend>{tr(Msg::Validity)}</legend>
            {Validity::ALL.into_iter().map(|v| {
                let years = v.years();
                view! {
                    <label class="choice"><input type="radio" name="validity" prop:checked=move || { validity() == years }
                        on:change=move |_| wizard.edit(|d| d.validity_years = years)/>
                        {move || i18n.t(if years == 1 { Msg::OneYear } else { Msg::NYears }).replace("{n}", &years.to_string())}
                    </label>
                }
            }).collect_view()}
        </fieldset>
        <p class="field-error" id="validity-error" role="alert">{field_error(wizard, Field::Validity)}</p>
        <Price/>
        <StepButtons back=WizardStep::Users next_label=Signal::derive(move || i18n.t(Msg::Next))
            next_disabled=Signal::derive(move || !ready())
            on_next=move || { if ready() { wizard.go(WizardStep::Summary) } }/>
    }
}

/// "Ook beheerder worden (gratis)": per new user, whether they also become authorization
/// manager. Only offered with authorizations: the manager's right runs with the login
/// authorization (`Draft::becomes_manager`).
#[component]
fn ChooseManagers() -> impl IntoView {
    let wizard = use_wizard();
    let users = move || {
        wizard.draft.with(|d| {
            d.users
                .iter()
                .map(|u| (u.full_name(), u.email.clone(), d.becomes_manager(&u.email)))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <fieldset class="managers">
            <legend>{tr(Msg::AlsoManager)}</legend>
            {move || users().into_iter().map(|(name, email, on)| view! {
                <label class="choice"><input type="checkbox" prop:checked=on
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        wizard.edit(|d| d.set_manager(&email, on));
                    }/>{name}</label>
            }).collect_view()}
        </fieldset>
        <ManagerExplained/>
    }
    .into_any()
}

/// "Wat is een beheerder?", in the words of the Machtigingen page's "Beheerder maken", and
/// when the chosen users become one.
#[component]
fn ManagerExplained() -> impl IntoView {
    let wizard = use_wizard();
    let i18n = use_i18n();
    // The shared text starts with its question; here the question is the summary.
    let parts = move || {
        let org = wizard
            .org
            .with(|o| o.as_ref().map(|o| o.name.clone()))
            .unwrap_or_else(|| i18n.t(Msg::TheOrganization).to_string());
        let text = i18n
            .t(Msg::WhatIsAManager)
            .replace("{o}", &org)
            .replace("{u}", i18n.t(Msg::TheUser));
        match text.split_once("? ") {
            Some((question, answer)) => (format!("{question}?"), answer.to_string()),
            None => (String::new(), text),
        }
    };
    view! {
        <details>
            <summary>{move || parts().0}</summary>
            <p class="hint">{move || parts().1}" "{tr(Msg::ManagerFromWizard)}</p>
        </details>
    }
}

/// The catalog search of the wizard: the draft's services, and "alle" choosing all services.
#[component]
fn ServicePicker() -> impl IntoView {
    let wizard = use_wizard();
    let level = wizard.draft.with_untracked(|d| d.level);
    view! {
        {level.map(|level| view! {
            <CatalogPicker level=level
                chosen=Signal::derive(move || wizard.draft.with(|d| d.services.clone()))
                add=Callback::new(move |id: String| wizard.edit(|d| if !d.services.contains(&id) { d.services.push(id) }))
                remove=Callback::new(move |id: String| wizard.edit(|d| d.services.retain(|s| *s != id)))
                choose_all=Callback::new(move |()| wizard.edit(|d| d.all_services = true))/>
        })}
        <p class="field-error" id="services-error" role="alert">{field_error(wizard, Field::Services)}</p>
    }
}

/// The price as the draft stands, from the price list the server sent.
pub fn current_quote(wizard: Wizard) -> Option<crate::domain::tariff::Quote> {
    let (level, validity, users, per_user) = wizard.draft.with(|d| {
        (
            d.level,
            Validity::parse(d.validity_years).ok(),
            d.users.len() as u32,
            d.authorizations_per_user(),
        )
    });
    wizard
        .start
        .with_value(|s| quote(&s.prices, level?, validity?, users, per_user).ok())
}

/// The live price with its breakdown; VAT shown separately.
#[component]
pub fn Price() -> impl IntoView {
    let wizard = use_wizard();
    view! { <PriceBox quote=Signal::derive(move || current_quote(wizard))/> }
}
