//! Lopende aanvragen: the applications of the organizations the caller manages, and the
//! manager's actions on a new user who has not finished yet: resend the invitation, correct the
//! e-mail address or mobile number, cancel. Another organization's application answers exactly
//! like a missing one. Every action is one transaction with its audit record.

use super::authorizations::machine::{self, Period};
use super::error::{ServiceError, ServiceResult};
use super::session::SessionUser;
use super::state::AppState;
use super::{audit, catalog, tokens, wizard};
use crate::api::applications::{
    Applicant, ApplicationDetail, ApplicationFilter, ApplicationSummary, ApplicationsCursor,
    ApplicationsPage, ProgressStep, PAGE_SIZE,
};
use crate::api::wizard::OrgOption;
use crate::api::ApiError;
use crate::domain::acceptance::{Event, Status};
use crate::domain::authorization::Event as AuthorizationEvent;
use crate::domain::codes::{Field, Rule};
use crate::domain::date::Moment;
use crate::domain::new_user::normalized_email;
use crate::domain::phone::MobileNumber;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, PgPool, Row};
use uuid::Uuid;

fn parse_id(id: &str) -> ServiceResult<Uuid> {
    Uuid::parse_str(id).map_err(|_| ApiError::NotFound.into())
}

/// The row's `status` column as the domain's state.
fn status_of(r: &PgRow) -> ServiceResult<Status> {
    Status::parse(r.get("status")).ok_or_else(|| ServiceError::internal("unknown applicant status"))
}

const SUMMARY_COLUMNS: &str = "
    SELECT a.id, o.name AS organization, a.level, a.total_cents,
           a.submitted_at AT TIME ZONE 'Europe/Amsterdam' AS submitted_at,
           concat_ws(' ', s.first_name, nullif(s.infix, ''), s.last_name) AS submitted_by,
           (SELECT coalesce(jsonb_object_agg(status, n), '{}') FROM
              (SELECT status, count(*) AS n FROM application_users au
                WHERE au.application_id = a.id GROUP BY status) c) AS statuses";
const SUMMARY_FROM: &str = "
    FROM applications a
    JOIN organizations o ON o.id = a.org_id
    JOIN users s ON s.id = a.submitted_by";

fn summary(r: &PgRow) -> ApplicationSummary {
    let counts: serde_json::Value = r.get("statuses");
    ApplicationSummary {
        id: r.get::<Uuid, _>("id").to_string(),
        organization: r.get("organization"),
        level: r.get("level"),
        submitted_at: r.get("submitted_at"),
        submitted_by: r.get("submitted_by"),
        total_cents: r.get("total_cents"),
        statuses: Status::ALL
            .into_iter()
            .filter_map(|s| counts[s.as_str()].as_i64().map(|n| (s, n)))
            .collect(),
    }
}

/// The organizations the caller manages, by name.
pub async fn organizations(pool: &PgPool, caller: &SessionUser) -> ServiceResult<Vec<OrgOption>> {
    caller.require_manager()?;
    let mut conn = pool.acquire().await?;
    managed_organizations(&mut conn, caller).await
}

pub async fn managed_organizations(
    conn: &mut PgConnection,
    caller: &SessionUser,
) -> ServiceResult<Vec<OrgOption>> {
    organizations_named(conn, &caller.managed_orgs).await
}

/// The organizations `ids`, by name.
pub async fn organizations_named(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> ServiceResult<Vec<OrgOption>> {
    let rows: Vec<(Uuid, String)> =
        sqlx::query_as("SELECT id, name FROM organizations WHERE id = ANY($1) ORDER BY name")
            .bind(ids)
            .fetch_all(conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| OrgOption {
            id: id.to_string(),
            name,
        })
        .collect())
}

/// One page of the applications, newest first, paged by keyset: every page costs the same.
pub async fn list(
    pool: &PgPool,
    caller: &SessionUser,
    filter: &ApplicationFilter,
    after: Option<&ApplicationsCursor>,
) -> ServiceResult<ApplicationsPage> {
    caller.require_manager()?;
    let status = filter.status.map(Status::as_str);
    let orgs: Vec<Uuid> = match filter.org_id.as_deref() {
        None | Some("") => caller.managed_orgs.clone(),
        // Another organization's id filters down to nothing, as a missing one would.
        Some(id) => Uuid::parse_str(id)
            .ok()
            .filter(|id| caller.managed_orgs.contains(id))
            .into_iter()
            .collect(),
    };
    // A cursor this list never gave out is a bad request, as in Gebruikers.
    let (after_at, after_id) = match after {
        None => (None, None),
        Some(c) => (
            Some(c.submitted_at),
            Some(Uuid::parse_str(&c.id).map_err(|_| ApiError::BadRequest)?),
        ),
    };
    let mut rows = sqlx::query(&format!(
        "{SUMMARY_COLUMNS}, a.submitted_at AS submitted_utc {SUMMARY_FROM}
         WHERE a.org_id = ANY($1)
           AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM application_users au
                                            WHERE au.application_id = a.id AND au.status = $2))
           AND ($3::timestamptz IS NULL OR (a.submitted_at, a.id) < ($3, $4))
         ORDER BY a.submitted_at DESC, a.id DESC
         LIMIT $5"
    ))
    .bind(&orgs)
    .bind(status)
    .bind(after_at)
    .bind(after_id)
    .bind(PAGE_SIZE as i64 + 1)
    .fetch_all(pool)
    .await?;
    let next = (rows.len() > PAGE_SIZE).then(|| {
        rows.truncate(PAGE_SIZE);
        let last = &rows[PAGE_SIZE - 1];
        ApplicationsCursor {
            submitted_at: last.get("submitted_utc"),
            id: last.get::<Uuid, _>("id").to_string(),
        }
    });
    Ok(ApplicationsPage {
        rows: rows.iter().map(summary).collect(),
        next,
    })
}

pub async fn detail(
    pool: &PgPool,
    caller: &SessionUser,
    id: &str,
) -> ServiceResult<ApplicationDetail> {
    caller.require_manager()?;
    let id = parse_id(id)?;
    let Some(r) = sqlx::query(&format!(
        "{SUMMARY_COLUMNS}, a.with_authorizations AS wa, a.all_services AS alls, a.validity_years,
                a.subtotal_cents, a.vat_cents,
                (SELECT b.branch_number || ' ' || b.name FROM branches b WHERE b.id = a.branch_id) AS branch
         {SUMMARY_FROM}
         WHERE a.id = $1 AND a.org_id = ANY($2)"
    ))
    .bind(id)
    .bind(&caller.managed_orgs)
    .fetch_optional(pool)
    .await?
    else {
        return Err(ApiError::NotFound.into());
    };
    let services = catalog::application_service_names(pool, id).await?;
    let applicants = sqlx::query(
        "SELECT au.id, au.status, u.email, u.mobile, m.employed,
                concat_ws(' ', u.first_name, nullif(u.infix, ''), u.last_name) AS name,
                (SELECT max(i.expires_at) AT TIME ZONE 'Europe/Amsterdam'
                   FROM invitations i
                  WHERE i.application_user_id = au.id AND i.used_at IS NULL
                    AND i.revoked_at IS NULL AND i.expires_at > now()) AS valid_until,
                au.rejection_reason,
                ARRAY(SELECT s || ' ' || to_char(t AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD HH24:MI')
                        FROM (VALUES ('confirmed', au.confirmed_at, 1), ('mobile_verified', au.mobile_verified_at, 2),
                                     ('ordered', au.ordered_at, 3), ('verified', au.verified_at, 4),
                                     ('issued', au.issued_at, 5),
                                     ('rejected', CASE WHEN au.status = 'rejected' THEN au.decided_at END, 6)) AS v(s, t, n)
                       -- Steps of one transaction share a time: then the flow's order decides.
                       WHERE t IS NOT NULL ORDER BY t, n) AS steps
         FROM application_users au
         JOIN applications a ON a.id = au.application_id
         JOIN users u ON u.id = au.user_id
         JOIN memberships m ON m.user_id = u.id AND m.org_id = a.org_id
         WHERE au.application_id = $1
         ORDER BY lower(u.last_name), lower(u.first_name), au.id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|a| {
        Ok(Applicant {
            id: a.get::<Uuid, _>("id").to_string(),
            name: a.get("name"),
            email: a.get("email"),
            mobile: a.get("mobile"),
            employed: a.get("employed"),
            status: status_of(&a)?,
            invitation_valid_until: a.get("valid_until"),
            steps: a
                .get::<Vec<String>, _>("steps")
                .into_iter()
                .filter_map(|s| {
                    let (step, at) = s.split_once(' ')?;
                    Some((ProgressStep::parse(step)?, Moment::parse(at).ok()?))
                })
                .collect(),
            rejection_reason: a.get("rejection_reason"),
        })
    })
    .collect::<ServiceResult<_>>()?;
    Ok(ApplicationDetail {
        summary: summary(&r),
        branch: r.get("branch"),
        with_authorizations: r.get("wa"),
        all_services: r.get("alls"),
        services,
        validity_years: r.get("validity_years"),
        subtotal_cents: r.get("subtotal_cents"),
        vat_cents: r.get("vat_cents"),
        applicants,
    })
}

/// A new user of an application of one of the caller's organizations, locked for the change.
struct Pending {
    id: Uuid,
    user_id: Uuid,
    org: Uuid,
    org_name: String,
    status: Status,
    first_name: String,
    email: String,
    language: String,
}

async fn lock_applicant(
    conn: &mut PgConnection,
    caller: &SessionUser,
    applicant_id: &str,
) -> ServiceResult<Pending> {
    let id = parse_id(applicant_id)?;
    let Some(r) = sqlx::query(
        "SELECT au.id, au.user_id, au.status, a.org_id, o.name AS org_name,
                u.first_name, u.email, u.language
         FROM application_users au
         JOIN applications a ON a.id = au.application_id
         JOIN organizations o ON o.id = a.org_id
         JOIN users u ON u.id = au.user_id
         WHERE au.id = $1 AND a.org_id = ANY($2)
         FOR UPDATE OF au",
    )
    .bind(id)
    .bind(&caller.managed_orgs)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Err(ApiError::NotFound.into());
    };
    Ok(Pending {
        id: r.get("id"),
        user_id: r.get("user_id"),
        org: r.get("org_id"),
        org_name: r.get("org_name"),
        status: status_of(&r)?,
        first_name: r.get("first_name"),
        email: r.get("email"),
        language: r.get("language"),
    })
}

/// Revokes the user's links and sends a new one.
async fn reinvite(conn: &mut PgConnection, state: &AppState, p: &Pending) -> ServiceResult<()> {
    sqlx::query(
        "UPDATE invitations SET revoked_at = now()
         WHERE application_user_id = $1 AND used_at IS NULL AND revoked_at IS NULL",
    )
    .bind(p.id)
    .execute(&mut *conn)
    .await?;
    wizard::invite(
        conn,
        &state.settings.public_url,
        &p.org_name,
        &[p.id],
        &[tokens::new_token()],
        &[(p.email.clone(), p.first_name.clone(), p.language.clone())],
    )
    .await
}

pub async fn resend(
    state: &AppState,
    caller: &SessionUser,
    applicant_id: &str,
) -> ServiceResult<()> {
    caller.require_manager()?;
    let mut tx = state.pool.begin().await?;
    let p = lock_applicant(&mut tx, caller, applicant_id).await?;
    if p.status != Status::Invited {
        return Err(ApiError::validation(Field::Applicant, Rule::NotInvited).into());
    }
    reinvite(&mut tx, state, &p).await?;
    audit::record(
        &mut tx,
        Some(caller.user_id),
        audit::Action::InvitationResent,
        Some(p.org),
        serde_json::json!({ "applicant_id": p.id }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn correct(
    state: &AppState,
    caller: &SessionUser,
    applicant_id: &str,
    email: &str,
    mobile: &str,
) -> ServiceResult<()> {
    caller.require_manager()?;
    let email = normalized_email(email)
        .ok_or_else(|| ApiError::validation(Field::Email, Rule::InvalidEmail))?;
    let mobile = MobileNumber::parse(mobile)
        .map_err(|_| ApiError::validation(Field::Mobile, Rule::InvalidMobile))?;
    let mut tx = state.pool.begin().await?;
    let mut p = lock_applicant(&mut tx, caller, applicant_id).await?;
    if p.status != Status::Invited {
        return Err(ApiError::validation(Field::Applicant, Rule::NotInvited).into());
    }
    let taken: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM users u JOIN memberships m ON m.user_id = u.id
                        WHERE m.org_id = $1 AND lower(u.email) = lower($2) AND u.id <> $3)",
    )
    .bind(p.org)
    .bind(email.as_str())
    .bind(p.user_id)
    .fetch_one(&mut *tx)
    .await?;
    if taken {
        return Err(ApiError::validation(Field::Email, Rule::AlreadyMember).into());
    }
    sqlx::query("UPDATE users SET email = $2, mobile = $3 WHERE id = $1")
        .bind(p.user_id)
        .bind(email.as_str())
        .bind(mobile.as_str())
        .execute(&mut *tx)
        .await?;
    // The new number must be confirmed again; the user checks the corrected details first.
    // Whatever was chosen on the old link goes too: whoever held that link (perhaps the wrong
    // person, which is why it is corrected) must not keep a username and password.
    sqlx::query(
        "UPDATE application_users
         SET confirmed_at = NULL, mobile_verified_at = NULL, credentials_set_at = NULL
         WHERE id = $1",
    )
    .bind(p.id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE users SET username = NULL, password_hash = NULL WHERE id = $1 AND status = 'pending'",
    )
    .bind(p.user_id)
    .execute(&mut *tx)
    .await?;
    p.email = email.as_str().to_string();
    reinvite(&mut tx, state, &p).await?;
    audit::record(
        &mut tx,
        Some(caller.user_id),
        audit::Action::ApplicantCorrected,
        Some(p.org),
        serde_json::json!({ "applicant_id": p.id }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Ends locked applicants' part, each through the state machine (`Event::Cancel`): links stop
/// working, pending authorizations are revoked. Refuses the lot if any of them cannot be
/// cancelled.
async fn cancel(conn: &mut PgConnection, applicants: &[(Uuid, Status)]) -> ServiceResult<()> {
    let mut ids = Vec::with_capacity(applicants.len());
    let mut next = Vec::with_capacity(applicants.len());
    for (id, status) in applicants {
        let to = status
            .next(Event::Cancel)
            .ok_or_else(|| ApiError::validation(Field::Applicant, Rule::NotOpen))?;
        ids.push(*id);
        next.push(to.as_str());
    }
    sqlx::query(
        "UPDATE application_users au SET status = v.status, updated_at = now()
         FROM UNNEST($1::uuid[], $2::text[]) AS v(id, status) WHERE au.id = v.id",
    )
    .bind(&ids)
    .bind(&next)
    .execute(&mut *conn)
    .await?;
    revoke_pending(conn, &ids).await?;
    Ok(())
}

/// For applicants whose application ended: their links stop working and their pending
/// authorizations are revoked.
pub async fn revoke_pending(conn: &mut PgConnection, applicants: &[Uuid]) -> ServiceResult<()> {
    sqlx::query(
        "UPDATE invitations SET revoked_at = now()
         WHERE application_user_id = ANY($1) AND used_at IS NULL AND revoked_at IS NULL",
    )
    .bind(applicants)
    .execute(&mut *conn)
    .await?;
    let pending: Vec<Uuid> = sqlx::query_scalar(
        "SELECT z.id FROM authorizations z
           JOIN application_users au ON au.user_id = z.user_id
           JOIN applications a ON a.id = au.application_id AND a.org_id = z.org_id
          WHERE au.id = ANY($1) AND z.state = 'pending'",
    )
    .bind(applicants)
    .fetch_all(&mut *conn)
    .await?;
    machine::apply_many(
        conn,
        AuthorizationEvent::Revoke,
        &pending,
        Period::Unchanged,
    )
    .await?;
    Ok(())
}

pub async fn cancel_applicant(
    pool: &PgPool,
    caller: &SessionUser,
    applicant_id: &str,
) -> ServiceResult<()> {
    caller.require_manager()?;
    let mut tx = pool.begin().await?;
    let p = lock_applicant(&mut tx, caller, applicant_id).await?;
    cancel(&mut tx, &[(p.id, p.status)]).await?;
    audit::record(
        &mut tx,
        Some(caller.user_id),
        audit::Action::ApplicantCancelled,
        Some(p.org),
        serde_json::json!({ "applicant_id": p.id }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn cancel_application(
    pool: &PgPool,
    caller: &SessionUser,
    id: &str,
) -> ServiceResult<()> {
    caller.require_manager()?;
    let id = parse_id(id)?;
    let mut tx = pool.begin().await?;
    let org: Option<Uuid> = sqlx::query_scalar(
        "SELECT org_id FROM applications WHERE id = $1 AND org_id = ANY($2) FOR UPDATE",
    )
    .bind(id)
    .bind(&caller.managed_orgs)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(org) = org else {
        return Err(ApiError::NotFound.into());
    };
    // Every applicant, locked; the state machine says which are still open.
    let applicants: Vec<(Uuid, String)> = sqlx::query_as(
        "SELECT id, status FROM application_users WHERE application_id = $1 FOR UPDATE",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await?;
    let mut open = Vec::new();
    for (applicant, status) in applicants {
        let status = Status::parse(&status).ok_or_else(|| ServiceError::internal(status))?;
        if status.next(Event::Cancel).is_some() {
            open.push((applicant, status));
        }
    }
    if open.is_empty() {
        return Err(ApiError::validation(Field::Application, Rule::NotOpen).into());
    }
    cancel(&mut tx, &open).await?;
    audit::record(
        &mut tx,
        Some(caller.user_id),
        audit::Action::ApplicationCancelled,
        Some(org),
        serde_json::json!({ "application_id": id, "users": open.len() }),
    )
    .await?;
    tx.commit().await.map_err(ServiceError::from)?;
    Ok(())
}
