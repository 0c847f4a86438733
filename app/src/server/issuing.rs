//! After "Bestel": issuing the login means at once (employed), or first the identity
//! verification at the partner and the broker's final check (not employed). Every change of an
//! applicant's status goes through `transition`, which applies the domain's state machine to the
//! locked row, so nothing is issued twice and nothing skips a step.

use super::authorizations::machine::{self, Period};
use super::authorizations::managers;
use super::error::{ServiceError, ServiceResult};
use super::identity_verification as idv;
use super::outbox::messages::{self, ManagerOutcome};
use super::state::AppState;
use super::{applications, audit, outbox, verification};
use crate::api::ApiError;
use crate::domain::acceptance::{Event, Status, VERIFICATION_REMINDER_DAYS_BEFORE};
use crate::domain::authorization::Event as AuthorizationEvent;
use crate::domain::codes::{Field, Rule};
use crate::domain::new_user::full_name;
use sqlx::{PgConnection, PgPool, Row};
use uuid::Uuid;

/// An applicant with what the messages need, read under a row lock.
pub struct Applicant {
    pub id: Uuid,
    pub user_id: Uuid,
    pub application_id: Uuid,
    pub org_id: Uuid,
    pub status: Status,
    pub employed: bool,
    pub first_name: String,
    pub name: String,
    pub email: String,
    pub language: String,
    pub username: Option<String>,
    pub organization: String,
    pub manager_id: Uuid,
}

const APPLICANT: &str =
    "SELECT au.id, au.user_id, au.application_id, a.org_id, au.status, m.employed,
        u.first_name, u.infix, u.last_name, u.email, u.language, u.username,
        o.name AS organization, a.submitted_by
   FROM application_users au
   JOIN applications a ON a.id = au.application_id
   JOIN organizations o ON o.id = a.org_id
   JOIN users u ON u.id = au.user_id
   JOIN memberships m ON m.user_id = au.user_id AND m.org_id = a.org_id";

fn applicant(r: &sqlx::postgres::PgRow) -> ServiceResult<Applicant> {
    Ok(Applicant {
        id: r.get("id"),
        user_id: r.get("user_id"),
        application_id: r.get("application_id"),
        org_id: r.get("org_id"),
        status: Status::parse(r.get("status"))
            .ok_or_else(|| ServiceError::internal("unknown applicant status"))?,
        employed: r.get("employed"),
        first_name: r.get("first_name"),
        name: full_name(r.get("first_name"), r.get("infix"), r.get("last_name")),
        email: r.get("email"),
        language: r.get("language"),
        username: r.get("username"),
        organization: r.get("organization"),
        manager_id: r.get("submitted_by"),
    })
}

/// The applicant with `id`, locked for a change.
pub async fn lock(conn: &mut PgConnection, id: Uuid) -> ServiceResult<Option<Applicant>> {
    sqlx::query(&format!("{APPLICANT} WHERE au.id = $1 FOR UPDATE OF au"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| applicant(&r))
        .transpose()
}

/// Moves a locked applicant along `event`; refuses what the state machine does not allow.
pub async fn transition(
    conn: &mut PgConnection,
    a: &mut Applicant,
    event: Event,
) -> ServiceResult<()> {
    let next = a
        .status
        .next(event)
        .ok_or_else(|| ApiError::validation(Field::Applicant, Rule::NotOpen))?;
    sqlx::query("UPDATE application_users SET status = $2, updated_at = now() WHERE id = $1")
        .bind(a.id)
        .bind(next.as_str())
        .execute(&mut *conn)
        .await?;
    a.status = next;
    Ok(())
}

async fn manager_email(
    conn: &mut PgConnection,
    state_url: &str,
    a: &Applicant,
    outcome: ManagerOutcome<'_>,
) -> ServiceResult<()> {
    // Every manager of the organization hears the outcome, and the one who applied even when
    // no longer a manager; not the applicant, who has a message of their own.
    let mut to: Vec<(String, String, String)> = managers::of_orgs(&mut *conn, &[a.org_id])
        .await?
        .into_iter()
        .filter(|m| m.id != a.user_id && m.id != a.manager_id)
        .map(|m| (m.first_name, m.email, m.language))
        .collect();
    to.push(
        sqlx::query_as("SELECT first_name, email, language FROM users WHERE id = $1")
            .bind(a.manager_id)
            .fetch_one(&mut *conn)
            .await?,
    );
    for (first_name, email, language) in to {
        let (subject, body) = messages::manager_outcome_email(
            &language,
            &first_name,
            &a.name,
            &a.organization,
            outcome,
            state_url,
        );
        outbox::enqueue_email(&mut *conn, &email, &subject, &body, outbox::Content::Plain).await?;
    }
    Ok(())
}

/// Issues the login means: the account becomes active, its pending authorizations start now
/// for the application's validity, and the user and the manager are told.
pub async fn issue(
    conn: &mut PgConnection,
    public_url: &str,
    a: &mut Applicant,
    actor: Option<Uuid>,
) -> ServiceResult<()> {
    transition(&mut *conn, a, Event::Issue).await?;
    sqlx::query("UPDATE application_users SET issued_at = now() WHERE id = $1")
        .bind(a.id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE users SET status = 'active' WHERE id = $1 AND status = 'pending'")
        .bind(a.user_id)
        .execute(&mut *conn)
        .await?;
    let (ids, years): (Vec<Uuid>, i32) = {
        let rows: Vec<(Uuid, i32)> = sqlx::query_as(
            "SELECT z.id, ap.validity_years FROM authorizations z
               JOIN applications ap ON ap.org_id = z.org_id
              WHERE ap.id = $1 AND z.user_id = $2 AND z.state = 'pending'",
        )
        .bind(a.application_id)
        .bind(a.user_id)
        .fetch_all(&mut *conn)
        .await?;
        let years = rows.first().map(|r| r.1).unwrap_or(1);
        (rows.into_iter().map(|r| r.0).collect(), years)
    };
    machine::apply_many(
        &mut *conn,
        AuthorizationEvent::Issue,
        &ids,
        Period::FromNow { years },
    )
    .await?;
    let username = a
        .username
        .clone()
        .ok_or_else(|| ServiceError::internal("issuing without a username"))?;
    let (subject, body) = messages::issued_email(
        &a.language,
        &a.first_name,
        &a.organization,
        &username,
        public_url,
    );
    outbox::enqueue_email(
        &mut *conn,
        &a.email,
        &subject,
        &body,
        outbox::Content::Plain,
    )
    .await?;
    manager_email(&mut *conn, public_url, a, ManagerOutcome::Issued).await?;
    audit::record(
        &mut *conn,
        actor,
        audit::Action::ApplicantIssued,
        Some(a.org_id),
        serde_json::json!({ "applicant_id": a.id }),
    )
    .await?;
    Ok(())
}

/// Ends an applicant's application with a rejection: pending authorizations are revoked, the
/// manager and the user are told.
pub async fn reject(
    conn: &mut PgConnection,
    public_url: &str,
    a: &mut Applicant,
    event: Event,
    reason: &str,
    actor: Option<Uuid>,
) -> ServiceResult<()> {
    transition(&mut *conn, a, event).await?;
    sqlx::query(
        "UPDATE application_users SET rejection_reason = $2, decided_by = $3, decided_at = now()
          WHERE id = $1",
    )
    .bind(a.id)
    .bind(reason)
    .bind(actor)
    .execute(&mut *conn)
    .await?;
    applications::revoke_pending(&mut *conn, &[a.id]).await?;
    manager_email(&mut *conn, public_url, a, ManagerOutcome::Rejected(reason)).await?;
    let (subject, body) = messages::rejected_email(&a.language, &a.first_name, &a.organization);
    outbox::enqueue_email(
        &mut *conn,
        &a.email,
        &subject,
        &body,
        outbox::Content::Plain,
    )
    .await?;
    audit::record(
        &mut *conn,
        actor,
        audit::Action::ApplicantRejected,
        Some(a.org_id),
        serde_json::json!({ "applicant_id": a.id, "reason": reason }),
    )
    .await?;
    Ok(())
}

/// What the webhook made of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookOutcome {
    Applied,
    /// This event id was processed before: nothing changed.
    Duplicate,
    /// Signed and new, but for no applicant waiting for verification: recorded, nothing changed.
    Ignored,
}

#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error("signature: {0}")]
    Signature(#[from] idv::SignatureError),
    #[error("malformed event")]
    Malformed,
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl From<sqlx::Error> for WebhookError {
    fn from(e: sqlx::Error) -> Self {
        Self::Service(e.into())
    }
}

#[derive(Debug, PartialEq, Eq, serde::Deserialize)]
struct WebhookEvent {
    event_id: String,
    reference: String,
    result: String,
}

/// The event in a (signed) webhook body and whether it reports a pass: JSON with a result of
/// `passed` or `failed` and an event id of 1 to 200 bytes, or else malformed. Kept apart from
/// the database work so it can be fuzzed.
fn parse_event(body: &[u8]) -> Result<(WebhookEvent, bool), WebhookError> {
    let event: WebhookEvent = serde_json::from_slice(body).map_err(|_| WebhookError::Malformed)?;
    let passed = match event.result.as_str() {
        "passed" => true,
        "failed" => false,
        _ => return Err(WebhookError::Malformed),
    };
    if event.event_id.is_empty() || event.event_id.len() > 200 {
        return Err(WebhookError::Malformed);
    }
    Ok((event, passed))
}

/// The partner's report: checked against the signature, processed once per event id, applied
/// only to an applicant waiting for exactly this verification.
pub async fn receive_webhook(
    state: &AppState,
    signature: Option<&str>,
    body: &[u8],
) -> Result<WebhookOutcome, WebhookError> {
    idv::verify(
        state.settings.idv_webhook_secret.expose().as_bytes(),
        signature,
        body,
        chrono::Utc::now().timestamp(),
    )?;
    let (event, passed) = parse_event(body)?;
    let mut tx = state.pool.begin().await?;
    // The same lock as recording a reference: an event that comes before the partner's answer
    // to our request is stored here and applied there (see `verification`).
    verification::lock_reference(&mut tx, &event.reference).await?;
    let new = sqlx::query(
        "INSERT INTO verification_events (event_id, reference, result) VALUES ($1, $2, $3)
         ON CONFLICT (event_id) DO NOTHING",
    )
    .bind(&event.event_id)
    .bind(&event.reference)
    .bind(&event.result)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !new {
        return Ok(WebhookOutcome::Duplicate);
    }
    let row = sqlx::query(&format!(
        "{APPLICANT} WHERE au.verification_reference = $1 AND au.status = 'identity_verification'
         FOR UPDATE OF au"
    ))
    .bind(&event.reference)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        tx.commit().await?;
        return Ok(WebhookOutcome::Ignored);
    };
    let mut a = applicant(&row)?;
    verification::apply(&mut tx, state, &mut a, passed).await?;
    tx.commit().await?;
    Ok(WebhookOutcome::Applied)
}

/// The scheduled job: expires invitations nobody accepted in time and verifications past their
/// deadline, and reminds users whose deadline is near. Each applicant is handled in its own
/// short transaction under `FOR UPDATE SKIP LOCKED`, so any number of server processes can run
/// it at once without handling anyone twice. Returns (expired, reminded).
pub async fn run_deadlines(pool: &PgPool, public_url: &str) -> ServiceResult<(u64, u64)> {
    let mut expired = 0;
    loop {
        let mut tx = pool.begin().await?;
        let row = sqlx::query(&format!(
            "{APPLICANT}
              WHERE (au.status = 'invited'
                     AND NOT EXISTS (SELECT 1 FROM invitations i
                                      WHERE i.application_user_id = au.id
                                        AND i.revoked_at IS NULL AND i.expires_at > now()))
                 OR (au.status = 'identity_verification' AND au.verification_deadline < now())
              LIMIT 1
              FOR UPDATE OF au SKIP LOCKED"
        ))
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else { break };
        let mut a = applicant(&row)?;
        transition(&mut tx, &mut a, Event::Expire).await?;
        applications::revoke_pending(&mut tx, &[a.id]).await?;
        manager_email(&mut tx, public_url, &a, ManagerOutcome::Expired).await?;
        audit::record(
            &mut tx,
            None,
            audit::Action::ApplicantExpired,
            Some(a.org_id),
            serde_json::json!({ "applicant_id": a.id }),
        )
        .await?;
        tx.commit().await?;
        expired += 1;
    }
    let mut reminded = 0;
    loop {
        let mut tx = pool.begin().await?;
        let row = sqlx::query(&format!(
            "SELECT q.*, au.verification_url,
                    (au.verification_deadline AT TIME ZONE 'Europe/Amsterdam')::date AS deadline
               FROM ({APPLICANT}) q JOIN application_users au ON au.id = q.id
              WHERE au.status = 'identity_verification' AND au.verification_reminded_at IS NULL
                AND au.verification_deadline < now() + make_interval(days => $1)
              LIMIT 1
              FOR UPDATE OF au SKIP LOCKED"
        ))
        .bind(VERIFICATION_REMINDER_DAYS_BEFORE as i32)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else { break };
        let a = applicant(&row)?;
        sqlx::query("UPDATE application_users SET verification_reminded_at = now() WHERE id = $1")
            .bind(a.id)
            .execute(&mut *tx)
            .await?;
        let url: String = row.get("verification_url");
        let deadline: crate::domain::date::Date = row.get("deadline");
        let (subject, body) = messages::identity_verification_email(
            &a.language,
            &a.first_name,
            &a.organization,
            &url,
            deadline,
            true,
        );
        outbox::enqueue_email(&mut tx, &a.email, &subject, &body, outbox::Content::Secret).await?;
        tx.commit().await?;
        reminded += 1;
    }
    Ok((expired, reminded))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fuzz_tests::{json_bytes, json_value, text_from};
    use proptest::prelude::*;

    /// A string for one of the event's fields: the values that mean something, empty, 200
    /// and 201 bytes, odd text, or anything.
    fn field() -> impl Strategy<Value = String> {
        prop_oneof![
            2 => proptest::sample::select(vec!["passed", "failed", "Passed", "passed ", "", "e1"])
                .prop_map(String::from),
            1 => proptest::sample::select(vec![199, 200, 201, 400])
                .prop_map(|bytes| "é".repeat(bytes / 2) + &"x".repeat(bytes % 2)),
            2 => text_from("abc-_ \"\\", 20),
            1 => any::<String>(),
        ]
    }

    proptest! {
        // 1,000 cases each, well under a second; PROPTEST_CASES overrides.
        #![proptest_config(ProptestConfig::with_cases(1000))]

        /// Arbitrary bytes, arbitrary JSON and broken JSON never panic; whatever is read is a
        /// pass or a failure with a usable event id.
        #[test]
        fn fuzz_webhook_bodies_never_panic_and_what_is_read_is_well_formed(
            body in json_bytes(&["event_id", "reference", "result"]),
        ) {
            if let Ok((event, passed)) = parse_event(&body) {
                prop_assert!(matches!(event.result.as_str(), "passed" | "failed"));
                prop_assert_eq!(passed, event.result == "passed");
                prop_assert!((1..=200).contains(&event.event_id.len()));
            }
        }

        /// An event object is read exactly as sent, extra fields ignored, exactly when its
        /// result is `passed` or `failed` and its event id has 1 to 200 bytes.
        #[test]
        fn fuzz_webhook_events_are_read_as_sent_or_refused(
            event_id in field(),
            reference in field(),
            result in field(),
            extra in proptest::option::of(json_value(&[])),
        ) {
            let mut json = serde_json::json!({
                "event_id": event_id,
                "reference": reference,
                "result": result,
            });
            if let Some(extra) = extra {
                json["extra"] = extra;
            }
            let body = serde_json::to_vec(&json).unwrap();
            let valid = matches!(result.as_str(), "passed" | "failed")
                && (1..=200).contains(&event_id.len());
            match parse_event(&body) {
                Ok((event, passed)) => {
                    prop_assert!(valid);
                    prop_assert_eq!(event, WebhookEvent { event_id, reference, result: result.clone() });
                    prop_assert_eq!(passed, result == "passed");
                }
                Err(e) => {
                    prop_assert!(!valid);
                    prop_assert!(matches!(e, WebhookError::Malformed));
                }
            }
        }
    }
}
