//! The administration commands' use cases (`server::admin`), against a fresh database each:
//! what they refuse, that they change nothing then, and the audit record when they do.

mod common;

use app::domain::level::AssuranceLevel;
use app::domain::tariff::Validity;
use app::server::admin::operators::Person;
use app::server::admin::organizations::{self, NewOrganization};
use app::server::admin::{accounts, catalog_import, outbox, tariff_import, terms, AdminError};
use app::server::demo;
use app::server::kvk_register::{OwnTables, Registration};
use app::server::signin;
use sqlx::PgPool;

async fn audits(pool: &PgPool, action: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = $1 AND details->'by'->>'via' = 'command line'")
        .bind(action)
        .fetch_one(pool)
        .await
        .unwrap()
}

fn refused<T: std::fmt::Debug>(r: Result<T, AdminError>) -> String {
    match r {
        Err(AdminError::Refused(message)) => message,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[sqlx::test]
async fn unlock_ends_a_lockout_at_once_and_is_audited(pool: PgPool) {
    let state = common::state(pool.clone()).await;
    for _ in 0..5 {
        let _ = signin::sign_in(&state, demo::USER.0, "wrong".into(), common::ip()).await;
    }
    let locked = signin::sign_in(&state, demo::USER.0, demo::USER.1.into(), common::ip()).await;
    assert!(matches!(
        common::api(locked.err().expect("locked")),
        app::api::ApiError::TooManyAttempts { .. }
    ));
    assert!(accounts::unlock(&pool, "DEMO.gebruiker").await.unwrap() >= 5);
    signin::sign_in(&state, demo::USER.0, demo::USER.1.into(), common::ip())
        .await
        .expect("signs in after the unlock");
    assert_eq!(audits(&pool, "admin.account_unlocked").await, 1);
    assert!(refused(accounts::unlock(&pool, "nobody.here").await).contains("no account"));
}

#[sqlx::test]
async fn a_retry_queues_failed_messages_again_but_never_an_expired_code(pool: PgPool) {
    common::state(pool.clone()).await;
    sqlx::query(
        "INSERT INTO outbox (channel, recipient, subject, body, status, attempts, priority, last_error)
         VALUES ('email', 'a@example.nl', 'Hallo', 'tekst', 'failed', 8, 1, 'smtp: 535 auth'),
                ('sms', '+31611111111', NULL, 'code #123456', 'failed', 8, 0, 'gateway 402')",
    )
    .execute(&pool)
    .await
    .unwrap();
    let failed = outbox::failed(&pool, 10).await.unwrap();
    assert_eq!(failed.len(), 2);
    assert!(failed.iter().any(|m| m.one_time_code));
    let retried = outbox::retry(&pool, &[]).await.unwrap();
    assert_eq!(retried.len(), 1);
    let (status, attempts): (String, i32) =
        sqlx::query_as("SELECT status, attempts FROM outbox WHERE id = $1")
            .bind(retried[0])
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((status.as_str(), attempts), ("pending", 0));
    assert_eq!(
        outbox::failed(&pool, 10).await.unwrap().len(),
        1,
        "the code stays failed"
    );
    assert_eq!(audits(&pool, "admin.outbox_retried").await, 1);
}

fn kim() -> Person {
    Person {
        first_name: "Kim".into(),
        infix: String::new(),
        last_name: "Knip".into(),
        email: "kim@knip.example".into(),
        mobile: "06-11112222".into(),
        language: "nl".into(),
    }
}

fn new_org(kvk: &str, operator: &str) -> NewOrganization {
    NewOrganization {
        kvk: kvk.into(),
        manager: kim(),
        level: AssuranceLevel::Eh3,
        validity: Validity::OneYear,
        employed: true,
        operator: operator.into(),
    }
}

#[sqlx::test]
async fn an_organization_is_created_with_its_manager_invited_or_nothing_is_written(pool: PgPool) {
    common::state(pool.clone()).await;
    let url = "http://127.0.0.1:3000";
    let stand_in = || {
        Some(Registration {
            kvk: "61234567".into(),
            name: "Kapsalon Knip B.V.".into(),
            street: "Kerkstraat 7".into(),
            postal_code: "8011 AB".into(),
            city: "Zwolle".into(),
            branches: Vec::new(),
        })
    };
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&pool)
        .await
        .unwrap();
    // Not an operator, an existing customer, an unknown number, a bad address: refused.
    let not_operator = organizations::create(
        &pool,
        &OwnTables,
        url,
        &new_org("61234567", demo::MANAGER.0),
        stand_in(),
    )
    .await;
    assert!(refused(not_operator).contains("not an active operator"));
    let existing = organizations::create(
        &pool,
        &OwnTables,
        url,
        &new_org("34123456", demo::OPERATOR.0),
        None,
    )
    .await;
    assert!(refused(existing).contains("customer already"));
    let unknown = organizations::create(
        &pool,
        &OwnTables,
        url,
        &new_org("61234567", demo::OPERATOR.0),
        None,
    )
    .await;
    assert!(refused(unknown).contains("does not know"));
    let mut bad = new_org("61234567", demo::OPERATOR.0);
    bad.manager.mobile = "12".into();
    assert!(
        refused(organizations::create(&pool, &OwnTables, url, &bad, stand_in()).await)
            .contains("mobile")
    );
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(before, after, "a refusal writes nothing");

    let created = organizations::create(
        &pool,
        &OwnTables,
        url,
        &new_org("61234567", demo::OPERATOR.0),
        stand_in(),
    )
    .await
    .unwrap();
    let kinds: Vec<(String, String)> =
        sqlx::query_as("SELECT kind, state FROM authorizations WHERE org_id = $1 ORDER BY kind")
            .bind(created.org_id)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        kinds,
        vec![
            ("admin".into(), "pending".into()),
            ("all_services".into(), "pending".into())
        ]
    );
    let invitation: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM outbox WHERE recipient = 'kim@knip.example' AND body LIKE '%/uitnodiging/%'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(invitation, 1);
    assert_eq!(audits(&pool, "admin.organization_created").await, 1);
}

#[sqlx::test]
async fn imports_are_idempotent_and_terms_are_versioned(pool: PgPool) {
    common::state(pool.clone()).await;
    // The demo data has the sample catalog: importing it again changes nothing.
    let services = catalog_import::parse(include_str!("../seed/service-catalog.csv")).unwrap();
    let same = catalog_import::import(&pool, &services, false)
        .await
        .unwrap();
    assert!(same.is_empty() && same.unchanged == 24);
    let mut renamed = services.clone();
    renamed[0].name = "Mijn Belastingdienst Zakelijk (nieuw)".into();
    let dry = catalog_import::import(&pool, &renamed[..1], true)
        .await
        .unwrap();
    assert_eq!((dry.changed.len(), dry.absent.len()), (1, 23));
    let name: String = sqlx::query_scalar("SELECT name FROM services WHERE service_uuid = $1")
        .bind(services[0].service_uuid)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(name, services[0].name, "a dry run changes nothing");
    catalog_import::import(&pool, &renamed[..1], false)
        .await
        .unwrap();
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM services")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, 24, "services missing from the file are kept");
    assert_eq!(audits(&pool, "admin.catalog_imported").await, 1);

    let tariffs = tariff_import::parse("level,years,price\nEH2,1,12\n").unwrap();
    assert_eq!(
        tariff_import::import(&pool, &tariffs, false)
            .await
            .unwrap()
            .changed
            .len(),
        1
    );
    assert!(tariff_import::import(&pool, &tariffs, false)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(audits(&pool, "admin.tariffs_imported").await, 1);

    assert_eq!(
        terms::publish(&pool, "Nieuwe voorwaarden", "New terms")
            .await
            .unwrap(),
        2
    );
    assert!(
        refused(terms::publish(&pool, "Nieuwe voorwaarden", "New terms").await).contains("already")
    );
    assert!(refused(terms::publish(&pool, " ", "New terms").await).contains("Dutch"));
    assert_eq!(audits(&pool, "admin.terms_published").await, 1);
}
