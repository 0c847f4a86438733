//! The portal's UI: layout, pages by area, and shared components. No business rules here:
//! those live in `crate::domain` and are called from both sides.

mod components;
mod fetch;
pub mod i18n;
mod layout;
pub mod locales;
mod pages;
mod routes;
mod session;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy};

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
                    <Route path=path!("/beheer/gebruikers") view={Lazy::<routes::UsersRoute>::new()}/>
                    <Route path=path!("/beheer/gebruikers/toevoegen") view={Lazy::<routes::AddUsersRoute>::new()}/>
                    <Route path=path!("/beheer/lopende-aanvragen") view={Lazy::<routes::ApplicationsRoute>::new()}/>
                    <Route path=path!("/beheer/lopende-aanvragen/:id") view={Lazy::<routes::ApplicationRoute>::new()}/>
                    <Route path=path!("/mijn-account") view={Lazy::<routes::AccountRoute>::new()}/>
                    <Route path=path!("/dev/mailbox") view={Lazy::<routes::MailboxRoute>::new()}/>
                </Routes>
            </layout::Shell>
        </Router>
    }
}
