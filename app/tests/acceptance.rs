//! The new user's acceptance and the issuing after it, against a real Postgres: every step of
//! the link, the SMS code rules, the state machine for employed and not-employed users, the
//! signed and idempotent webhook, the operator's final check and the deadline job.

mod common;

use app::api::acceptance::Ordered;
use app::api::ApiError;
use app::domain::acceptance::Step;
use app::domain::codes::{Field, Rule};
use app::server::demo::{MANAGER, OPERATOR};
use app::server::error::ServiceError;
use app::server::identity_verification::sign;
use app::server::issuing::{self, WebhookError, WebhookOutcome};
use app::server::{acceptance, applications, final_check, signin, AppState};
use common::applicants::*;
use common::{api, last_code, sign_in, state};
use sqlx::PgPool;

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn an_employed_user_gets_the_means_at_once(pool: PgPool) {
    let state = state(pool).await;
    // A second manager of the organization, who did not apply, hears the outcome too.
    common::second_manager(&state.pool).await;
    apply(&state).await;
    let t = token(&state.pool, "anna@example.nl").await;
    let details = acceptance::open(&state, &t).await.unwrap();
    assert_eq!(details.name, "Anna Tester");
    assert_eq!(details.organization, "Bakkerij De Vries B.V.");
    assert_eq!(details.level, "EH3");
    assert_eq!((details.services.len(), details.all_services), (1, false));
    assert_eq!(
        (details.validity_years, details.mobile.as_str()),
        (3, "+31611111111")
    );

    // Not yet: the account cannot sign in before it is issued.
    up_to_summary(&state, &t, "+31611111111", "anna.tester").await;
    assert!(
        signin::sign_in(&state, "anna.tester", GOOD_PASSWORD.into(), None)
            .await
            .is_err()
    );

    let done = acceptance::order(&state, &t).await.unwrap();
    assert_eq!(
        done,
        Ordered::Issued {
            username: "anna.tester".into()
        }
    );
    assert_eq!(status(&state.pool, "anna@example.nl").await, "issued");
    // Active from now for three years.
    assert_eq!(
        count(
            &state.pool,
            "SELECT count(*) FROM authorizations z JOIN users u ON u.id = z.user_id
              WHERE u.email = 'anna@example.nl' AND z.state = 'active'
                AND z.valid_from > now() - interval '1 minute'
                AND z.valid_until::date = (z.valid_from + interval '3 years')::date"
        )
        .await,
        1
    );
    // The user and the manager are told.
    assert_eq!(
        count(
            &state.pool,
            "SELECT count(*) FROM outbox WHERE recipient = 'anna@example.nl'
              AND subject = 'Uw eHerkenningsmiddel is actief' AND body LIKE '%anna.tester%'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &state.pool,
            "SELECT count(*) FROM outbox o JOIN users m ON m.email = o.recipient
              WHERE m.username = 'demo.beheerder' AND o.subject LIKE '%Anna Tester is uitgegeven'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &state.pool,
            "SELECT count(*) FROM outbox WHERE recipient = 'kees@example.nl'
              AND subject = 'eHerkenning for Anna Tester has been issued'"
        )
        .await,
        1
    );
    // The link is used up: it answers like any invalid link, and ordering twice issues nothing.
    assert_eq!(
        api(acceptance::open(&state, &t).await.unwrap_err()),
        ApiError::NotFound
    );
    assert_eq!(
        api(acceptance::order(&state, &t).await.unwrap_err()),
        ApiError::NotFound
    );
    // The new means signs in (EH3: with an SMS code to the confirmed number).
    let (_, user) = sign_in(&state, ("anna.tester", GOOD_PASSWORD)).await;
    assert_eq!(user.username, "anna.tester");
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn the_link_resumes_and_the_code_keeps_its_rules(pool: PgPool) {
    let state = state(pool).await;
    apply(&state).await;
    let t = token(&state.pool, "anna@example.nl").await;
    // Sending a code before confirming the details does nothing.
    assert_eq!(
        acceptance::send_code(&state, &t).await.unwrap().step,
        Step::Details
    );
    assert_eq!(
        count(&state.pool, "SELECT count(*) FROM acceptance_codes").await,
        0
    );
    acceptance::confirm(&state, &t).await.unwrap();
    let at = acceptance::send_code(&state, &t).await.unwrap();
    let sent = at.code.unwrap();
    assert_eq!((sent.resends_left, sent.resend_in_secs > 25), (3, true));
    // Opening the link again resumes at the code.
    assert_eq!(acceptance::open(&state, &t).await.unwrap().step, Step::Code);
    // A new code only after 30 seconds.
    assert!(matches!(
        api(acceptance::send_code(&state, &t).await.unwrap_err()),
        ApiError::TooManyAttempts { retry_after_secs } if retry_after_secs <= 30
    ));
    // Malformed codes are refused before any try is counted.
    assert_eq!(
        api(acceptance::verify_code(&state, &t, "12ab")
            .await
            .unwrap_err()),
        ApiError::validation(Field::Code, Rule::Format)
    );
    let right = last_code(&state.pool, "+31611111111").await;
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    for left in (0..5).rev() {
        assert_eq!(
            api(acceptance::verify_code(&state, &t, wrong)
                .await
                .unwrap_err()),
            ApiError::InvalidCode {
                attempts_left: left
            }
        );
    }
    // Five wrong tries: even the right code no longer works.
    assert_eq!(
        api(acceptance::verify_code(&state, &t, &right)
            .await
            .unwrap_err()),
        ApiError::CodeExpired
    );
    assert_eq!(
        acceptance::open(&state, &t).await.unwrap().step,
        Step::Mobile
    );
    // At most three new codes, each 30 seconds after the last.
    for _ in 0..3 {
        sqlx::query("UPDATE acceptance_codes SET created_at = created_at - interval '31 seconds'")
            .execute(&state.pool)
            .await
            .unwrap();
        acceptance::send_code(&state, &t).await.unwrap();
    }
    sqlx::query("UPDATE acceptance_codes SET created_at = created_at - interval '31 seconds'")
        .execute(&state.pool)
        .await
        .unwrap();
    assert_eq!(
        api(acceptance::send_code(&state, &t).await.unwrap_err()),
        ApiError::validation(Field::Code, Rule::NoMoreCodes)
    );
    // Codes are stored hashed, never as typed: the row holds sha256(code id, code).
    let newest = last_code(&state.pool, "+31611111111").await;
    assert_eq!(
        count(
            &state.pool,
            &format!("SELECT count(*) FROM acceptance_codes WHERE code_hash = sha256(uuid_send(id) || convert_to('{newest}', 'UTF8'))")
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &state.pool,
            &format!("SELECT count(*) FROM acceptance_codes WHERE encode(code_hash, 'escape') LIKE '%{newest}%'")
        )
        .await,
        0
    );
    // An expired code does not work.
    sqlx::query("UPDATE acceptance_codes SET expires_at = now() - interval '1 second'")
        .execute(&state.pool)
        .await
        .unwrap();
    assert_eq!(
        api(acceptance::verify_code(&state, &t, &newest)
            .await
            .unwrap_err()),
        ApiError::CodeExpired
    );
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn bad_credentials_change_nothing(pool: PgPool) {
    let state = state(pool).await;
    apply(&state).await;
    let t = token(&state.pool, "anna@example.nl").await;
    acceptance::confirm(&state, &t).await.unwrap();
    // Credentials before the mobile number is confirmed are refused.
    assert_eq!(
        api(
            acceptance::choose_credentials(&state, &t, "anna.t", GOOD_PASSWORD.into())
                .await
                .unwrap_err()
        ),
        ApiError::BadRequest
    );
    acceptance::send_code(&state, &t).await.unwrap();
    let code = last_code(&state.pool, "+31611111111").await;
    acceptance::verify_code(&state, &t, &code).await.unwrap();
    let cases = [
        (
            "a",
            GOOD_PASSWORD,
            ApiError::validation(Field::Username, Rule::Invalid),
        ),
        (
            "anna.t",
            "short",
            ApiError::validation(Field::Password, Rule::MinLength),
        ),
        (
            "demo.beheerder",
            GOOD_PASSWORD,
            ApiError::validation(Field::Username, Rule::Taken),
        ),
    ];
    for (username, password, expected) in cases {
        let e = api(
            acceptance::choose_credentials(&state, &t, username, password.into())
                .await
                .unwrap_err(),
        );
        assert_eq!(e, expected, "{username}");
    }
    assert_eq!(
        count(
            &state.pool,
            "SELECT count(*) FROM users WHERE email = 'anna@example.nl' AND username IS NULL"
        )
        .await,
        1
    );
    // Ordering before the credentials are chosen is refused too.
    assert_eq!(
        api(acceptance::order(&state, &t).await.unwrap_err()),
        ApiError::BadRequest
    );
    assert_eq!(status(&state.pool, "anna@example.nl").await, "invited");
}

async fn reference(pool: &PgPool, email: &str) -> String {
    sqlx::query_scalar(
        "SELECT au.verification_reference FROM application_users au JOIN users u ON u.id = au.user_id
          WHERE u.email = $1",
    )
    .bind(email)
    .fetch_one(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn a_not_employed_user_is_verified_checked_and_then_issued(pool: PgPool) {
    let state = state(pool).await;
    apply(&state).await;
    let t = token(&state.pool, "bram@example.nl").await;
    up_to_summary(&state, &t, "+31622222222", "bram.tester").await;
    let Ordered::IdentityVerification { url, .. } = acceptance::order(&state, &t).await.unwrap()
    else {
        panic!("not employed: verification first");
    };
    assert!(url.contains("/dev/identiteit"));
    assert_eq!(
        status(&state.pool, "bram@example.nl").await,
        "identity_verification"
    );
    assert_eq!(
        count(&state.pool, "SELECT count(*) FROM outbox WHERE recipient = 'bram@example.nl' AND subject = 'Identificeer u voor eHerkenning'").await,
        1
    );
    let r = reference(&state.pool, "bram@example.nl").await;
    let body = event(&r, "evt-1", "passed");

    // Unsigned, wrongly signed, stale or tampered events change nothing.
    assert!(matches!(
        issuing::receive_webhook(&state, None, &body).await,
        Err(WebhookError::Signature(_))
    ));
    let forged = sign(b"not-the-secret", chrono::Utc::now().timestamp(), &body);
    assert!(matches!(
        issuing::receive_webhook(&state, Some(&forged), &body).await,
        Err(WebhookError::Signature(_))
    ));
    let stale = sign(
        state.settings.idv_webhook_secret.expose().as_bytes(),
        chrono::Utc::now().timestamp() - 3600,
        &body,
    );
    assert!(matches!(
        issuing::receive_webhook(&state, Some(&stale), &body).await,
        Err(WebhookError::Signature(_))
    ));
    let other = event(&r, "evt-1", "failed");
    assert!(matches!(
        issuing::receive_webhook(&state, Some(&signed(&state, &body)), &other).await,
        Err(WebhookError::Signature(_))
    ));
    assert_eq!(
        status(&state.pool, "bram@example.nl").await,
        "identity_verification"
    );

    // Signed: applied once; the replay is recognised and changes nothing.
    let signature = signed(&state, &body);
    assert_eq!(
        issuing::receive_webhook(&state, Some(&signature), &body)
            .await
            .unwrap(),
        WebhookOutcome::Applied
    );
    assert_eq!(
        issuing::receive_webhook(&state, Some(&signature), &body)
            .await
            .unwrap(),
        WebhookOutcome::Duplicate
    );
    // A later "failed" for the same verification no longer applies.
    let late = event(&r, "evt-2", "failed");
    assert_eq!(
        issuing::receive_webhook(&state, Some(&signed(&state, &late)), &late)
            .await
            .unwrap(),
        WebhookOutcome::Ignored
    );
    assert_eq!(status(&state.pool, "bram@example.nl").await, "final_check");

    // Only operators see the queue.
    let (_, manager) = sign_in(&state, MANAGER).await;
    assert_eq!(
        api(final_check::list(&state.pool, &manager).await.unwrap_err()),
        ApiError::Forbidden
    );
    let (_, operator) = sign_in(&state, OPERATOR).await;
    let queue = final_check::list(&state.pool, &operator).await.unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].name, "Bram Tester");
    let detail = final_check::detail(&state.pool, &operator, &queue[0].id)
        .await
        .unwrap();
    assert_eq!(detail.verification_reference, r);
    assert_eq!(
        api(final_check::approve(&state, &manager, &queue[0].id)
            .await
            .unwrap_err()),
        ApiError::Forbidden
    );
    final_check::approve(&state, &operator, &queue[0].id)
        .await
        .unwrap();
    assert_eq!(status(&state.pool, "bram@example.nl").await, "issued");
    // Approving twice issues nothing twice.
    assert_eq!(
        api(final_check::approve(&state, &operator, &queue[0].id)
            .await
            .unwrap_err()),
        ApiError::NotFound
    );
    assert_eq!(
        count(
            &state.pool,
            "SELECT count(*) FROM outbox WHERE subject LIKE '%Bram Tester is uitgegeven'"
        )
        .await,
        1
    );
    let (_, bram) = sign_in(&state, ("bram.tester", GOOD_PASSWORD)).await;
    assert_eq!(bram.username, "bram.tester");
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn failed_verifications_and_rejections_end_the_application(pool: PgPool) {
    let state = state(pool).await;
    apply(&state).await;
    let t = token(&state.pool, "bram@example.nl").await;
    up_to_summary(&state, &t, "+31622222222", "bram.tester").await;
    acceptance::order(&state, &t).await.unwrap();
    let r = reference(&state.pool, "bram@example.nl").await;
    let body = event(&r, "evt-fail", "failed");
    issuing::receive_webhook(&state, Some(&signed(&state, &body)), &body)
        .await
        .unwrap();
    assert_eq!(status(&state.pool, "bram@example.nl").await, "rejected");
    assert_eq!(
        count(&state.pool, "SELECT count(*) FROM authorizations z JOIN users u ON u.id = z.user_id WHERE u.email = 'bram@example.nl' AND z.state <> 'revoked'").await,
        0
    );
    assert_eq!(
        count(&state.pool, "SELECT count(*) FROM outbox WHERE subject LIKE 'Aanvraag voor Bram Tester is afgewezen'").await,
        1
    );
    assert!(
        signin::sign_in(&state, "bram.tester", GOOD_PASSWORD.into(), None)
            .await
            .is_err()
    );

    // The final check's rejection needs a reason.
    let app2 = apply_second(&state).await;
    let (_, operator) = sign_in(&state, OPERATOR).await;
    assert_eq!(
        api(final_check::reject(&state, &operator, &app2, "  ")
            .await
            .unwrap_err()),
        ApiError::validation(Field::Reason, Rule::Required)
    );
    final_check::reject(
        &state,
        &operator,
        &app2,
        "Het identiteitsbewijs is verlopen.",
    )
    .await
    .unwrap();
    assert_eq!(
        count(
            &state.pool,
            "SELECT count(*) FROM outbox WHERE body LIKE '%Het identiteitsbewijs is verlopen.%'"
        )
        .await,
        1
    );
}

/// A second not-employed applicant, brought to the final check; returns its applicant id.
async fn apply_second(state: &AppState) -> String {
    let cor = person("Cor", "cor@example.nl", "06-33333333", false);
    submit(state, vec![cor], false, 1).await;
    let t = token(&state.pool, "cor@example.nl").await;
    up_to_summary(state, &t, "+31633333333", "cor.tester").await;
    acceptance::order(state, &t).await.unwrap();
    let r = reference(&state.pool, "cor@example.nl").await;
    let body = event(&r, "evt-cor", "passed");
    issuing::receive_webhook(state, Some(&signed(state, &body)), &body)
        .await
        .unwrap();
    let id: uuid::Uuid = sqlx::query_scalar(
        "SELECT au.id FROM application_users au JOIN users u ON u.id = au.user_id WHERE u.email = 'cor@example.nl'",
    )
    .fetch_one(&state.pool)
    .await
    .unwrap();
    id.to_string()
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn every_link_that_does_not_work_answers_the_same(pool: PgPool) {
    let state = state(pool).await;
    let application = apply(&state).await;
    let unknown = "x".repeat(43);
    assert_eq!(
        api(acceptance::open(&state, &unknown).await.unwrap_err()),
        ApiError::NotFound
    );
    // Expired.
    let anna = token(&state.pool, "anna@example.nl").await;
    sqlx::query("UPDATE invitations SET expires_at = now() - interval '1 second'")
        .execute(&state.pool)
        .await
        .unwrap();
    assert_eq!(
        api(acceptance::open(&state, &anna).await.unwrap_err()),
        ApiError::NotFound
    );
    sqlx::query("UPDATE invitations SET expires_at = now() + interval '1 day'")
        .execute(&state.pool)
        .await
        .unwrap();
    // Cancelled by the manager.
    let (_, manager) = sign_in(&state, MANAGER).await;
    applications::cancel_application(&state.pool, &manager, &application)
        .await
        .unwrap();
    assert_eq!(
        api(acceptance::open(&state, &anna).await.unwrap_err()),
        ApiError::NotFound
    );
    assert_eq!(
        api(acceptance::confirm(&state, &anna).await.unwrap_err()),
        ApiError::NotFound
    );
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn the_deadline_job_expires_and_reminds_once_even_when_run_twice_at_once(pool: PgPool) {
    let state = state(pool).await;
    apply(&state).await;
    let bram = token(&state.pool, "bram@example.nl").await;
    up_to_summary(&state, &bram, "+31622222222", "bram.tester").await;
    acceptance::order(&state, &bram).await.unwrap();
    let url = state.settings.public_url.clone();
    // Nothing is due yet.
    assert_eq!(
        issuing::run_deadlines(&state.pool, &url).await.unwrap(),
        (0, 0)
    );

    // Bram's deadline is in 3 days: one reminder, however often the job runs.
    sqlx::query("UPDATE application_users SET verification_deadline = now() + interval '3 days' WHERE status = 'identity_verification'")
        .execute(&state.pool)
        .await
        .unwrap();
    // Anna never accepted and her link expired.
    sqlx::query("UPDATE invitations i SET expires_at = now() - interval '1 minute' FROM application_users au JOIN users u ON u.id = au.user_id WHERE au.id = i.application_user_id AND u.email = 'anna@example.nl'")
        .execute(&state.pool)
        .await
        .unwrap();
    let (a, b) = tokio::join!(
        issuing::run_deadlines(&state.pool, &url),
        issuing::run_deadlines(&state.pool, &url)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!((a.0 + b.0, a.1 + b.1), (1, 1));
    assert_eq!(status(&state.pool, "anna@example.nl").await, "expired");
    assert_eq!(
        count(&state.pool, "SELECT count(*) FROM outbox WHERE subject = 'Herinnering: identificeer u voor eHerkenning'").await,
        1
    );
    assert_eq!(
        count(
            &state.pool,
            "SELECT count(*) FROM outbox WHERE subject = 'Aanvraag voor Anna Tester is verlopen'"
        )
        .await,
        1
    );
    assert_eq!(
        issuing::run_deadlines(&state.pool, &url).await.unwrap(),
        (0, 0)
    );
    // The deadline passes: the verification expires.
    sqlx::query("UPDATE application_users SET verification_deadline = now() - interval '1 second' WHERE status = 'identity_verification'")
        .execute(&state.pool)
        .await
        .unwrap();
    assert_eq!(
        issuing::run_deadlines(&state.pool, &url).await.unwrap(),
        (1, 0)
    );
    assert_eq!(status(&state.pool, "bram@example.nl").await, "expired");
}

/// Records what the portal asks the partner, and answers like the partner would.
struct RecordingPartner(
    std::sync::Mutex<Vec<app::server::identity_verification::VerificationRequest>>,
);

#[async_trait::async_trait]
impl app::server::identity_verification::IdentityVerifier for RecordingPartner {
    async fn start(
        &self,
        request: &app::server::identity_verification::VerificationRequest,
    ) -> app::server::error::ServiceResult<app::server::identity_verification::Started> {
        self.0.lock().unwrap().push(request.clone());
        Ok(app::server::identity_verification::Started {
            reference: "partner-ref-1".into(),
            url: "https://partner.example/start/1".into(),
        })
    }
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn the_partner_gets_the_person_and_a_deadline_30_days_out(pool: PgPool) {
    let mut state = state(pool).await;
    let partner = std::sync::Arc::new(RecordingPartner(Default::default()));
    state.identity = partner.clone();
    apply(&state).await;
    let t = token(&state.pool, "bram@example.nl").await;
    up_to_summary(&state, &t, "+31622222222", "bram.tester").await;
    let done = acceptance::order(&state, &t).await.unwrap();
    assert!(
        matches!(done, Ordered::IdentityVerification { ref url, .. } if url == "https://partner.example/start/1")
    );
    let sent = partner.0.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    let r = &sent[0];
    assert_eq!(
        (r.first_name.as_str(), r.last_name.as_str()),
        ("Bram", "Tester")
    );
    assert_eq!(r.date_of_birth.as_deref(), Some("1988-03-14"));
    assert_eq!(r.mobile, "+31622222222");
    let deadline = chrono::DateTime::parse_from_rfc3339(&r.deadline).expect("RFC 3339");
    let days = (deadline.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_hours();
    assert!((29 * 24..=30 * 24).contains(&days), "{}", r.deadline);
    let applicant: uuid::Uuid = sqlx::query_scalar(
        "SELECT id FROM application_users WHERE verification_reference = 'partner-ref-1'",
    )
    .fetch_one(&state.pool)
    .await
    .unwrap();
    assert_eq!(r.external_reference, applicant.to_string());
}

/// Anna accepts and is issued at once; Bram accepts and is sent to the identity verification.
async fn both_order(state: &AppState) {
    let anna = token(&state.pool, "anna@example.nl").await;
    up_to_summary(state, &anna, "+31611111111", "anna.tester").await;
    acceptance::order(state, &anna).await.unwrap();
    let bram = token(&state.pool, "bram@example.nl").await;
    up_to_summary(state, &bram, "+31622222222", "bram.tester").await;
    acceptance::order(state, &bram).await.unwrap();
}

/// The partner reports that Bram passed the verification.
async fn bram_passes(state: &AppState) {
    let r = reference(&state.pool, "bram@example.nl").await;
    let body = event(&r, "evt-bram-passed", "passed");
    issuing::receive_webhook(state, Some(&signed(state, &body)), &body)
        .await
        .unwrap();
}

async fn applicant_id(pool: &PgPool, email: &str) -> String {
    let id: uuid::Uuid = sqlx::query_scalar(
        "SELECT au.id FROM application_users au JOIN users u ON u.id = au.user_id WHERE u.email = $1",
    )
    .bind(email)
    .fetch_one(pool)
    .await
    .unwrap();
    id.to_string()
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn a_resent_invitations_old_link_is_dead_and_the_new_one_works(pool: PgPool) {
    let state = state(pool).await;
    apply(&state).await;
    let old = token(&state.pool, "anna@example.nl").await;
    assert_eq!(
        acceptance::confirm(&state, &old).await.unwrap().step,
        Step::Mobile
    );
    let (_, manager) = sign_in(&state, MANAGER).await;
    let anna = applicant_id(&state.pool, "anna@example.nl").await;
    applications::resend(&state, &manager, &anna).await.unwrap();
    let new = token(&state.pool, "anna@example.nl").await;
    assert_ne!(new, old);
    // The old link answers like an unknown one, for every step.
    for result in [
        acceptance::open(&state, &old).await,
        acceptance::confirm(&state, &old).await,
        acceptance::send_code(&state, &old).await,
    ] {
        assert_eq!(api(result.unwrap_err()), ApiError::NotFound);
    }
    assert_eq!(
        count(
            &state.pool,
            "SELECT count(*) FROM outbox WHERE channel = 'sms'"
        )
        .await,
        2 // the manager's two sign-in codes; none to Anna
    );
    // The new link works, and resumes where Anna was.
    assert_eq!(
        acceptance::open(&state, &new).await.unwrap().step,
        Step::Mobile
    );
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn exactly_the_messages_that_carry_a_code_or_a_personal_link_are_marked_sensitive(
    pool: PgPool,
) {
    let state = state(pool).await;
    apply(&state).await;
    both_order(&state).await;
    sqlx::query("UPDATE application_users SET verification_deadline = now() + interval '3 days' WHERE status = 'identity_verification'")
        .execute(&state.pool)
        .await
        .unwrap();
    issuing::run_deadlines(&state.pool, &state.settings.public_url)
        .await
        .unwrap();
    let (_, anna) = sign_in(&state, ("anna.tester", GOOD_PASSWORD)).await;
    app::server::account::change_password(
        &state,
        &anna,
        GOOD_PASSWORD.into(),
        "Ander-Wachtwoord8".into(),
        common::ip(),
    )
    .await
    .unwrap();

    // Every kind of message once: an e-mail by its subject, an SMS by the words before its code.
    let mut marked: Vec<(String, String, bool)> = sqlx::query_as(
        "SELECT DISTINCT channel, coalesce(subject, split_part(body, ' is ', 1)), sensitive FROM outbox",
    )
    .fetch_all(&state.pool)
    .await
    .unwrap();
    marked.sort();
    let row = |channel: &str, what: &str, sensitive: bool| {
        (channel.to_string(), what.to_string(), sensitive)
    };
    assert_eq!(
        marked,
        vec![
            row(
                "email",
                "Bakkerij De Vries B.V. vraagt eHerkenning voor u aan",
                true
            ),
            row(
                "email",
                "Herinnering: identificeer u voor eHerkenning",
                true
            ),
            row("email", "Identificeer u voor eHerkenning", true),
            row("email", "Uw eHerkenningsmiddel is actief", false),
            row(
                "email",
                "Uw wachtwoord voor Mijn Machtig is gewijzigd",
                false
            ),
            row("email", "eHerkenning van Anna Tester is uitgegeven", false),
            row("sms", "Uw bevestigingscode voor Mijn Machtig", true),
            row("sms", "Uw inlogcode voor Mijn Machtig", true),
        ]
    );
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn every_change_writes_its_audit_record_with_who_did_it(pool: PgPool) {
    let state = state(pool).await;
    apply(&state).await;
    let (_, manager) = sign_in(&state, MANAGER).await;
    // Anna accepts and is issued at once; Bram is verified, checked and issued.
    both_order(&state).await;
    bram_passes(&state).await;
    let (_, operator) = sign_in(&state, OPERATOR).await;
    let bram_id = applicant_id(&state.pool, "bram@example.nl").await;
    final_check::approve(&state, &operator, &bram_id)
        .await
        .unwrap();
    // A second application: a wrong code, resend, correct, cancel one, cancel the rest.
    submit(
        &state,
        vec![person("Cor", "cor@example.nl", "06-33333333", true)],
        true,
        1,
    )
    .await;
    let cor = token(&state.pool, "cor@example.nl").await;
    acceptance::confirm(&state, &cor).await.unwrap();
    acceptance::send_code(&state, &cor).await.unwrap();
    let right = last_code(&state.pool, "+31633333333").await;
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    let _ = acceptance::verify_code(&state, &cor, wrong).await;
    let cor_id = applicant_id(&state.pool, "cor@example.nl").await;
    applications::resend(&state, &manager, &cor_id)
        .await
        .unwrap();
    applications::correct(
        &state,
        &manager,
        &cor_id,
        "cor.nieuw@example.nl",
        "0644444444",
    )
    .await
    .unwrap();
    applications::cancel_applicant(&state.pool, &manager, &cor_id)
        .await
        .unwrap();
    let third = submit(
        &state,
        vec![person("Dirk", "dirk@example.nl", "06-55555555", true)],
        true,
        1,
    )
    .await;
    applications::cancel_application(&state.pool, &manager, &third)
        .await
        .unwrap();
    // Signing in wrongly and changing a password.
    let _ = signin::sign_in(&state, MANAGER.0, "Verkeerd-123".into(), common::ip()).await;
    let (_, anna_user) = sign_in(&state, ("anna.tester", GOOD_PASSWORD)).await;
    app::server::account::change_password(
        &state,
        &anna_user,
        GOOD_PASSWORD.into(),
        "Ander-Wachtwoord8".into(),
        common::ip(),
    )
    .await
    .unwrap();

    let anna_id: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM users WHERE username = 'anna.tester'")
            .fetch_one(&state.pool)
            .await
            .unwrap();
    // (action, who did it): the manager, the new user themselves or the operator; `None` where
    // the actor is not checked here (the partner's webhook and a failed sign-in have none).
    let m = Some(manager.user_id);
    let o = Some(operator.user_id);
    let a = Some(anna_id);
    for (action, actor) in [
        ("application.submitted", m),
        ("acceptance.details_confirmed", a),
        ("acceptance.code_sent", a),
        ("acceptance.mobile_verified", a),
        ("acceptance.credentials_chosen", a),
        ("acceptance.ordered", a),
        ("applicant.issued", a),
        ("applicant.verification_started", None),
        ("applicant.verification_passed", None),
        ("applicant.issued", o),
        ("acceptance.code_wrong", None),
        ("invitation.resent", m),
        ("applicant.corrected", m),
        ("applicant.cancelled", m),
        ("application.cancelled", m),
        ("signin.failed", None),
        ("signin.code_sent", None),
        ("signin.succeeded", m),
        ("account.password_changed", a),
    ] {
        let n = match actor {
            Some(id) => count(
                &state.pool,
                &format!("SELECT count(*) FROM audit_log WHERE action = '{action}' AND actor_id = '{id}'"),
            )
            .await,
            None => count(
                &state.pool,
                &format!("SELECT count(*) FROM audit_log WHERE action = '{action}'"),
            )
            .await,
        };
        assert!(n >= 1, "no audit record {action} by {actor:?}");
    }
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn lopende_aanvragen_shows_each_step_an_applicant_took_with_its_time(pool: PgPool) {
    let state = state(pool).await;
    let application = apply(&state).await;
    both_order(&state).await;
    bram_passes(&state).await;

    let (_, manager) = sign_in(&state, MANAGER).await;
    let detail = applications::detail(&state.pool, &manager, &application)
        .await
        .unwrap();
    let today: app::domain::date::Date =
        sqlx::query_scalar("SELECT (now() AT TIME ZONE 'Europe/Amsterdam')::date")
            .fetch_one(&state.pool)
            .await
            .unwrap();
    let steps_of = |name: &str| {
        let applicant = detail
            .applicants
            .iter()
            .find(|a| a.name == name)
            .expect(name);
        for (step, at) in &applicant.steps {
            // Dutch time, today.
            assert_eq!(at.date, today, "{step:?} {at}");
        }
        applicant
            .steps
            .iter()
            .map(|(s, _)| s.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        steps_of("Anna Tester"),
        vec!["confirmed", "mobile_verified", "ordered", "issued"]
    );
    assert_eq!(
        steps_of("Bram Tester"),
        vec!["confirmed", "mobile_verified", "ordered", "verified"]
    );
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn attack_the_old_link_holders_username_and_password_do_not_survive_a_correction(
    pool: PgPool,
) {
    let state = state(pool).await;
    apply(&state).await;
    let (_, manager) = sign_in(&state, MANAGER).await;
    // Whoever held Anna's link got as far as choosing a username and password.
    let old = token(&state.pool, "anna@example.nl").await;
    up_to_summary(&state, &old, "+31611111111", "anna.link").await;
    let anna = applicant_id(&state.pool, "anna@example.nl").await;
    applications::correct(
        &state,
        &manager,
        &anna,
        "anna.echt@example.nl",
        "0619999999",
    )
    .await
    .unwrap();
    let chosen: (Option<String>, Option<String>) = sqlx::query_as(
        "SELECT username, password_hash FROM users WHERE email = 'anna.echt@example.nl'",
    )
    .fetch_one(&state.pool)
    .await
    .unwrap();
    assert_eq!(chosen, (None, None));
    let set_at: Option<chrono::DateTime<chrono::Utc>> = sqlx::query_scalar(
        "SELECT au.credentials_set_at FROM application_users au JOIN users u ON u.id = au.user_id
         WHERE u.email = 'anna.echt@example.nl'",
    )
    .fetch_one(&state.pool)
    .await
    .unwrap();
    assert_eq!(set_at, None);
    // The old link is dead; the new one starts again, and the name is free for the real Anna.
    assert_eq!(
        api(acceptance::open(&state, &old).await.err().unwrap()),
        ApiError::NotFound
    );
    let new = token(&state.pool, "anna.echt@example.nl").await;
    up_to_summary(&state, &new, "+31619999999", "anna.link").await;
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn cancelling_goes_through_the_state_machine_and_leaves_finished_applicants_alone(
    pool: PgPool,
) {
    let state = state(pool).await;
    let application = apply(&state).await;
    let (_, manager) = sign_in(&state, MANAGER).await;
    // Anna finishes (employed: issued at once); Bram is still invited.
    let anna = token(&state.pool, "anna@example.nl").await;
    up_to_summary(&state, &anna, "+31611111111", "anna.klaar").await;
    acceptance::order(&state, &anna).await.unwrap();
    assert_eq!(status(&state.pool, "anna@example.nl").await, "issued");
    applications::cancel_application(&state.pool, &manager, &application)
        .await
        .unwrap();
    assert_eq!(status(&state.pool, "anna@example.nl").await, "issued");
    assert_eq!(status(&state.pool, "bram@example.nl").await, "cancelled");
    // Nothing open is left: cancelling again, or cancelling the issued one, is refused.
    assert_eq!(
        api(
            applications::cancel_application(&state.pool, &manager, &application)
                .await
                .err()
                .unwrap()
        ),
        ApiError::validation(Field::Application, Rule::NotOpen)
    );
    let anna_id = applicant_id(&state.pool, "anna@example.nl").await;
    assert_eq!(
        api(
            applications::cancel_applicant(&state.pool, &manager, &anna_id)
                .await
                .err()
                .unwrap()
        ),
        ApiError::validation(Field::Applicant, Rule::NotOpen)
    );
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn attack_an_operator_cannot_decide_on_an_application_of_their_own_organization(
    pool: PgPool,
) {
    let state = state(pool).await;
    apply(&state).await;
    both_order(&state).await;
    bram_passes(&state).await;
    let bram = applicant_id(&state.pool, "bram@example.nl").await;
    // The manager who submitted Bram's application is made operator as well.
    sqlx::query("UPDATE users SET is_operator = true WHERE username = $1")
        .bind(MANAGER.0)
        .execute(&state.pool)
        .await
        .unwrap();
    let (_, both) = sign_in(&state, MANAGER).await;
    assert_eq!(
        api(final_check::approve(&state, &both, &bram)
            .await
            .err()
            .unwrap()),
        ApiError::Forbidden
    );
    assert_eq!(
        api(final_check::reject(&state, &both, &bram, "eigen aanvraag")
            .await
            .err()
            .unwrap()),
        ApiError::Forbidden
    );
    assert_eq!(status(&state.pool, "bram@example.nl").await, "final_check");
    // Another operator decides.
    let (_, operator) = sign_in(&state, OPERATOR).await;
    final_check::approve(&state, &operator, &bram)
        .await
        .unwrap();
    assert_eq!(status(&state.pool, "bram@example.nl").await, "issued");
}

/// A partner that fails the first `fail` calls, takes `delay` for each answer, and then answers
/// with `reference`.
struct FlakyPartner {
    fail: std::sync::atomic::AtomicU32,
    calls: std::sync::atomic::AtomicU32,
    delay: std::time::Duration,
    reference: &'static str,
}

impl FlakyPartner {
    fn new(fail: u32, delay_ms: u64, reference: &'static str) -> std::sync::Arc<Self> {
        std::sync::Arc::new(Self {
            fail: fail.into(),
            calls: 0.into(),
            delay: std::time::Duration::from_millis(delay_ms),
            reference,
        })
    }
}

#[async_trait::async_trait]
impl app::server::identity_verification::IdentityVerifier for FlakyPartner {
    async fn start(
        &self,
        _: &app::server::identity_verification::VerificationRequest,
    ) -> app::server::error::ServiceResult<app::server::identity_verification::Started> {
        use std::sync::atomic::Ordering::SeqCst;
        self.calls.fetch_add(1, SeqCst);
        tokio::time::sleep(self.delay).await;
        if self
            .fail
            .fetch_update(SeqCst, SeqCst, |n| n.checked_sub(1))
            .is_ok()
        {
            return Err(ServiceError::internal("partner: 503"));
        }
        Ok(app::server::identity_verification::Started {
            reference: self.reference.into(),
            url: format!("https://partner.example/start/{}", self.reference),
        })
    }
}

async fn bram_at_summary(state: &AppState) -> String {
    apply(state).await;
    let t = token(&state.pool, "bram@example.nl").await;
    up_to_summary(state, &t, "+31622222222", "bram.tester").await;
    t
}

async fn verification_mails(pool: &PgPool) -> i64 {
    count(
        pool,
        "SELECT count(*) FROM outbox WHERE recipient = 'bram@example.nl' AND body LIKE '%partner.example/start%'",
    )
    .await
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn fault_a_failing_partner_does_not_undo_the_order_and_the_job_asks_again(pool: PgPool) {
    use app::server::verification;
    let mut state = state(pool).await;
    let partner = FlakyPartner::new(2, 0, "flaky-1");
    state.identity = partner.clone();
    let t = bram_at_summary(&state).await;

    // The partner fails: the order stands, and the page says the link follows by e-mail.
    assert_eq!(
        acceptance::order(&state, &t).await.unwrap(),
        Ordered::VerificationRequested
    );
    assert_eq!(status(&state.pool, "bram@example.nl").await, "accepted");
    assert_eq!(verification_mails(&state.pool).await, 0);
    // The link is used up: "Bestel" again is refused like any used link.
    assert!(acceptance::order(&state, &t).await.is_err());
    // Not yet due (backoff): the job does not ask.
    assert_eq!(verification::run_due(&state).await.unwrap(), 0);
    let due = "UPDATE application_users SET verification_next_at = now() WHERE status = 'accepted'";
    sqlx::query(due).execute(&state.pool).await.unwrap();
    // The second attempt fails too; the third works.
    assert_eq!(verification::run_due(&state).await.unwrap(), 0);
    sqlx::query(due).execute(&state.pool).await.unwrap();
    assert_eq!(verification::run_due(&state).await.unwrap(), 1);
    assert_eq!(
        status(&state.pool, "bram@example.nl").await,
        "identity_verification"
    );
    assert_eq!(reference(&state.pool, "bram@example.nl").await, "flaky-1");
    assert_eq!(verification_mails(&state.pool).await, 1);
    assert_eq!(partner.calls.load(std::sync::atomic::Ordering::SeqCst), 3);
    // Done: the job has nothing left, however often it runs.
    sqlx::query("UPDATE application_users SET verification_next_at = now()")
        .execute(&state.pool)
        .await
        .unwrap();
    assert_eq!(verification::run_due(&state).await.unwrap(), 0);
    assert_eq!(partner.calls.load(std::sync::atomic::Ordering::SeqCst), 3);
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn fault_a_webhook_that_arrives_before_the_partners_answer_is_not_lost(pool: PgPool) {
    let mut state = state(pool).await;
    state.identity = FlakyPartner::new(0, 0, "early-1");
    let t = bram_at_summary(&state).await;
    // The partner reports "passed" before its answer to our request reached us.
    let body = event("early-1", "evt-early", "passed");
    assert_eq!(
        issuing::receive_webhook(&state, Some(&signed(&state, &body)), &body)
            .await
            .unwrap(),
        WebhookOutcome::Ignored
    );
    assert!(matches!(
        acceptance::order(&state, &t).await.unwrap(),
        Ordered::IdentityVerification { .. }
    ));
    // Applied the moment the reference was recorded: on to the final check.
    assert_eq!(status(&state.pool, "bram@example.nl").await, "final_check");
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn fault_a_slow_partner_holds_no_database_connection(pool: PgPool) {
    // A pool of one connection: if the order held it while the partner works, nothing else
    // could run meanwhile.
    let one = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(std::time::Duration::from_secs(5))
        .connect_with(pool.connect_options().as_ref().clone())
        .await
        .unwrap();
    let mut state = state(pool).await;
    state.pool = one;
    state.identity = FlakyPartner::new(0, 1500, "slow-1");
    let t = bram_at_summary(&state).await;
    let ordering = {
        let state = state.clone();
        tokio::spawn(async move { acceptance::order(&state, &t).await })
    };
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    // The order is waiting for the partner now; the one connection is free.
    let started = std::time::Instant::now();
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert!(n > 0);
    assert!(
        started.elapsed() < std::time::Duration::from_millis(300),
        "waited {:?} for a connection",
        started.elapsed()
    );
    assert!(!ordering.is_finished());
    assert!(matches!(
        ordering.await.unwrap().unwrap(),
        Ordered::IdentityVerification { .. }
    ));
}
