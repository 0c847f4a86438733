//! What a screen-reader or keyboard user needs when the page changes without a page load: a
//! document title that names the page in the chosen language ("Gebruikers · Mijn Machtig"),
//! and the focus on the new page's heading, so the next Tab starts there and the heading is
//! read out.

use super::i18n::{Lang, Msg};

/// "<page> · <brand>".
pub fn title(page: Msg, lang: Lang) -> String {
    format!("{} · {}", page.text(lang), super::brand::name())
}

/// The title text of a portal path (the routes of `ui::App`).
pub fn title_of_path(path: &str) -> Msg {
    let path = path.trim_end_matches('/');
    match path {
        "" => Msg::Loading,
        "/beheer/gebruikers" => Msg::Users,
        "/beheer/gebruikers/toevoegen" => Msg::AddUsersTitle,
        "/beheer/machtigingen" => Msg::Authorizations,
        "/beheer/machtigingen/aanvragen" => Msg::RequestAuthorizations,
        "/beheer/koppelverzoeken" => Msg::LinkRequests,
        "/beheer/lopende-aanvragen" => Msg::Applications,
        "/mijn-account" => Msg::MyAccount,
        "/beheer/eindcontrole" => Msg::FinalCheckTitle,
        "/dev/mailbox" => Msg::MailboxTitle,
        "/dev/identiteit" => Msg::SimulatorTitle,
        _ if path.starts_with("/beheer/lopende-aanvragen/") => Msg::Application,
        _ if path.starts_with("/beheer/eindcontrole/") => Msg::FinalCheckTitle,
        _ => Msg::NotFoundTitle,
    }
}

/// Sets the document's title.
pub fn set_title(text: &str) {
    #[cfg(feature = "csr")]
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(text);
    }
    #[cfg(not(feature = "csr"))]
    let _ = text;
}

/// Moves the focus to the heading that matches `selector` (e.g. `main h1`) once the new page
/// shows it. A lazily loaded page replaces the old one a moment after the route changed, so
/// this waits (on the next frames, for about two seconds) for a heading other than the one
/// shown now; if the same one is still there after a few frames, the page did not change
/// visibly (or rendered at once) and it is focused as it is.
pub fn focus_new_heading(selector: &'static str) {
    #[cfg(feature = "csr")]
    {
        let shown = find(selector);
        focus_when_there(selector, shown, 0);
    }
    #[cfg(not(feature = "csr"))]
    let _ = selector;
}

/// Moves the focus to the heading that matches `selector` now (a wizard step, which renders
/// at once).
pub fn focus_heading(selector: &'static str) {
    #[cfg(feature = "csr")]
    if let Some(heading) = find(selector) {
        focus(&heading);
    }
    #[cfg(not(feature = "csr"))]
    let _ = selector;
}

#[cfg(feature = "csr")]
fn find(selector: &str) -> Option<web_sys::HtmlElement> {
    use wasm_bindgen::JsCast;
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(selector).ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
}

#[cfg(feature = "csr")]
fn focus(heading: &web_sys::HtmlElement) {
    // Focusable from script only, not a Tab stop of its own.
    if !heading.has_attribute("tabindex") {
        let _ = heading.set_attribute("tabindex", "-1");
    }
    let _ = heading.focus();
}

#[cfg(feature = "csr")]
fn focus_when_there(selector: &'static str, old: Option<web_sys::HtmlElement>, frame: u32) {
    const SAME_PAGE_AFTER: u32 = 10;
    const GIVE_UP_AFTER: u32 = 120;
    match find(selector) {
        Some(heading) if old.as_ref() != Some(&heading) => return focus(&heading),
        Some(heading) if frame == SAME_PAGE_AFTER => focus(&heading),
        _ => {}
    }
    if frame < GIVE_UP_AFTER {
        leptos::prelude::request_animation_frame(move || {
            focus_when_there(selector, old, frame + 1)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_of_the_portal_has_its_own_title_in_both_languages() {
        assert_eq!(
            title(title_of_path("/beheer/gebruikers"), Lang::Nl),
            "Gebruikers · Mijn Machtig"
        );
        assert_eq!(
            title(title_of_path("/beheer/gebruikers"), Lang::En),
            "Users · Mijn Machtig"
        );
        assert_eq!(
            title_of_path("/beheer/lopende-aanvragen/3f1c"),
            Msg::Application
        );
        assert_eq!(title_of_path("/bestaat-niet"), Msg::NotFoundTitle);
    }
}
