//! Asking the identity-verification partner, outside any transaction. "Bestel" commits first
//! (the applicant is `accepted` with a due verification request); then the partner is called
//! with no database connection held, so a slow or failing partner can neither roll back the
//! order nor hold the pool. A call that fails or takes too long is retried by the job
//! (`run_due`) with backoff. The partner gets our applicant id as `external_reference` on
//! every attempt, so a retry after a lost answer names the same verification.
//!
//! A webhook may arrive before the partner's answer to our call does (the partner is fast, our
//! network slow): it is stored in `verification_events` and applied the moment the reference
//! is recorded here. Both sides take the same per-reference lock, so whichever commits second
//! sees the other.

use super::error::ServiceResult;
use super::identity_verification::{Started, VerificationRequest};
use super::issuing::{self, Applicant};
use super::outbox::messages;
use super::state::AppState;
use super::{audit, outbox};
use crate::domain::acceptance::{Event, Status, VERIFICATION_DAYS};
use sqlx::PgConnection;
use std::time::Duration;
use uuid::Uuid;

/// How long "Bestel" waits for the partner before telling the user the link follows by e-mail.
pub const INLINE_WAIT: Duration = Duration::from_secs(5);
/// A claimed request is not claimed again for this long: longer than the partner client's own
/// timeout (10 s), so two processes never ask at the same time.
const LEASE: &str = "2 minutes";

/// Marks a just-ordered applicant as waiting for the partner, leased to the caller that is about
/// to ask inline (in the order's transaction).
pub async fn schedule(conn: &mut PgConnection, applicant_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "UPDATE application_users SET verification_next_at = now() + interval '{LEASE}'
          WHERE id = $1"
    ))
    .bind(applicant_id)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct RequestRow {
    first_name: String,
    infix: String,
    last_name: String,
    dob: Option<String>,
    email: String,
    mobile: String,
    deadline: String,
}

/// Asks the partner to verify the applicant and records the answer; the link and its deadline
/// (dd-mm-jjjj) when it worked, `None` when it is left to the job (partner down or slow, or the
/// applicant no longer waiting). Holds no connection while the partner works.
pub async fn request(
    state: &AppState,
    applicant_id: Uuid,
    wait: Duration,
) -> ServiceResult<Option<(String, String)>> {
    let row: Option<RequestRow> = sqlx::query_as(
        "SELECT u.first_name, u.infix, u.last_name, to_char(u.date_of_birth, 'YYYY-MM-DD') AS dob,
                u.email, u.mobile,
                to_char((now() + make_interval(days => $2)) AT TIME ZONE 'UTC',
                        'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS deadline
           FROM application_users au JOIN users u ON u.id = au.user_id
          WHERE au.id = $1 AND au.status = 'accepted'",
    )
    .bind(applicant_id)
    .bind(VERIFICATION_DAYS as i32)
    .fetch_optional(&state.pool)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let asking = VerificationRequest {
        external_reference: applicant_id.to_string(),
        first_name: r.first_name,
        infix: r.infix,
        last_name: r.last_name,
        date_of_birth: r.dob,
        email: r.email,
        mobile: r.mobile,
        deadline: r.deadline,
    };
    let outcome = match tokio::time::timeout(wait, state.identity.start(&asking)).await {
        Ok(Ok(started)) => return record(state, applicant_id, &started).await,
        Ok(Err(e)) => e.to_string(),
        Err(_) => format!("no answer within {wait:?}"),
    };
    tracing::warn!(applicant_id = %applicant_id, error = %outcome, "identity verification request failed; retried later");
    // Backoff: 30 s after the first failure, doubling up to an hour.
    sqlx::query(
        "UPDATE application_users
            SET verification_attempts = verification_attempts + 1,
                verification_next_at = now() + make_interval(
                    secs => least(3600, 30 * power(2, least(verification_attempts, 7))))
          WHERE id = $1 AND status = 'accepted'",
    )
    .bind(applicant_id)
    .execute(&state.pool)
    .await?;
    Ok(None)
}

/// The partner accepted: the applicant waits for the verification, is e-mailed the link, and
/// a result that came in early is applied now.
async fn record(
    state: &AppState,
    applicant_id: Uuid,
    started: &Started,
) -> ServiceResult<Option<(String, String)>> {
    let mut tx = state.pool.begin().await?;
    lock_reference(&mut tx, &started.reference).await?;
    let Some(mut a) = issuing::lock(&mut tx, applicant_id).await? else {
        return Ok(None);
    };
    if a.status != Status::Accepted {
        // Cancelled meanwhile, or recorded by another attempt: nothing to add.
        tracing::info!(applicant_id = %a.id, status = ?a.status, "verification answer no longer needed");
        return Ok(None);
    }
    issuing::transition(&mut tx, &mut a, Event::VerificationStarted).await?;
    let deadline: crate::domain::date::Date = sqlx::query_scalar(
        "UPDATE application_users
            SET verification_reference = $2, verification_url = $3, verification_next_at = NULL,
                verification_deadline = now() + make_interval(days => $4)
          WHERE id = $1
         RETURNING (verification_deadline AT TIME ZONE 'Europe/Amsterdam')::date",
    )
    .bind(a.id)
    .bind(&started.reference)
    .bind(&started.url)
    .bind(VERIFICATION_DAYS as i32)
    .fetch_one(&mut *tx)
    .await?;
    let (subject, body) = messages::identity_verification_email(
        &a.language,
        &a.first_name,
        &a.organization,
        &started.url,
        deadline,
        false,
    );
    outbox::enqueue_email(&mut tx, &a.email, &subject, &body, outbox::Content::Secret).await?;
    audit::record(
        &mut tx,
        None,
        audit::Action::ApplicantVerificationStarted,
        Some(a.org_id),
        serde_json::json!({ "applicant_id": a.id }),
    )
    .await?;
    // The partner may have reported before its answer reached us.
    let early: Option<String> = sqlx::query_scalar(
        "SELECT result FROM verification_events WHERE reference = $1
          ORDER BY received_at, event_id LIMIT 1",
    )
    .bind(&started.reference)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(result) = early {
        apply(&mut tx, state, &mut a, result == "passed").await?;
    }
    tx.commit().await?;
    Ok(Some((started.url.clone(), deadline.to_dutch())))
}

/// Serializes the webhook and the recording of a reference (see the module's doc).
pub async fn lock_reference(conn: &mut PgConnection, reference: &str) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('verification:' || $1, 0))")
        .bind(reference)
        .execute(conn)
        .await?;
    Ok(())
}

/// Applies the partner's result to an applicant waiting for it.
pub async fn apply(
    conn: &mut PgConnection,
    state: &AppState,
    a: &mut Applicant,
    passed: bool,
) -> ServiceResult<()> {
    if passed {
        issuing::transition(&mut *conn, a, Event::VerificationPassed).await?;
        sqlx::query("UPDATE application_users SET verified_at = now() WHERE id = $1")
            .bind(a.id)
            .execute(&mut *conn)
            .await?;
        audit::record(
            conn,
            None,
            audit::Action::ApplicantVerificationPassed,
            Some(a.org_id),
            serde_json::json!({ "applicant_id": a.id }),
        )
        .await?;
    } else {
        let reason = match a.language.as_str() {
            "en" => "The identity verification did not succeed.",
            _ => "De identificatie is niet gelukt.",
        };
        issuing::reject(
            conn,
            &state.settings.public_url,
            a,
            Event::VerificationFailed,
            reason,
            None,
        )
        .await?;
    }
    Ok(())
}

/// The job: asks the partner for every ordered applicant whose request is due (a failed or
/// interrupted earlier attempt), each claimed under `FOR UPDATE SKIP LOCKED` and a lease so
/// that any number of processes can run it. Returns how many were started.
pub async fn run_due(state: &AppState) -> ServiceResult<u64> {
    let due: Vec<Uuid> = sqlx::query_scalar(&format!(
        "UPDATE application_users SET verification_next_at = now() + interval '{LEASE}'
          WHERE id IN (SELECT id FROM application_users
                        WHERE status = 'accepted' AND verification_next_at <= now()
                        ORDER BY verification_next_at LIMIT 20 FOR UPDATE SKIP LOCKED)
         RETURNING id"
    ))
    .fetch_all(&state.pool)
    .await?;
    let mut started = 0;
    for id in due {
        match request(state, id, Duration::from_secs(30)).await {
            Ok(Some(_)) => started += 1,
            Ok(None) => {}
            Err(e) => tracing::warn!(applicant_id = %id, error = %e, "verification request"),
        }
    }
    Ok(started)
}
