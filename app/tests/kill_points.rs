//! Killed mid-transaction: the database connection is terminated at every write statement of a
//! use case in turn (submit, order, issue in the final check, the partner's job, outbox
//! delivery, renewing, the expiry run, requesting, revoking, appointing, link requests). After
//! each kill nothing is partial (every table exactly as before the attempt) and nothing is lost;
//! the retry without a kill completes.
//!
//! How: a statement-level trigger on every table counts write statements in a sequence (which
//! a rollback does not undo) and, at the armed count, terminates its own backend, exactly as a
//! crash of the connection or the server would end the transaction.

mod common;

use app::domain::acceptance::Status;
use app::server::demo::{MANAGER, OPERATOR};
use app::server::outbox::{self, email, sms, Transports};
use app::server::{acceptance, final_check, verification, wizard};
use common::applicants::*;
use common::{sign_in, state};
use sqlx::PgPool;
use std::future::Future;

async fn install(pool: &PgPool) {
    for statement in [
        "CREATE SEQUENCE kill_counter",
        "CREATE TABLE kill_at (n bigint NOT NULL)",
        "INSERT INTO kill_at VALUES (0)",
        "CREATE FUNCTION kill_point() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
           IF (SELECT n FROM kill_at) > 0 AND nextval('kill_counter') = (SELECT n FROM kill_at) THEN
             PERFORM pg_terminate_backend(pg_backend_pid());
           END IF;
           RETURN NULL;
         END $$",
    ] {
        sqlx::query(statement).execute(pool).await.unwrap();
    }
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'
            AND tablename NOT IN ('kill_at', '_sqlx_migrations')",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for table in tables {
        sqlx::query(&format!(
            "CREATE TRIGGER kill_point BEFORE INSERT OR UPDATE OR DELETE ON {table}
             FOR EACH STATEMENT EXECUTE FUNCTION kill_point()"
        ))
        .execute(pool)
        .await
        .unwrap();
    }
}

async fn arm(pool: &PgPool, n: i64) {
    sqlx::query("SELECT setval('kill_counter', 1, false)")
        .execute(pool)
        .await
        .unwrap();
    sqlx::query("UPDATE kill_at SET n = $1")
        .bind(n)
        .execute(pool)
        .await
        .unwrap();
}

async fn disarm(pool: &PgPool) {
    sqlx::query("UPDATE kill_at SET n = 0")
        .execute(pool)
        .await
        .unwrap();
}

/// Every row of every table, as one hash per table.
async fn snapshot(pool: &PgPool) -> Vec<(String, String)> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'
            AND tablename NOT IN ('kill_at', '_sqlx_migrations') ORDER BY tablename",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut hashes = Vec::new();
    for table in tables {
        let hash: String = sqlx::query_scalar(&format!(
            "SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM {table} t"
        ))
        .fetch_one(pool)
        .await
        .unwrap();
        hashes.push((table, hash));
    }
    hashes
}

/// Runs `attempt` with the connection killed at its 1st, 2nd, ... write until an attempt gets
/// through; after each kill, every table must be as before. Returns the number of kill points.
async fn kill_at_every_write<F, Fut, T, E>(pool: &PgPool, name: &str, attempt: F) -> i64
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T, E>>,
    E: std::fmt::Debug,
{
    let before = snapshot(pool).await;
    for n in 1..200 {
        arm(pool, n).await;
        let result = attempt().await;
        disarm(pool).await;
        if result.is_ok() {
            assert!(n > 1, "{name}: no write was killed");
            return n - 1;
        }
        assert_eq!(
            snapshot(pool).await,
            before,
            "{name}: killed at write {n}, something partial was left"
        );
    }
    panic!("{name}: never got through");
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn fault_killed_at_every_write_of_submit_order_and_issue_nothing_is_partial(pool: PgPool) {
    let state = state(pool).await;
    install(&state.pool).await;
    let mut points = Vec::new();

    // Submitting an application of two users.
    let (_, manager) = sign_in(&state, MANAGER).await;
    let draft = draft_for(
        &state,
        &manager,
        vec![
            person("Anna", "anna@example.nl", "06-11111111", true),
            person("Bram", "bram@example.nl", "06-22222222", false),
        ],
        true,
        3,
    )
    .await;
    let n = kill_at_every_write(&state.pool, "submit", || {
        wizard::submit(&state, &manager, &draft, 1, true)
    })
    .await;
    points.push(("submit", n));
    assert_eq!(status(&state.pool, "anna@example.nl").await, "invited");

    // "Bestel" by an employed user: ordered and issued in one transaction.
    let anna = token(&state.pool, "anna@example.nl").await;
    up_to_summary(&state, &anna, "+31611111111", "anna.tester").await;
    let n = kill_at_every_write(&state.pool, "order (employed)", || {
        acceptance::order(&state, &anna)
    })
    .await;
    points.push(("order and issue", n));
    assert_eq!(status(&state.pool, "anna@example.nl").await, "issued");

    // "Bestel" by a user who is not employed: the order's own transaction.
    let bram = token(&state.pool, "bram@example.nl").await;
    up_to_summary(&state, &bram, "+31622222222", "bram.tester").await;
    let n = kill_at_every_write(&state.pool, "order (not employed)", || {
        acceptance::order(&state, &bram)
    })
    .await;
    points.push(("order, verification asked", n));
    // The attempt that got through lost its connection right after the order committed, while
    // recording the partner's answer (see the next test): the job asks again.
    assert_eq!(status(&state.pool, "bram@example.nl").await, "accepted");
    sqlx::query(
        "UPDATE application_users SET verification_next_at = now() WHERE status = 'accepted'",
    )
    .execute(&state.pool)
    .await
    .unwrap();
    assert_eq!(verification::run_due(&state).await.unwrap(), 1);
    assert_eq!(
        status(&state.pool, "bram@example.nl").await,
        "identity_verification"
    );

    // The partner says yes; the operator approves in the final check.
    let reference: String = sqlx::query_scalar(
        "SELECT verification_reference FROM application_users WHERE status = 'identity_verification'",
    )
    .fetch_one(&state.pool)
    .await
    .unwrap();
    let body = event(&reference, "evt-kill", "passed");
    let signature = signed(&state, &body);
    let n = kill_at_every_write(&state.pool, "webhook", || {
        app::server::issuing::receive_webhook(&state, Some(&signature), &body)
    })
    .await;
    points.push(("webhook", n));
    let (_, operator) = sign_in(&state, OPERATOR).await;
    let applicant: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM application_users WHERE status = 'final_check'")
            .fetch_one(&state.pool)
            .await
            .unwrap();
    let applicant = applicant.to_string();
    let n = kill_at_every_write(&state.pool, "final check", || {
        final_check::approve(&state, &operator, &applicant)
    })
    .await;
    points.push(("final check and issue", n));
    assert_eq!(status(&state.pool, "bram@example.nl").await, "issued");

    let total: i64 = points.iter().map(|(_, n)| n).sum();
    println!("kill points: {points:?}, {total} in all");
    assert!(total >= 20, "{points:?}");
}

/// A partner that always answers.
struct Partner;

#[async_trait::async_trait]
impl app::server::identity_verification::IdentityVerifier for Partner {
    async fn start(
        &self,
        _: &app::server::identity_verification::VerificationRequest,
    ) -> app::server::error::ServiceResult<app::server::identity_verification::Started> {
        Ok(app::server::identity_verification::Started {
            reference: "job-1".into(),
            url: "https://partner.example/start/job-1".into(),
        })
    }
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn fault_killed_while_the_partners_answer_is_recorded_the_job_completes_it(pool: PgPool) {
    let mut state = state(pool).await;
    state.identity = std::sync::Arc::new(Partner);
    install(&state.pool).await;
    apply(&state).await;
    let bram = token(&state.pool, "bram@example.nl").await;
    up_to_summary(&state, &bram, "+31622222222", "bram.tester").await;
    let mut points = 0;
    // Count the order's own writes, then kill the one after them: the recording of the
    // partner's answer, after the order committed.
    for n in 1.. {
        arm(&state.pool, n).await;
        let ordered = acceptance::order(&state, &bram).await;
        disarm(&state.pool).await;
        if ordered.is_ok() {
            points = n;
            break;
        }
    }
    assert_eq!(
        status(&state.pool, "bram@example.nl").await,
        "accepted",
        "the order stands; the partner's answer was lost with the connection"
    );
    // The job asks again at its next round, also when killed there, until it gets through.
    let mut job_points = 0;
    loop {
        sqlx::query(
            "UPDATE application_users SET verification_next_at = now() WHERE status = 'accepted'",
        )
        .execute(&state.pool)
        .await
        .unwrap();
        arm(&state.pool, job_points + 1).await;
        let _ = verification::run_due(&state).await;
        disarm(&state.pool).await;
        let now = status(&state.pool, "bram@example.nl").await;
        if now == Status::IdentityVerification.as_str() {
            break;
        }
        assert_eq!(now, "accepted");
        let mails: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM outbox WHERE body LIKE '%partner.example/start/job-1%'",
        )
        .fetch_one(&state.pool)
        .await
        .unwrap();
        assert_eq!(mails, 0, "no link mailed for an unrecorded verification");
        job_points += 1;
    }
    assert!(points > 1 && job_points >= 2, "{points} {job_points}");
    let mails: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM outbox WHERE body LIKE '%partner.example/start/job-1%'",
    )
    .fetch_one(&state.pool)
    .await
    .unwrap();
    assert_eq!(mails, 1, "the link is mailed exactly once");
}

/// Records what it sends (clones share the record).
#[derive(Default, Clone)]
struct Recorder(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

#[async_trait::async_trait]
impl email::EmailTransport for Recorder {
    async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), outbox::DeliveryError> {
        self.0
            .lock()
            .unwrap()
            .push(format!("{to}|{subject}|{body}"));
        Ok(())
    }
}

#[async_trait::async_trait]
impl sms::SmsGateway for Recorder {
    async fn send(&self, to: &str, body: &str) -> Result<(), outbox::DeliveryError> {
        self.0.lock().unwrap().push(format!("{to}|{body}"));
        Ok(())
    }
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn fault_killed_during_outbox_delivery_no_message_is_lost(pool: PgPool) {
    let state = state(pool).await;
    apply(&state).await;
    install(&state.pool).await;
    let recorder = Recorder::default();
    let transports = Transports {
        email: Box::new(recorder.clone()),
        sms: Box::new(recorder.clone()),
        erase_sensitive: false,
    };
    let pending = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM outbox WHERE status = 'pending'")
            .fetch_one(&state.pool)
            .await
            .unwrap()
    };
    let messages = pending().await;
    assert!(messages > 0);
    let mut kills = 0;
    for n in 1..500 {
        // A message whose delivery was cut off is due again once its lease ends: end it now.
        sqlx::query("UPDATE outbox SET locked_until = NULL, next_attempt_at = now() WHERE status = 'pending'")
            .execute(&state.pool)
            .await
            .unwrap();
        arm(&state.pool, n).await;
        let delivered = outbox::deliver_due(&state.pool, &transports, 20).await;
        disarm(&state.pool).await;
        if delivered.is_err() {
            kills += 1;
        }
        if pending().await == 0 {
            break;
        }
    }
    let sent = recorder.0.lock().unwrap().clone();
    let unique: std::collections::HashSet<_> = sent.iter().collect();
    // Nothing lost: every message went out. A kill between the send and its "sent" mark
    // sends that message again (at least once: SMTP has no way to ask "did you get it?").
    assert_eq!(unique.len() as i64, messages, "{sent:?}");
    assert!(kills >= 2, "{kills}");
    println!(
        "outbox kill points: {kills}, {} sends for {messages} messages",
        sent.len()
    );
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn fault_killed_at_every_write_of_a_renewal_and_of_the_expiry_run_nothing_is_partial(
    pool: PgPool,
) {
    use app::domain::ids::AuthorizationId;
    use app::domain::tariff::Validity;
    use app::server::authorizations::{self, expiry};
    let state = state(pool).await;
    install(&state.pool).await;
    let (_, user) = sign_in(&state, MANAGER).await;
    let manager = user.manager().unwrap();

    // Five authorizations renewed by a year in one order.
    let ids: Vec<AuthorizationId> = sqlx::query_scalar::<_, uuid::Uuid>(
        "SELECT z.id FROM authorizations z JOIN users u ON u.id = z.user_id
          WHERE u.email LIKE 'demo.%' AND z.kind = 'service' AND z.state = 'active'
          ORDER BY z.id LIMIT 5",
    )
    .fetch_all(&state.pool)
    .await
    .unwrap()
    .into_iter()
    .map(Into::into)
    .collect();
    assert_eq!(ids.len(), 5);
    let quote = authorizations::quote_renewal(&state.pool, &manager, &ids, Validity::OneYear)
        .await
        .unwrap();
    let renewals = kill_at_every_write(&state.pool, "renew", || {
        authorizations::renew(
            &state,
            &manager,
            &ids,
            Validity::OneYear,
            quote.total_cents,
            &[],
        )
    })
    .await;

    // The expiry run six years on, past every end date: it ends them all and sends the digests.
    let later = chrono::Utc::now() + chrono::Duration::days(6 * 366);
    let runs = kill_at_every_write(&state.pool, "expiry run", || {
        expiry::run(&state.pool, &state.settings.public_url, later)
    })
    .await;
    let expired: i64 =
        sqlx::query_scalar("SELECT count(*) FROM authorizations WHERE state = 'expired'")
            .fetch_one(&state.pool)
            .await
            .unwrap();
    assert!(
        expired > 0,
        "the run that got through ended the passed authorizations"
    );
    println!("kill points: renew {renewals}, expiry run {runs}");
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn fault_killed_at_every_write_of_a_request_revoke_appointment_and_link_request_nothing_is_partial(
    pool: PgPool,
) {
    use app::domain::ids::{AuthorizationId, OrgId, ServiceId, UserId};
    use app::domain::level::AssuranceLevel;
    use app::domain::new_authorizations::NewAuthorizations;
    use app::domain::tariff::Validity;
    use app::server::authorizations::{self, request};
    use app::server::demo::USER;
    use app::server::link_requests;
    use uuid::Uuid;
    let state = state(pool).await;
    install(&state.pool).await;
    let (_, user) = sign_in(&state, MANAGER).await;
    let m = user.manager().unwrap();
    let org_of = |kvk: &'static str| {
        let pool = state.pool.clone();
        async move {
            OrgId::from(
                sqlx::query_scalar::<_, Uuid>("SELECT id FROM organizations WHERE kvk_number = $1")
                    .bind(kvk)
                    .fetch_one(&pool)
                    .await
                    .unwrap(),
            )
        }
    };
    let (bakkerij, berg) = (org_of("34123456").await, org_of("56789012").await);

    // A generated EH3 user of Bakkerij gets two services and the manager's right in one order.
    let someone: Uuid = sqlx::query_scalar(
        "SELECT u.id FROM users u JOIN memberships m ON m.user_id = u.id
          WHERE m.org_id = $1 AND u.email LIKE 'demo.%' AND u.status = 'active' AND u.level = 'EH3'
          ORDER BY u.sort_key LIMIT 1",
    )
    .bind(bakkerij.uuid())
    .fetch_one(&state.pool)
    .await
    .unwrap();
    let services: Vec<ServiceId> = sqlx::query_scalar::<_, Uuid>(
        "SELECT DISTINCT service_uuid FROM services WHERE min_level IN ('EH2', 'EH2+', 'EH3')
            AND service_uuid NOT IN (SELECT service_uuid FROM authorizations
                                      WHERE user_id = $1 AND service_uuid IS NOT NULL)
          ORDER BY service_uuid LIMIT 2",
    )
    .bind(someone)
    .fetch_all(&state.pool)
    .await
    .unwrap()
    .into_iter()
    .map(Into::into)
    .collect();
    let asked = NewAuthorizations {
        org_id: Some(bakkerij.clone()),
        user_id: Some(someone.into()),
        level: Some(AssuranceLevel::Eh3),
        all_services: false,
        services: services.clone(),
        also_manager: true,
        validity: Validity::ThreeYears,
    };
    // Two services at EH3 for three years: 2 × € 25,00 plus 21 % VAT; terms version 1.
    let requests = kill_at_every_write(&state.pool, "request", || {
        request::request(&state, &m, &asked, 6050, 1, true)
    })
    .await;

    // One of them revoked.
    let one: AuthorizationId = sqlx::query_scalar::<_, Uuid>(
        "SELECT id FROM authorizations WHERE user_id = $1 AND service_uuid = $2",
    )
    .bind(someone)
    .bind(services[0].uuid())
    .fetch_one(&state.pool)
    .await
    .unwrap()
    .into();
    let revokes = kill_at_every_write(&state.pool, "revoke", || {
        authorizations::revoke(&state, &m, &one)
    })
    .await;

    // Pieter appointed manager of Bakkerij, then asked to link to Berg Advies, and accepting.
    let pieter = UserId::from(
        sqlx::query_scalar::<_, Uuid>("SELECT id FROM users WHERE username = $1")
            .bind(USER.0)
            .fetch_one(&state.pool)
            .await
            .unwrap(),
    );
    let appointments = kill_at_every_write(&state.pool, "appoint", || {
        authorizations::appoint(&state, &m, &bakkerij, &pieter)
    })
    .await;
    let sends = kill_at_every_write(&state.pool, "link request", || {
        link_requests::send(&state, &m, &berg, "pieter.vandam@bakkerij-devries.nl")
    })
    .await;
    let (_, pieter_now) = sign_in(&state, USER).await;
    let link = link_requests::received(&state.pool, &pieter_now)
        .await
        .unwrap()
        .remove(0)
        .id;
    let answers = kill_at_every_write(&state.pool, "link answer", || {
        link_requests::answer(&state, &pieter_now, &link, true)
    })
    .await;
    let member: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM memberships WHERE user_id = $1 AND org_id = $2)",
    )
    .bind(pieter.uuid())
    .bind(berg.uuid())
    .fetch_one(&state.pool)
    .await
    .unwrap();
    assert!(member, "the answer that got through linked him");
    println!(
        "kill points: request {requests}, revoke {revokes}, appoint {appointments}, \
         link request {sends}, answer {answers}"
    );
}
