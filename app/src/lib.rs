//! Machtig: the self-service portal of an eHerkenning broker.
//!
//! One crate, compiled twice: with `csr` to WebAssembly for the browser (the whole UI), and with
//! `ssr` into the server (server-function bodies, services, database). `domain` is shared and
//! pure, so both sides apply the same rules.

// The single-page bundles use a small part of the UI; the rest is dead code there by design.
#![cfg_attr(feature = "single-page", allow(dead_code, unused_imports))]

pub mod api;
pub mod domain;
#[cfg(feature = "ssr")]
pub mod server;
pub mod ui;

#[cfg(not(feature = "single-page"))]
pub use ui::App;

/// The browser entry. cargo-leptos' page script calls `hydrate`; in csr it mounts the app.
#[cfg(all(feature = "csr", not(feature = "single-page")))]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    leptos::mount::mount_to_body(App);
}

/// The acceptance page's entry, in its own small bundle (`--features accept`, see
/// `scripts/build.sh`): the same crate, with only the acceptance app reachable.
#[cfg(feature = "accept")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    leptos::mount::mount_to_body(ui::AcceptApp);
}

/// The sign-in page's entry, in its own small bundle (`--features signin`): what anyone who is
/// not signed in downloads first. After signing in, the page loads the portal's bundle.
#[cfg(feature = "signin")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    leptos::mount::mount_to_body(ui::SignInApp);
}
