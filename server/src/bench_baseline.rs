//! `server bench-baseline`: the yardstick for the users-list and Machtigingen benchmarks. Bare
//! axum + sqlx endpoints that run the same queries for the demo manager, without sessions,
//! server-function dispatch or middleware, so `scripts/bench.sh` can report the portal's
//! throughput as a ratio to them. Never part of a normal start.

use crate::BoxError;
use app::api::authorizations::{AuthorizationFilter, AuthorizationsCursor, AuthorizationsPage};
use app::api::users::UsersCursor;
use app::domain::level::AssuranceLevel;
use app::server::session::SessionUser;
use app::server::{demo, users};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use sqlx::PgPool;
use std::sync::Arc;

#[derive(Deserialize)]
struct ListRequest {
    search: String,
    after: Option<UsersCursor>,
}

struct Baseline {
    pool: PgPool,
    caller: SessionUser,
}

/// Serves until `shutdown` completes, so the caller can stop its embedded database after.
pub async fn run(
    pool: PgPool,
    listen: std::net::SocketAddr,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), BoxError> {
    let (user_id, level): (uuid::Uuid, String) =
        sqlx::query_as("SELECT id, level FROM users WHERE username = $1")
            .bind(demo::MANAGER.0)
            .fetch_one(&pool)
            .await?;
    let managed_orgs: Vec<uuid::Uuid> = sqlx::query_scalar(
        "SELECT org_id FROM authorizations
         WHERE user_id = $1 AND kind = 'admin' AND state = 'active'",
    )
    .bind(user_id)
    .fetch_all(&pool)
    .await?;
    let caller = SessionUser {
        session_id: uuid::Uuid::nil(),
        user_id,
        username: demo::MANAGER.0.to_string(),
        level: AssuranceLevel::try_from(level).map_err(|_| "unknown level")?,
        is_operator: false,
        managed_orgs,
    };
    let app = Router::new()
        .route("/list", post(list))
        .route("/authorizations", post(authorizations))
        .with_state(Arc::new(Baseline { pool, caller }));
    let listener = tokio::net::TcpListener::bind(listen).await?;
    println!(
        "baseline listens on http://{0}/list and http://{0}/authorizations",
        listener.local_addr()?
    );
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}

async fn list(
    State(b): State<Arc<Baseline>>,
    Json(req): Json<ListRequest>,
) -> Result<Json<app::api::users::UsersPage>, StatusCode> {
    users::list(&b.pool, &b.caller, &req.search, req.after.as_ref())
        .await
        .map(Json)
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)
}

#[derive(Deserialize)]
struct AuthorizationsRequest {
    filter: AuthorizationFilter,
    after: Option<AuthorizationsCursor>,
}

async fn authorizations(
    State(b): State<Arc<Baseline>>,
    Json(req): Json<AuthorizationsRequest>,
) -> Result<Json<AuthorizationsPage>, StatusCode> {
    let manager = b.caller.manager().map_err(|_| StatusCode::FORBIDDEN)?;
    app::server::authorizations::list(&b.pool, &manager, &req.filter, req.after.as_ref())
        .await
        .map(Json)
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)
}
