//! The broker's brand name in the pages: the server writes it into every page's shell as
//! `<meta name="application-name">` (`MACHTIG_BRAND_NAME`), so no bundle carries a product
//! name; "Mijn Machtig" where there is none (unit tests).

pub const DEFAULT: &str = "Mijn Machtig";

/// The brand's name, read from the page once.
pub fn name() -> &'static str {
    thread_local! {
        static NAME: &'static str = read();
    }
    NAME.with(|n| *n)
}

#[cfg(feature = "csr")]
fn read() -> &'static str {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector("meta[name=application-name]")
                .ok()
                .flatten()
        })
        .and_then(|m| m.get_attribute("content"))
        .filter(|s| !s.trim().is_empty())
        // Read once per page load and kept for its lifetime.
        .map(|s| &*Box::leak(s.into_boxed_str()))
        .unwrap_or(DEFAULT)
}

#[cfg(not(feature = "csr"))]
fn read() -> &'static str {
    DEFAULT
}
