//! The page frame: header with the brand, the main navigation (only pages that exist and that
//! the user may use), the language switch and sign-out.

use super::components::language_switch::LanguageSwitch;
use super::i18n::{tr, Msg};
use super::session::use_session;
use crate::api::auth::sign_out;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

#[component]
pub fn Shell(children: Children) -> impl IntoView {
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
    let is_operator = move || {
        session
            .me
            .with(|m| m.as_ref().is_some_and(|m| m.is_operator))
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
                        <Show when=is_operator>
                            <li>
                                <A href="/beheer/eindcontrole">{tr(Msg::FinalCheckTitle)}</A>
                            </li>
                        </Show>
                        <li>
                            <A href="/mijn-account">{tr(Msg::MyAccount)}</A>
                        </li>
                    </ul>
                </nav>
            </Show>
            <div class="tools">
                <LanguageSwitch/>
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
