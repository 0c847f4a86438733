//! The page frame: header with the brand, the main navigation (only pages that exist and that
//! the user may use), the language switch and sign-out.

use super::components::language_switch::LanguageSwitch;
use super::i18n::{tr, Msg};
use super::session::use_session;
use crate::api::auth::sign_out;
use leptos::prelude::*;
use leptos::task::spawn_local;
#[cfg(not(feature = "single-page"))]
use leptos_router::{components::A, hooks::use_location};

/// The first stop for keyboard and screen-reader users: past the header to the page itself.
#[component]
pub fn SkipLink() -> impl IntoView {
    // `rel="external"`: the router would take the click and only scroll; the browser's own
    // handling of the fragment also moves the focus to `main` (tabindex -1).
    view! { <a class="skip-link" href="#main" rel="external">{tr(Msg::SkipToContent)}</a> }
}

/// The frame of a bundle with one page (the sign-in page, the acceptance page): no router and no
/// session, just the brand, the language switch and the page, with its title in the chosen
/// language.
#[component]
pub fn SinglePage(title: Msg, main_class: &'static str, children: Children) -> impl IntoView {
    let i18n = super::i18n::provide_i18n();
    Effect::new(move |_| super::page::set_title(&super::page::title(title, i18n.lang.get())));
    view! {
        <SkipLink/>
        <header class="topbar">
            <span class="brand">{super::brand::name()}</span>
            <div class="tools"><LanguageSwitch/></div>
        </header>
        <main id="main" tabindex="-1" class=main_class>{children()}</main>
    }
}

#[cfg(not(feature = "single-page"))]
#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let session = use_session();
    let i18n = super::i18n::use_i18n();
    let location = use_location();
    // On a phone the menu folds away behind one button; choosing a page folds it again.
    let menu_open = RwSignal::new(false);
    // Every route change names the new page in the title and moves the focus to its heading;
    // a language switch only renames the title.
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        let title = super::page::title_of_path(&path);
        super::page::set_title(&super::page::title(title, i18n.lang.get()));
        if previous.is_some_and(|p| p != path) {
            // The page chosen from the folded menu is shown with the menu folded again.
            menu_open.set(false);
            super::page::focus_new_heading("main h1");
        }
        path
    });
    // Signing out clears the portal: the sign-in page is its own bundle. (The session signal is
    // left alone: clearing it would make the page ask to come back here after signing in, and
    // the next person would land on this page.)
    let sign_out_click = move |_| {
        spawn_local(async move {
            let _ = sign_out().await;
            super::location::load(super::location::SIGN_IN);
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
        <SkipLink/>
        <header class="topbar">
            <a class="brand" href="/">{super::brand::name()}</a>
            <button type="button" class="menu-toggle" aria-controls="menu"
                aria-expanded=move || menu_open.get().to_string()
                on:click=move |_| menu_open.update(|open| *open = !*open)>
                <span class="menu-icon" aria-hidden="true"></span>{tr(Msg::MenuButton)}
            </button>
            // `display: contents` on wide screens: the menu's parts sit in the header's row as
            // if the wrapper were not there; on a phone it is the panel the button opens.
            <div id="menu" class="menu" class:open=move || menu_open.get()>
            <Show when=move || session.me.with(Option::is_some)>
                <nav aria-label=tr(Msg::MainNav)>
                    <ul>
                        <Show when=is_manager>
                            <li class="group">
                                <span class="group-label">{tr(Msg::Beheer)}</span>
                                <A href="/beheer/gebruikers">{tr(Msg::Users)}</A>
                                <A href="/beheer/machtigingen">{tr(Msg::Authorizations)}</A>
                                <A href="/beheer/lopende-aanvragen">{tr(Msg::Applications)}</A>
                                <A href="/beheer/koppelverzoeken">{tr(Msg::LinkRequests)}</A>
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
                    <button type="button" class="secondary" on:click=sign_out_click>
                        {tr(Msg::SignOut)}
                    </button>
                </Show>
            </div>
            </div>
        </header>
        <main id="main" tabindex="-1">{children()}</main>
    }
}
