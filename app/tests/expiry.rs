//! Expiry, unattended, against a real Postgres with a clock the tests move: authorizations whose
//! end date passed expire; notices go out two months before an end date, once per validity
//! period (a renewal starts a new one), one mail per user and organization and one digest per
//! manager per run; unaccepted invitations are reminded five days before they lapse; two runs
//! at once send every notice once.

mod common;

use app::api::authorizations::AuthorizationFilter;
use app::domain::authorization::State;
use app::domain::ids::AuthorizationId;
use app::domain::tariff::Validity;
use app::server::authorizations::{self, expiry};
use app::server::demo::MANAGER;
use app::server::AppState;
use chrono::{DateTime, Duration, Utc};
use common::{sign_in, state};
use sqlx::PgPool;
use uuid::Uuid;

const BAKKERIJ: &str = "34123456";

/// Every active authorization ends in two years; then the ones of three users of Bakkerij other
/// than the managers end in `days`. Returns those three, with their users' e-mail addresses.
async fn three_ending_in(pool: &PgPool, days: i32) -> Vec<(Uuid, String)> {
    sqlx::query(
        "UPDATE authorizations SET valid_from = now() - interval '1 year',
                valid_until = now() + interval '2 years'
          WHERE state = 'active'",
    )
    .execute(pool)
    .await
    .unwrap();
    let picked: Vec<(Uuid, String)> = sqlx::query_as(
        "SELECT DISTINCT ON (u.id) z.id, u.email
           FROM authorizations z
           JOIN organizations o ON o.id = z.org_id
           JOIN users u ON u.id = z.user_id
          WHERE o.kvk_number = $1 AND z.state = 'active' AND z.kind <> 'admin'
            AND u.status = 'active'
            AND NOT EXISTS (SELECT 1 FROM authorizations a WHERE a.user_id = u.id
                               AND a.kind = 'admin' AND a.state = 'active')
          ORDER BY u.id, z.id
          LIMIT 3",
    )
    .bind(BAKKERIJ)
    .fetch_all(pool)
    .await
    .unwrap();
    assert_eq!(picked.len(), 3, "three users in the demo data");
    let ids: Vec<Uuid> = picked.iter().map(|p| p.0).collect();
    sqlx::query(
        "UPDATE authorizations SET valid_until = now() + make_interval(days => $2)
          WHERE id = ANY($1)",
    )
    .bind(&ids)
    .bind(days)
    .execute(pool)
    .await
    .unwrap();
    picked
}

/// The managers of Bakkerij today (e-mail addresses).
async fn bakkerij_managers(pool: &PgPool) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT DISTINCT u.email FROM authorizations z
           JOIN organizations o ON o.id = z.org_id JOIN users u ON u.id = z.user_id
          WHERE o.kvk_number = $1 AND z.kind = 'admin' AND z.state = 'active'
            AND u.status = 'active'
          ORDER BY 1",
    )
    .bind(BAKKERIJ)
    .fetch_all(pool)
    .await
    .unwrap()
}

/// (recipient, subject, body) of every e-mail in the outbox, in order.
async fn mails(pool: &PgPool) -> Vec<(String, String, String)> {
    sqlx::query_as(
        "SELECT recipient, subject, body FROM outbox WHERE channel = 'email' ORDER BY id",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

async fn run(state: &AppState, now: DateTime<Utc>) -> expiry::Report {
    expiry::run(&state.pool, &state.settings.public_url, now)
        .await
        .expect("a run")
}

async fn state_of(pool: &PgPool, id: Uuid) -> String {
    sqlx::query_scalar("SELECT state FROM authorizations WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn notices_go_out_once_per_validity_period_one_per_user_and_one_digest_per_manager(
    pool: PgPool,
) {
    let state = state(pool).await;
    let ending = three_ending_in(&state.pool, 40).await;
    let managers = bakkerij_managers(&state.pool).await;
    assert!(!managers.is_empty());
    sqlx::query("DELETE FROM outbox")
        .execute(&state.pool)
        .await
        .unwrap();

    let first = run(&state, Utc::now()).await;
    assert_eq!((first.expired, first.noticed), (0, 3));
    let sent = mails(&state.pool).await;
    assert_eq!(first.mails as usize, sent.len());
    for (_, email) in &ending {
        let theirs: Vec<_> = sent.iter().filter(|m| &m.0 == email).collect();
        assert_eq!(theirs.len(), 1, "one notice for {email}");
        assert!(
            theirs[0].1.contains("verlopen binnenkort"),
            "{}",
            theirs[0].1
        );
        assert!(theirs[0].2.contains("geldig tot en met "));
        // A link to ask the organization's managers for renewal.
        assert!(theirs[0].2.contains("mailto:"), "{}", theirs[0].2);
    }
    for manager in &managers {
        let digests: Vec<_> = sent.iter().filter(|m| &m.0 == manager).collect();
        assert_eq!(digests.len(), 1, "one digest for {manager}");
        assert_eq!(digests[0].1, "Overzicht machtigingen: 3 om naar te kijken");
        assert!(digests[0]
            .2
            .contains("Verloopt binnenkort, binnen twee maanden (3)"));
    }
    assert_eq!(sent.len(), ending.len() + managers.len());
    let audited: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'expiry.run'")
            .fetch_one(&state.pool)
            .await
            .unwrap();
    assert_eq!(audited, 1);

    // The same day, and a week later: nothing new to say.
    let again = run(&state, Utc::now()).await;
    assert_eq!((again.noticed, again.mails), (0, 0));
    let later = run(&state, Utc::now() + Duration::days(7)).await;
    assert_eq!((later.noticed, later.mails), (0, 0));
    assert_eq!(mails(&state.pool).await.len(), sent.len());

    // Renewing one starts a new validity period, with a notice of its own near its new end.
    let (_, user) = sign_in(&state, MANAGER).await;
    let m = user.manager().unwrap();
    let renewed = AuthorizationId::from(ending[0].0);
    let quote = authorizations::quote_renewal(
        &state.pool,
        &m,
        std::slice::from_ref(&renewed),
        Validity::OneYear,
    )
    .await
    .unwrap();
    authorizations::renew(
        &state,
        &m,
        &[renewed],
        Validity::OneYear,
        quote.total_cents,
        &[],
    )
    .await
    .unwrap();
    sqlx::query("DELETE FROM outbox")
        .execute(&state.pool)
        .await
        .unwrap();
    // Fifty-five days before the new end, the two that were not renewed have ended; the renewed one is due again.
    let on = run(&state, Utc::now() + Duration::days(350)).await;
    assert_eq!((on.expired, on.noticed), (2, 1));
    assert_eq!(state_of(&state.pool, ending[0].0).await, "active");
    assert_eq!(state_of(&state.pool, ending[1].0).await, "expired");
    let sent = mails(&state.pool).await;
    let notice: Vec<_> = sent.iter().filter(|m| m.0 == ending[0].1).collect();
    assert_eq!(notice.len(), 1);
    for manager in &managers {
        let digest = sent.iter().find(|m| &m.0 == manager).expect("a digest");
        assert!(
            digest
                .2
                .contains("Verloopt binnenkort, binnen twee maanden (1)"),
            "{}",
            digest.2
        );
        assert!(
            digest.2.contains("Verlopen sinds het vorige overzicht (2)"),
            "{}",
            digest.2
        );
    }
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn an_ended_authorization_expires_and_leaves_the_default_overview(pool: PgPool) {
    let state = state(pool).await;
    let ending = three_ending_in(&state.pool, 40).await;
    let report = run(&state, Utc::now() + Duration::days(41)).await;
    assert_eq!(report.expired, 3);
    for (id, _) in &ending {
        assert_eq!(state_of(&state.pool, *id).await, "expired");
    }
    let (_, user) = sign_in(&state, MANAGER).await;
    let m = user.manager().unwrap();
    let shown = authorizations::list(&state.pool, &m, &AuthorizationFilter::default(), None)
        .await
        .unwrap();
    assert!(shown
        .rows
        .iter()
        .all(|r| !ending.iter().any(|(id, _)| r.id.as_str() == id.to_string())));
    let inactive = authorizations::list(
        &state.pool,
        &m,
        &AuthorizationFilter {
            include_inactive: true,
            state: Some(State::Expired),
            ..Default::default()
        },
        None,
    )
    .await
    .unwrap();
    assert_eq!(inactive.rows.len(), 3);
    // Expired is final for the job: a second run changes nothing.
    let again = run(&state, Utc::now() + Duration::days(42)).await;
    assert_eq!(again.expired, 0);
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn two_runs_at_once_send_every_notice_once(pool: PgPool) {
    let state = state(pool).await;
    three_ending_in(&state.pool, 30).await;
    sqlx::query("DELETE FROM outbox")
        .execute(&state.pool)
        .await
        .unwrap();
    let now = Utc::now();
    let (a, b) = tokio::join!(run(&state, now), run(&state, now));
    assert_eq!(a.noticed + b.noticed, 3);
    assert_eq!((a.mails + b.mails) as usize, mails(&state.pool).await.len());
    let managers = bakkerij_managers(&state.pool).await;
    assert_eq!(mails(&state.pool).await.len(), 3 + managers.len());
    // And many more at once, later the same day: nothing.
    let mut more = tokio::task::JoinSet::new();
    for _ in 0..6 {
        let state = state.clone();
        more.spawn(async move { run(&state, now).await });
    }
    while let Some(r) = more.join_next().await {
        assert_eq!(r.unwrap().mails, 0);
    }
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn an_unaccepted_invitation_is_reminded_once_five_days_before_it_lapses(pool: PgPool) {
    let state = state(pool).await;
    three_ending_in(&state.pool, 400).await;
    common::applicants::apply(&state).await;
    sqlx::query("DELETE FROM outbox")
        .execute(&state.pool)
        .await
        .unwrap();

    let early = run(&state, Utc::now() + Duration::days(20)).await;
    assert_eq!(early.invitations_reminded, 0);
    let report = run(&state, Utc::now() + Duration::days(26)).await;
    assert_eq!(report.invitations_reminded, 2);
    let sent = mails(&state.pool).await;
    let anna: Vec<_> = sent.iter().filter(|m| m.0 == "anna@example.nl").collect();
    assert_eq!(anna.len(), 1);
    assert!(anna[0].1.contains("verloopt binnenkort"));
    // The link is not repeated (only its hash is kept).
    assert!(!anna[0].2.contains("/uitnodiging/"), "{}", anna[0].2);
    let manager: String = sqlx::query_scalar("SELECT email FROM users WHERE username = $1")
        .bind(MANAGER.0)
        .fetch_one(&state.pool)
        .await
        .unwrap();
    let digest: Vec<_> = sent.iter().filter(|m| m.0 == manager).collect();
    assert_eq!(digest.len(), 1);
    assert!(digest[0]
        .2
        .contains("Nog niet geaccepteerde uitnodigingen die binnen vijf dagen verlopen (2)"));
    assert_eq!(sent.len(), 3);

    let again = run(&state, Utc::now() + Duration::days(27)).await;
    assert_eq!((again.invitations_reminded, again.mails), (0, 0));
}
