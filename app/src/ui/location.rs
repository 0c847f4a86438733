//! Moving between the bundles. The sign-in page and the portal are separate bundles, so going
//! from one to the other is a full page load: signing in loads the page the visitor asked for,
//! and an ended session (or signing out) clears the portal and loads the sign-in page, which
//! remembers where the user was (`/inloggen?terug=<path>`).

/// The sign-in page's path.
pub const SIGN_IN: &str = "/inloggen";

/// Where to go after signing in, from the page's path and query: the page itself when the
/// server showed the sign-in page in its place, else the `terug` parameter of `/inloggen` if it
/// is a path on this site (never another site: `//host` and `/\host` are refused), else "/".
pub fn return_target(path: &str, query: &str) -> String {
    if path != SIGN_IN {
        return format!("{path}{query}");
    }
    query
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == "terug")
        .and_then(|(_, value)| decode(value))
        .filter(|to| is_local_path(to))
        .unwrap_or_else(|| "/".to_string())
}

/// The sign-in page's address that comes back to `path_and_query` afterwards.
pub fn sign_in_returning_to(path_and_query: &str) -> String {
    if path_and_query == "/" || path_and_query.starts_with(SIGN_IN) {
        return SIGN_IN.to_string();
    }
    format!("{SIGN_IN}?terug={}", encode(path_and_query))
}

fn is_local_path(to: &str) -> bool {
    to.starts_with('/')
        && !to.starts_with("//")
        && !to.starts_with("/\\")
        && !to.chars().any(char::is_control)
}

/// Percent-encodes everything but unreserved characters and `/`.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// The current page's path and query.
#[cfg(feature = "csr")]
pub fn here() -> (String, String) {
    let location = web_sys::window().map(|w| w.location());
    let get = |f: fn(&web_sys::Location) -> Result<String, wasm_bindgen::JsValue>| {
        location
            .as_ref()
            .and_then(|l| f(l).ok())
            .unwrap_or_default()
    };
    (
        get(web_sys::Location::pathname),
        get(web_sys::Location::search),
    )
}

/// Loads `to` in place of the current page (no history entry: Back does not return to a page
/// that no longer applies).
#[cfg(feature = "csr")]
pub fn load(to: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().replace(to);
    }
}

/// The session ended (or was never there): clear the portal and sign in again, coming back
/// here afterwards. Nothing to do on the sign-in page itself.
#[cfg(feature = "csr")]
pub fn sign_in_again() {
    let (path, query) = here();
    if path != SIGN_IN {
        load(&sign_in_returning_to(&format!("{path}{query}")));
    }
}

#[cfg(not(feature = "csr"))]
pub fn here() -> (String, String) {
    (String::new(), String::new())
}

#[cfg(not(feature = "csr"))]
pub fn load(_to: &str) {}

#[cfg(not(feature = "csr"))]
pub fn sign_in_again() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sign_in_page_in_place_of_a_page_returns_to_that_page() {
        assert_eq!(
            return_target("/beheer/gebruikers", "?q=jan"),
            "/beheer/gebruikers?q=jan"
        );
        assert_eq!(return_target("/", ""), "/");
    }

    #[test]
    fn the_sign_in_page_returns_to_where_the_user_was() {
        let to = sign_in_returning_to("/beheer/lopende-aanvragen?status=open&org=1");
        let (path, query) = to.split_once('?').unwrap();
        assert_eq!(
            return_target(path, &format!("?{query}")),
            "/beheer/lopende-aanvragen?status=open&org=1"
        );
        assert_eq!(sign_in_returning_to("/"), "/inloggen");
        assert_eq!(sign_in_returning_to("/inloggen?terug=%2Fx"), "/inloggen");
    }

    #[test]
    fn the_return_target_is_never_another_site() {
        for evil in [
            "https%3A%2F%2Fevil.example",
            "%2F%2Fevil.example",
            "%2F%5Cevil.example",
            "//evil.example",
            "javascript:alert(1)",
            "%2Fok%0Aheader",
            "%zz",
        ] {
            assert_eq!(
                return_target(SIGN_IN, &format!("?terug={evil}")),
                "/",
                "{evil}"
            );
        }
        assert_eq!(return_target(SIGN_IN, ""), "/");
        assert_eq!(
            return_target(SIGN_IN, "?x=1&terug=%2Fmijn-account"),
            "/mijn-account"
        );
    }
}
