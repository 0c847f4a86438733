//! Server-only code: services (one transaction per use case), small query functions, sessions,
//! the outbox and its delivery. Compiled only with the `ssr` feature, so the wasm bundle never
//! contains sqlx, tokio, argon2 or lettre.

pub mod acceptance;
pub mod account;
pub mod admin;
pub mod applications;
pub mod audit;
pub mod authorizations;
pub mod brand;
pub mod catalog;
pub mod client_address;
pub mod config;
pub mod demo;
pub mod dutch_time;
pub mod error;
pub mod final_check;
pub mod identity_verification;
pub mod issuing;
pub mod kvk_register;
pub mod link_requests;
pub mod mailbox;
pub mod metrics;
pub mod outbox;
pub mod passwords;
pub mod plans;
pub mod request;
pub mod search;
pub mod session;
pub mod signin;
pub mod state;
pub mod throttle;
pub mod tokens;
pub mod users;
pub mod verification;
pub mod wizard;

pub use error::ServiceError;
pub use state::AppState;

/// Migrations, embedded in the binary and applied at start.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Whether this process can serve requests (`/readyz`): the database answers and has every
/// migration this binary knows. A database ahead of the binary (a newer version already
/// migrated it during a rolling upgrade) is ready: migrations only add what old code ignores.
pub async fn readiness(pool: &sqlx::PgPool) -> Result<(), String> {
    let known = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
    let applied: Option<i64> =
        sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(pool)
            .await
            .map_err(|e| {
                // The cause goes to the log; the public answer names only the kind of problem.
                tracing::warn!(error = %e, "readiness: database unreachable");
                "database unreachable".to_string()
            })?;
    match applied {
        Some(v) if v >= known => Ok(()),
        _ => Err(format!(
            "migrations pending: the database is at {}, this version needs {known}",
            applied.unwrap_or(0)
        )),
    }
}
