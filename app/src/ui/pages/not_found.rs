use crate::ui::i18n::{tr, Msg};
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="card narrow">
            <h1>{tr(Msg::NotFoundTitle)}</h1>
            <p>{tr(Msg::NotFoundText)}</p>
            <a href="/">{tr(Msg::ToStart)}</a>
        </section>
    }
}
