//! The password policy as a live checklist: the same `domain::password::check` the server
//! enforces, so what is ticked here is what the server accepts.

use crate::domain::password::{check, Rule};
use crate::ui::i18n::{tr, use_i18n, Msg};
use leptos::prelude::*;

#[component]
pub fn PasswordChecklist(
    #[prop(into)] password: Signal<String>,
    #[prop(into)] username: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let report = Memo::new(move |_| check(&password.get(), &username.get()));
    view! {
        <div class="checklist" id="password-rules">
            <p>{tr(Msg::PolicyTitle)}</p>
            <ul>
                {Rule::ALL.into_iter().map(|rule| {
                    let met = move || report.with(|r| r.results().iter().any(|(x, ok)| *x == rule && *ok));
                    view! {
                        <li class:met=met>
                            <span aria-hidden="true">{move || if met() { "✓" } else { "✗" }}</span>
                            " " {tr(Msg::for_rule_check(rule))}
                            <span class="sr-only">{move || format!(" ({})", i18n.t(if met() { Msg::RuleMet } else { Msg::RuleNotMet }))}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}
