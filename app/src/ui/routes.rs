//! Pages loaded on demand. The sign-in page, the shell and the start page are in the first
//! download; every other page is split into its own wasm chunk (`cargo leptos build --split`)
//! and fetched when the route is first visited, so the first download stays small however many
//! pages the portal grows.

use super::pages;
use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

macro_rules! lazy_page {
    ($route:ident, $page:expr) => {
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(_this: Self) -> AnyView {
                ($page)().into_any()
            }
        }
    };
}

lazy_page!(UsersRoute, pages::users::Users);
lazy_page!(AddUsersRoute, pages::add_users::AddUsers);
lazy_page!(AuthorizationsRoute, pages::authorizations::Authorizations);
lazy_page!(
    RequestAuthorizationsRoute,
    pages::authorizations::request::RequestAuthorizations
);
lazy_page!(LinkRequestsRoute, pages::link_requests::LinkRequests);
lazy_page!(ApplicationsRoute, pages::applications::Applications);
lazy_page!(ApplicationRoute, pages::applications::ApplicationDetailPage);
lazy_page!(AccountRoute, pages::account::Account);
lazy_page!(MailboxRoute, pages::mailbox::Mailbox);
lazy_page!(FinalCheckRoute, pages::final_check::FinalCheckQueue);
lazy_page!(FinalCheckDetailRoute, pages::final_check::FinalCheckDetail);
lazy_page!(SimulatorRoute, pages::final_check::Simulator);
