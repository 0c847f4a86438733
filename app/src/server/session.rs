//! Sessions live in Postgres, so any server process can serve any user. The browser holds a
//! random token in an HttpOnly cookie; the table holds its hash. A session ends on sign-out,
//! after the idle timeout, or after the absolute maximum age.

use super::config::Settings;
use super::tokens;
use crate::domain::level::AssuranceLevel;
use sqlx::{PgConnection, PgPool, Row};
use std::net::IpAddr;
use uuid::Uuid;

/// The session cookie's name in development (plain HTTP on loopback).
pub const COOKIE: &str = "machtig_session";
/// In production: the `__Host-` prefix makes browsers accept the cookie only when it is
/// Secure, for the whole site and without a Domain, so a sibling subdomain (or a man in the
/// middle on plain HTTP) cannot plant a session cookie of its own next to ours.
pub const HOST_COOKIE: &str = "__Host-machtig_session";

/// The session cookie's name under these settings.
pub fn cookie_name(settings: &Settings) -> &'static str {
    if settings.is_development() {
        COOKIE
    } else {
        HOST_COOKIE
    }
}

/// Who is calling, as the session says.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub session_id: Uuid,
    pub user_id: Uuid,
    pub username: String,
    pub level: AssuranceLevel,
    pub is_operator: bool,
    /// Organizations this user holds an active admin authorization for.
    pub managed_orgs: Vec<Uuid>,
}

impl SessionUser {
    pub fn is_manager(&self) -> bool {
        !self.managed_orgs.is_empty()
    }

    /// Authorization managers only.
    pub fn require_manager(&self) -> Result<(), crate::api::ApiError> {
        if self.is_manager() {
            Ok(())
        } else {
            Err(crate::api::ApiError::Forbidden)
        }
    }
}

/// An authorization manager, as the session check found them. Only [`SessionUser::manager`]
/// makes one, so a service that takes a `Manager` cannot be reached without that check; every
/// query of such a service is scoped by [`Manager::orgs`].
#[derive(Debug, Clone)]
pub struct Manager {
    user_id: Uuid,
    level: AssuranceLevel,
    orgs: Vec<Uuid>,
}

impl Manager {
    pub fn user_id(&self) -> Uuid {
        self.user_id
    }

    /// The level of the manager's own means: the most they may grant.
    pub fn level(&self) -> AssuranceLevel {
        self.level
    }

    /// The organizations this manager manages.
    pub fn orgs(&self) -> &[Uuid] {
        &self.orgs
    }
}

impl SessionUser {
    /// The caller as a manager, or `Forbidden`.
    pub fn manager(&self) -> Result<Manager, crate::api::ApiError> {
        self.require_manager()?;
        Ok(Manager {
            user_id: self.user_id,
            level: self.level,
            orgs: self.managed_orgs.clone(),
        })
    }
}

/// Starts a session for `user_id`, returning the token for the cookie.
pub async fn create(
    conn: &mut PgConnection,
    user_id: Uuid,
    ip: Option<IpAddr>,
) -> Result<String, sqlx::Error> {
    let token = tokens::new_token();
    sqlx::query("INSERT INTO sessions (token_hash, user_id, client_ip) VALUES ($1, $2, $3::inet)")
        .bind(tokens::hash_token(&token))
        .bind(user_id)
        .bind(ip.map(|ip| ip.to_string()))
        .execute(conn)
        .await?;
    Ok(token)
}

/// The session's user, if the token is valid and neither idle nor too old.
pub async fn authenticate(
    pool: &PgPool,
    settings: &Settings,
    token: &str,
) -> Result<Option<SessionUser>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT s.id, s.user_id, u.username, u.level, u.is_operator,
                s.last_seen_at < now() - interval '60 seconds' AS stale,
                ARRAY(SELECT a.org_id FROM authorizations a
                      WHERE a.user_id = u.id AND a.kind = 'admin' AND a.state = 'active'
                        AND a.valid_from <= now() AND a.valid_until > now()
                      ORDER BY a.org_id) AS orgs
         FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = $1 AND u.status = 'active'
           AND s.last_seen_at > now() - make_interval(mins => $2)
           AND s.created_at > now() - make_interval(hours => $3)",
    )
    .bind(tokens::hash_token(token))
    .bind(settings.session_idle_minutes as i32)
    .bind(settings.session_max_hours as i32)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let session_id: Uuid = row.get("id");
    // Touch at most once a minute: the idle timeout does not need more, and it saves a write
    // on nearly every request.
    if row.get::<bool, _>("stale") {
        sqlx::query("UPDATE sessions SET last_seen_at = now() WHERE id = $1")
            .bind(session_id)
            .execute(pool)
            .await?;
    }
    let level: String = row.get("level");
    Ok(Some(SessionUser {
        session_id,
        user_id: row.get("user_id"),
        username: row.get("username"),
        level: AssuranceLevel::parse(&level).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        is_operator: row.get("is_operator"),
        managed_orgs: row.get("orgs"),
    }))
}

pub async fn end(pool: &PgPool, token: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(tokens::hash_token(token))
        .execute(pool)
        .await?;
    Ok(())
}

/// Ends every session of the user and starts a new one for the caller (after a password
/// change): sessions elsewhere end, and a token that leaked before the change is worthless.
pub async fn rotate_all(
    conn: &mut PgConnection,
    user_id: Uuid,
    ip: Option<IpAddr>,
) -> Result<String, sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    create(conn, user_id, ip).await
}

/// Removes sessions past their idle or absolute limit.
pub async fn purge_expired(pool: &PgPool, settings: &Settings) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM sessions WHERE last_seen_at < now() - make_interval(mins => $1)
            OR created_at < now() - make_interval(hours => $2)",
    )
    .bind(settings.session_idle_minutes as i32)
    .bind(settings.session_max_hours as i32)
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}
