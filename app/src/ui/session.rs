//! Who is signed in, as the browser knows it: loaded once from the server at start and after
//! sign-in; pages that need a signed-in user send the visitor to /inloggen otherwise.

use crate::api::auth::{current_user, Me};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[derive(Clone, Copy)]
pub struct Session {
    pub me: RwSignal<Option<Me>>,
    pub loaded: RwSignal<bool>,
}

impl Session {
    /// Asks the server who is signed in.
    pub async fn refresh(self) {
        // No answer at all (offline) is no reason to sign in again: the session stays unknown,
        // and the page's own calls say that the connection is gone.
        if let Ok(who) = current_user().await {
            self.me.set(who);
            self.loaded.set(true);
        }
    }
}

pub fn provide_session() {
    let session = Session {
        me: RwSignal::new(None),
        loaded: RwSignal::new(false),
    };
    spawn_local(session.refresh());
    provide_context(session);
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// Sends a visitor who is not signed in (any more) to the sign-in page, once the session is
/// known, to come back here afterwards.
pub fn require_sign_in() {
    let session = use_session();
    Effect::new(move |_| {
        if session.loaded.get() && session.me.with(Option::is_none) {
            super::location::sign_in_again();
        }
    });
}
