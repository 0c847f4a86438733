//! "Vorige", "Pagina n" and "Volgende" under a list paged by keyset. The browser keeps where
//! each page it came through starts (`cursors`; the last one is the page shown), so "Vorige"
//! needs no count and every page costs the server the same.

use crate::ui::i18n::{use_i18n, Msg};
use leptos::prelude::*;

#[component]
pub fn Pager<C>(
    /// Where each page shown so far starts; `None` for the first.
    cursors: RwSignal<Vec<Option<C>>>,
    /// Where the page after this one starts, if there is one.
    next: Option<C>,
) -> impl IntoView
where
    C: Clone + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let has_prev = cursors.with(|c| c.len() > 1);
    let page_no = cursors.with(Vec::len).to_string();
    view! {
        <nav class="pager" aria-label=i18n.t(Msg::PagerLabel).replace("{n}", &page_no)>
            <button type="button" class="secondary" disabled=!has_prev
                on:click=move |_| cursors.update(|c| { if c.len() > 1 { c.pop(); } })>
                {i18n.t(Msg::Previous)}
            </button>
            <span aria-live="polite">{i18n.t(Msg::PageN).replace("{n}", &page_no)}</span>
            <button type="button" class="secondary" disabled=next.is_none()
                on:click=move |_| if let Some(n) = next.clone() { cursors.update(|c| c.push(Some(n))) }>
                {i18n.t(Msg::Next)}
            </button>
        </nav>
    }
}
