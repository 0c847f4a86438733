//! Helpers for server-function bodies: who is calling, from where, and how an error answers.
//! Server functions stay thin: `caller().await?`, one service call, `respond(...)`.

use super::config::Settings;
use super::error::ServiceError;
use super::session::{self, SessionUser};
use super::state::AppState;
use crate::api::ApiError;
use axum::extract::ConnectInfo;
use axum::http::header::{COOKIE as COOKIE_HEADER, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use std::net::{IpAddr, SocketAddr};

pub fn state() -> Result<AppState, ApiError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server-function context");
        ApiError::Internal
    })
}

/// Maps a service result to what the browser may see, with the fitting HTTP status.
pub fn respond<T>(result: Result<T, ServiceError>) -> Result<T, ApiError> {
    result.map_err(|e| fail(e.into_api()))
}

/// How long a client should wait before trying again when the database is unreachable.
pub const UNAVAILABLE_RETRY_AFTER_SECS: u64 = 5;

/// Sets the response status for `error` and returns it.
pub fn fail(error: ApiError) -> ApiError {
    if let Some(options) = use_context::<ResponseOptions>() {
        options.set_status(
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        );
        let retry_after = match &error {
            ApiError::TooManyAttempts { retry_after_secs }
            | ApiError::Busy { retry_after_secs } => Some(*retry_after_secs),
            ApiError::Unavailable => Some(UNAVAILABLE_RETRY_AFTER_SECS),
            _ => None,
        };
        if let Some(Ok(value)) = retry_after.map(|secs| HeaderValue::from_str(&secs.to_string())) {
            options.insert_header(axum::http::header::RETRY_AFTER, value);
        }
    }
    error
}

/// The client's address: the connection's peer, or behind a trusted proxy the address the
/// proxy saw (see `client_address`).
pub async fn client_ip() -> Option<IpAddr> {
    let ConnectInfo(peer) = leptos_axum::extract::<ConnectInfo<SocketAddr>>()
        .await
        .ok()?;
    let trusted = state().ok()?.settings.trusted_proxies.clone();
    if trusted.is_empty() {
        return Some(peer.ip());
    }
    let headers = leptos_axum::extract::<HeaderMap>().await.ok()?;
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok());
    Some(super::client_address::client_address(
        peer.ip(),
        forwarded,
        &trusted,
    ))
}

pub async fn session_token() -> Option<String> {
    let headers = leptos_axum::extract::<HeaderMap>().await.ok()?;
    session_token_in(&headers, &state().ok()?.settings)
}

/// The session token in a request's cookies. A request that carries the cookie more than once
/// (one planted by another site or subdomain beside ours) has no session: which one a server
/// reads first is a guess an attacker could steer.
pub fn session_token_in(headers: &HeaderMap, settings: &Settings) -> Option<String> {
    let name = session::cookie_name(settings);
    let mut values = headers
        .get_all(COOKIE_HEADER)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(|(n, _)| *n == name)
        .map(|(_, value)| value);
    match (values.next(), values.next()) {
        (Some(value), None) if !value.is_empty() => Some(value.to_string()),
        _ => None,
    }
}

/// The signed-in caller, or `Unauthenticated`.
pub async fn caller() -> Result<(AppState, SessionUser), ApiError> {
    let state = state()?;
    let Some(token) = session_token().await else {
        return Err(fail(ApiError::Unauthenticated));
    };
    match session::authenticate(&state.pool, &state.settings, &token).await {
        Ok(Some(user)) => Ok((state, user)),
        Ok(None) => Err(fail(ApiError::Unauthenticated)),
        Err(e) => Err(fail(ServiceError::from(e).into_api())),
    }
}

/// The caller as an authorization manager, or 403 `forbidden`.
pub fn manager(caller: &SessionUser) -> Result<session::Manager, ApiError> {
    caller.manager().map_err(fail)
}

/// The session cookie: never readable by scripts, never sent along with another site's
/// requests, for the whole site, and in production only over HTTPS.
pub fn session_cookie(settings: &Settings, value: &str, max_age_secs: i64) -> String {
    let secure = if settings.is_development() {
        ""
    } else {
        "; Secure"
    };
    let name = session::cookie_name(settings);
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{secure}")
}

fn cookie(state: &AppState, value: &str, max_age_secs: i64) -> Option<HeaderValue> {
    HeaderValue::from_str(&session_cookie(&state.settings, value, max_age_secs)).ok()
}

/// Hands a new session to the browser, ending the one the request came with (if any): a
/// session token planted in the browser before sign-in (session fixation) or left from another
/// account never lives on beside the new one.
pub async fn start_session(state: &AppState, token: &str) -> Result<(), ApiError> {
    if let Some(old) = session_token().await {
        if old != token {
            respond(session::end(&state.pool, &old).await.map_err(Into::into))?;
        }
    }
    set_session_cookie(state, token);
    Ok(())
}

pub fn set_session_cookie(state: &AppState, token: &str) {
    if let (Some(options), Some(value)) = (
        use_context::<ResponseOptions>(),
        cookie(state, token, state.settings.session_max_hours * 3600),
    ) {
        options.append_header(SET_COOKIE, value);
    }
}

pub fn clear_session_cookie(state: &AppState) {
    if let (Some(options), Some(value)) = (use_context::<ResponseOptions>(), cookie(state, "", 0)) {
        options.append_header(SET_COOKIE, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::config::Environment;

    fn attributes(cookie: &str) -> Vec<&str> {
        cookie.split(';').skip(1).map(str::trim).collect()
    }

    #[test]
    fn the_session_cookie_is_http_only_strict_site_wide_and_lives_as_long_as_the_session() {
        let settings = Settings::for_tests();
        let cookie = session_cookie(&settings, "abc", 12 * 3600);
        assert!(cookie.starts_with(&format!("{}=abc;", session::COOKIE)));
        assert_eq!(
            attributes(&cookie),
            vec!["Path=/", "HttpOnly", "SameSite=Strict", "Max-Age=43200"]
        );
    }

    #[test]
    fn in_production_the_session_cookie_is_sent_over_https_only() {
        let settings = Settings {
            environment: Environment::Production,
            ..Settings::for_tests()
        };
        let cookie = session_cookie(&settings, "abc", 60);
        assert!(cookie.starts_with("__Host-machtig_session=abc;"));
        // What the browser demands of a `__Host-` cookie: Secure, Path=/ and no Domain.
        assert!(attributes(&cookie).contains(&"Secure"));
        assert!(attributes(&cookie).contains(&"Path=/"));
        assert!(!cookie.contains("Domain"));
        let signed_out = session_cookie(&settings, "", 0);
        assert!(attributes(&signed_out).contains(&"Max-Age=0"));
        assert!(attributes(&signed_out).contains(&"Secure"));
    }

    fn headers(cookies: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for c in cookies {
            headers.append(COOKIE_HEADER, HeaderValue::from_str(c).unwrap());
        }
        headers
    }

    #[test]
    fn attack_a_second_session_cookie_planted_beside_ours_leaves_no_session() {
        let production = Settings {
            environment: Environment::Production,
            ..Settings::for_tests()
        };
        let read = |cookies: &[&str]| session_token_in(&headers(cookies), &production);
        assert_eq!(read(&["__Host-machtig_session=good"]), Some("good".into()));
        assert_eq!(
            read(&["theme=dark; __Host-machtig_session=good; x=y"]),
            Some("good".into())
        );
        // Planted first or last, in one header or two: ambiguous, so no session at all.
        assert_eq!(
            read(&["__Host-machtig_session=planted; __Host-machtig_session=good"]),
            None
        );
        assert_eq!(
            read(&[
                "__Host-machtig_session=good",
                "__Host-machtig_session=planted"
            ]),
            None
        );
        // The development name means nothing in production (it could be set by a subdomain).
        assert_eq!(read(&["machtig_session=planted"]), None);
        assert_eq!(read(&["__Host-machtig_session="]), None);
    }
}
