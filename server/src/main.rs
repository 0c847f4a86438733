//! The Machtig server: serves the browser bundle and the server functions, runs the workers,
//! and has the administration commands of a self-hosted install (`server --help`, `cli`).

mod admin;
mod assets;
mod bench_baseline;
mod bundle_size;
mod cli;
mod database;
mod embedded_pg;
mod help;
mod http;
mod observe;
mod workers;

#[cfg(test)]
mod http_tests;

use app::server::config::Settings;
use app::server::{demo, AppState};
use clap::Parser;
use cli::Command;
use database::connect;
use std::sync::Arc;
use tracing_subscriber::EnvFilter;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() {
    // A .env file in the working folder, as .env.example describes; the environment wins.
    let env_file = match dotenvy::from_path(".env") {
        Err(e) if !e.not_found() => Some(e.to_string()),
        _ => None,
    };
    init_logging();
    if let Some(problem) = env_file {
        eprintln!("error: .env: {problem}");
        std::process::exit(1);
    }
    let cli = cli::Cli::parse();
    let result =
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => serve().await,
            Command::CreateOperator {
                username,
                person,
                level,
                password_stdin,
            } => admin::create_operator(username, person, level, password_stdin).await,
            Command::CreateOrganization {
                kvk,
                manager,
                level,
                years,
                not_employed,
                operator,
                stand_in,
            } => {
                admin::create_organization(admin::NewOrganizationArgs {
                    kvk,
                    manager,
                    level,
                    years,
                    not_employed,
                    operator,
                    stand_in,
                })
                .await
            }
            Command::ImportCatalog { file, dry_run } => admin::import_catalog(&file, dry_run).await,
            Command::ImportTariffs { file, dry_run } => admin::import_tariffs(&file, dry_run).await,
            Command::PublishTerms { nl, en } => admin::publish_terms(&nl, &en).await,
            Command::Unlock { username } => admin::unlock(username).await,
            Command::Outbox(command) => admin::outbox(command).await,
            Command::Backup { output } => admin::backup(output).await,
            Command::Restore { file } => admin::restore(&file).await,
            Command::RunExpiry => run_expiry().await,
            Command::SeedUsers { count } => seed_users(count).await,
            Command::SeedAuthorizations { count } => seed_authorizations(count).await,
            Command::EmbeddedPostgres => embedded_postgres().await,
            Command::BenchBaseline => bench_baseline().await,
            Command::BundleSize { record } => Settings::from_env()
                .map_err(BoxError::from)
                .and_then(|settings| {
                    bundle_size::run(
                        &settings.site_root,
                        std::path::Path::new("docs/bundle-sizes.txt"),
                        record,
                    )
                }),
        };
    if let Err(e) = result {
        tracing::error!("{e}");
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

/// Logs to standard error: readable lines, or one JSON object per line with
/// `MACHTIG_LOG_FORMAT=json` (for a log collector). `RUST_LOG` filters.
fn init_logging() {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let format = std::env::var("MACHTIG_LOG_FORMAT").unwrap_or_default();
    if !matches!(format.to_ascii_lowercase().as_str(), "" | "text" | "json") {
        eprintln!("error: MACHTIG_LOG_FORMAT: expected text or json, got {format}");
        std::process::exit(1);
    }
    if format.eq_ignore_ascii_case("json") {
        builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .init();
    } else {
        builder.init();
    }
}

async fn serve() -> Result<(), BoxError> {
    let settings = Arc::new(Settings::from_env()?);
    let assets = Arc::new(assets::Assets::load(
        &settings.site_root,
        "machtig",
        &settings.brand,
        settings.live_reload,
    )?);
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
    let web = http::Web { state, assets };
    if let Some(address) = settings.metrics_listen {
        let listener = tokio::net::TcpListener::bind(address).await?;
        tracing::info!("metrics at http://{address}/metrics");
        let metrics = http::metrics_router(web.clone());
        tokio::spawn(async move { axum::serve(listener, metrics).await });
    }
    let app = http::router(web);
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
