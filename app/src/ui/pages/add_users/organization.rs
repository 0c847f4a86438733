//! Steps 1 to 3: the organization and assurance level, the KvK check with the branch
//! question, and the organization's data from the register.

use super::{field_error, use_wizard, StepButtons, StepError};
use crate::api::wizard::{wizard_check_kvk, WizardStep};
use crate::domain::codes::Field;
use crate::domain::kvk::KvkNumber;
use crate::domain::level::AssuranceLevel;
use crate::ui::i18n::{tr, use_i18n, Msg};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn ChooseOrganization() -> impl IntoView {
    let wizard = use_wizard();
    let i18n = use_i18n();
    let (organizations, max_level) = wizard
        .start
        .with_value(|s| (s.organizations.clone(), s.max_level));
    let org = move || wizard.draft.with(|d| d.org_id.clone().unwrap_or_default());
    let level = move || wizard.draft.with(|d| d.level);
    let tried = RwSignal::new(false);
    let org_missing =
        move || (tried.get() && org().is_empty()).then(|| i18n.t(Msg::ChooseAnOrganization));
    let level_missing =
        move || (tried.get() && level().is_none()).then(|| i18n.t(Msg::ChooseALevel));
    let next = move || {
        tried.set(true);
        if !org().is_empty() && level().is_some() {
            wizard.go(WizardStep::Kvk);
        }
    };
    view! {
        <h2>{tr(Msg::StepOrganization)}</h2>
        <StepError/>
        <label for="org">{tr(Msg::Organization)}</label>
        <select id="org" aria-describedby="org-error"
            on:change=move |ev| {
                let v = event_target_value(&ev);
                wizard.org.set(None);
                wizard.edit(|d| { d.org_id = (!v.is_empty()).then_some(v); d.kvk.clear(); d.branch_id = None; });
            }>
            <option value="" selected=move || { org().is_empty() }>{tr(Msg::ChooseOption)}</option>
            {organizations.into_iter().map(|o| {
                let id = o.id.clone();
                view! { <option value=o.id selected=move || { org() == id }>{o.name}</option> }
            }).collect_view()}
        </select>
        <p class="field-error" id="org-error" role="alert">{org_missing}</p>
        <fieldset aria-describedby="level-error">
            <legend>{tr(Msg::Level)}</legend>
            {AssuranceLevel::ALL.into_iter().filter(|l| *l <= max_level).map(|l| view! {
                <label class="choice">
                    <input type="radio" name="level" value=l.as_str()
                        prop:checked=move || { level() == Some(l) }
                        on:change=move |_| wizard.edit(|d| { d.level = Some(l); d.services.clear(); })/>
                    {l.as_str()}
                </label>
            }).collect_view()}
        </fieldset>
        <p class="hint">{tr(Msg::LevelHint)}</p>
        <p class="field-error" id="level-error" role="alert">{level_missing}{field_error(wizard, Field::Level)}</p>
        <StepButtons next_label=Signal::derive(move || i18n.t(Msg::Next)) next_disabled=Signal::derive(|| false) on_next=next/>
    }
}

#[component]
pub fn CheckKvk() -> impl IntoView {
    let wizard = use_wizard();
    let i18n = use_i18n();
    let kvk = move || wizard.draft.with(|d| d.kvk.clone());
    let restrict = move || wizard.draft.with(|d| d.restrict_to_branch);
    let busy = RwSignal::new(false);
    let local_error = RwSignal::new(None::<&'static str>);
    let check = move || {
        let Some(org_id) = wizard.draft.with_untracked(|d| d.org_id.clone()) else {
            wizard.go(WizardStep::Organization);
            return;
        };
        if KvkNumber::parse(&kvk()).is_err() {
            local_error.set(Some(i18n.t(Msg::KvkFormat)));
            return;
        }
        local_error.set(None);
        busy.set(true);
        wizard.error.set(None);
        let typed = kvk();
        spawn_local(async move {
            match wizard_check_kvk(org_id, typed).await {
                Ok(details) => wizard.org.set(Some(details)),
                Err(e) => {
                    wizard.org.set(None);
                    wizard.error.set(Some(e));
                }
            }
            busy.set(false);
        });
    };
    let branches = move || {
        wizard
            .org
            .with(|o| o.as_ref().map(|o| o.branches.clone()).unwrap_or_default())
    };
    let branch = move || {
        wizard
            .draft
            .with(|d| d.branch_id.clone().unwrap_or_default())
    };
    let ready = move || {
        wizard.org.with(Option::is_some) && !busy.get() && (!restrict() || !branch().is_empty())
    };
    let kvk_error = move || {
        local_error
            .get()
            .map(str::to_string)
            .or_else(field_error(wizard, Field::Kvk))
    };
    view! {
        <h2>{tr(Msg::StepKvk)}</h2>
        <StepError/>
        <label for="kvk">{tr(Msg::KvkNumber)}</label>
        <div class="inline">
            <input id="kvk" inputmode="numeric" maxlength="8" autocomplete="off" aria-describedby="kvk-hint kvk-error"
                prop:value=kvk
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    wizard.org.set(None);
                    wizard.edit_typing(|d| d.kvk = v);
                }
                on:keydown=move |ev| if ev.key() == "Enter" { check() }/>
            <button type="button" class="secondary" disabled=busy on:click=move |_| check()>{tr(Msg::CheckKvk)}</button>
        </div>
        <p class="hint" id="kvk-hint">{tr(Msg::KvkHint)}</p>
        <p class="field-error" id="kvk-error" role="alert">{kvk_error}</p>
        <Show when=move || wizard.org.with(Option::is_some)>
            <p class="success" role="status">{move || i18n.t(Msg::KvkFound).replace("{name}", &wizard.org.with(|o| o.as_ref().map(|o| o.name.clone()).unwrap_or_default()))}</p>
        </Show>
        <fieldset>
            <legend>{tr(Msg::RestrictToBranch)}</legend>
            <label class="choice">
                <input type="radio" name="restrict" prop:checked=move || !restrict()
                    on:change=move |_| wizard.edit(|d| { d.restrict_to_branch = false; d.branch_id = None; })/>
                {tr(Msg::NoRecommended)}
            </label>
            <label class="choice">
                <input type="radio" name="restrict" prop:checked=restrict
                    on:change=move |_| wizard.edit(|d| d.restrict_to_branch = true)/>
                {tr(Msg::Yes)}
            </label>
        </fieldset>
        <p class="warning">{tr(Msg::BranchWarning)}</p>
        <Show when=move || { restrict() && wizard.org.with(Option::is_some) }>
            <label for="branch">{tr(Msg::Branch)}</label>
            <select id="branch" aria-describedby="branch-error"
                on:change=move |ev| { let v = event_target_value(&ev); wizard.edit(|d| d.branch_id = (!v.is_empty()).then_some(v)); }>
                <option value="" selected=move || { branch().is_empty() }>{tr(Msg::ChooseOption)}</option>
                {move || branches().into_iter().map(|b| {
                    let id = b.id.clone();
                    view! { <option value=b.id selected=move || { branch() == id }>{format!("{} · {} ({})", b.number, b.name, b.city)}</option> }
                }).collect_view()}
            </select>
            <Show when=move || branches().is_empty()>
                <p class="hint">{tr(Msg::NoBranches)}</p>
            </Show>
            <p class="field-error" id="branch-error" role="alert">{field_error(wizard, Field::Branch)}</p>
        </Show>
        <StepButtons back=WizardStep::Organization next_label=Signal::derive(move || i18n.t(Msg::Next))
            next_disabled=Signal::derive(move || !ready())
            on_next=move || { if ready() { wizard.go(WizardStep::OrganizationDetails) } }/>
    }
}

#[component]
pub fn OrganizationDetails() -> impl IntoView {
    let wizard = use_wizard();
    let i18n = use_i18n();
    let branch_text = move || {
        let chosen = wizard.draft.with(|d| d.branch_id.clone());
        match chosen {
            None => i18n.t(Msg::AllBranches).to_string(),
            Some(id) => wizard.org.with(|o| {
                o.as_ref()
                    .and_then(|o| o.branches.iter().find(|b| b.id == id))
                    .map(|b| format!("{} · {} ({})", b.number, b.name, b.city))
                    .unwrap_or_default()
            }),
        }
    };
    view! {
        <h2>{tr(Msg::StepCheckOrganization)}</h2>
        <StepError/>
        {move || match wizard.org.get() {
            None => view! { <p>{tr(Msg::Loading)}</p> }.into_any(),
            Some(o) => view! {
                <dl class="details">
                    <dt>{tr(Msg::Organization)}</dt><dd>{o.name}</dd>
                    <dt>{tr(Msg::Address)}</dt><dd>{format!("{}, {} {}", o.street, o.postal_code, o.city)}</dd>
                    <dt>{tr(Msg::KvkNumber)}</dt><dd>{o.kvk}</dd>
                    <dt>{tr(Msg::Branch)}</dt><dd>{branch_text}</dd>
                </dl>
            }.into_any(),
        }}
        <StepButtons back=WizardStep::Kvk next_label=Signal::derive(move || i18n.t(Msg::Next))
            next_disabled=Signal::derive(move || wizard.org.with(Option::is_none))
            on_next=move || { wizard.go(WizardStep::Users) }/>
    }
}
