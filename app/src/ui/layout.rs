//! The page frame: header with the brand, the main navigation (only pages that exist and that
//! the user may use), the language switch and sign-out.

use super::i18n::{tr, use_i18n, Lang, Msg};
use super::session::use_session;
use crate::api::auth::sign_out;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let sign_out_click = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            let _ = sign_out().await;
            session.me.set(None);
            navigate("/inloggen", Default::default());
        });
    };
    let is_manager = move || {
        session
            .me
            .with(|m| m.as_ref().is_some_and(|m| m.is_manager))
    };
    let lang_button = move |lang: Lang, label: &'static str, full: &'static str| {
        view! {
            <button
                type="button"
                class="lang"
                aria-pressed=move || (i18n.lang.get() == lang).to_string()
                lang=lang.code()
                aria-label=full
                on:click=move |_| i18n.set(lang)
            >
                {label}
            </button>
        }
    };
    view! {
        <header class="topbar">
            <a class="brand" href="/">{tr(Msg::Brand)}</a>
            <Show when=move || session.me.with(Option::is_some)>
                <nav aria-label=tr(Msg::MainNav)>
                    <ul>
                        <Show when=is_manager>
                            <li class="group">
                                <span class="group-label">{tr(Msg::Beheer)}</span>
                                <A href="/beheer/gebruikers">{tr(Msg::Users)}</A>
                                <A href="/beheer/lopende-aanvragen">{tr(Msg::Applications)}</A>
                            </li>
                        </Show>
                        <li>
                            <A href="/mijn-account">{tr(Msg::MyAccount)}</A>
                        </li>
                    </ul>
                </nav>
            </Show>
            <div class="tools">
                <div role="group" aria-label=tr(Msg::Language)>
                    {lang_button(Lang::Nl, "NL", "Nederlands")}
                    {lang_button(Lang::En, "EN", "English")}
                </div>
                <Show when=move || session.me.with(Option::is_some)>
                    <button type="button" class="secondary" on:click=sign_out_click.clone()>
                        {tr(Msg::SignOut)}
                    </button>
                </Show>
            </div>
        </header>
        <main id="main">{children()}</main>
    }
}
