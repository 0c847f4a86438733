//! The current terms in the reader's language and the checkbox that agrees to them, with the
//! field's message: the add-users wizard's summary and the request of new authorizations.

use crate::api::wizard::Terms;
use crate::ui::i18n::{tr, use_i18n, Lang, Msg};
use leptos::prelude::*;

#[component]
pub fn TermsAgreement(
    terms: Terms,
    agreed: RwSignal<bool>,
    /// The terms field's message (not agreed, or changed meanwhile), if any.
    error: Signal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let version = terms.version;
    let text = move || {
        if i18n.lang.get() == Lang::En {
            terms.text_en.clone()
        } else {
            terms.text_nl.clone()
        }
    };
    view! {
        <h3 id="terms-title">{move || i18n.t(Msg::TermsTitle).replace("{n}", &version.to_string())}</h3>
        <div class="terms" role="region" aria-labelledby="terms-title" tabindex="0">{text}</div>
        <label class="choice">
            <input type="checkbox" aria-describedby="terms-error" prop:checked=agreed
                on:change=move |ev| agreed.set(event_target_checked(&ev))/>
            {tr(Msg::AgreeToTerms)}
        </label>
        <p class="field-error" id="terms-error" role="alert">{error}</p>
    }
}
