//! "/": managers go to their users, everyone else to their account, visitors to sign-in.

use crate::ui::i18n::{tr, Msg};
use crate::ui::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

#[component]
pub fn Home() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if !session.loaded.get() {
            return;
        }
        let to = match session.me.get() {
            None => return crate::ui::location::sign_in_again(),
            Some(me) if me.is_manager => "/beheer/gebruikers",
            Some(_) => "/mijn-account",
        };
        navigate(
            to,
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        );
    });
    view! { <p class="loading">{tr(Msg::Loading)}</p> }
}
