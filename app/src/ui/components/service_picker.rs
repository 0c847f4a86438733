//! Searching the service catalog and picking services, for the add-users wizard and the request
//! of new authorizations. Typing "alle" (or "all") offers the one all-services authorization,
//! which covers every existing and future service, instead of every service one by one.

use crate::api::wizard::{wizard_services, ServiceOption};
use crate::domain::level::AssuranceLevel;
use crate::ui::i18n::{tr, use_i18n, Msg};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn CatalogPicker(
    /// Only services this level can use are offered.
    level: AssuranceLevel,
    /// The chosen services' ids.
    chosen: Signal<Vec<String>>,
    add: Callback<String>,
    remove: Callback<String>,
    /// "Alle diensten" instead of chosen services.
    choose_all: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let search = RwSignal::new(String::new());
    let found = RwSignal::new(Vec::<ServiceOption>::new());
    let catalog = RwSignal::new(Vec::<ServiceOption>::new());
    // The chosen services' names: the whole catalog of the level, loaded once.
    spawn_local(async move {
        if let Ok(all) = wizard_services(level, String::new()).await {
            catalog.set(all);
        }
    });
    let is_all_query = move || {
        matches!(
            search.get().trim().to_lowercase().as_str(),
            "all" | "alle" | "alles"
        )
    };
    // Answers can arrive out of order: only the newest search's is shown.
    let ticket = StoredValue::new(0u32);
    let on_search = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        search.set(text.clone());
        if text.trim().is_empty() || is_all_query() {
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
            <button type="button" class="secondary" on:click=move |_| { search.set(String::new()); choose_all.run(()) }>
                {tr(Msg::ChooseAllServices)}
            </button>
        </Show>
        <ul class="service-results" aria-label=tr(Msg::SearchResults)>
            {move || found.get().into_iter().take(20).map(|s| {
                let id = s.service_uuid.clone();
                let id_for_click = id.clone();
                let label = format!("{} ({})", s.name, s.provider);
                let add_label = format!("{} {}", i18n.t(Msg::Add), s.name);
                view! {
                    <li>
                        <span>{label}" · "{s.min_level.as_str()}</span>
                        <button type="button" class="link" aria-label=add_label
                            disabled=move || chosen.with(|c| c.contains(&id))
                            on:click=move |_| add.run(id_for_click.clone())>
                            {tr(Msg::Add)}
                        </button>
                    </li>
                }
            }).collect_view()}
        </ul>
        <h3>{move || i18n.t(Msg::ChosenServices).replace("{n}", &chosen.with(Vec::len).to_string())}</h3>
        <ul class="chosen-services">
            {move || chosen.get().into_iter().map(|id| {
                let name = name_of(&id);
                let remove_label = format!("{} {}", i18n.t(Msg::Remove), name);
                view! {
                    <li>{name}" "
                        <button type="button" class="link danger" aria-label=remove_label
                            on:click=move |_| remove.run(id.clone())>
                            {tr(Msg::Remove)}
                        </button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
