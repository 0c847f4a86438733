//! The Machtig server: serves the browser bundle and the server functions, runs the workers.
//!
//! `server` (or `server serve`) starts the portal; `server seed-users N` adds N generated users
//! (and `server seed-authorizations N` N authorizations over N / 5 users, of every state)
//! to the demo manager's organizations (for benchmarks); `server embedded-postgres` only runs
//! the embedded database and prints its URL (for tests); `server bench-baseline` serves the
//! bare comparison endpoint of the users-list benchmark (see `scripts/bench.sh`);
//! `server bundle-size [--record]` checks the first downloads of the release build against
//! their budgets (see `bundle_size`).

mod assets;
mod bench_baseline;
mod bundle_size;
mod database;
mod embedded_pg;
mod http;
mod workers;

#[cfg(test)]
mod http_tests;

use app::server::config::Settings;
use app::server::{demo, AppState};
use database::connect;
use std::sync::Arc;
use tracing_subscriber::EnvFilter;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        None | Some("serve") => serve().await,
        Some("seed-users") => {
            seed_users(args.get(1).and_then(|n| n.parse().ok()).unwrap_or(100_000)).await
        }
        Some("seed-authorizations") => {
            seed_authorizations(args.get(1).and_then(|n| n.parse().ok()).unwrap_or(1_000_000))
                .await
        }
        Some("run-expiry") => run_expiry().await,
        Some("embedded-postgres") => embedded_postgres().await,
        Some("bench-baseline") => bench_baseline().await,
        Some("bundle-size") => Settings::from_env()
            .map_err(BoxError::from)
            .and_then(|settings| {
                bundle_size::run(
                    &settings.site_root,
                    std::path::Path::new("docs/bundle-sizes.txt"),
                    args.get(1).is_some_and(|a| a == "--record"),
                )
            }),
        Some(other) => Err(format!(
            "unknown command {other}; use serve, seed-users N, seed-authorizations N, run-expiry, embedded-postgres, bench-baseline or bundle-size"
        )
        .into()),
    };
    if let Err(e) = result {
        tracing::error!("{e}");
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

async fn serve() -> Result<(), BoxError> {
    let settings = Arc::new(Settings::from_env()?);
    let assets = Arc::new(assets::Assets::load(&settings.site_root, "machtig")?);
    let (pool, pg) = connect(&settings).await?;
    let state = AppState::new(pool, settings.clone());
    if settings.demo_data
        && demo::load_if_empty(&state.pool)
            .await
            .map_err(|e| e.to_string())?
    {
        tracing::info!(
            "demo data loaded; sign in as {} (see README)",
            demo::MANAGER.0
        );
    }
    let (stop_workers, stop) = tokio::sync::watch::channel(false);
    let jobs = if settings.outbox_workers {
        workers::spawn(state.clone(), workers::transports(&settings)?, stop)
    } else {
        Vec::new()
    };
    let app = http::router(http::Web { state, assets });
    let listener = tokio::net::TcpListener::bind(settings.listen).await?;
    tracing::info!(
        "Machtig listens on http://{} ({})",
        listener.local_addr()?,
        settings.public_url
    );
    // On SIGTERM or Ctrl-C: stop accepting, let requests in flight finish and the jobs end
    // their round, but never take longer than SHUTDOWN_GRACE (a supervisor waits about 10 s
    // before it kills).
    let (signalled, mut on_signal) = tokio::sync::watch::channel(false);
    let server = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown_signal().await;
        let _ = signalled.send(true);
    });
    let served = tokio::spawn(async move { server.await });
    let _ = on_signal.wait_for(|s| *s).await;
    tracing::info!("shutting down");
    let _ = stop_workers.send(true);
    let drained = tokio::time::timeout(SHUTDOWN_GRACE, async {
        let served = served.await;
        for job in jobs {
            let _ = job.await;
        }
        served
    })
    .await;
    if drained.is_err() {
        tracing::warn!("requests or jobs still running after {SHUTDOWN_GRACE:?}; stopping anyway");
    }
    if let Some(pg) = pg {
        pg.stop();
    }
    match drained {
        Ok(Ok(result)) => Ok(result?),
        Ok(Err(e)) => Err(e.into()),
        Err(_) => Ok(()),
    }
}

/// The longest a shutdown waits for requests in flight and running job rounds.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(8);

async fn seed_users(count: i64) -> Result<(), BoxError> {
    seed_with(count, Seed::Users).await
}

async fn seed_authorizations(count: i64) -> Result<(), BoxError> {
    seed_with(count, Seed::Authorizations).await
}

#[derive(Clone, Copy)]
enum Seed {
    /// One user with one authorization per count.
    Users,
    /// Five authorizations per user, of every state (`demo::add_generated_authorizations`).
    Authorizations,
}

async fn seed_with(count: i64, what: Seed) -> Result<(), BoxError> {
    let settings = Settings::from_env()?;
    let (pool, pg) = connect(&settings).await?;
    let seeded = seed(&pool, count, what).await;
    pool.close().await;
    // Stop the embedded cluster this command started, also when seeding failed.
    if let Some(pg) = pg {
        pg.stop();
    }
    seeded
}

async fn seed(pool: &sqlx::PgPool, count: i64, what: Seed) -> Result<(), BoxError> {
    demo::load_if_empty(pool).await.map_err(|e| e.to_string())?;
    let orgs: Vec<uuid::Uuid> = sqlx::query_scalar(
        "SELECT a.org_id FROM authorizations a JOIN users u ON u.id = a.user_id
         WHERE u.username = $1 AND a.kind = 'admin' AND a.state = 'active'",
    )
    .bind(demo::MANAGER.0)
    .fetch_all(pool)
    .await?;
    let mut conn = pool.acquire().await?;
    // Adding and vacuuming a million rows takes longer than the statement timeout for requests.
    sqlx::query("SET statement_timeout = 0")
        .execute(&mut *conn)
        .await?;
    let started = std::time::Instant::now();
    match what {
        Seed::Users => {
            demo::add_generated_users(&mut conn, &orgs, count, "bulk").await?;
            println!("added {count} users in {:.1?}", started.elapsed());
        }
        Seed::Authorizations => {
            let added = demo::add_generated_authorizations(&mut conn, &orgs, count, "auth").await?;
            println!("added {added} authorizations in {:.1?}", started.elapsed());
        }
    }
    // A benchmark right after seeding must not measure stale statistics or a half-done
    // autovacuum: vacuum and analyze now, then wait until no autovacuum worker is busy.
    sqlx::query("VACUUM ANALYZE").execute(&mut *conn).await?;
    for _ in 0..600 {
        let busy: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'",
        )
        .fetch_one(&mut *conn)
        .await?;
        if busy == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    println!("vacuumed and analyzed in {:.1?} in all", started.elapsed());
    Ok(())
}

/// One run of the expiry job now (the server runs it every five minutes on its own), for a
/// cron-minded operator and the benchmark: prints what it did and how long it took.
async fn run_expiry() -> Result<(), BoxError> {
    let settings = Settings::from_env()?;
    let (pool, pg) = connect(&settings).await?;
    let started = std::time::Instant::now();
    let ran =
        app::server::authorizations::expiry::run(&pool, &settings.public_url, chrono::Utc::now())
            .await;
    let elapsed = started.elapsed();
    pool.close().await;
    if let Some(pg) = pg {
        pg.stop();
    }
    let r = ran.map_err(|e| e.to_string())?;
    println!(
        "expiry run: {} expired, {} notices, {} invitations reminded, {} e-mails{} in {elapsed:.2?}",
        r.expired,
        r.noticed,
        r.invitations_reminded,
        r.mails,
        if r.skipped { " (skipped: another process was running it)" } else { "" },
    );
    Ok(())
}

async fn bench_baseline() -> Result<(), BoxError> {
    let settings = Settings::from_env()?;
    let (pool, pg) = connect(&settings).await?;
    let served = bench_baseline::run(pool.clone(), settings.listen, shutdown_signal()).await;
    pool.close().await;
    if let Some(pg) = pg {
        pg.stop();
    }
    served
}

async fn embedded_postgres() -> Result<(), BoxError> {
    let settings = Settings::from_env()?;
    let data_dir = settings.data_dir.clone();
    let pg = tokio::task::spawn_blocking(move || embedded_pg::EmbeddedPostgres::start(&data_dir))
        .await??;
    println!("DATABASE_URL={}", pg.url("postgres"));
    shutdown_signal().await;
    pg.stop();
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
