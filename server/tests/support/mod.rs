//! Running the real `server` binary the way a self-hoster does, in production mode, against a
//! fresh database, with the outside world it talks to played by small local servers: an SMTP
//! server that keeps what it receives, and one HTTP server for the SMS gateway, the KvK
//! register's API and the identity-verification partner. The production adapters themselves
//! (lettre over SMTP, the gateway's and register's HTTP clients) are the ones under test.
#![allow(dead_code)]

pub mod outside;
pub mod smtp;

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub const BINARY: &str = env!("CARGO_BIN_EXE_server");

/// A fresh, empty database on the test cluster (`DATABASE_URL`), as a URL for the binary.
pub async fn fresh_database() -> String {
    let admin_url = std::env::var("DATABASE_URL").expect("DATABASE_URL (scripts/test.sh sets it)");
    let name = format!("machtig_install_{}", uuid::Uuid::new_v4().simple());
    let admin = sqlx::PgPool::connect(&admin_url).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    let (base, query) = admin_url.split_once('?').unwrap_or((&admin_url, ""));
    let (server, _) = base.rsplit_once('/').unwrap();
    if query.is_empty() {
        format!("{server}/{name}")
    } else {
        format!("{server}/{name}?{query}")
    }
}

/// A folder of its own under the system's temporary folder, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(what: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("machtig-{what}-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A site folder with the files the asset loader requires (their content does not matter).
pub fn site(dir: &Path) -> PathBuf {
    let pkg = dir.join("site/pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    for file in [
        "machtig.js",
        "machtig.wasm",
        "machtig.css",
        "portal.css",
        "accept.js",
        "accept_bg.wasm",
        "signin.js",
        "signin_bg.wasm",
    ] {
        std::fs::write(pkg.join(file), file).unwrap();
    }
    dir.join("site")
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The environment of a production install: every outside service configured (pointing at the
/// stand-ins), no demo data, this database and this address.
#[derive(Clone)]
pub struct Install {
    pub env: Vec<(String, String)>,
    pub base: String,
    pub workdir: PathBuf,
}

impl Install {
    pub fn production(
        database_url: Option<&str>,
        smtp: &smtp::SmtpSink,
        outside: &outside::Outside,
        workdir: &Path,
    ) -> Self {
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let mut env: Vec<(String, String)> = [
            ("MACHTIG_ENV", "production".to_string()),
            ("MACHTIG_LISTEN", format!("127.0.0.1:{port}")),
            ("MACHTIG_PUBLIC_URL", base.clone()),
            (
                "MACHTIG_DATA_DIR",
                workdir.join("data").display().to_string(),
            ),
            ("LEPTOS_SITE_ROOT", site(workdir).display().to_string()),
            // No MAIL_FROM: the sender's name defaults to the brand's.
            ("MACHTIG_BRAND_NAME", "Sleutelhuis".to_string()),
            ("MACHTIG_HELPDESK_PHONE", "020 123 4567".to_string()),
            (
                "MACHTIG_HELPDESK_EMAIL",
                "help@sleutelhuis.example".to_string(),
            ),
            ("SMTP_HOST", "127.0.0.1".to_string()),
            ("SMTP_PORT", smtp.port.to_string()),
            ("SMTP_SECURITY", "none".to_string()),
            ("SMS_GATEWAY_URL", format!("{}/sms", outside.base)),
            ("SMS_GATEWAY_ACCESS_KEY", outside::SMS_KEY.to_string()),
            ("KVK_API_URL", format!("{}/kvk", outside.base)),
            ("KVK_API_KEY", outside::KVK_KEY.to_string()),
            ("IDV_API_URL", format!("{}/idv", outside.base)),
            ("IDV_API_KEY", "idv-key".to_string()),
            (
                "IDV_WEBHOOK_SECRET",
                "a-webhook-secret-of-at-least-32-characters".to_string(),
            ),
            ("MACHTIG_METRICS_TOKEN", METRICS_TOKEN.to_string()),
            ("RUST_LOG", "info,sqlx=warn".to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        if let Some(url) = database_url {
            env.push(("DATABASE_URL".into(), url.to_string()));
        }
        Self {
            env,
            base,
            workdir: workdir.to_path_buf(),
        }
    }

    /// The same install served at another port (a second process, or after a restore).
    pub fn on_new_port(&self) -> Self {
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let mut other = self.clone();
        for (k, v) in &mut other.env {
            match k.as_str() {
                "MACHTIG_LISTEN" => *v = format!("127.0.0.1:{port}"),
                "MACHTIG_PUBLIC_URL" => *v = base.clone(),
                _ => {}
            }
        }
        other.base = base;
        other
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(BINARY);
        // A clean environment: only what a self-hoster would set (and PATH to find PostgreSQL).
        c.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .current_dir(&self.workdir)
            .args(args);
        c
    }

    /// Runs an administration command to its end, with `stdin`; its output.
    pub fn run(&self, args: &[&str], stdin: &str) -> Output {
        use std::io::Write;
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    /// `server create-operator` for Olga Ops (`username`), the password on standard input.
    pub fn create_operator(&self, username: &str, password: &str) -> Output {
        self.run(
            &[
                "create-operator",
                "--username",
                username,
                "--first-name",
                "Olga",
                "--last-name",
                "Ops",
                "--email",
                "olga@broker.example",
                "--mobile",
                "06-11110000",
                "--password-stdin",
            ],
            &format!("{password}\n"),
        )
    }

    /// Runs a command that must succeed; its standard output.
    pub fn ok(&self, args: &[&str], stdin: &str) -> String {
        let out = self.run(args, stdin);
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(
            out.status.success(),
            "server {args:?}: {}\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    }

    /// Where `serve` writes the server's log.
    pub fn log_file(&self) -> PathBuf {
        self.workdir.join(format!(
            "serve-{}.log",
            self.base.rsplit(':').next().unwrap()
        ))
    }

    /// Starts `server serve` and waits until `/readyz` answers 200.
    pub async fn serve(&self) -> Served {
        let log = std::fs::File::create(self.log_file()).unwrap();
        let child = self
            .command(&["serve"])
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        let served = Served {
            child,
            base: self.base.clone(),
            client: reqwest::Client::new(),
        };
        let started = Instant::now();
        loop {
            if let Ok(r) = served
                .client
                .get(format!("{}/readyz", served.base))
                .send()
                .await
            {
                if r.status() == 200 {
                    break;
                }
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the server did not get ready; see {}",
                self.workdir.display()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        served
    }
}

pub const METRICS_TOKEN: &str = "metrics-token-for-the-test";

/// A running `server serve`, stopped (SIGTERM, then kill) when dropped.
pub struct Served {
    child: Child,
    pub base: String,
    pub client: reqwest::Client,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    /// Calls a server function as the portal's own page does (same origin).
    pub async fn call(
        &self,
        function: &str,
        body: Value,
        cookie: Option<&str>,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .post(format!("{}/api/{function}", self.base))
            .header("origin", &self.base)
            .json(&body);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.unwrap()
    }

    pub async fn ok(&self, function: &str, body: Value, cookie: Option<&str>) -> Value {
        let response = self.call(function, body, cookie).await;
        let status = response.status();
        let text = response.text().await.unwrap();
        assert!(status.is_success(), "{function}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    /// Signs in with the password and the SMS code the gateway received for `mobile`; the
    /// session cookie (`name=value`).
    pub async fn sign_in(
        &self,
        outside: &outside::Outside,
        username: &str,
        password: &str,
        mobile: &str,
    ) -> String {
        let sent_before = outside.sms_count(mobile);
        let step = self
            .ok(
                "auth/sign_in",
                json!({ "username": username, "password": password }),
                None,
            )
            .await;
        let challenge = step["CodeSent"]["challenge"]
            .as_str()
            .unwrap_or_else(|| panic!("no SMS step: {step}"))
            .to_string();
        let code = outside.next_code(mobile, sent_before).await;
        let response = self
            .call(
                "auth/verify_code",
                json!({ "challenge": challenge, "code": code }),
                None,
            )
            .await;
        assert!(
            response.status().is_success(),
            "verify_code: {}",
            response.status()
        );
        response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("__Host-machtig_session="))
            .expect("the production session cookie")
            .split(';')
            .next()
            .unwrap()
            .to_string()
    }

    /// Walks a personal invitation link through acceptance, as the phone page does, up to
    /// "Bestel"; the answer of the order step.
    pub async fn accept(
        &self,
        outside: &outside::Outside,
        token: &str,
        mobile: &str,
        username: &str,
        password: &str,
    ) -> Value {
        let token = json!(token);
        self.ok("acceptance/open", json!({ "token": token }), None)
            .await;
        self.ok("acceptance/confirm", json!({ "token": token }), None)
            .await;
        let sent_before = outside.sms_count(mobile);
        self.ok("acceptance/send_code", json!({ "token": token }), None)
            .await;
        let code = outside.next_code(mobile, sent_before).await;
        self.ok(
            "acceptance/verify_code",
            json!({ "token": token, "code": code }),
            None,
        )
        .await;
        self.ok(
            "acceptance/credentials",
            json!({ "token": token, "username": username, "password": password }),
            None,
        )
        .await;
        self.ok("acceptance/order", json!({ "token": token }), None)
            .await
    }

    /// `/metrics` with the configured token.
    pub async fn metrics(&self) -> String {
        let r = self
            .client
            .get(format!("{}/metrics", self.base))
            .bearer_auth(METRICS_TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        r.text().await.unwrap()
    }
}

/// Waits up to 30 s for `found` to give something.
pub async fn eventually<T>(what: &str, mut found: impl FnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(v) = found() {
            return v;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "waited 30 s for {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
