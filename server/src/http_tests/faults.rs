//! Faults of the world around the server, made for real: a PostgreSQL cluster of the test's own
//! is stopped and started again under a running portal.

use super::*;
use crate::database::{connect_options, pool_options};
use crate::embedded_pg::EmbeddedPostgres;
use std::time::{Duration, Instant};

/// A cluster of this test's own (the shared test cluster must not be stopped), with a migrated
/// database; its data folder is removed when dropped.
struct OwnCluster {
    dir: PathBuf,
    pg: Option<EmbeddedPostgres>,
}

impl OwnCluster {
    async fn start() -> (Self, String) {
        let dir = std::env::temp_dir().join(format!("machtig-fault-{}", uuid::Uuid::new_v4()));
        let pg = Self::boot(&dir).await;
        let admin = PgPool::connect(&pg.url("postgres")).await.unwrap();
        sqlx::query("CREATE DATABASE fault")
            .execute(&admin)
            .await
            .unwrap();
        admin.close().await;
        let url = pg.url("fault");
        let migrate = PgPool::connect(&url).await.unwrap();
        app::server::MIGRATOR.run(&migrate).await.unwrap();
        migrate.close().await;
        (Self { dir, pg: Some(pg) }, url)
    }

    async fn boot(dir: &std::path::Path) -> EmbeddedPostgres {
        let dir = dir.to_path_buf();
        tokio::task::spawn_blocking(move || EmbeddedPostgres::start(&dir))
            .await
            .unwrap()
            .expect("an embedded cluster")
    }

    async fn stop(&mut self) {
        let pg = self.pg.take().expect("running");
        tokio::task::spawn_blocking(move || pg.stop())
            .await
            .unwrap();
    }

    async fn restart(&mut self) {
        assert!(self.pg.is_none());
        self.pg = Some(Self::boot(&self.dir).await);
    }
}

impl Drop for OwnCluster {
    fn drop(&mut self) {
        if let Some(pg) = self.pg.take() {
            pg.stop();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

async fn timed(request: reqwest::RequestBuilder) -> (reqwest::Response, Duration) {
    let started = Instant::now();
    let response = request.send().await.unwrap();
    (response, started.elapsed())
}

#[tokio::test]
async fn fault_postgres_down_answers_503_within_two_seconds_and_recovers_without_a_restart() {
    let (mut cluster, url) = OwnCluster::start().await;
    // The pool exactly as `server serve` builds it.
    let pool = pool_options(app::server::config::default_db_max_connections())
        .connect_with(connect_options(&url).unwrap())
        .await
        .unwrap();
    // Each of its connections stops a stuck statement and never compiles one (database.rs).
    let session: (String, String) =
        sqlx::query_as("SELECT current_setting('statement_timeout'), current_setting('jit')")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(session, ("10s".to_string(), "off".to_string()));
    let portal = portal(pool, Environment::Development).await;
    let get = |path: &str| portal.client.get(format!("{}{path}", portal.base));
    let sign_in = || {
        portal
            .client
            .post(format!("{}/api/auth/sign_in", portal.base))
            .header("origin", &portal.base)
            .json(&json!({ "username": demo::USER.0, "password": demo::USER.1 }))
    };
    assert_eq!(get("/readyz").send().await.unwrap().status(), 200);
    assert_eq!(sign_in().send().await.unwrap().status(), 200);

    cluster.stop().await;

    // Liveness: the process lives. Readiness: it cannot serve.
    assert_eq!(get("/healthz").send().await.unwrap().status(), 200);
    let (ready, took) = timed(get("/readyz")).await;
    assert_eq!(ready.status(), 503);
    assert!(took < Duration::from_secs(2), "/readyz took {took:?}");
    assert_eq!(ready.text().await.unwrap(), "database unreachable");
    // A server function: 503 `unavailable` (the page says "even niet beschikbaar") with
    // Retry-After, within 2 s, never a hang or a 500.
    for _ in 0..3 {
        let (answer, took) = timed(sign_in()).await;
        assert_eq!(answer.status(), 503);
        assert!(took < Duration::from_secs(2), "sign-in took {took:?}");
        assert_eq!(
            answer.headers().get("retry-after").unwrap(),
            &app::server::request::UNAVAILABLE_RETRY_AFTER_SECS.to_string()
        );
        assert_eq!(
            answer.json::<Value>().await.unwrap(),
            json!({ "code": "unavailable" })
        );
    }
    // A page still loads (the sign-in page, which says so when it is used).
    let (page, took) = timed(get("/beheer/gebruikers")).await;
    assert_eq!(page.status(), 200);
    assert!(took < Duration::from_secs(2), "the page took {took:?}");

    cluster.restart().await;
    let back = Instant::now();
    loop {
        let answer = sign_in().send().await.unwrap();
        if answer.status() == 200 {
            break;
        }
        assert_eq!(answer.status(), 503);
        assert!(
            back.elapsed() < Duration::from_secs(2),
            "not recovered 2 s after PostgreSQL came back"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(get("/readyz").send().await.unwrap().status(), 200);
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn readiness_requires_every_migration_of_this_version(pool: PgPool) {
    assert_eq!(app::server::readiness(&pool).await, Ok(()));
    let newest = app::server::MIGRATOR
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap();
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = $1")
        .bind(newest)
        .execute(&pool)
        .await
        .unwrap();
    let not_ready = app::server::readiness(&pool).await.unwrap_err();
    assert!(not_ready.starts_with("migrations pending"), "{not_ready}");
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn fault_a_panicking_handler_answers_500_with_the_stable_body_and_the_server_goes_on(
    pool: PgPool,
) {
    let portal = portal(pool, Environment::Development).await;
    // The real layers around a handler that panics, on a port of its own.
    let web = Web {
        state: AppState::new(portal.pool.clone(), portal.settings.clone()),
        assets: Arc::new(
            Assets::load(&portal.site, "machtig", &Default::default(), false).unwrap(),
        ),
    };
    let routes = axum::Router::new().route(
        "/api/boom",
        axum::routing::post(|| async {
            panic!("a bug in a handler");
            #[allow(unreachable_code)]
            ""
        }),
    );
    let app = crate::http::with_layers(routes, web);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    for _ in 0..2 {
        let answer = portal
            .client
            .post(format!("{base}/api/boom"))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 500);
        assert!(answer.headers().contains_key("content-security-policy"));
        assert_eq!(
            answer.json::<Value>().await.unwrap(),
            json!({ "code": "internal" })
        );
    }
    server.abort();
}
