//! A production install from an empty database, with the administration commands alone (as
//! docs/deployment.md tells a self-hoster): an operator, the catalog, the tariffs and the
//! terms; an organization from the KvK register with its first manager, who accepts the
//! invitation and signs in on the production server, adds a user, and shows up in /metrics;
//! then the backup is restored into a new cluster, where the same manager signs in again.

mod support;

use serde_json::json;
use support::outside::{self, Outside};
use support::smtp::{invitation_token, SmtpSink};
use support::{fresh_database, Install, TempDir};

const OPERATOR: (&str, &str) = ("olga.ops", "Operator-Wachtwoord1");
const MANAGER: (&str, &str) = ("kim.knip", "Kapsalon-Beheer7");
const MANAGER_EMAIL: &str = "kim@knip.example";
const MANAGER_MOBILE: &str = "+31611112222";
const CATALOG: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../app/seed/service-catalog.csv"
);
/// Mijn Belastingdienst Zakelijk (EH3) in the sample catalog.
const SERVICE: &str = "547b2d6d-b101-438d-9b26-292199e30a0b";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_production_install_is_bootstrapped_with_the_commands_alone_and_survives_a_restore() {
    let work = TempDir::new("install");
    let database = fresh_database().await;
    let smtp = SmtpSink::start().await;
    let outside = Outside::start().await;
    let install = Install::production(Some(&database), &smtp, &outside, work.path());
    let db = sqlx::PgPool::connect(&database).await.unwrap();

    // Demo data is refused in production, and without an account nobody could sign in.
    let mut demo = install.clone();
    demo.env.push(("MACHTIG_DEMO_DATA".into(), "true".into()));
    assert!(!demo.run(&["serve"], "").status.success());

    // 1. The operator: a weak password is refused, a good one read from standard input.
    let weak = install.create_operator(OPERATOR.0, "welkom");
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("policy"));
    assert!(install
        .create_operator(OPERATOR.0, OPERATOR.1)
        .status
        .success());

    // 2. The catalog: a dry run changes nothing, the import adds 24 services, a second one none.
    let dry = install.ok(&["import-catalog", CATALOG, "--dry-run"], "");
    assert!(dry.contains("24 added") && dry.contains("dry run"), "{dry}");
    assert_eq!(count(&db, "SELECT count(*) FROM services").await, 0);
    install.ok(&["import-catalog", CATALOG], "");
    assert_eq!(count(&db, "SELECT count(*) FROM services").await, 24);
    let again = install.ok(&["import-catalog", CATALOG], "");
    assert!(
        again.contains("0 added, 0 changed, 24 unchanged"),
        "{again}"
    );

    // 3. Tariffs: EH3 for one year becomes € 17,50; a bad file changes nothing.
    let tariffs = work.path().join("tariffs.csv");
    std::fs::write(&tariffs, "level;years;price\nEH3;1;17,50\nEH3;3;25,00\n").unwrap();
    let imported = install.ok(&["import-tariffs", tariffs.to_str().unwrap()], "");
    assert!(
        imported.contains("0 added, 1 changed, 1 unchanged"),
        "{imported}"
    );
    std::fs::write(&tariffs, "level;years;price\nEH3;2;x\n").unwrap();
    assert!(!install
        .run(&["import-tariffs", tariffs.to_str().unwrap()], "")
        .status
        .success());
    assert_eq!(
        count(
            &db,
            "SELECT cents FROM tariffs WHERE level = 'EH3' AND years = 1"
        )
        .await,
        1750
    );

    // 4. Terms, version 2.
    let (nl, en) = (work.path().join("nl.txt"), work.path().join("en.txt"));
    std::fs::write(&nl, "Voorwaarden van Kapper & Co, versie 2").unwrap();
    std::fs::write(&en, "Terms of Kapper & Co, version 2").unwrap();
    let published = install.ok(
        &[
            "publish-terms",
            "--nl",
            nl.to_str().unwrap(),
            "--en",
            en.to_str().unwrap(),
        ],
        "",
    );
    assert!(published.contains("version 2"), "{published}");

    // 5. The organization from the register, with its first manager; an unknown number and
    //    an invented name are refused in production.
    let organization = |kvk: &str| {
        vec![
            "create-organization".to_string(),
            "--kvk".into(),
            kvk.into(),
            "--first-name".into(),
            "Kim".into(),
            "--last-name".into(),
            "Knip".into(),
            "--email".into(),
            MANAGER_EMAIL.into(),
            "--mobile".into(),
            "06-11112222".into(),
            "--operator".into(),
            OPERATOR.0.into(),
        ]
    };
    let args = organization("99999999");
    let unknown = install.run(&args.iter().map(String::as_str).collect::<Vec<_>>(), "");
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("does not know"));
    let mut invented = organization("99999999");
    invented.extend(["--name".into(), "Nep B.V.".into()]);
    assert!(!install
        .run(&invented.iter().map(String::as_str).collect::<Vec<_>>(), "")
        .status
        .success());
    let args = organization(outside::KVK);
    let created = install.ok(&args.iter().map(String::as_str).collect::<Vec<_>>(), "");
    assert!(created.contains(outside::ORGANIZATION), "{created}");
    assert_eq!(count(&db, "SELECT count(*) FROM branches").await, 1);
    assert!(
        count(
            &db,
            "SELECT count(*) FROM audit_log WHERE action LIKE 'admin.%'"
        )
        .await
            >= 5,
        "every command writes an audit record"
    );

    // 6. The production server: the invitation goes out over SMTP, the manager accepts it,
    //    gets the login means at once (employed) and signs in with the SMS code.
    let served = install.serve().await;
    let shell = served
        .client
        .get(format!("{}/inloggen", served.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        shell.contains("<title>Inloggen – Sleutelhuis</title>"),
        "{shell}"
    );
    assert!(shell.contains("<meta name=\"application-name\" content=\"Sleutelhuis\">"));
    assert!(!shell.contains("Mijn Machtig"), "{shell}");
    let invitation = smtp.wait_for(MANAGER_EMAIL, "/uitnodiging/").await;
    // The broker's brand: in the invitation's text and sender, its HTML part with the link as
    // a button, and the helpdesk under it; the product's own name nowhere.
    let mail = smtp.to(MANAGER_EMAIL).remove(0);
    assert!(
        invitation.contains("bij Sleutelhuis een eHerkenningsmiddel"),
        "{invitation}"
    );
    assert!(
        invitation.ends_with("Sleutelhuis\nHelpdesk: 020 123 4567 · help@sleutelhuis.example"),
        "{invitation:?}"
    );
    let html = mail.html.expect("an HTML part");
    assert!(
        html.contains(">Open de link</a>") && html.contains("Helpdesk: 020 123 4567"),
        "{html}"
    );
    assert!(
        mail.raw.contains("From: Sleutelhuis <noreply@"),
        "{}",
        mail.raw
    );
    for text in [&invitation, &html] {
        assert!(
            !text.contains("Machtig"),
            "the product's name in a branded e-mail: {text}"
        );
    }
    let ordered = served
        .accept(
            &outside,
            &invitation_token(&invitation),
            MANAGER_MOBILE,
            MANAGER.0,
            MANAGER.1,
        )
        .await;
    assert!(ordered.get("Issued").is_some(), "{ordered}");
    smtp.wait_for(MANAGER_EMAIL, MANAGER.0).await;
    let codes = outside.sms();
    assert!(
        !codes.is_empty()
            && codes
                .iter()
                .all(|(_, t)| t.contains("voor Sleutelhuis") && !t.contains("Machtig")),
        "{codes:?}"
    );
    let cookie = served
        .sign_in(&outside, MANAGER.0, MANAGER.1, MANAGER_MOBILE)
        .await;

    // 7. The manager adds a user with the wizard, at the imported tariff and the new terms.
    let start = served.ok("wizard/start", json!({}), Some(&cookie)).await;
    let org = start["organizations"][0].clone();
    assert_eq!(org["name"], outside::ORGANIZATION);
    assert_eq!(start["terms"]["version"], 2);
    let mut draft = start["draft"].clone();
    for (key, value) in [
        ("step", json!(6)),
        ("org_id", org["id"].clone()),
        ("level", json!("EH3")),
        ("kvk", json!(outside::KVK)),
        ("restrict_to_branch", json!(false)),
        ("with_authorizations", json!(true)),
        ("all_services", json!(false)),
        ("services", json!([SERVICE])),
        ("validity_years", json!(1)),
        (
            "users",
            json!([{ "first_name": "Sam", "infix": "", "last_name": "Schaar",
            "email": "sam@knip.example", "mobile": "06-33334444", "date_of_birth": "01-02-1990",
            "employed": true, "language": "nl" }]),
        ),
    ] {
        draft[key] = value;
    }
    served
        .ok(
            "wizard/submit",
            json!({ "draft": draft, "terms_version": 2, "agreed": true }),
            Some(&cookie),
        )
        .await;
    smtp.wait_for("sam@knip.example", "/uitnodiging/").await;
    assert_eq!(
        count(
            &db,
            "SELECT subtotal_cents FROM applications ORDER BY submitted_at DESC LIMIT 1"
        )
        .await,
        1750
    );

    // 8. The operator signs in too (password and SMS code).
    served
        .sign_in(&outside, OPERATOR.0, OPERATOR.1, "+31611110000")
        .await;

    // 9. /metrics has the figures of this run, for the configured token only.
    for token in [None, Some("wrong-token-of-enough-length")] {
        let mut request = served.client.get(format!("{}/metrics", served.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        assert_eq!(request.send().await.unwrap().status(), 401);
    }
    let metrics = served.metrics().await;
    for figure in [
        "machtig_http_requests_total{",
        "machtig_http_request_duration_seconds_bucket{",
        "machtig_signins_total{outcome=\"succeeded\"} 2",
        "machtig_outbox_messages{status=\"failed\"} 0",
        "machtig_outbox_oldest_pending_seconds",
        "machtig_job_runs_total{job=\"outbox\"",
        "machtig_db_pool_connections{state=\"idle\"}",
    ] {
        assert!(
            metrics.contains(figure),
            "/metrics lacks {figure}:\n{metrics}"
        );
    }
    drop(served);

    // 10. Backup, restore into a new embedded cluster, and the manager signs in there.
    let dump = work.path().join("backup.dump");
    install.ok(&["backup", "--output", dump.to_str().unwrap()], "");
    let restored_dir = TempDir::new("restored");
    let mut restored = install.on_new_port();
    restored.env.retain(|(k, _)| k != "DATABASE_URL");
    restored.workdir = restored_dir.path().to_path_buf();
    for (k, v) in &mut restored.env {
        if k == "MACHTIG_DATA_DIR" {
            *v = restored_dir.path().join("data").display().to_string();
        }
    }
    restored
        .env
        .push(("MACHTIG_LOG_FORMAT".into(), "json".into()));
    restored.ok(&["restore", dump.to_str().unwrap()], "");
    // A second restore over the restored data is refused.
    assert!(!restored
        .run(&["restore", dump.to_str().unwrap()], "")
        .status
        .success());
    let served = restored.serve().await;
    served
        .sign_in(&outside, MANAGER.0, MANAGER.1, MANAGER_MOBILE)
        .await;
    drop(served);
    // Its log was JSON, one object per line, each request's line with its id and endpoint.
    let log = std::fs::read_to_string(restored.log_file()).unwrap();
    let signed_in = log
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|l| l["endpoint"] == "api/auth/verify_code" && l["message"] == "request")
        .unwrap_or_else(|| panic!("no JSON request line in\n{log}"));
    assert_eq!(signed_in["status"], 200);
    assert_eq!(signed_in["request_id"].as_str().unwrap().len(), 32);
    db.close().await;
}

async fn count(db: &sqlx::PgPool, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(db)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}
