//! Named attacks over HTTP (see docs/security.md): every server function without a session,
//! every id-taking function with another organization's ids, session fixation, and path
//! traversal on the static files. Each asserts the attack fails and that nothing changed.

use super::*;
use std::collections::BTreeSet;

/// What an attack could have changed: the rows of every table a server function writes.
async fn fingerprint(pool: &PgPool) -> String {
    sqlx::query_scalar(
        "SELECT concat_ws('|',
            (SELECT count(*) FROM outbox), (SELECT count(*) FROM audit_log),
            (SELECT md5(coalesce(string_agg(id::text || email || mobile || coalesce(password_hash, ''), ',' ORDER BY id), ''))
               FROM users),
            (SELECT count(*) FROM memberships), (SELECT count(*) FROM sessions),
            (SELECT md5(coalesce(string_agg(id::text || state || valid_until::text, ',' ORDER BY id), ''))
               FROM authorizations),
            (SELECT md5(coalesce(string_agg(id::text || status, ',' ORDER BY id), ''))
               FROM application_users),
            (SELECT count(*) FROM applications), (SELECT count(*) FROM invitations),
            (SELECT md5(coalesce(string_agg(manager_id::text || data::text, ',' ORDER BY manager_id), ''))
               FROM wizard_drafts),
            (SELECT md5(coalesce(string_agg(id::text || status, ',' ORDER BY id), ''))
               FROM link_requests),
            (SELECT count(*) FROM authorization_orders))",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

/// Every server function with a well-formed body (so that the answer is about the caller, not
/// about a malformed request), and whether it needs a session (the others anyone may call by
/// design: signing in, and the acceptance link, which is its own credential).
fn every_server_function(draft: &Value, some_id: &str) -> Vec<(&'static str, Value, bool)> {
    let protected = true;
    let public = false;
    vec![
        // Signing in and the acceptance link: before anyone has a session.
        (
            "auth/sign_in",
            json!({ "username": "x", "password": "y" }),
            public,
        ),
        (
            "auth/verify_code",
            json!({ "challenge": "x", "code": "123456" }),
            public,
        ),
        ("auth/sign_out", json!({}), public),
        ("auth/me", json!({}), public),
        ("acceptance/open", json!({ "token": "x" }), public),
        ("acceptance/confirm", json!({ "token": "x" }), public),
        ("acceptance/send_code", json!({ "token": "x" }), public),
        (
            "acceptance/verify_code",
            json!({ "token": "x", "code": "123456" }),
            public,
        ),
        (
            "acceptance/credentials",
            json!({ "token": "x", "username": "iemand.anders", "password": "Nieuw-Wachtwoord7" }),
            public,
        ),
        ("acceptance/order", json!({ "token": "x" }), public),
        // Development only (answer as unknown records in production).
        ("dev/mailbox", json!({}), public),
        ("dev/verifications", json!({}), public),
        (
            "dev/verification_result",
            json!({ "reference": "x", "passed": true }),
            public,
        ),
        // Everything else needs a session.
        (
            "account/change_password",
            json!({ "current": "Gebruiker-2026", "new": "Nieuw-Wachtwoord7" }),
            protected,
        ),
        ("applications/organizations", json!({}), protected),
        (
            "applications/list",
            json!({ "filter": { "status": null, "org_id": null } }),
            protected,
        ),
        ("applications/detail", json!({ "id": some_id }), protected),
        (
            "applications/resend",
            json!({ "applicant_id": some_id }),
            protected,
        ),
        (
            "applications/correct",
            json!({ "applicant_id": some_id, "email": "a@example.nl", "mobile": "0612345678" }),
            protected,
        ),
        (
            "applications/cancel_applicant",
            json!({ "applicant_id": some_id }),
            protected,
        ),
        ("applications/cancel", json!({ "id": some_id }), protected),
        (
            "authorizations/list",
            json!({ "filter": { "org_id": null, "user": "", "service": null, "level": null, "state": null, "include_inactive": false }, "after": null }),
            protected,
        ),
        ("authorizations/options", json!({}), protected),
        ("authorizations/revoke", json!({ "id": some_id }), protected),
        ("authorizations/ending", json!({}), protected),
        (
            "authorizations/appoint_manager",
            json!({ "org_id": some_id, "user_id": some_id }),
            protected,
        ),
        (
            "authorizations/quote_renewal",
            json!({ "ids": [some_id], "years": 1 }),
            protected,
        ),
        ("authorizations/request_start", json!({}), protected),
        ("link_requests/list", json!({}), protected),
        (
            "link_requests/send",
            json!({ "org_id": some_id, "email": "a@example.nl" }),
            protected,
        ),
        (
            "link_requests/withdraw",
            json!({ "id": some_id }),
            protected,
        ),
        ("link_requests/mine", json!({}), protected),
        (
            "link_requests/answer",
            json!({ "id": some_id, "accept": true }),
            protected,
        ),
        (
            "authorizations/candidates",
            json!({ "org_id": some_id, "search": "", "unlinked": false }),
            protected,
        ),
        (
            "authorizations/request",
            json!({ "request": { "org_id": some_id, "user_id": some_id, "level": "EH3", "all_services": true, "validity": 1 },
                    "total_cents": 1815, "terms_version": 1, "agreed": true }),
            protected,
        ),
        (
            "authorizations/renew",
            json!({ "ids": [some_id], "years": 1, "total_cents": 1815 }),
            protected,
        ),
        ("final_check/list", json!({}), protected),
        ("final_check/detail", json!({ "id": some_id }), protected),
        ("final_check/approve", json!({ "id": some_id }), protected),
        (
            "final_check/reject",
            json!({ "id": some_id, "reason": "Onjuist" }),
            protected,
        ),
        (
            "users/list",
            json!({ "search": "", "after": null }),
            protected,
        ),
        ("wizard/start", json!({}), protected),
        ("wizard/save", json!({ "draft": draft }), protected),
        ("wizard/discard", json!({}), protected),
        (
            "wizard/check_kvk",
            json!({ "org_id": some_id, "kvk": "34123456" }),
            protected,
        ),
        (
            "wizard/import_csv",
            json!({ "org_id": some_id, "file_base64": "" }),
            protected,
        ),
        (
            "wizard/existing_emails",
            json!({ "org_id": some_id, "emails": ["a@example.nl"] }),
            protected,
        ),
        (
            "wizard/services",
            json!({ "level": "EH3", "search": "" }),
            protected,
        ),
        (
            "wizard/submit",
            json!({ "draft": draft, "terms_version": 1, "agreed": true }),
            protected,
        ),
    ]
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn attack_every_server_function_without_a_session_is_refused(pool: PgPool) {
    let portal = portal(pool, Environment::Development).await;
    let manager = portal.manager_cookie().await;
    let start = portal.ok("wizard/start", json!({}), Some(&manager)).await;
    let org = start["organizations"][0]["id"].clone();
    let draft = complete_draft(&start, org.clone());
    let some_id = org.as_str().unwrap();
    let functions = every_server_function(&draft, some_id);

    // The list is every function the server has: a new one fails here until it is added.
    let registered: BTreeSet<String> = server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_string())
        .collect();
    let listed: BTreeSet<String> = functions.iter().map(|(f, ..)| f.to_string()).collect();
    assert_eq!(listed, registered, "every server function is in the list");

    let before = fingerprint(&portal.pool).await;
    let ended = "machtig_session=an-ended-or-made-up-session";
    for (function, body, protected) in &functions {
        if !protected {
            continue;
        }
        for cookie in [None, Some(ended)] {
            let answer = portal.call(function, body.clone(), cookie).await;
            assert_eq!(answer.status(), 401, "{function} with {cookie:?}");
            assert_eq!(
                answer.json::<Value>().await.unwrap(),
                json!({ "code": "unauthenticated" }),
                "{function}"
            );
        }
    }
    assert_eq!(fingerprint(&portal.pool).await, before, "nothing changed");
}

/// Signs in a second manager, of Zorggroep Noord only (the demo manager manages the other two
/// organizations); returns the session cookie.
async fn zorggroep_manager(portal: &Portal) -> String {
    sqlx::query(
        "WITH u AS (
           INSERT INTO users (username, password_hash, first_name, last_name, email, mobile, level)
           SELECT 'zorg.beheerder', password_hash, 'Zorg', 'Beheerder', 'zorg@example.nl',
                  '+31611112222', 'EH3' FROM users WHERE username = $1
           RETURNING id),
         o AS (SELECT id FROM organizations WHERE name = 'Zorggroep Noord'),
         m AS (INSERT INTO memberships (user_id, org_id) SELECT u.id, o.id FROM u, o RETURNING user_id, org_id)
         INSERT INTO authorizations (user_id, org_id, kind, level, valid_from, valid_until, state)
         SELECT user_id, org_id, 'admin', 'EH3', now() - interval '1 day', now() + interval '1 year', 'active'
           FROM m",
    )
    .bind(demo::MANAGER.0)
    .execute(&portal.pool)
    .await
    .unwrap();
    portal
        .cookie_with_code("zorg.beheerder", demo::MANAGER.1, "+31611112222")
        .await
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn attack_another_organizations_ids_answer_exactly_like_missing_records(pool: PgPool) {
    let portal = portal(pool, Environment::Development).await;
    // Bakkerij De Vries has an application with a user waiting for verification.
    applicant_in_verification(&portal).await;
    let (application, applicant, bakkerij): (uuid::Uuid, uuid::Uuid, uuid::Uuid) = sqlx::query_as(
        "SELECT a.id, au.id, a.org_id FROM applications a
               JOIN application_users au ON au.application_id = a.id LIMIT 1",
    )
    .fetch_one(&portal.pool)
    .await
    .unwrap();
    let stranger = zorggroep_manager(&portal).await;
    let start = portal.ok("wizard/start", json!({}), Some(&stranger)).await;
    let missing = uuid::Uuid::new_v4();
    // A link request of Bakkerij De Vries to Pieter (the demo user), open.
    let link: uuid::Uuid = sqlx::query_scalar(
        "INSERT INTO link_requests (org_id, email, user_id, requested_by, expires_at)
         SELECT $1, u.email, u.id, m.id, now() + interval '30 days'
           FROM users u, users m WHERE u.username = $2 AND m.username = $3
         RETURNING id",
    )
    .bind(bakkerij)
    .bind(demo::USER.0)
    .bind(demo::MANAGER.0)
    .fetch_one(&portal.pool)
    .await
    .unwrap();

    let before = fingerprint(&portal.pool).await;
    // Each id-taking function, once with the other organization's id and once with an id that
    // exists nowhere: the two answers must be identical, status and body.
    let calls = |id: uuid::Uuid,
                 applicant: uuid::Uuid,
                 org: uuid::Uuid,
                 authorization: uuid::Uuid,
                 vera: uuid::Uuid,
                 link: uuid::Uuid| {
        let draft = complete_draft(&start, json!(org));
        vec![
            ("applications/detail", json!({ "id": id })),
            ("applications/cancel", json!({ "id": id })),
            ("applications/resend", json!({ "applicant_id": applicant })),
            (
                "applications/correct",
                json!({ "applicant_id": applicant, "email": "x@example.nl", "mobile": "0611111111" }),
            ),
            (
                "applications/cancel_applicant",
                json!({ "applicant_id": applicant }),
            ),
            (
                "applications/list",
                json!({ "filter": { "status": null, "org_id": org } }),
            ),
            (
                "authorizations/list",
                json!({ "filter": { "org_id": org, "user": "", "include_inactive": true }, "after": null }),
            ),
            ("authorizations/revoke", json!({ "id": authorization })),
            (
                "authorizations/quote_renewal",
                json!({ "ids": [authorization], "years": 1 }),
            ),
            (
                "authorizations/appoint_manager",
                json!({ "org_id": org, "user_id": vera }),
            ),
            (
                "authorizations/renew",
                json!({ "ids": [authorization], "years": 1, "total_cents": 0 }),
            ),
            (
                "authorizations/candidates",
                json!({ "org_id": org, "search": "", "unlinked": true }),
            ),
            (
                "link_requests/send",
                json!({ "org_id": org, "email": "someone.new@example.nl" }),
            ),
            ("link_requests/withdraw", json!({ "id": link })),
            (
                "link_requests/answer",
                json!({ "id": link, "accept": true }),
            ),
            (
                "authorizations/request",
                json!({ "request": { "org_id": org, "user_id": vera, "level": "EH3", "all_services": true, "validity": 1 },
                        "total_cents": 1815, "terms_version": 1, "agreed": true }),
            ),
            ("final_check/detail", json!({ "id": applicant })),
            ("final_check/approve", json!({ "id": applicant })),
            (
                "final_check/reject",
                json!({ "id": applicant, "reason": "Onjuist" }),
            ),
            (
                "wizard/check_kvk",
                json!({ "org_id": org, "kvk": "34123456" }),
            ),
            (
                "wizard/import_csv",
                json!({ "org_id": org, "file_base64": "dm9vcm5hYW07YWNodGVybmFhbQ==" }),
            ),
            (
                "wizard/existing_emails",
                json!({ "org_id": org, "emails": ["vera@example.nl"] }),
            ),
            (
                "wizard/submit",
                json!({ "draft": draft, "terms_version": 1, "agreed": true }),
            ),
        ]
    };
    // An authorization of Bakkerij De Vries (the demo manager's own right there).
    let authorization: uuid::Uuid = sqlx::query_scalar(
        "SELECT id FROM authorizations WHERE org_id = $1 AND kind = 'admin' LIMIT 1",
    )
    .bind(bakkerij)
    .fetch_one(&portal.pool)
    .await
    .unwrap();
    let vera: uuid::Uuid =
        sqlx::query_scalar("SELECT user_id FROM application_users WHERE id = $1")
            .bind(applicant)
            .fetch_one(&portal.pool)
            .await
            .unwrap();
    let foreign = calls(application, applicant, bakkerij, authorization, vera, link);
    let unknown = calls(missing, missing, missing, missing, missing, missing);
    for ((function, theirs), (_, nobodys)) in foreign.into_iter().zip(unknown) {
        let a = portal.call(function, theirs, Some(&stranger)).await;
        let b = portal.call(function, nobodys, Some(&stranger)).await;
        let (status_a, status_b) = (a.status(), b.status());
        let (body_a, body_b) = (a.text().await.unwrap(), b.text().await.unwrap());
        assert_eq!(
            (status_a, &body_a),
            (status_b, &body_b),
            "{function}: another organization's id answers differently from a missing one"
        );
        assert!(
            !status_a.is_success() || body_a == "[]" || body_a == r#"{"rows":[],"next":null}"#,
            "{function} answered {status_a} {body_a}"
        );
    }
    assert_eq!(fingerprint(&portal.pool).await, before, "nothing changed");
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn attack_a_session_fixed_in_the_browser_before_sign_in_is_not_the_session_after_it(
    pool: PgPool,
) {
    let portal = portal(pool, Environment::Development).await;
    let me = |cookie: String| {
        let portal = &portal;
        async move { portal.ok("auth/me", json!({}), Some(&cookie)).await }
    };
    // 1. A made-up token planted in the victim's browser: sign-in hands out a fresh one.
    let planted = "machtig_session=attacker-chose-this-token";
    let response = portal
        .call(
            "auth/sign_in",
            json!({ "username": demo::USER.0, "password": demo::USER.1 }),
            Some(planted),
        )
        .await;
    assert!(response.status().is_success());
    let given = session_cookie(&response);
    let given = given.split(';').next().unwrap().to_string();
    assert_ne!(given, planted);
    assert_eq!(me(planted.to_string()).await, Value::Null);
    assert_eq!(me(given.clone()).await["username"], demo::USER.0);

    // 2. The attacker's own valid session planted in the victim's browser: the victim's sign-in
    // ends it, so the attacker cannot ride along or watch what the victim does under it.
    let attackers = given;
    let response = portal
        .call(
            "auth/sign_in",
            json!({ "username": demo::MANAGER.0, "password": demo::MANAGER.1 }),
            Some(&attackers),
        )
        .await;
    let challenge = response.json::<Value>().await.unwrap()["CodeSent"]["challenge"].clone();
    let code = portal.newest_sms_code("+31612345678").await;
    let response = portal
        .call(
            "auth/verify_code",
            json!({ "challenge": challenge, "code": code }),
            Some(&attackers),
        )
        .await;
    assert!(response.status().is_success());
    let victims = session_cookie(&response)
        .split(';')
        .next()
        .unwrap()
        .to_string();
    assert_ne!(victims, attackers);
    assert_eq!(
        me(attackers).await,
        Value::Null,
        "the planted session ended"
    );
    assert_eq!(me(victims).await["username"], demo::MANAGER.0);
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn attack_path_traversal_reads_no_file_outside_the_site(pool: PgPool) {
    let portal = portal(pool, Environment::Development).await;
    // A secret beside the site folder, and the usual targets.
    let secret = portal.site.with_extension("secret");
    std::fs::write(&secret, "TOP-SECRET-CONTENT").unwrap();
    let name = secret.file_name().unwrap().to_str().unwrap().to_string();
    let mut paths = Vec::new();
    for target in [name.as_str(), "../etc/passwd", "../../../../etc/passwd"] {
        for prefix in ["/", "/pkg/", "/pkg/x/", "/static/"] {
            paths.push(format!("{prefix}../{target}"));
            paths.push(format!("{prefix}..%2f{}", target.replace('/', "%2f")));
            paths.push(format!("{prefix}%2e%2e/{target}"));
            paths.push(format!("{prefix}%2e%2e%2f{}", target.replace('/', "%2f")));
            paths.push(format!("{prefix}..%5c{}", target.replace('/', "%5c")));
        }
    }
    paths.push("/pkg/..%2f..%2f/Cargo.toml".into());
    paths.push("/uitnodiging/..%2f..%2fetc%2fpasswd".into());
    for path in &paths {
        // Sent as written (reqwest would normalize the dots away).
        let answer = raw_get(&portal.base, path).await;
        assert!(
            !answer.contains("TOP-SECRET-CONTENT")
                && !answer.contains("root:x:0:0")
                && !answer.contains("[workspace]"),
            "{path} read a file outside the site: {}",
            &answer[..answer.len().min(200)]
        );
    }
    let _ = std::fs::remove_file(secret);
}

/// A GET with the path exactly as given, over a plain TCP connection; the whole answer.
async fn raw_get(base: &str, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    stream
        .write_all(
            format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .await
        .unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn attack_metrics_are_not_served_without_a_configured_token(pool: PgPool) {
    // The test portal has no MACHTIG_METRICS_TOKEN: /metrics does not exist on its address.
    let portal = portal(pool, Environment::Production).await;
    let r = portal
        .client
        .get(format!("{}/metrics", portal.base))
        .bearer_auth("anything-at-all-long-enough")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    // Every answer names its request, and a made-up id with spaces and markup is not echoed.
    let r = portal
        .client
        .get(format!("{}/healthz", portal.base))
        .header("x-request-id", "abc def<script>")
        .send()
        .await
        .unwrap();
    let id = r.headers()["x-request-id"].to_str().unwrap().to_string();
    assert_eq!(id.len(), 32, "{id}");
}
