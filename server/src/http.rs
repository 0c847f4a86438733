//! The router: server functions under /api (same-origin only), the bundle under /pkg, public
//! files, and the HTML shell for every other path; security headers on every response.

use crate::assets::Assets;
use app::api::ApiError;
use app::server::AppState;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::Router;
use std::sync::Arc;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;

#[derive(Clone)]
pub struct Web {
    pub state: AppState,
    pub assets: Arc<Assets>,
}

const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
                   font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
                   frame-ancestors 'none'";

/// The largest request of most server functions (sign-in, acceptance, lists, details): a few
/// fields. Anything larger is refused (413) before it is read.
const MAX_API_BODY: usize = 64 * 1024;
/// The add-users wizard's requests: a draft of 10,000 users, or a 1 MiB CSV file in base64, fit
/// with room to spare.
const MAX_WIZARD_BODY: usize = 16 * 1024 * 1024;

pub fn router(web: Web) -> Router {
    let public = ServeDir::new(web.state.settings.site_root.clone())
        .fallback(get(shell).with_state(web.clone()));
    let api = |limit: usize| {
        any(server_fn)
            .layer(RequestBodyLimitLayer::new(limit))
            .layer(middleware::from_fn_with_state(
                web.clone(),
                same_origin_only,
            ))
    };
    let routes = Router::new()
        .route("/api/{*fn_name}", api(MAX_API_BODY))
        .route("/api/wizard/{*fn_name}", api(MAX_WIZARD_BODY))
        .route("/pkg/{build}/{file}", get(pkg))
        .route("/uitnodiging/{token}", get(accept_shell))
        .route("/inloggen", get(signin_shell))
        .route("/hulp/inloggen", get(crate::help::sign_in_nl))
        .route("/help/sign-in", get(crate::help::sign_in_en))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(crate::observe::metrics_with_token))
        .route("/downloads/gebruikers-voorbeeld.csv", get(example_csv))
        .route("/export/machtigingen.csv", get(export_authorizations))
        .route(
            "/webhooks/identity-verification",
            post(identity_webhook).layer(RequestBodyLimitLayer::new(64 * 1024)),
        )
        .fallback_service(public);
    let routes = if web.state.settings.live_reload {
        routes.route(
            "/dev/build",
            get(|State(web): State<Web>| async move { web.assets.build().to_string() }),
        )
    } else {
        routes
    };
    with_layers(routes, web)
}

/// `/metrics` alone, without a token, for `MACHTIG_METRICS_LISTEN` (an address only the
/// monitoring can reach).
pub fn metrics_router(web: Web) -> Router {
    Router::new()
        .route("/metrics", get(crate::observe::metrics))
        .with_state(web)
}

/// What every answer passes through: the security headers, and a panic in any handler turned
/// into the stable 500 body (`{"code":"internal"}`) instead of a dropped connection.
pub fn with_layers(routes: Router<Web>, web: Web) -> Router {
    routes
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panicked))
        .layer(middleware::from_fn_with_state(
            web.clone(),
            security_headers,
        ))
        .layer(middleware::from_fn_with_state(
            web.clone(),
            crate::observe::observe,
        ))
        .with_state(web)
}

fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    // The panic message and location are already in the log (the panic hook prints them).
    tracing::error!("a request handler panicked");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        r#"{"code":"internal"}"#,
    )
        .into_response()
}

async fn server_fn(State(web): State<Web>, request: Request<Body>) -> impl IntoResponse {
    let state = web.state.clone();
    leptos_axum::handle_server_fns_with_context(
        move || leptos::prelude::provide_context(state.clone()),
        request,
    )
    .await
}

/// Readiness for a load balancer: 200 when the database answers and is migrated, else 503 with
/// the reason (`/healthz` only says the process lives). Bounded by the pool's acquire timeout.
async fn readyz(State(web): State<Web>) -> Response {
    match app::server::readiness(&web.state.pool).await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(reason) => (StatusCode::SERVICE_UNAVAILABLE, reason).into_response(),
    }
}

async fn pkg(
    State(web): State<Web>,
    Path((build, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    web.assets.file(&build, &file, &headers)
}

/// The example file for the wizard's CSV upload, as a Dutch spreadsheet saves it.
async fn example_csv() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"gebruikers-voorbeeld.csv\"",
            ),
        ],
        app::domain::user_import::example_csv(),
    )
        .into_response()
}

/// Beheer > Machtigingen > "Exporteren": the filtered overview as a CSV file, streamed. A plain
/// link (the browser downloads it), so the session comes from the cookie like a page's; the
/// cookie is SameSite=Strict, so another site cannot make a signed-in browser fetch it.
async fn export_authorizations(
    State(web): State<Web>,
    headers: HeaderMap,
    filter: Result<
        axum::extract::Query<app::api::authorizations::AuthorizationFilter>,
        axum::extract::rejection::QueryRejection,
    >,
) -> Response {
    use app::server::{authorizations::export, request, session};
    let fail = |error: ApiError| {
        let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
        (status, axum::Json(error)).into_response()
    };
    let Ok(axum::extract::Query(filter)) = filter else {
        return fail(ApiError::BadRequest);
    };
    let settings = &web.state.settings;
    let user = match request::session_token_in(&headers, settings) {
        Some(token) => session::authenticate(&web.state.pool, settings, &token).await,
        None => Ok(None),
    };
    let user = match user {
        Ok(Some(user)) => user,
        Ok(None) => return fail(ApiError::Unauthenticated),
        Err(e) => return fail(app::server::ServiceError::from(e).into_api()),
    };
    let manager = match user.manager() {
        Ok(manager) => manager,
        Err(e) => return fail(e),
    };
    let language = app::server::account::language_of(&web.state.pool, user.user_id)
        .await
        .unwrap_or_else(|_| "nl".into());
    let body = match export::start(web.state.pool.clone(), manager, filter, &language) {
        Ok(chunks) => chunks,
        Err(e) => return fail(e.into_api()),
    };
    let filename = format!(
        "machtigingen-{}.csv",
        chrono::Local::now().format("%Y-%m-%d")
    );
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        Body::from_stream(body),
    )
        .into_response()
}

/// The identity-verification partner's reports: signed (HMAC), processed once per event id.
/// 200 for an applied, repeated or irrelevant event (so the partner stops retrying), 401 for a
/// missing, wrong or stale signature, 400 for a malformed event, 500 to be retried later.
async fn identity_webhook(
    State(web): State<Web>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    use app::server::issuing::{receive_webhook, WebhookError, WebhookOutcome};
    let signature = headers
        .get(app::server::identity_verification::SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok());
    match receive_webhook(&web.state, signature, &body).await {
        Ok(outcome) => {
            let status = match outcome {
                WebhookOutcome::Applied => "applied",
                WebhookOutcome::Duplicate => "duplicate",
                WebhookOutcome::Ignored => "ignored",
            };
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                format!("{{\"status\":\"{status}\"}}"),
            )
                .into_response()
        }
        Err(WebhookError::Signature(e)) => {
            tracing::warn!(error = %e, "identity webhook refused");
            StatusCode::UNAUTHORIZED.into_response()
        }
        Err(WebhookError::Malformed) => StatusCode::BAD_REQUEST.into_response(),
        Err(WebhookError::Service(e)) => {
            tracing::error!(error = %e, "identity webhook failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// A portal page: the portal's bundle for a signed-in user, else the sign-in page's small
/// bundle in its place (at the same address, so signing in loads the page asked for). The
/// development pages need no session.
async fn shell(State(web): State<Web>, uri: axum::http::Uri, headers: HeaderMap) -> Response {
    if uri.path().starts_with("/dev/") {
        return web.assets.shell();
    }
    let signed_in = match app::server::request::session_token_in(&headers, &web.state.settings) {
        Some(token) => {
            app::server::session::authenticate(&web.state.pool, &web.state.settings, &token)
                .await
                .map(|user| user.is_some())
                .unwrap_or_else(|e| {
                    tracing::error!(error = %e, "session check for the page shell failed");
                    false
                })
        }
        None => false,
    };
    if signed_in {
        web.assets.shell()
    } else {
        web.assets.signin_shell()
    }
}

async fn signin_shell(State(web): State<Web>) -> Response {
    web.assets.signin_shell()
}

/// The invitation link opens the acceptance page's own small bundle.
async fn accept_shell(State(web): State<Web>) -> Response {
    web.assets.accept_shell()
}

fn origin_of(url: &str) -> &str {
    match url.find("://") {
        Some(i) => url[i + 3..].find('/').map_or(url, |j| &url[..i + 3 + j]),
        None => url,
    }
}

/// Refuses state-changing requests that a browser marks as coming from another origin. The
/// session cookie is SameSite=Strict as well; this is the second lock on the door.
async fn same_origin_only(State(web): State<Web>, request: Request<Body>, next: Next) -> Response {
    // Every server function is a POST; nothing under /api answers other methods.
    if request.method() != Method::POST {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let headers = request.headers();
    let allowed = origin_of(&web.state.settings.public_url);
    let host_origin = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|h| format!("http://{h}"));
    let ok = match headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        Some(origin) => {
            origin == allowed
                || (web.state.settings.is_development() && host_origin.as_deref() == Some(origin))
        }
        // No Origin: not a browser's cross-site request, unless Fetch Metadata says so.
        None => headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) != Some("cross-site"),
    };
    if ok {
        next.run(request).await
    } else {
        refuse()
    }
}

fn refuse() -> Response {
    let body = serde_json::to_string(&ApiError::CrossOrigin).unwrap_or_default();
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

async fn security_headers(State(web): State<Web>, request: Request<Body>, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Links in our e-mails carry tokens: never leak a URL to another site.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    if !web.state.settings.is_development() {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::origin_of;

    #[test]
    fn the_origin_is_scheme_host_and_port() {
        assert_eq!(
            origin_of("https://portaal.example.nl/x/y"),
            "https://portaal.example.nl"
        );
        assert_eq!(origin_of("http://127.0.0.1:3000"), "http://127.0.0.1:3000");
    }
}
