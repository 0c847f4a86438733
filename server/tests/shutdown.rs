//! The real server process, stopped the way a supervisor (systemd, a container runtime) stops
//! it: SIGTERM while a request is in flight. The request is answered, the jobs stop, and the
//! process exits with success well within the 10 s a supervisor waits before it kills.

mod support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[tokio::test]
async fn fault_sigterm_answers_the_request_in_flight_stops_the_jobs_and_exits_within_ten_seconds() {
    // A database of this test's own on the test cluster, and a site folder.
    let own = support::fresh_database().await;
    let work = support::TempDir::new("shutdown");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let site = support::site(work.path());
    let mut server = Command::new(env!("CARGO_BIN_EXE_server"))
        .env("DATABASE_URL", &own)
        .env("MACHTIG_LISTEN", address.to_string())
        .env("MACHTIG_PUBLIC_URL", format!("http://{address}"))
        .env("LEPTOS_SITE_ROOT", &site)
        .env("RUST_LOG", "info")
        // The log goes to stderr (and stays far below a pipe's buffer in this short run).
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let base = format!("http://{address}");
    let client = reqwest::Client::new();
    let started = Instant::now();
    while client
        .get(format!("{base}/readyz"))
        .send()
        .await
        .map(|r| r.status() != 200)
        .unwrap_or(true)
    {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the server did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // A sign-in (argon2: the slowest request there is) in flight when SIGTERM comes.
    let in_flight = tokio::spawn({
        let (client, base) = (client.clone(), base.clone());
        async move {
            client
                .post(format!("{base}/api/auth/sign_in"))
                .header("origin", &base)
                .json(&serde_json::json!({ "username": "demo.gebruiker", "password": "Gebruiker-2026" }))
                .send()
                .await
                .map(|r| r.status().as_u16())
        }
    });
    tokio::time::sleep(Duration::from_millis(30)).await;
    let stopping = Instant::now();
    let pid = server.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let status = tokio::task::spawn_blocking(move || {
        let status = server.wait().unwrap();
        let mut log = String::new();
        use std::io::Read;
        server
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut log)
            .unwrap();
        (status, log)
    });
    let (status, log) = tokio::time::timeout(Duration::from_secs(10), status)
        .await
        .expect("exited within 10 s")
        .unwrap();
    let took = stopping.elapsed();
    assert!(status.success(), "{status:?}\n{log}");
    assert_eq!(in_flight.await.unwrap().unwrap(), 200, "{log}");
    for job in [
        "outbox",
        "verification_requests",
        "deadlines",
        "housekeeping",
    ] {
        assert!(
            log.lines()
                .any(|l| l.contains("stopped") && l.contains(job)),
            "job {job} did not report stopping:\n{log}"
        );
    }
    println!("stopped in {took:?}");
}
