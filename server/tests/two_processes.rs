//! Two server processes on one PostgreSQL, as behind a load balancer: a session started on one
//! is honoured by the other, and with both outbox workers draining the same queue every
//! message goes out exactly once.

mod support;

use serde_json::json;
use support::outside::{self, Outside};
use support::smtp::{invitation_token, SmtpSink};
use support::{fresh_database, Install, TempDir};

const CATALOG: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../app/seed/service-catalog.csv"
);
const USERS: usize = 30;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_share_sessions_and_send_every_message_once() {
    let work = TempDir::new("two-processes");
    let database = fresh_database().await;
    let smtp = SmtpSink::start().await;
    let outside = Outside::start().await;
    let one = Install::production(Some(&database), &smtp, &outside, work.path());
    assert!(one
        .create_operator("olga.ops", "Operator-Wachtwoord1")
        .status
        .success());
    one.ok(&["import-catalog", CATALOG], "");
    one.ok(
        &[
            "create-organization",
            "--kvk",
            outside::KVK,
            "--first-name",
            "Kim",
            "--last-name",
            "Knip",
            "--email",
            "kim@knip.example",
            "--mobile",
            "06-11112222",
            "--operator",
            "olga.ops",
        ],
        "",
    );
    let first = one.serve().await;
    let second = one.on_new_port().serve().await;

    // Accepted and signed in on the first process...
    let invitation = smtp.wait_for("kim@knip.example", "/uitnodiging/").await;
    let ordered = first
        .accept(
            &outside,
            &invitation_token(&invitation),
            "+31611112222",
            "kim.knip",
            "Kapsalon-Beheer7",
        )
        .await;
    assert!(ordered.get("Issued").is_some(), "{ordered}");
    let cookie = first
        .sign_in(&outside, "kim.knip", "Kapsalon-Beheer7", "+31611112222")
        .await;

    // ...and served by the second, which adds USERS users at once.
    let start = second.ok("wizard/start", json!({}), Some(&cookie)).await;
    let mut draft = start["draft"].clone();
    let users: Vec<_> = (0..USERS)
        .map(|i| {
            json!({ "first_name": "Medewerker", "infix": "", "last_name": format!("Nummer {i}"),
            "email": format!("medewerker{i}@knip.example"), "mobile": format!("06-2000{i:04}"),
            "date_of_birth": "01-02-1990", "employed": true, "language": "nl" })
        })
        .collect();
    for (key, value) in [
        ("step", json!(6)),
        ("org_id", start["organizations"][0]["id"].clone()),
        ("level", json!("EH3")),
        ("kvk", json!(outside::KVK)),
        ("restrict_to_branch", json!(false)),
        ("with_authorizations", json!(true)),
        ("all_services", json!(true)),
        ("validity_years", json!(1)),
        ("users", json!(users)),
    ] {
        draft[key] = value;
    }
    let version = start["terms"]["version"].clone();
    second
        .ok(
            "wizard/submit",
            json!({ "draft": draft, "terms_version": version, "agreed": true }),
            Some(&cookie),
        )
        .await;
    // The first process knows the session the second served.
    let me = first.ok("auth/me", json!({}), Some(&cookie)).await;
    assert_eq!(me["username"], "kim.knip");

    // Both workers drain the one queue: every invitation arrives, none twice.
    for i in 0..USERS {
        smtp.wait_for(&format!("medewerker{i}@knip.example"), "/uitnodiging/")
            .await;
    }
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    for i in 0..USERS {
        let to = format!("medewerker{i}@knip.example");
        assert_eq!(
            smtp.to(&to).len(),
            1,
            "{to} got the invitation more than once"
        );
    }
    second.ok("auth/sign_out", json!({}), Some(&cookie)).await;
    let after = first.call("auth/me", json!({}), Some(&cookie)).await;
    let me: serde_json::Value = after.json().await.unwrap();
    assert!(
        me.is_null(),
        "signed out on one process is signed out on both: {me}"
    );
    // Both processes ran their jobs.
    for served in [&first, &second] {
        assert!(served
            .metrics()
            .await
            .contains("machtig_job_runs_total{job=\"outbox\",result=\"ok\"}"));
    }
}
