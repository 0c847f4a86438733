//! Shared set-up for service tests: each test gets a fresh, migrated database from
//! `#[sqlx::test]`, loaded with the demo data.
#![allow(dead_code)]

pub mod applicants;

use app::api::ApiError;
use app::server::config::Settings;
use app::server::error::ServiceError;
use app::server::session::{self, SessionUser};
use app::server::signin::{self, Outcome};
use app::server::{demo, AppState};
use sqlx::PgPool;
use std::sync::Arc;

pub async fn state(pool: PgPool) -> AppState {
    assert!(demo::load_if_empty(&pool).await.expect("demo data"));
    AppState::new(pool, Arc::new(Settings::for_tests()))
}

pub fn ip() -> Option<std::net::IpAddr> {
    Some("192.0.2.10".parse().unwrap())
}

/// The code in the newest SMS to `to`, read from the outbox as a phone would show it.
pub async fn last_code(pool: &PgPool, to: &str) -> String {
    let body: String = sqlx::query_scalar(
        "SELECT body FROM outbox WHERE channel = 'sms' AND recipient = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(to)
    .fetch_one(pool)
    .await
    .expect("an sms");
    let after = body.rsplit('#').next().expect("code line");
    assert_eq!(after.len(), 6, "{body}");
    after.to_string()
}

/// Signs in fully (password and, where needed, the SMS code) and returns the session user.
pub async fn sign_in(
    state: &AppState,
    (username, password): (&str, &str),
) -> (String, SessionUser) {
    let token = match signin::sign_in(state, username, password.to_string(), ip())
        .await
        .expect("sign in")
    {
        Outcome::SignedIn(done) => done.token,
        Outcome::CodeSent { challenge, .. } => {
            let mobile: String = sqlx::query_scalar("SELECT mobile FROM users WHERE username = $1")
                .bind(username)
                .fetch_one(&state.pool)
                .await
                .unwrap();
            let code = last_code(&state.pool, &mobile).await;
            signin::verify_code(state, &challenge, &code, ip())
                .await
                .expect("code")
                .token
        }
    };
    let user = session::authenticate(&state.pool, &state.settings, &token)
        .await
        .unwrap()
        .expect("session");
    (token, user)
}

/// Kees Collega (English), a second manager of Bakkerij De Vries at EH3; returns his id.
pub async fn second_manager(pool: &PgPool) -> uuid::Uuid {
    sqlx::query_scalar(
        "WITH u AS (INSERT INTO users (first_name, last_name, email, mobile, level, language)
                    VALUES ('Kees', 'Collega', 'kees@example.nl', '+31687654321', 'EH3', 'en') RETURNING id),
              m AS (INSERT INTO memberships (user_id, org_id)
                    SELECT u.id, o.id FROM u, organizations o WHERE o.kvk_number = '34123456' RETURNING user_id, org_id)
         INSERT INTO authorizations (user_id, org_id, kind, level, valid_from, valid_until, state)
         SELECT user_id, org_id, 'admin', 'EH3', now() - interval '1 day', now() + interval '1 year', 'active' FROM m
         RETURNING user_id",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

/// The API error a service refused with (panics on any other failure).
pub fn api(e: ServiceError) -> ApiError {
    match e {
        ServiceError::Api(a) => a,
        other => panic!("expected an API error, got {other}"),
    }
}
