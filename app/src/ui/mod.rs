//! The portal's UI: layout, pages by area, and shared components. No business rules here:
//! those live in `crate::domain` and are called from both sides.

mod brand;
mod components;
mod debounce;
mod fetch;
pub mod i18n;
mod layout;
pub mod locales;
pub mod location;
mod page;
mod pages;
// The lazily loaded pages export their chunks' entry points, which would keep every page in
// the single-page bundles: they leave the router and its routes out.
#[cfg(not(feature = "single-page"))]
mod routes;
mod session;

use leptos::prelude::*;
#[cfg(not(feature = "single-page"))]
use leptos_router::components::{Route, Router, Routes};
#[cfg(not(feature = "single-page"))]
use leptos_router::{path, Lazy};

/// The acceptance page's own app, for `/uitnodiging/<token>`: no router, no session, just the
/// page, so a new user's phone downloads as little as possible.
#[component]
pub fn AcceptApp() -> impl IntoView {
    let token = invitation_token();
    view! {
        <layout::SinglePage title=i18n::Msg::InvitationTitle main_class="narrow-main">
            <pages::acceptance::Acceptance token=token/>
        </layout::SinglePage>
    }
}

/// The sign-in page's own app: what the server sends for every portal page to a visitor who is
/// not signed in (and for `/inloggen`). No router and no other page, so the first download
/// stays small; signing in loads the page the visitor asked for, now with the portal's bundle.
#[component]
pub fn SignInApp() -> impl IntoView {
    view! {
        <layout::SinglePage title=i18n::Msg::SignInTitle main_class="">
            <pages::sign_in::SignIn/>
        </layout::SinglePage>
    }
}

/// The token from `/uitnodiging/<token>`.
fn invitation_token() -> String {
    #[cfg(feature = "csr")]
    {
        web_sys::window()
            .and_then(|w| w.location().pathname().ok())
            .and_then(|p| p.strip_prefix("/uitnodiging/").map(str::to_string))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "csr"))]
    String::new()
}

#[cfg(not(feature = "single-page"))]
#[component]
pub fn App() -> impl IntoView {
    i18n::provide_i18n();
    session::provide_session();
    view! {
        <Router>
            <layout::Shell>
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("/") view=pages::home::Home/>
                    <Route path=path!("/beheer/gebruikers") view={Lazy::<routes::UsersRoute>::new()}/>
                    <Route path=path!("/beheer/gebruikers/toevoegen") view={Lazy::<routes::AddUsersRoute>::new()}/>
                    <Route path=path!("/beheer/machtigingen") view={Lazy::<routes::AuthorizationsRoute>::new()}/>
                    <Route path=path!("/beheer/machtigingen/aanvragen") view={Lazy::<routes::RequestAuthorizationsRoute>::new()}/>
                    <Route path=path!("/beheer/koppelverzoeken") view={Lazy::<routes::LinkRequestsRoute>::new()}/>
                    <Route path=path!("/beheer/lopende-aanvragen") view={Lazy::<routes::ApplicationsRoute>::new()}/>
                    <Route path=path!("/beheer/lopende-aanvragen/:id") view={Lazy::<routes::ApplicationRoute>::new()}/>
                    <Route path=path!("/mijn-account") view={Lazy::<routes::AccountRoute>::new()}/>
                    <Route path=path!("/beheer/eindcontrole") view={Lazy::<routes::FinalCheckRoute>::new()}/>
                    <Route path=path!("/beheer/eindcontrole/:id") view={Lazy::<routes::FinalCheckDetailRoute>::new()}/>
                    <Route path=path!("/dev/mailbox") view={Lazy::<routes::MailboxRoute>::new()}/>
                    <Route path=path!("/dev/identiteit") view={Lazy::<routes::SimulatorRoute>::new()}/>
                </Routes>
            </layout::Shell>
        </Router>
    }
}
