//! What an operator sees of the traffic: every request gets an id (`X-Request-Id`, kept from a
//! proxy when well-formed), runs in a log span with it, ends in one log line with its status
//! and time, and is counted for `/metrics`, which shows the figures to a scraper with the
//! configured token (or on a separate address of its own).

use crate::http::Web;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::sync::OnceLock;
use std::time::Instant;
use tracing::Instrument;

const REQUEST_ID: &str = "x-request-id";

/// A route's name for the metrics' labels: never a raw path, so a scanner trying a million
/// addresses cannot grow the label set.
pub fn endpoint(path: &str) -> String {
    static SERVER_FNS: OnceLock<HashSet<String>> = OnceLock::new();
    let known = SERVER_FNS.get_or_init(|| {
        server_fn::axum::server_fn_paths()
            .map(|(path, _)| path.trim_start_matches('/').to_string())
            .collect()
    });
    let trimmed = path.trim_start_matches('/');
    if trimmed.starts_with("api/") {
        return if known.contains(trimmed) {
            trimmed.to_string()
        } else {
            "api/unknown".into()
        };
    }
    if trimmed == "dev/build" {
        return trimmed.into();
    }
    match trimmed.split('/').next().unwrap_or_default() {
        "pkg" => "pkg".into(),
        "uitnodiging" => "uitnodiging".into(),
        "healthz" | "readyz" | "metrics" | "inloggen" | "downloads" | "export" | "webhooks"
        | "dev" | "hulp" | "help" => trimmed.split('/').next().unwrap_or_default().into(),
        _ => "page".into(),
    }
}

fn request_id(headers: &HeaderMap) -> String {
    headers
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            (1..=64).contains(&v.len())
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map_or_else(|| uuid::Uuid::new_v4().simple().to_string(), str::to_string)
}

pub async fn observe(State(web): State<Web>, request: Request<Body>, next: Next) -> Response {
    let started = Instant::now();
    let id = request_id(request.headers());
    let endpoint = endpoint(request.uri().path());
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %request.method(),
        endpoint = %endpoint,
    );
    let mut response = next.run(request).instrument(span.clone()).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    web.state
        .metrics
        .request(&endpoint, status, elapsed.as_secs_f64());
    // Probes, scrapes, bundle files and the live-reload poll would drown the log.
    if !matches!(
        endpoint.as_str(),
        "healthz" | "readyz" | "metrics" | "pkg" | "dev/build"
    ) {
        // The id and endpoint again on the line itself: a log collector finds them at the top
        // level, not only in the span (where every other line of the request has them).
        tracing::info!(
            parent: &span,
            request_id = %id,
            endpoint = %endpoint,
            status,
            ms = elapsed.as_millis() as u64,
            "request"
        );
    }
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    response
}

/// `/metrics` on the portal's address: only with `Authorization: Bearer <MACHTIG_METRICS_TOKEN>`;
/// without a configured token it does not exist (404, like any unknown file).
pub async fn metrics_with_token(State(web): State<Web>, headers: HeaderMap) -> Response {
    let Some(token) = &web.state.settings.metrics_token else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    // Comparing digests takes the same time wherever the tokens differ.
    if Sha256::digest(given.as_bytes()) != Sha256::digest(token.expose().as_bytes()) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
        )
            .into_response();
    }
    metrics(State(web)).await
}

/// The figures in the Prometheus text format.
pub async fn metrics(State(web): State<Web>) -> Response {
    match app::server::metrics::gauges(&web.state.pool).await {
        Ok(gauges) => (
            [(
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            )],
            web.state.metrics.render(&gauges),
        )
            .into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "metrics: the database did not answer");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_route_names_never_raw_paths() {
        assert_eq!(endpoint("/api/auth/sign_in"), "api/auth/sign_in");
        assert_eq!(endpoint("/api/nonsense/../x"), "api/unknown");
        assert_eq!(endpoint("/pkg/abc123/machtig.wasm"), "pkg");
        assert_eq!(endpoint("/uitnodiging/secret-token"), "uitnodiging");
        assert_eq!(endpoint("/beheer/gebruikers"), "page");
        assert_eq!(endpoint("/healthz"), "healthz");
        assert_eq!(endpoint("/wp-admin/setup.php"), "page");
    }

    #[test]
    fn a_request_id_from_outside_is_kept_only_when_well_formed() {
        let mut h = HeaderMap::new();
        h.insert(REQUEST_ID, HeaderValue::from_static("abc-123"));
        assert_eq!(request_id(&h), "abc-123");
        h.insert(REQUEST_ID, HeaderValue::from_static("a b\"c"));
        assert_eq!(request_id(&h).len(), 32);
    }
}
