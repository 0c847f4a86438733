//! The NL/EN switch in the top bar.

use crate::ui::i18n::{tr, use_i18n, Lang, Msg};
use leptos::prelude::*;

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let button = move |lang: Lang, label: &'static str, full: &'static str| {
        view! {
            <button
                type="button"
                class="lang"
                aria-pressed=move || (i18n.lang.get() == lang).to_string()
                lang=lang.code()
                on:click=move |_| i18n.set(lang)
            >
                // The accessible name holds the visible text ("NL Nederlands"), so voice
                // control users can say what they see.
                {label}<span class="sr-only">" "{full}</span>
            </button>
        }
    };
    view! {
        <div role="group" aria-label=tr(Msg::Language)>
            {button(Lang::Nl, "NL", "Nederlands")}
            {button(Lang::En, "EN", "English")}
        </div>
    }
}
