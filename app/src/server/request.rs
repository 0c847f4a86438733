//! Helpers for server-function bodies: who is calling, from where, and how an error answers.
//! Server functions stay thin: `caller().await?`, one service call, `respond(...)`.

use super::config::Settings;
use super::error::ServiceError;
use super::session::{self, SessionUser, COOKIE};
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

/// Sets the response status for `error` and returns it.
pub fn fail(error: ApiError) -> ApiError {
    if let Some(options) = use_context::<ResponseOptions>() {
        options.set_status(
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        );
        if let ApiError::TooManyAttempts { retry_after_secs }
        | ApiError::Busy { retry_after_secs } = &error
        {
            if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                options.insert_header(axum::http::header::RETRY_AFTER, value);
            }
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
    session_token_in(&headers)
}

/// The session token in a request's cookies.
pub fn session_token_in(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE_HEADER)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_string())
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

/// The session cookie: never readable by scripts, never sent along with another site's
/// requests, for the whole site, and in production only over HTTPS.
pub fn session_cookie(settings: &Settings, value: &str, max_age_secs: i64) -> String {
    let secure = if settings.is_development() {
        ""
    } else {
        "; Secure"
    };
    format!("{COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{secure}")
}

fn cookie(state: &AppState, value: &str, max_age_secs: i64) -> Option<HeaderValue> {
    HeaderValue::from_str(&session_cookie(&state.settings, value, max_age_secs)).ok()
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
        assert!(cookie.starts_with(&format!("{COOKIE}=abc;")));
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
        assert!(attributes(&session_cookie(&settings, "abc", 60)).contains(&"Secure"));
        let signed_out = session_cookie(&settings, "", 0);
        assert!(attributes(&signed_out).contains(&"Max-Age=0"));
        assert!(attributes(&signed_out).contains(&"Secure"));
    }
}
