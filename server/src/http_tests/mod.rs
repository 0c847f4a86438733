//! HTTP-level tests: the real router on a port of its own, called over HTTP like a browser or
//! the identity-verification partner would, against a fresh, migrated database per test (with
//! the demo data). They check what only the whole stack shows: headers, cookies, status codes,
//! production's hidden development pages, and the partner's webhook through the router.

mod attacks;
mod faults;

use crate::assets::Assets;
use crate::http::{router, Web};
use app::server::config::{Environment, Settings};
use app::server::identity_verification::{sign, SIGNATURE_HEADER};
use app::server::{demo, AppState};
use serde_json::{json, Value};
use sqlx::PgPool;
use std::path::PathBuf;
use std::sync::Arc;

/// The portal served on 127.0.0.1 at a free port, stopped when dropped.
struct Portal {
    base: String,
    pool: PgPool,
    settings: Arc<Settings>,
    client: reqwest::Client,
    site: PathBuf,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for Portal {
    fn drop(&mut self) {
        self.server.abort();
        let _ = std::fs::remove_dir_all(&self.site);
    }
}

/// A site folder with the files the asset loader requires (their content does not matter here).
fn site() -> PathBuf {
    let root = std::env::temp_dir().join(format!("machtig-http-test-{}", uuid::Uuid::new_v4()));
    let pkg = root.join("pkg");
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
    root
}

async fn portal(pool: PgPool, environment: Environment) -> Portal {
    portal_with(pool, environment, Vec::new()).await
}

/// A portal behind the given trusted proxies (`MACHTIG_TRUSTED_PROXIES`).
async fn portal_with(
    pool: PgPool,
    environment: Environment,
    trusted_proxies: Vec<app::server::client_address::AddressRange>,
) -> Portal {
    assert!(demo::load_if_empty(&pool).await.unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let base = format!("http://{address}");
    let site = site();
    let settings = Arc::new(Settings {
        environment,
        listen: address,
        public_url: base.clone(),
        site_root: site.clone(),
        trusted_proxies,
        ..Settings::for_tests()
    });
    let assets = Arc::new(Assets::load(&site, "machtig", &Default::default(), false).unwrap());
    let state = AppState::new(pool.clone(), settings.clone());
    let app = router(Web { state, assets });
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
        .unwrap();
    });
    Portal {
        base,
        pool,
        settings,
        client: reqwest::Client::new(),
        site,
        server,
    }
}

impl Portal {
    /// Calls a server function as the portal's own page does (same origin), with `cookie`.
    async fn call(&self, function: &str, body: Value, cookie: Option<&str>) -> reqwest::Response {
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

    async fn ok(&self, function: &str, body: Value, cookie: Option<&str>) -> Value {
        let response = self.call(function, body, cookie).await;
        let status = response.status();
        let text = response.text().await.unwrap();
        assert!(status.is_success(), "{function}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    async fn newest_sms_code(&self, to: &str) -> String {
        let body: String = sqlx::query_scalar(
            "SELECT body FROM outbox WHERE channel = 'sms' AND recipient = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(to)
        .fetch_one(&self.pool)
        .await
        .unwrap();
        body.rsplit('#').next().unwrap().to_string()
    }

    /// Signs the demo user (EH2: the password alone) in over HTTP; the answer with its cookie.
    async fn sign_in_as_user(&self) -> reqwest::Response {
        self.call(
            "auth/sign_in",
            json!({ "username": demo::USER.0, "password": demo::USER.1 }),
            None,
        )
        .await
    }

    /// Signs the demo manager in over HTTP (password, then the SMS code); the session cookie.
    async fn manager_cookie(&self) -> String {
        self.cookie_with_code(demo::MANAGER.0, demo::MANAGER.1, "+31612345678")
            .await
    }

    /// Signs a user in over HTTP with the password and the SMS code sent to `mobile`; the
    /// session cookie.
    async fn cookie_with_code(&self, username: &str, password: &str, mobile: &str) -> String {
        let step = self
            .ok(
                "auth/sign_in",
                json!({ "username": username, "password": password }),
                None,
            )
            .await;
        let challenge = step["CodeSent"]["challenge"].as_str().unwrap().to_string();
        let code = self.newest_sms_code(mobile).await;
        let response = self
            .call(
                "auth/verify_code",
                json!({ "challenge": challenge, "code": code }),
                None,
            )
            .await;
        assert!(response.status().is_success());
        session_cookie(&response)
            .split(';')
            .next()
            .unwrap()
            .to_string()
    }
}

fn session_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(app::server::session::COOKIE) || v.starts_with("__Host-"))
        .expect("a session cookie")
        .to_string()
}

/// The draft of `wizard/start`, filled in up to the summary: one new, not employed user (Vera)
/// for `org`, EH3, one service, 3 years.
fn complete_draft(start: &Value, org: Value) -> Value {
    let mut draft = start["draft"].clone();
    for (key, value) in [
        ("step", json!(6)),
        ("org_id", org),
        ("level", json!("EH3")),
        ("kvk", json!("34123456")),
        ("restrict_to_branch", json!(false)),
        ("with_authorizations", json!(true)),
        ("all_services", json!(false)),
        ("services", json!(["547b2d6d-b101-438d-9b26-292199e30a0b"])),
        ("validity_years", json!(3)),
        (
            "users",
            json!([{ "first_name": "Vera", "infix": "", "last_name": "Webhook",
                     "email": "vera@example.nl", "mobile": "06-47474747",
                     "date_of_birth": "14-03-1988", "employed": false, "language": "nl" }]),
        ),
    ] {
        draft[key] = value;
    }
    draft
}

/// Applies for one new, not employed user of Bakkerij De Vries and walks the personal link up to
/// "Bestel", all over HTTP; returns the partner's reference of the verification that started.
async fn applicant_in_verification(portal: &Portal) -> String {
    let cookie = portal.manager_cookie().await;
    let start = portal.ok("wizard/start", json!({}), Some(&cookie)).await;
    let org = start["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "Bakkerij De Vries B.V.")
        .unwrap()["id"]
        .clone();
    let draft = complete_draft(&start, org);
    let version = start["terms"]["version"].clone();
    portal
        .ok(
            "wizard/submit",
            json!({ "draft": draft, "terms_version": version, "agreed": true }),
            Some(&cookie),
        )
        .await;
    let mail: String = sqlx::query_scalar(
        "SELECT body FROM outbox WHERE recipient = 'vera@example.nl' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&portal.pool)
    .await
    .unwrap();
    let token = mail.split("/uitnodiging/").nth(1).unwrap();
    let token = json!(token.split_whitespace().next().unwrap());
    portal
        .ok("acceptance/open", json!({ "token": token }), None)
        .await;
    portal
        .ok("acceptance/confirm", json!({ "token": token }), None)
        .await;
    portal
        .ok("acceptance/send_code", json!({ "token": token }), None)
        .await;
    let code = portal.newest_sms_code("+31647474747").await;
    portal
        .ok(
            "acceptance/verify_code",
            json!({ "token": token, "code": code }),
            None,
        )
        .await;
    portal
        .ok(
            "acceptance/credentials",
            json!({ "token": token, "username": "vera.webhook", "password": "Nieuw-Wachtwoord7" }),
            None,
        )
        .await;
    let ordered = portal
        .ok("acceptance/order", json!({ "token": token }), None)
        .await;
    assert!(ordered.get("IdentityVerification").is_some(), "{ordered}");
    sqlx::query_scalar(
        "SELECT au.verification_reference FROM application_users au
           JOIN users u ON u.id = au.user_id WHERE u.email = 'vera@example.nl'",
    )
    .fetch_one(&portal.pool)
    .await
    .unwrap()
}

async fn status_of_vera(pool: &PgPool) -> String {
    sqlx::query_scalar(
        "SELECT au.status FROM application_users au JOIN users u ON u.id = au.user_id
          WHERE u.email = 'vera@example.nl'",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn post_webhook(portal: &Portal, signature: Option<&str>, body: &[u8]) -> reqwest::Response {
    let mut request = portal
        .client
        .post(format!("{}/webhooks/identity-verification", portal.base))
        .header("content-type", "application/json")
        .body(body.to_vec());
    if let Some(signature) = signature {
        request = request.header(SIGNATURE_HEADER, signature);
    }
    request.send().await.unwrap()
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn the_partners_webhook_is_answered_over_http_and_applies_a_signed_event_once(pool: PgPool) {
    let portal = portal(pool, Environment::Development).await;
    let reference = applicant_in_verification(&portal).await;
    assert_eq!(status_of_vera(&portal.pool).await, "identity_verification");
    let secret = portal
        .settings
        .idv_webhook_secret
        .expose()
        .as_bytes()
        .to_vec();
    let now = chrono::Utc::now().timestamp();
    let body = serde_json::to_vec(
        &json!({ "event_id": "evt-http-1", "reference": reference, "result": "passed" }),
    )
    .unwrap();

    // Unsigned, forged and stale events are refused and change nothing.
    let forged = sign(b"not-the-secret", now, &body);
    let stale = sign(&secret, now - 3600, &body);
    for signature in [None, Some(forged.as_str()), Some(stale.as_str())] {
        let response = post_webhook(&portal, signature, &body).await;
        assert_eq!(response.status(), 401, "{signature:?}");
    }
    // A signed body that is no event is malformed.
    let nonsense = b"{\"hello\":1}";
    let response = post_webhook(&portal, Some(&sign(&secret, now, nonsense)), nonsense).await;
    assert_eq!(response.status(), 400);
    // A body larger than any event is refused before it is read.
    let huge = vec![b' '; 100 * 1024];
    let response = post_webhook(&portal, Some(&sign(&secret, now, &huge)), &huge).await;
    assert_eq!(response.status(), 413);
    assert_eq!(status_of_vera(&portal.pool).await, "identity_verification");

    // Signed: applied once; the replay is recognised.
    let signature = sign(&secret, now, &body);
    let response = post_webhook(&portal, Some(&signature), &body).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({ "status": "applied" })
    );
    assert_eq!(status_of_vera(&portal.pool).await, "final_check");
    let response = post_webhook(&portal, Some(&signature), &body).await;
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({ "status": "duplicate" })
    );
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn production_hides_the_development_pages_and_sends_hsts_and_secure_cookies(pool: PgPool) {
    let portal = portal(pool, Environment::Production).await;

    // The mailbox and the verification simulator answer like unknown records.
    for function in ["dev/mailbox", "dev/verifications"] {
        let response = portal.call(function, json!({}), None).await;
        assert_eq!(response.status(), 404, "{function}");
        assert_eq!(
            response.json::<Value>().await.unwrap(),
            json!({ "code": "not_found" })
        );
    }
    let response = portal
        .call(
            "dev/verification_result",
            json!({ "reference": "sim-x", "passed": true }),
            None,
        )
        .await;
    assert_eq!(response.status(), 404);

    // HSTS on pages and API answers alike.
    for response in [
        portal
            .client
            .get(format!("{}/inloggen", portal.base))
            .send()
            .await
            .unwrap(),
        portal.call("auth/me", json!({}), None).await,
    ] {
        assert_eq!(
            response
                .headers()
                .get("strict-transport-security")
                .and_then(|v| v.to_str().ok()),
            Some("max-age=63072000; includeSubDomains")
        );
    }

    // The session cookie of a sign-in is Secure, HttpOnly, SameSite=Strict and site-wide.
    let response = portal.sign_in_as_user().await;
    assert!(response.status().is_success());
    let cookie = session_cookie(&response);
    assert!(cookie.starts_with("__Host-machtig_session="), "{cookie}");
    for attribute in [
        "Secure",
        "HttpOnly",
        "SameSite=Strict",
        "Path=/",
        "Max-Age=43200",
    ] {
        assert!(
            cookie.split(';').any(|a| a.trim() == attribute),
            "{attribute} missing from {cookie}"
        );
    }
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn development_sends_no_hsts_and_no_secure_flag_so_plain_http_on_loopback_works(
    pool: PgPool,
) {
    let portal = portal(pool, Environment::Development).await;
    let response = portal.sign_in_as_user().await;
    assert!(response
        .headers()
        .get("strict-transport-security")
        .is_none());
    let cookie = session_cookie(&response);
    assert!(!cookie.split(';').any(|a| a.trim() == "Secure"), "{cookie}");
    let mailbox = portal.call("dev/mailbox", json!({}), None).await;
    assert_eq!(mailbox.status(), 200);
}

/// Which bundle a page address loads: `signin` or `portal` (the HTML shell names its script).
async fn bundle_at(portal: &Portal, path: &str, cookie: Option<&str>) -> &'static str {
    let mut request = portal.client.get(format!("{}{path}", portal.base));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    let html = response.text().await.unwrap();
    if html.contains("signin-boot.js") {
        "signin"
    } else {
        assert!(html.contains("/boot.js"), "{path}: {html}");
        "portal"
    }
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn a_visitor_without_a_session_downloads_only_the_sign_in_page_at_any_portal_address(
    pool: PgPool,
) {
    let portal = portal(pool.clone(), Environment::Development).await;
    for path in [
        "/",
        "/inloggen",
        "/beheer/gebruikers",
        "/mijn-account?x=1",
        "/bestaat-niet",
    ] {
        assert_eq!(bundle_at(&portal, path, None).await, "signin", "{path}");
        // An ended or made-up session is no session.
        let made_up = "machtig_session=made-up";
        assert_eq!(
            bundle_at(&portal, path, Some(made_up)).await,
            "signin",
            "{path}"
        );
    }
    // The development pages are for anyone (in development), so they need no session.
    assert_eq!(bundle_at(&portal, "/dev/mailbox", None).await, "portal");

    let signed_in = portal.manager_cookie().await;
    for path in ["/", "/beheer/gebruikers", "/mijn-account", "/bestaat-niet"] {
        assert_eq!(
            bundle_at(&portal, path, Some(&signed_in)).await,
            "portal",
            "{path}"
        );
    }
    // The sign-in page itself is always its own bundle (it moves a signed-in user on).
    assert_eq!(
        bundle_at(&portal, "/inloggen", Some(&signed_in)).await,
        "signin"
    );

    // Signed out: the portal's addresses are the sign-in page again.
    portal
        .ok("auth/sign_out", json!({}), Some(&signed_in))
        .await;
    assert_eq!(
        bundle_at(&portal, "/beheer/gebruikers", Some(&signed_in)).await,
        "signin"
    );
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn attack_an_oversized_body_is_refused_before_it_is_read(pool: PgPool) {
    let portal = portal(pool, Environment::Development).await;
    let big = "x".repeat(100 * 1024);
    for function in ["auth/sign_in", "acceptance/open", "account/change_password"] {
        let response = portal
            .call(function, json!({ "username": big, "password": big }), None)
            .await;
        assert_eq!(response.status(), 413, "{function}");
    }
    // The wizard takes large drafts (a 100 KB body is not refused for its size: it is
    // answered, here with "not signed in").
    let response = portal
        .call("wizard/save", json!({ "draft": big }), None)
        .await;
    assert_ne!(response.status(), 413);
    // Just below the limit, sign-in answers as for any wrong password.
    let long = "a".repeat(5_000);
    let response = portal
        .call(
            "auth/sign_in",
            json!({ "username": long, "password": "x" }),
            None,
        )
        .await;
    assert_eq!(response.status(), 401);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({ "code": "invalid_credentials" })
    );
}

/// Fails `n` sign-ins for unknown names, as sent by the proxy on behalf of `client`.
async fn failures_via_proxy(portal: &Portal, client: &str, n: usize) -> Vec<u16> {
    let mut statuses = Vec::new();
    for i in 0..n {
        let response = portal
            .client
            .post(format!("{}/api/auth/sign_in", portal.base))
            .header("origin", &portal.base)
            .header("x-forwarded-for", client)
            .json(&json!({ "username": format!("onbekend-{client}-{i}"), "password": "x" }))
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
    }
    statuses
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn attack_one_client_behind_the_proxy_cannot_lock_everyone_out(pool: PgPool) {
    // The proxy is this machine (every test connection comes from 127.0.0.1).
    let trusted = vec![app::server::client_address::AddressRange::parse("127.0.0.1").unwrap()];
    let portal = portal_with(pool.clone(), Environment::Development, trusted).await;
    let threshold = portal.settings.ip_lockout_threshold as usize;
    let attacker = failures_via_proxy(&portal, "198.51.100.7", threshold + 1).await;
    assert!(attacker[..threshold].iter().all(|s| *s == 401));
    assert_eq!(
        attacker[threshold], 429,
        "the attacker's own address is locked"
    );
    // Another visitor behind the same proxy still gets to try.
    assert_eq!(
        failures_via_proxy(&portal, "203.0.113.9", 1).await,
        vec![401]
    );
    // And the demo user signs in from a third address.
    let response = portal
        .client
        .post(format!("{}/api/auth/sign_in", portal.base))
        .header("origin", &portal.base)
        .header("x-forwarded-for", "192.0.2.44")
        .json(&json!({ "username": demo::USER.0, "password": demo::USER.1 }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn attack_a_forged_forwarded_header_from_a_direct_client_is_ignored(pool: PgPool) {
    // No trusted proxy: the header is the client's own invention, every attempt counts
    // against its real address, whatever it claims.
    let portal = portal(pool, Environment::Development).await;
    let threshold = portal.settings.ip_lockout_threshold as usize;
    let mut last = Vec::new();
    for i in 0..=threshold {
        last = failures_via_proxy(&portal, &format!("198.51.100.{}", i % 250), 1).await;
    }
    assert_eq!(last, vec![429]);
}
