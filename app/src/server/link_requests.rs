//! Link requests (koppelverzoeken). A manager asks an existing user, by e-mail address, to be
//! linked to one more of the manager's organizations. The answer to the manager never tells
//! whether the address belongs to anyone: a request to an unknown address is stored and listed
//! alike, it only sends no e-mail. The user sees the request under Mijn account and accepts (a
//! membership of the organization at once) or declines; the manager who asked is told. Every
//! change of status goes through `domain::link_request`'s machine.

use crate::api::link_requests::{ReceivedRequest, SentRequest};
use crate::api::ApiError;
use crate::domain::codes::{Field, Rule};
use crate::domain::date::Date;
use crate::domain::email::Email;
use crate::domain::ids::{LinkRequestId, OrgId};
use crate::domain::link_request::{Event, Status, DAYS};
use crate::domain::new_user::full_name;
use crate::server::audit;
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::outbox::{self, messages};
use crate::server::session::{Manager, SessionUser};
use crate::server::state::AppState;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// The open requests of the manager's organizations, newest first.
pub async fn sent(pool: &PgPool, manager: &Manager) -> ServiceResult<Vec<SentRequest>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: Uuid,
        organization: String,
        email: String,
        sent_on: Date,
        open_until: Date,
        first_name: String,
        infix: String,
        last_name: String,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT r.id, o.name AS organization, r.email,
                (r.created_at AT TIME ZONE 'Europe/Amsterdam')::date AS sent_on,
                (r.expires_at AT TIME ZONE 'Europe/Amsterdam')::date AS open_until,
                m.first_name, m.infix, m.last_name
           FROM link_requests r
           JOIN organizations o ON o.id = r.org_id
           JOIN users m ON m.id = r.requested_by
          WHERE r.org_id = ANY($1) AND r.status = 'open' AND r.expires_at > now()
          ORDER BY r.created_at DESC, r.id
          LIMIT 500",
    )
    .bind(manager.orgs())
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| SentRequest {
            id: r.id.into(),
            organization: r.organization,
            email: r.email,
            sent_on: r.sent_on,
            open_until: r.open_until,
            sent_by: full_name(&r.first_name, &r.infix, &r.last_name),
        })
        .collect())
}

pub async fn send(
    state: &AppState,
    manager: &Manager,
    org: &OrgId,
    email: &str,
) -> ServiceResult<()> {
    let email =
        Email::parse(email).map_err(|_| ApiError::validation(Field::Email, Rule::InvalidEmail))?;
    let org = org.uuid();
    if !manager.orgs().contains(&org) {
        return Err(ApiError::NotFound.into());
    }
    let mut tx = state.pool.begin().await?;
    // Someone who is a user of the organization already: the manager sees them under
    // Gebruikers anyway, so saying so tells nothing new.
    let member: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id
                         WHERE m.org_id = $1 AND lower(u.email) = lower($2))",
    )
    .bind(org)
    .bind(email.as_str())
    .fetch_one(&mut *tx)
    .await?;
    if member {
        return Err(ApiError::validation(Field::Email, Rule::AlreadyMember).into());
    }
    // Only someone who holds a login means can sign in to answer.
    let user: Option<(Uuid, String, String, String)> = sqlx::query_as(
        "SELECT id, first_name, language, email FROM users
          WHERE lower(email) = lower($1) AND status = 'active'
          ORDER BY created_at LIMIT 1",
    )
    .bind(email.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    let id: Option<Uuid> = sqlx::query_scalar(
        "INSERT INTO link_requests (org_id, email, user_id, requested_by, expires_at)
         VALUES ($1, $2, $3, $4, now() + make_interval(days => $5))
         ON CONFLICT (org_id, lower(email)) WHERE status = 'open' DO NOTHING
         RETURNING id",
    )
    .bind(org)
    .bind(email.as_str())
    .bind(user.as_ref().map(|u| u.0))
    .bind(manager.user_id())
    .bind(DAYS)
    .fetch_optional(&mut *tx)
    .await?;
    // Asking again while one is open is the same request: nothing more is sent.
    let Some(id) = id else {
        return Ok(());
    };
    if let Some((_, first_name, language, address)) = &user {
        let (organization, first, infix, last): (String, String, String, String) = sqlx::query_as(
            "SELECT o.name, m.first_name, m.infix, m.last_name
                   FROM organizations o, users m WHERE o.id = $1 AND m.id = $2",
        )
        .bind(org)
        .bind(manager.user_id())
        .fetch_one(&mut *tx)
        .await?;
        let by = full_name(&first, &infix, &last);
        let (subject, body) = messages::link_request_email(
            language,
            first_name,
            &by,
            &organization,
            &state.settings.public_url,
        );
        // To the address as the user keeps it, not as the manager typed it.
        outbox::enqueue_email(&mut tx, address, &subject, &body, outbox::Content::Plain).await?;
    }
    audit::record(
        &mut tx,
        Some(manager.user_id()),
        audit::Action::LinkRequested,
        Some(org),
        serde_json::json!({ "link_request_id": id }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Applies `event` to the locked request `id` in `status`; None when it no longer applies.
async fn apply(
    conn: &mut PgConnection,
    id: Uuid,
    status: &str,
    event: Event,
) -> ServiceResult<Option<Status>> {
    let status = Status::parse(status).ok_or_else(|| ServiceError::internal("link status"))?;
    let Some(next) = status.next(event) else {
        return Ok(None);
    };
    sqlx::query("UPDATE link_requests SET status = $2, decided_at = now() WHERE id = $1")
        .bind(id)
        .bind(next.as_str())
        .execute(conn)
        .await?;
    Ok(Some(next))
}

pub async fn withdraw(pool: &PgPool, manager: &Manager, id: &LinkRequestId) -> ServiceResult<()> {
    let mut tx = pool.begin().await?;
    let row: Option<(Uuid, String)> = sqlx::query_as(
        "SELECT org_id, status FROM link_requests
          WHERE id = $1 AND org_id = ANY($2) AND expires_at > now()
          FOR UPDATE",
    )
    .bind(id.uuid())
    .bind(manager.orgs())
    .fetch_optional(&mut *tx)
    .await?;
    let Some((org, status)) = row else {
        return Err(ApiError::NotFound.into());
    };
    if apply(&mut tx, id.uuid(), &status, Event::Withdraw)
        .await?
        .is_none()
    {
        return Err(ApiError::NotFound.into());
    }
    audit::record(
        &mut tx,
        Some(manager.user_id()),
        audit::Action::LinkWithdrawn,
        Some(org),
        serde_json::json!({ "link_request_id": id.uuid() }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The open requests to the signed-in user.
pub async fn received(pool: &PgPool, caller: &SessionUser) -> ServiceResult<Vec<ReceivedRequest>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: Uuid,
        organization: String,
        sent_on: Date,
        first_name: String,
        infix: String,
        last_name: String,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT r.id, o.name AS organization,
                (r.created_at AT TIME ZONE 'Europe/Amsterdam')::date AS sent_on,
                m.first_name, m.infix, m.last_name
           FROM link_requests r
           JOIN organizations o ON o.id = r.org_id
           JOIN users m ON m.id = r.requested_by
          WHERE r.user_id = $1 AND r.status = 'open' AND r.expires_at > now()
          ORDER BY r.created_at, r.id",
    )
    .bind(caller.user_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ReceivedRequest {
            id: r.id.into(),
            organization: r.organization,
            sent_by: full_name(&r.first_name, &r.infix, &r.last_name),
            sent_on: r.sent_on,
        })
        .collect())
}

/// The user's answer. Accepting links the user to the organization at once; either way the
/// manager who asked is told.
pub async fn answer(
    state: &AppState,
    caller: &SessionUser,
    id: &LinkRequestId,
    accept: bool,
) -> ServiceResult<Status> {
    #[derive(sqlx::FromRow)]
    struct Row {
        org_id: Uuid,
        status: String,
        organization: String,
        manager_first_name: String,
        manager_email: String,
        manager_language: String,
    }
    let mut tx = state.pool.begin().await?;
    let row: Option<Row> = sqlx::query_as(
        "SELECT r.org_id, r.status, o.name AS organization, m.first_name AS manager_first_name,
                m.email AS manager_email, m.language AS manager_language
           FROM link_requests r
           JOIN organizations o ON o.id = r.org_id
           JOIN users m ON m.id = r.requested_by
          WHERE r.id = $1 AND r.user_id = $2 AND r.expires_at > now()
          FOR UPDATE OF r",
    )
    .bind(id.uuid())
    .bind(caller.user_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(r) = row else {
        return Err(ApiError::NotFound.into());
    };
    let event = if accept {
        Event::Accept
    } else {
        Event::Decline
    };
    let Some(next) = apply(&mut tx, id.uuid(), &r.status, event).await? else {
        return Err(ApiError::NotFound.into());
    };
    if accept {
        sqlx::query(
            "INSERT INTO memberships (user_id, org_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(caller.user_id)
        .bind(r.org_id)
        .execute(&mut *tx)
        .await?;
    }
    let (first, infix, last): (String, String, String) =
        sqlx::query_as("SELECT first_name, infix, last_name FROM users WHERE id = $1")
            .bind(caller.user_id)
            .fetch_one(&mut *tx)
            .await?;
    // Accepted: the link resumes the request with this organization and this user chosen.
    let resume = format!(
        "{}/beheer/machtigingen/aanvragen?organisatie={}&gebruiker={}",
        state.settings.public_url, r.org_id, caller.user_id
    );
    let (subject, body) = messages::link_answered_email(
        &r.manager_language,
        &r.manager_first_name,
        &full_name(&first, &infix, &last),
        &r.organization,
        accept,
        &resume,
    );
    outbox::enqueue_email(
        &mut tx,
        &r.manager_email,
        &subject,
        &body,
        outbox::Content::Plain,
    )
    .await?;
    audit::record(
        &mut tx,
        Some(caller.user_id),
        if accept {
            audit::Action::LinkAccepted
        } else {
            audit::Action::LinkDeclined
        },
        Some(r.org_id),
        serde_json::json!({ "link_request_id": id.uuid() }),
    )
    .await?;
    tx.commit().await?;
    Ok(next)
}
