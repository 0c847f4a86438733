//! Step 5: authorizations now or not, all services or chosen ones (searched in the catalog,
//! only services the chosen level can use), the validity, and the live price.

use super::{field_error, use_wizard, StepButtons, StepError, Wizard};
use crate::api::wizard::{wizard_services, ServiceOption, WizardStep};
use crate::domain::codes::Field;
use crate::domain::tariff::{format_euro, quote, Validity};
use crate::ui::i18n::{tr, use_i18n, Lang, Msg};
use leptos::prelude::*;
use leptos::task::spawn_local;

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

/// Search the catalog and pick services; typing "all" offers every service of the level.
#[component]
fn ServicePicker() -> impl IntoView {
    let wizard = use_wizard();
    let i18n = use_i18n();
    let search = RwSignal::new(String::new());
    let found = RwSignal::new(Vec::<ServiceOption>::new());
    let catalog = RwSignal::new(Vec::<ServiceOption>::new());
    let level = wizard.draft.with_untracked(|d| d.level);
    // The chosen services' names: the whole catalog of the level, loaded once.
    if let Some(level) = level {
        spawn_local(async move {
            if let Ok(all) = wizard_services(level, String::new()).await {
                catalog.set(all);
            }
        });
    }
    let ticket = StoredValue::new(0u32);
    let on_search = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        search.set(text.clone());
        let Some(level) = level else { return };
        if text.trim().is_empty() {
            found.set(Vec::new());
            return;
        }
        let mine = ticket.get_value() + 1;
        ticket.set_value(mine);
        spawn_local(async move {
            if let Ok(services) = wizard_services(level, text).await {
                if ticket.get_value() == mine {
                    found.set(services);
                }
            }
        });
    };
    let chosen = move || wizard.draft.with(|d| d.services.clone());
    let is_all_query = move || {
        matches!(
            search.get().trim().to_lowercase().as_str(),
            "all" | "alle" | "alles"
        )
    };
    let add_all = move |_| {
        let ids: Vec<String> = found.with(|f| f.iter().map(|s| s.service_uuid.clone()).collect());
        wizard.edit(|d| {
            for id in ids {
                if !d.services.contains(&id) {
                    d.services.push(id);
                }
            }
        });
    };
    let name_of = move |id: &str| {
        catalog.with(|c| {
            c.iter()
                .find(|s| s.service_uuid == id)
                .map(|s| format!("{} ({})", s.name, s.provider))
                .unwrap_or_else(|| id.to_string())
        })
    };
    view! {
        <label for="service-search">{tr(Msg::SearchService)}</label>
        <input id="service-search" type="search" autocomplete="off" maxlength="100" aria-describedby="service-hint services-error"
            prop:value=search on:input=on_search/>
        <p class="hint" id="service-hint">{tr(Msg::SearchServiceHint)}</p>
        <Show when=is_all_query>
            <button type="button" class="secondary" on:click=add_all>
                {move || i18n.t(Msg::AddAllServices).replace("{n}", &found.with(Vec::len).to_string())}
            </button>
        </Show>
        <ul class="service-results" aria-label=tr(Msg::SearchResults)>
            {move || found.get().into_iter().take(if is_all_query() { 0 } else { 20 }).map(|s| {
                let id = s.service_uuid.clone();
                let id_for_click = id.clone();
                let label = format!("{} ({})", s.name, s.provider);
                let add_label = format!("{} {}", i18n.t(Msg::Add), s.name);
                view! {
                    <li>
                        <span>{label}" · "{s.min_level.as_str()}</span>
                        <button type="button" class="link" aria-label=add_label
                            disabled=move || wizard.draft.with(|d| d.services.contains(&id))
                            on:click=move |_| { let id = id_for_click.clone(); wizard.edit(|d| if !d.services.contains(&id) { d.services.push(id) }) }>
                            {tr(Msg::Add)}
                        </button>
                    </li>
                }
            }).collect_view()}
        </ul>
        <h3>{move || i18n.t(Msg::ChosenServices).replace("{n}", &chosen().len().to_string())}</h3>
        <ul class="chosen-services">
            {move || chosen().into_iter().map(|id| {
                let name = name_of(&id);
                let remove_label = format!("{} {}", i18n.t(Msg::Remove), name);
                view! {
                    <li>{name}" "
                        <button type="button" class="link danger" aria-label=remove_label
                            on:click=move |_| { let id = id.clone(); wizard.edit(|d| d.services.retain(|s| *s != id)) }>
                            {tr(Msg::Remove)}
                        </button>
                    </li>
                }
            }).collect_view()}
        </ul>
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
    let i18n = use_i18n();
    move || {
        let dutch = i18n.lang.get() == Lang::Nl;
        current_quote(wizard).map(|q| {
            let vat_percent = format!("{}", f64::from(q.vat_basis_points) / 100.0).replace('.', if dutch { "," } else { "." });
            let validity = i18n.t(if q.validity.years() == 1 { Msg::OneYear } else { Msg::NYears }).replace("{n}", &q.validity.years().to_string());
            view! {
                <section class="price" aria-labelledby="price-title" aria-live="polite">
                    <h3 id="price-title">{tr(Msg::Price)}</h3>
                    <table>
                        <tbody>
                            {q.lines.iter().map(|l| view! {
                                <tr>
                                    <th scope="row">{i18n.t(Msg::PriceLine)
                                        .replace("{n}", &l.quantity.to_string())
                                        .replace("{level}", q.level.as_str())
                                        .replace("{validity}", &validity)
                                        .replace("{unit}", &format_euro(l.unit_cents, dutch))}</th>
                                    <td>{format_euro(l.total_cents, dutch)}</td>
                                </tr>
                            }).collect_view()}
                            <tr><th scope="row">{tr(Msg::Subtotal)}</th><td>{format_euro(q.subtotal_cents, dutch)}</td></tr>
                            <tr><th scope="row">{i18n.t(Msg::Vat).replace("{p}", &vat_percent)}</th><td>{format_euro(q.vat_cents, dutch)}</td></tr>
                            <tr class="total"><th scope="row">{tr(Msg::Total)}</th><td data-testid="price-total">{format_euro(q.total_cents, dutch)}</td></tr>
                        </tbody>
                    </table>
                </section>
            }
        })
    }
}
