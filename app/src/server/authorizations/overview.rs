//! The overview: every authorization in the manager's organizations, filtered, ordered by the
//! user's name and paged by keyset on (the user's sort key, the user, the authorization). The
//! export reads the same pages, larger.

use crate::api::authorizations::{
    AuthorizationFilter, AuthorizationRow, AuthorizationsCursor, AuthorizationsPage, FilterChoices,
    ServiceChoice, ENDING_WITHIN, PAGE_SIZE,
};
use crate::api::ApiError;
use crate::domain::authorization::{Kind, State};
use crate::domain::codes::{Field, Rule};
use crate::domain::date::Date;
use crate::domain::level::AssuranceLevel;
use crate::domain::new_user::full_name;
use crate::server::applications;
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::session::Manager;
use crate::server::users::like_pattern;
use sqlx::{PgPool, Postgres, QueryBuilder};
use uuid::Uuid;

/// One authorization as the overview and the export read it.
#[derive(Debug, sqlx::FromRow)]
pub(super) struct Row {
    pub id: Uuid,
    pub user_id: Uuid,
    pub org_id: Uuid,
    pub user_is_manager: bool,
    pub kind: String,
    pub level: String,
    pub state: String,
    pub first_name: String,
    pub infix: String,
    pub last_name: String,
    pub email: String,
    pub sort_key: String,
    pub organization: String,
    pub service: Option<String>,
    pub branch: Option<String>,
    pub valid_from: Date,
    pub valid_until: Date,
}

impl Row {
    pub(super) fn into_api(self) -> ServiceResult<AuthorizationRow> {
        let bad = |what: &str| ServiceError::internal(format!("authorization {}: {what}", self.id));
        let kind = Kind::parse(&self.kind).ok_or_else(|| bad("kind"))?;
        Ok(AuthorizationRow {
            id: self.id.into(),
            user_id: self.user_id.into(),
            org_id: self.org_id.into(),
            user_is_manager: self.user_is_manager,
            user_name: full_name(&self.first_name, &self.infix, &self.last_name),
            user_email: self.email.clone(),
            organization: self.organization.clone(),
            service: self.service.clone(),
            is_admin: kind == Kind::Admin,
            level: AssuranceLevel::parse(&self.level).map_err(|_| bad("level"))?,
            branch: self.branch.clone(),
            valid_from: self.valid_from,
            valid_until: self.valid_until,
            state: State::parse(&self.state).ok_or_else(|| bad("state"))?,
        })
    }
}

/// Where a page starts: after this row in the overview's order (the user's sort key, the
/// user, the authorization).
#[derive(Debug, Clone)]
pub(super) struct After {
    pub sort_key: String,
    pub user_id: Uuid,
    pub id: Uuid,
}

/// The filter's own rules, checked before anything is read.
pub(super) fn check(filter: &AuthorizationFilter) -> ServiceResult<()> {
    if filter.user.chars().count() > 100 {
        return Err(ApiError::validation(Field::Search, Rule::TooLong).into());
    }
    Ok(())
}

/// The 30-day period an end date falls in, written exactly as the index
/// `authorizations_ending_by_name` (migration 0014) has it, so that PostgreSQL matches the two.
fn end_period(end: &str) -> String {
    format!("((({end}) AT TIME ZONE 'UTC')::date - DATE '2000-01-01') / 30")
}

/// One page (at most `limit` rows after `after`) of the overview or the export: the filter's
/// conditions, always within the manager's organizations (an organization filter naming another
/// organization finds nothing, exactly like one that does not exist).
///
/// The inner query finds the page's ids in the overview's order, at any depth, in one of three
/// ways:
/// - without a search by name, walking `authorizations_by_name` (the user's sort key copied onto
///   the authorization, the user, the authorization, with every filtered column included): a
///   page reads its own size divided by the filter's share of the rows, and nothing else; a
///   service filter walks `authorizations_by_service`, the same order behind the service;
/// - "Verloopt binnenkort" without a search reads, for each 30-day period from the first active
///   end date up to the filter's last day, that period's active authorizations in name order
///   from `authorizations_ending_by_name` (one page's worth each), and merges them: a period is
///   one value, where the end date itself is a range no index can put before the name;
/// - with a search, walking the users' sort index (sort key, id, with the search text) and each
///   matching user's authorizations. Starting from the authorizations instead would join the
///   matching users by hash, which loses the order: every row read and sorted (a search for
///   "sara" at 1,000,000 authorizations fell to 18 pages a second; docs/benchmarks.md).
///
/// Each of these indexes includes every column the page shows of an authorization (migrations 0012
/// and 0014), so the walk reads nothing else of them. Names, services and whether the user
/// manages the organization are read only for the page's rows.
pub(super) fn page_query(
    manager: &Manager,
    filter: &AuthorizationFilter,
    after: Option<&After>,
    limit: i64,
) -> ServiceResult<QueryBuilder<'static, Postgres>> {
    check(filter)?;
    let states: Vec<&'static str> = filter.states().into_iter().map(State::as_str).collect();
    let pattern = like_pattern(&filter.user);
    // The order's columns: the users' own, when the search walks them, or the authorization's
    // copy, which its index holds.
    let (sort_key, user_id, from) = if pattern.is_some() {
        (
            "u.sort_key",
            "u.id",
            "authorizations z JOIN users u ON u.id = z.user_id",
        )
    } else {
        ("z.user_sort_key", "z.user_id", "authorizations z")
    };
    let ending_days = filter.ending_within_days.map(|d| i32::from(d.min(3650)));
    // The periods' way (see above); its state is written out, not bound, so that the partial
    // index's condition (active) is seen to hold in every plan.
    let ending_within = ending_days.filter(|_| pattern.is_none());
    let mut q = QueryBuilder::new(
        "SELECT p.id, p.user_id, p.org_id, p.kind, p.level, p.state,
                EXISTS (SELECT 1 FROM authorizations a WHERE a.user_id = p.user_id
                          AND a.org_id = p.org_id AND a.kind = 'admin' AND a.state = 'active')
                  AS user_is_manager,
                u.first_name, u.infix, u.last_name, u.email,
                p.sort_key, o.name AS organization, b.name AS branch, s.name AS service,
                (p.valid_from AT TIME ZONE 'Europe/Amsterdam')::date AS valid_from,
                (p.valid_until AT TIME ZONE 'Europe/Amsterdam')::date AS valid_until
           FROM (",
    );
    if let Some(days) = ending_within {
        q.push(format!(
            "SELECT w.* FROM generate_series(
                 (SELECT {first} FROM authorizations z WHERE z.state = 'active'
                   ORDER BY {first} LIMIT 1),
                 (SELECT {last} FROM (SELECT ",
            first = end_period("z.valid_until"),
            last = end_period("now() + make_interval(days => d.days)"),
        ))
        .push_bind(days)
        .push("::int AS days) d)) AS period(n) CROSS JOIN LATERAL (");
    }
    q.push(format!(
        "SELECT z.id, z.user_id, z.org_id, {sort_key} AS sort_key, z.kind, z.level,
                z.state, z.service_uuid, z.branch_id, z.valid_from, z.valid_until
           FROM {from}
          WHERE z.org_id = ANY("
    ));
    q.push_bind(manager.orgs().to_vec());
    if ending_within.is_some() {
        q.push(") AND z.state = 'active' AND ")
            .push(end_period("z.valid_until"))
            .push(" = period.n");
    } else {
        q.push(") AND z.state = ANY(").push_bind(states).push(")");
    }
    if let Some(org) = &filter.org_id {
        q.push(" AND z.org_id = ").push_bind(org.uuid());
    }
    if let Some(pattern) = pattern {
        q.push(" AND u.search_text LIKE ").push_bind(pattern);
    }
    if let Some(service) = &filter.service {
        q.push(" AND z.service_uuid = ").push_bind(service.uuid());
    }
    if let Some(level) = filter.level {
        q.push(" AND z.level = ").push_bind(level.as_str());
    }
    if let Some(days) = ending_days {
        q.push(" AND z.valid_until < now() + make_interval(days => ")
            .push_bind(days)
            .push(")");
    }
    if let Some(after) = after {
        // The first condition lets the index start at the cursor.
        q.push(format!(" AND {sort_key} >= "))
            .push_bind(after.sort_key.clone())
            .push(format!(" AND ({sort_key}, {user_id}, z.id) > ("))
            .push_bind(after.sort_key.clone())
            .push(", ")
            .push_bind(after.user_id)
            .push(", ")
            .push_bind(after.id)
            .push(")");
    }
    q.push(format!(" ORDER BY {sort_key}, {user_id}, z.id LIMIT "))
        .push_bind(limit);
    if ending_within.is_some() {
        q.push(") w ORDER BY w.sort_key, w.user_id, w.id LIMIT ")
            .push_bind(limit);
    }
    q.push(
        ") p
           JOIN users u ON u.id = p.user_id
           JOIN organizations o ON o.id = p.org_id
           LEFT JOIN branches b ON b.id = p.branch_id
           LEFT JOIN (SELECT service_uuid, min(name) AS name FROM services
                       GROUP BY service_uuid) s ON s.service_uuid = p.service_uuid
          ORDER BY p.sort_key, p.user_id, p.id",
    );
    Ok(q)
}

impl Row {
    pub(super) fn after(&self) -> After {
        After {
            sort_key: self.sort_key.clone(),
            user_id: self.user_id,
            id: self.id,
        }
    }
}

pub async fn list(
    pool: &PgPool,
    manager: &Manager,
    filter: &AuthorizationFilter,
    after: Option<&AuthorizationsCursor>,
) -> ServiceResult<AuthorizationsPage> {
    let after = after.map(|c| After {
        sort_key: c.sort_key.clone(),
        user_id: c.user_id.uuid(),
        id: c.id.uuid(),
    });
    let rows: Vec<Row> = page_query(manager, filter, after.as_ref(), PAGE_SIZE as i64 + 1)?
        .build_query_as()
        .fetch_all(pool)
        .await?;
    let next = if rows.len() > PAGE_SIZE {
        rows.get(PAGE_SIZE - 1).map(|r| AuthorizationsCursor {
            sort_key: r.sort_key.clone(),
            user_id: r.user_id.into(),
            id: r.id.into(),
        })
    } else {
        None
    };
    let rows = rows
        .into_iter()
        .take(PAGE_SIZE)
        .map(Row::into_api)
        .collect::<ServiceResult<_>>()?;
    Ok(AuthorizationsPage { rows, next })
}

/// How many active authorizations of the manager's organizations end within each period of
/// "Verloopt binnenkort".
pub async fn ending_soon(pool: &PgPool, manager: &Manager) -> ServiceResult<Vec<(u16, i64)>> {
    let counts: Vec<i64> = sqlx::query_scalar(
        "SELECT count(*) FILTER (WHERE z.valid_until < now() + make_interval(days => d))
           FROM unnest($2::int[]) AS d
           LEFT JOIN authorizations z ON z.org_id = ANY($1) AND z.state = 'active'
                                     AND z.valid_until < now() + make_interval(days => $3)
          GROUP BY d ORDER BY d",
    )
    .bind(manager.orgs())
    .bind(ENDING_WITHIN.map(i32::from).to_vec())
    .bind(i32::from(ENDING_WITHIN[ENDING_WITHIN.len() - 1]))
    .fetch_all(pool)
    .await?;
    Ok(ENDING_WITHIN.into_iter().zip(counts).collect())
}

/// The filters' choices: the manager's organizations and the catalog's services.
pub async fn options(pool: &PgPool, manager: &Manager) -> ServiceResult<FilterChoices> {
    let mut conn = pool.acquire().await?;
    let organizations = applications::organizations_named(&mut conn, manager.orgs()).await?;
    let services: Vec<(Uuid, String)> = sqlx::query_as(
        "SELECT service_uuid, min(name) FROM services GROUP BY service_uuid
          ORDER BY lower(min(name)), service_uuid",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(FilterChoices {
        organizations,
        services: services
            .into_iter()
            .map(|(id, name)| ServiceChoice {
                id: id.into(),
                name,
            })
            .collect(),
    })
}
