//! The connection to PostgreSQL: the embedded cluster unless `DATABASE_URL` is set, and the
//! pool's limits. When the database is down or stuck, a request must not hang: it waits at most
//! `ACQUIRE_TIMEOUT` for a connection and `STATEMENT_TIMEOUT` for a statement, and then answers
//! 503 `unavailable` (see `app::server::error::unavailable`). The pool reconnects by itself when
//! the database is back: every connection is tested before use and broken ones are replaced.

use crate::embedded_pg;
use crate::BoxError;
use app::server::config::Settings;
use app::server::MIGRATOR;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::Connection;
use std::time::Duration;

/// How long a request waits for a database connection before it is told to come back.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_millis(1500);
/// The longest a single statement may run. The slowest legitimate one (submitting 10,000
/// users) takes well under 2 s (docs/benchmarks.md); a statement stuck behind a lock or a
/// frozen server is stopped here instead of holding a request and a connection.
pub const STATEMENT_TIMEOUT: &str = "10s";

pub fn pool_options(max_connections: u32) -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .test_before_acquire(true)
}

/// The connection options for `url`, with the statement timeout for request work and without
/// JIT compilation. JIT pays off for long analytical queries; here every statement is short, and
/// PostgreSQL decides on JIT from its cost estimate, not from the work: a "Verloopt binnenkort"
/// page that ran in 0.3 ms spent 480 ms compiling because the estimate counted a thousand 30-day
/// periods where there are two (docs/benchmarks.md).
pub fn connect_options(url: &str) -> Result<PgConnectOptions, sqlx::Error> {
    Ok(url
        .parse::<PgConnectOptions>()?
        .options([("statement_timeout", STATEMENT_TIMEOUT), ("jit", "off")]))
}

/// The database URL, starting the embedded cluster when none is configured.
pub async fn database(
    settings: &Settings,
) -> Result<(String, Option<embedded_pg::EmbeddedPostgres>), BoxError> {
    if let Some(url) = &settings.database_url {
        return Ok((url.expose().to_string(), None));
    }
    let data_dir = settings.data_dir.clone();
    let pg = tokio::task::spawn_blocking(move || embedded_pg::EmbeddedPostgres::start(&data_dir))
        .await??;
    let admin = sqlx::PgPool::connect(&pg.url("postgres")).await?;
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(embedded_pg::DATABASE)
            .fetch_one(&admin)
            .await?;
    if !exists {
        sqlx::query(&format!("CREATE DATABASE {}", embedded_pg::DATABASE))
            .execute(&admin)
            .await?;
    }
    admin.close().await;
    Ok((pg.url(embedded_pg::DATABASE), Some(pg)))
}

/// The pool for the server's work, after running the migrations. Migrations run on a
/// connection of their own without the statement timeout: building an index on a large table
/// may take longer than any request should.
pub async fn connect(
    settings: &Settings,
) -> Result<(sqlx::PgPool, Option<embedded_pg::EmbeddedPostgres>), BoxError> {
    let (url, pg) = database(settings).await?;
    let mut migrations =
        sqlx::PgConnection::connect_with(&url.parse::<PgConnectOptions>()?).await?;
    MIGRATOR.run(&mut migrations).await?;
    migrations.close().await?;
    let pool = pool_options(settings.db_max_connections)
        .connect_with(connect_options(&url)?)
        .await?;
    Ok((pool, pg))
}
