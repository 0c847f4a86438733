//! The broker's final check after a passed identity verification, for operators only (anyone
//! else gets `Forbidden`); and, in development, the identity-verification simulator.

use super::catalog;
use super::error::{ServiceError, ServiceResult};
use super::identity_verification as idv;
use super::issuing::{self, WebhookError};
use super::session::SessionUser;
use super::state::AppState;
use crate::api::final_check::{CheckDetail, CheckItem, SimulatedVerification};
use crate::api::ApiError;
use crate::domain::acceptance::Event;
use crate::domain::codes::{Field, Rule};
use sqlx::postgres::PgRow;
use sqlx::{PgPool, Row};
use uuid::Uuid;

pub const REASON_MAX: usize = 1000;

fn require_operator(caller: &SessionUser) -> Result<(), ApiError> {
    if caller.is_operator {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

const ITEM_COLUMNS: &str = "
    SELECT au.id, concat_ws(' ', u.first_name, nullif(u.infix, ''), u.last_name) AS name,
           o.name AS organization, o.kvk_number, a.level,
           au.verified_at AT TIME ZONE 'Europe/Amsterdam' AS verified";
const ITEM_FROM: &str = "
      FROM application_users au
      JOIN applications a ON a.id = au.application_id
      JOIN organizations o ON o.id = a.org_id
      JOIN users u ON u.id = au.user_id";

fn item(r: &PgRow) -> CheckItem {
    CheckItem {
        id: r.get::<Uuid, _>("id").to_string(),
        name: r.get("name"),
        organization: r.get("organization"),
        kvk: r.get("kvk_number"),
        level: r.get("level"),
        verified_at: r.get("verified"),
    }
}

/// The queue, oldest verification first.
pub async fn list(pool: &PgPool, caller: &SessionUser) -> ServiceResult<Vec<CheckItem>> {
    require_operator(caller)?;
    Ok(sqlx::query(&format!(
        "{ITEM_COLUMNS} {ITEM_FROM} WHERE au.status = 'final_check' ORDER BY au.verified_at, au.id LIMIT 500"
    ))
    .fetch_all(pool)
    .await?
    .iter()
    .map(item)
    .collect())
}

fn parse_id(id: &str) -> ServiceResult<Uuid> {
    Uuid::parse_str(id).map_err(|_| ApiError::NotFound.into())
}

pub async fn detail(pool: &PgPool, caller: &SessionUser, id: &str) -> ServiceResult<CheckDetail> {
    require_operator(caller)?;
    let id = parse_id(id)?;
    let Some(r) = sqlx::query(&format!(
        "{ITEM_COLUMNS}, u.email, u.mobile, u.date_of_birth AS dob,
                concat_ws(' ', s.first_name, nullif(s.infix, ''), s.last_name) AS submitted_by,
                au.verification_reference, a.id AS application_id, a.with_authorizations,
                a.all_services, a.validity_years
         {ITEM_FROM}
         JOIN users s ON s.id = a.submitted_by
         WHERE au.id = $1 AND au.status = 'final_check'"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?
    else {
        return Err(ApiError::NotFound.into());
    };
    let services =
        catalog::application_service_names(pool, r.get::<Uuid, _>("application_id")).await?;
    Ok(CheckDetail {
        item: item(&r),
        email: r.get("email"),
        mobile: r.get("mobile"),
        date_of_birth: r.get("dob"),
        submitted_by: r.get("submitted_by"),
        verification_reference: r
            .get::<Option<String>, _>("verification_reference")
            .unwrap_or_default(),
        with_authorizations: r.get("with_authorizations"),
        all_services: r.get("all_services"),
        services,
        validity_years: r.get("validity_years"),
    })
}

/// Locks an applicant in the queue; another state answers like a missing record.
/// The waiting applicant, locked. An operator does not decide on their own cases: an
/// application they submitted, or one of an organization they manage (four eyes).
async fn lock_waiting(
    conn: &mut sqlx::PgConnection,
    caller: &SessionUser,
    id: &str,
) -> ServiceResult<issuing::Applicant> {
    let id = parse_id(id)?;
    match issuing::lock(conn, id).await? {
        Some(a) if a.status == crate::domain::acceptance::Status::FinalCheck => {
            if a.manager_id == caller.user_id || caller.managed_orgs.contains(&a.org_id) {
                return Err(ApiError::Forbidden.into());
            }
            Ok(a)
        }
        _ => Err(ApiError::NotFound.into()),
    }
}

/// Approves: the means is issued, the user and the manager get an e-mail.
pub async fn approve(state: &AppState, caller: &SessionUser, id: &str) -> ServiceResult<()> {
    require_operator(caller)?;
    let mut tx = state.pool.begin().await?;
    let mut a = lock_waiting(&mut tx, caller, id).await?;
    sqlx::query("UPDATE application_users SET decided_by = $2, decided_at = now() WHERE id = $1")
        .bind(a.id)
        .bind(caller.user_id)
        .execute(&mut *tx)
        .await?;
    issuing::issue(
        &mut tx,
        &state.settings.public_url,
        &mut a,
        Some(caller.user_id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Rejects with a reason the manager reads in the e-mail.
pub async fn reject(
    state: &AppState,
    caller: &SessionUser,
    id: &str,
    reason: &str,
) -> ServiceResult<()> {
    require_operator(caller)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ApiError::validation(Field::Reason, Rule::Required).into());
    }
    if reason.chars().count() > REASON_MAX {
        return Err(ApiError::validation(Field::Reason, Rule::TooLong).into());
    }
    let mut tx = state.pool.begin().await?;
    let mut a = lock_waiting(&mut tx, caller, id).await?;
    issuing::reject(
        &mut tx,
        &state.settings.public_url,
        &mut a,
        Event::Reject,
        reason,
        Some(caller.user_id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn development_only(state: &AppState) -> Result<(), ApiError> {
    if state.settings.is_development() && state.settings.idv_api.is_none() {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}

/// The simulator's open verifications.
pub async fn simulated(state: &AppState) -> ServiceResult<Vec<SimulatedVerification>> {
    development_only(state)?;
    Ok(sqlx::query(
        "SELECT au.verification_reference AS reference,
                concat_ws(' ', u.first_name, nullif(u.infix, ''), u.last_name) AS name,
                u.email, o.name AS organization,
                (au.verification_deadline AT TIME ZONE 'Europe/Amsterdam')::date AS deadline
           FROM application_users au
           JOIN applications a ON a.id = au.application_id
           JOIN organizations o ON o.id = a.org_id
           JOIN users u ON u.id = au.user_id
          WHERE au.status = 'identity_verification' AND au.verification_reference LIKE 'sim-%'
          ORDER BY au.updated_at DESC LIMIT 200",
    )
    .fetch_all(&state.pool)
    .await?
    .iter()
    .map(|r| SimulatedVerification {
        reference: r.get("reference"),
        name: r.get("name"),
        email: r.get("email"),
        organization: r.get("organization"),
        deadline: r.get("deadline"),
    })
    .collect())
}

/// The simulator reports a result: a webhook event signed with the configured secret, handled
/// by the same code as the partner's.
pub async fn simulate(state: &AppState, reference: &str, passed: bool) -> ServiceResult<()> {
    development_only(state)?;
    let body = serde_json::to_vec(&serde_json::json!({
        "event_id": format!("sim-event-{}", Uuid::new_v4()),
        "reference": reference,
        "result": if passed { "passed" } else { "failed" },
    }))
    .map_err(ServiceError::internal)?;
    let signature = idv::sign(
        state.settings.idv_webhook_secret.expose().as_bytes(),
        chrono::Utc::now().timestamp(),
        &body,
    );
    match issuing::receive_webhook(state, Some(&signature), &body).await {
        Ok(issuing::WebhookOutcome::Applied) => Ok(()),
        Ok(_) => Err(ApiError::NotFound.into()),
        Err(WebhookError::Service(e)) => Err(e),
        Err(e) => Err(ServiceError::internal(e.to_string())),
    }
}
