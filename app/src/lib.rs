//! Machtig: the self-service portal of an eHerkenning broker.
//!
//! One crate, compiled twice: with `csr` to WebAssembly for the browser (the whole UI), and with
//! `ssr` into the server (server-function bodies, services, database). `domain` is shared and
//! pure, so both sides apply the same rules.

pub mod api;
pub mod domain;
#[cfg(feature = "ssr")]
pub mod server;
pub mod ui;

pub use ui::App;

/// The browser entry. cargo-leptos' page script calls `hydrate`; in csr it mounts the app.
#[cfg(feature = "csr")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    leptos::mount::mount_to_body(App);
}
