//! Appointing an authorization manager: the manager's right (beheerdersmachtiging) for an
//! organization, given to a user who holds a login means there. Free of charge, at the level of
//! the user's means (never above the appointing manager's own), and ending when the user's
//! login authorization there ends. Ending it is a revoke (with the last-manager rule).

use crate::api::ApiError;
use crate::domain::authorization::Event;
use crate::domain::codes::{Field, Rule};
use crate::domain::date::Date;
use crate::domain::ids::{OrgId, UserId};
use crate::domain::level::AssuranceLevel;
use crate::server::audit;
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::outbox::{self, messages};
use crate::server::session::Manager;
use crate::server::state::AppState;
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct Candidate {
    first_name: String,
    email: String,
    language: String,
    level: String,
    active: bool,
    organization: String,
    is_manager: bool,
    /// Whether the user holds an active login authorization in the organization.
    has_login: bool,
}

pub async fn appoint(
    state: &AppState,
    manager: &Manager,
    org: &OrgId,
    user: &UserId,
) -> ServiceResult<()> {
    let refuse = |rule| -> ServiceError { ApiError::validation(Field::Authorization, rule).into() };
    let (org, user) = (org.uuid(), user.uuid());
    if !manager.orgs().contains(&org) {
        return Err(ApiError::NotFound.into());
    }
    let mut tx = state.pool.begin().await?;
    // The user's row is locked, so two appointments at once cannot both pass the checks.
    let c: Candidate = sqlx::query_as(
        "SELECT u.first_name, u.email, u.language, u.level, u.status = 'active' AS active,
                o.name AS organization,
                EXISTS (SELECT 1 FROM authorizations a WHERE a.user_id = u.id AND a.org_id = o.id
                          AND a.kind = 'admin' AND a.state IN ('active', 'pending')) AS is_manager,
                EXISTS (SELECT 1 FROM authorizations a WHERE a.user_id = u.id AND a.org_id = o.id
                          AND a.kind <> 'admin' AND a.state = 'active' AND a.valid_until > now())
                  AS has_login
           FROM users u
           JOIN memberships m ON m.user_id = u.id
           JOIN organizations o ON o.id = m.org_id
          WHERE u.id = $1 AND o.id = $2
          FOR UPDATE OF u",
    )
    .bind(user)
    .bind(org)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ApiError::NotFound)?;
    let level = AssuranceLevel::parse(&c.level).map_err(ServiceError::internal)?;
    if level > manager.level() {
        return Err(refuse(Rule::AboveOwnLevel));
    }
    if c.is_manager {
        return Err(refuse(Rule::AlreadyManager));
    }
    if !c.active || !c.has_login {
        return Err(refuse(Rule::NoLoginAuthorization));
    }
    let appointee = Appointee {
        user,
        org,
        level,
        first_name: c.first_name,
        email: c.email,
        language: c.language,
        organization: c.organization,
    };
    appointed(&mut tx, manager, &appointee, &state.settings.public_url).await?;
    tx.commit().await?;
    Ok(())
}

/// A user who becomes a manager of an organization, as the appointment's e-mail needs them.
pub(super) struct Appointee {
    pub user: Uuid,
    pub org: Uuid,
    /// The level of the user's means.
    pub level: AssuranceLevel,
    pub first_name: String,
    pub email: String,
    pub language: String,
    pub organization: String,
}

/// Grants the manager's right, tells the user and writes the audit record: the end of an
/// appointment and of "ook beheerder worden" in a renewal (the caller checked the rules and
/// that the user holds an active login authorization there).
pub(super) async fn appointed(
    conn: &mut PgConnection,
    manager: &Manager,
    who: &Appointee,
    public_url: &str,
) -> ServiceResult<Uuid> {
    let (id, until) = grant(conn, who.user, who.org, who.level).await?;
    let (subject, body) = messages::manager_appointed_email(
        &who.language,
        &who.first_name,
        &who.organization,
        until,
        public_url,
    );
    outbox::enqueue_email(conn, &who.email, &subject, &body, outbox::Content::Plain).await?;
    audit::record(
        conn,
        Some(manager.user_id()),
        audit::Action::ManagerAppointed,
        Some(who.org),
        serde_json::json!({ "authorization_id": id, "user_id": who.user }),
    )
    .await?;
    Ok(id)
}

/// The manager's right for `user` in `org` at `level`, from now until the end of the user's
/// active login authorization(s) there (the caller checked there is one): its id and last day.
pub(super) async fn grant(
    conn: &mut PgConnection,
    user: Uuid,
    org: Uuid,
    level: AssuranceLevel,
) -> ServiceResult<(Uuid, Date)> {
    Ok(sqlx::query_as(
        "INSERT INTO authorizations (user_id, org_id, kind, level, valid_from, valid_until, state)
         SELECT $1, $2, 'admin', $3, now(), max(valid_until), 'active'
           FROM authorizations
          WHERE user_id = $1 AND org_id = $2 AND kind <> 'admin' AND state = 'active'
         RETURNING id, (valid_until AT TIME ZONE 'Europe/Amsterdam')::date",
    )
    .bind(user)
    .bind(org)
    .bind(level.as_str())
    .fetch_one(conn)
    .await?)
}

/// A manager's right runs with the user's login authorization there: after login authorizations
/// of `users` in `orgs` (pairwise) were renewed or activated, each of their active managers'
/// rights that ends earlier is renewed to end on the same day. Returns how many were.
pub(super) async fn follow_login(
    conn: &mut PgConnection,
    users: &[Uuid],
    orgs: &[Uuid],
) -> ServiceResult<u64> {
    let behind: Vec<(Uuid, String)> = sqlx::query_as(
        "SELECT a.id, to_char(l.until AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD')
           FROM authorizations a
           JOIN (SELECT z.user_id, z.org_id, max(z.valid_until) AS until
                   FROM authorizations z
                   JOIN UNNEST($1::uuid[], $2::uuid[]) AS p(user_id, org_id)
                     ON p.user_id = z.user_id AND p.org_id = z.org_id
                  WHERE z.kind <> 'admin' AND z.state = 'active'
                  GROUP BY z.user_id, z.org_id) l
             ON l.user_id = a.user_id AND l.org_id = a.org_id
          WHERE a.kind = 'admin' AND a.state = 'active' AND a.valid_until < l.until",
    )
    .bind(users)
    .bind(orgs)
    .fetch_all(&mut *conn)
    .await?;
    let (ids, ends): (Vec<Uuid>, Vec<String>) = behind.into_iter().unzip();
    super::machine::apply_with_end(conn, Event::Renew, &ids, &ends).await
}
