//! The portal's UI: layout, pages by area, and shared components. No business rules here:
//! those live in `crate::domain` and are called from both sides.

mod components;
mod fetch;
pub mod i18n;
mod layout;
pub mod locales;
mod pages;
mod session;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    i18n::provide_i18n();
    session::provide_session();
    view! {
        <Router>
            <layout::Shell>
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("/") view=pages::home::Home/>
                    <Route path=path!("/inloggen") view=pages::sign_in::SignIn/>
                    <Route path=path!("/beheer/gebruikers") view=pages::users::Users/>
                    <Route path=path!("/beheer/gebruikers/toevoegen") view=pages::add_users::AddUsers/>
                    <Route path=path!("/beheer/lopende-aanvragen") view=pages::applications::Applications/>
                    <Route path=path!("/beheer/lopende-aanvragen/:id") view=pages::applications::ApplicationDetailPage/>
                    <Route path=path!("/mijn-account") view=pages::account::Account/>
                    <Route path=path!("/dev/mailbox") view=pages::mailbox::Mailbox/>
                </Routes>
            </layout::Shell>
        </Router>
    }
}
