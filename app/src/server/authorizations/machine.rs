//! The only way an authorization's state changes: the domain's machine decides, this module
//! writes. One authorization is locked and checked; many (an application's pending ones, a
//! renewal order) change in one statement limited to the states the event applies to.

use crate::domain::authorization::{Event, Kind, State};
use crate::domain::ids::AuthorizationId;
use crate::domain::level::AssuranceLevel;
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::session::Manager;
use sqlx::PgConnection;
use uuid::Uuid;

/// An authorization, locked for a change, with what its messages need.
#[derive(Debug, sqlx::FromRow)]
pub struct Locked {
    pub id: Uuid,
    pub user_id: Uuid,
    pub org_id: Uuid,
    #[sqlx(try_from = "String")]
    pub kind: KindText,
    #[sqlx(try_from = "String")]
    pub state: StateText,
    #[sqlx(try_from = "String")]
    pub level: LevelText,
    pub service: Option<String>,
    pub organization: String,
    pub first_name: String,
    pub infix: String,
    pub last_name: String,
    pub email: String,
    pub language: String,
}

macro_rules! text_column {
    ($name:ident, $inner:ty, $parse:expr) => {
        /// A column stored as text, read into its domain type.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $name(pub $inner);

        impl TryFrom<String> for $name {
            type Error = ServiceError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                ($parse)(s.as_str())
                    .map($name)
                    .ok_or_else(|| ServiceError::internal(format!("unknown value {s}")))
            }
        }
    };
}

text_column!(KindText, Kind, Kind::parse);
text_column!(StateText, State, State::parse);
text_column!(LevelText, AssuranceLevel, |s| AssuranceLevel::parse(s).ok());

/// The authorization `id` in one of the manager's organizations, locked; None when it is
/// missing or another organization's (the two answer alike).
pub async fn lock(
    conn: &mut PgConnection,
    manager: &Manager,
    id: &AuthorizationId,
) -> ServiceResult<Option<Locked>> {
    Ok(sqlx::query_as(
        "SELECT z.id, z.user_id, z.org_id, z.kind, z.state, z.level,
                (SELECT min(s.name) FROM services s WHERE s.service_uuid = z.service_uuid) AS service,
                o.name AS organization, u.first_name, u.infix, u.last_name, u.email, u.language
           FROM authorizations z
           JOIN organizations o ON o.id = z.org_id
           JOIN users u ON u.id = z.user_id
          WHERE z.id = $1 AND z.org_id = ANY($2)
          FOR UPDATE OF z",
    )
    .bind(id.uuid())
    .bind(manager.orgs())
    .fetch_optional(conn)
    .await?)
}

/// Applies `event` to a locked authorization: its new state, or None when the event does not
/// apply in its state (nothing is written then).
pub async fn apply(
    conn: &mut PgConnection,
    z: &mut Locked,
    event: Event,
) -> ServiceResult<Option<State>> {
    let Some(next) = z.state.0.next(event) else {
        return Ok(None);
    };
    sqlx::query("UPDATE authorizations SET state = $2 WHERE id = $1")
        .bind(z.id)
        .bind(next.as_str())
        .execute(conn)
        .await?;
    z.state = StateText(next);
    Ok(Some(next))
}

/// The validity an event gives the authorizations it changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Unchanged,
    /// From now, for this many years (issuing).
    FromNow {
        years: i32,
    },
}

/// The state `event` leads to and the states it applies to (as stored), for changing many rows
/// in one statement; None for an event that applies nowhere. Every state an event applies to
/// leads to the same state (a domain test says so).
fn target_and_sources(event: Event) -> Option<(State, Vec<&'static str>)> {
    let sources = State::sources(event);
    let target = sources.first().and_then(|s| s.next(event))?;
    Some((target, sources.into_iter().map(State::as_str).collect()))
}

/// Applies `event` to the authorizations `ids` that are in a state the event applies to, in one
/// statement; returns how many changed.
pub async fn apply_many(
    conn: &mut PgConnection,
    event: Event,
    ids: &[Uuid],
    period: Period,
) -> ServiceResult<u64> {
    let Some((target, sources)) = target_and_sources(event) else {
        return Ok(0);
    };
    let (set, years) = match period {
        Period::Unchanged => ("", 0),
        Period::FromNow { years } => (
            ", valid_from = now(), valid_until = now() + make_interval(years => $4)",
            years,
        ),
    };
    let done = sqlx::query(&format!(
        "UPDATE authorizations SET state = $2{set} WHERE id = ANY($1) AND state = ANY($3)"
    ))
    .bind(ids)
    .bind(target.as_str())
    .bind(&sources)
    .bind(years)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Applies `event` (renewing or activating) to the authorizations `ids` in a state it applies
/// to, each with its new end date (`ends`, yyyy-mm-dd): valid through the end of that day in
/// Dutch time. Activating starts a new period now; renewing keeps the start unless the period
/// would then run longer than five years.
pub async fn apply_with_end(
    conn: &mut PgConnection,
    event: Event,
    ids: &[Uuid],
    ends: &[String],
) -> ServiceResult<u64> {
    let Some((target, sources)) = target_and_sources(event) else {
        return Ok(0);
    };
    let start = match event {
        Event::Activate => "now()",
        _ => "greatest(z.valid_from, n.until - interval '5 years')",
    };
    let done = sqlx::query(&format!(
        "UPDATE authorizations z SET state = $2, valid_until = n.until, valid_from = {start}
           FROM (SELECT id, (end_date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam'
                            - interval '1 second' AS until
                   FROM UNNEST($1::uuid[], $4::date[]) AS e(id, end_date)) AS n
          WHERE z.id = n.id AND z.state = ANY($3)"
    ))
    .bind(ids)
    .bind(target.as_str())
    .bind(&sources)
    .bind(ends)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Expires every authorization whose end date passed before `now` (in a state `Expire` applies
/// to); returns their ids.
pub async fn expire_ended(
    conn: &mut PgConnection,
    now: chrono::DateTime<chrono::Utc>,
) -> ServiceResult<Vec<Uuid>> {
    let Some((target, sources)) = target_and_sources(Event::Expire) else {
        return Ok(Vec::new());
    };
    Ok(sqlx::query_scalar(
        "UPDATE authorizations SET state = $1
          WHERE state = ANY($2) AND valid_until <= $3
          RETURNING id",
    )
    .bind(target.as_str())
    .bind(&sources)
    .bind(now)
    .fetch_all(conn)
    .await?)
}
