//! The overview: every authorization in the manager's organizations, filtered, ordered by the
//! user's name and paged by keyset on (the user's sort key, the authorization's id). The export
//! runs the same query without a page.

use crate::api::authorizations::{
    AuthorizationFilter, AuthorizationRow, AuthorizationsCursor, AuthorizationsPage, FilterChoices,
    ServiceChoice, ENDING_WITHIN, PAGE_SIZE,
};
use crate::api::wizard::OrgOption;
use crate::api::ApiError;
use crate::domain::authorization::{Kind, State};
use crate::domain::codes::{Field, Rule};
use crate::domain::level::AssuranceLevel;
use crate::domain::new_user::full_name;
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
    pub valid_from: String,
    pub valid_until: String,
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
            valid_from: self.valid_from.clone(),
            valid_until: self.valid_until.clone(),
            state: State::parse(&self.state).ok_or_else(|| bad("state"))?,
        })
    }
}

/// The query of the overview and the export: the filter's conditions, always within the
/// manager's organizations (an organization filter naming another organization finds nothing,
/// exactly like one that does not exist).
pub(super) fn query(
    manager: &Manager,
    filter: &AuthorizationFilter,
) -> ServiceResult<QueryBuilder<'static, Postgres>> {
    if filter.user.chars().count() > 100 {
        return Err(ApiError::validation(Field::Search, Rule::TooLong).into());
    }
    let states: Vec<&'static str> = filter.states().into_iter().map(State::as_str).collect();
    let mut q = QueryBuilder::new(
        "SELECT z.id, z.user_id, z.org_id, z.kind, z.level, z.state,
                EXISTS (SELECT 1 FROM authorizations a WHERE a.user_id = z.user_id
                          AND a.org_id = z.org_id AND a.kind = 'admin' AND a.state = 'active')
                  AS user_is_manager,
                u.first_name, u.infix, u.last_name, u.email,
                u.sort_key, o.name AS organization, b.name AS branch,
                (SELECT min(s.name) FROM services s WHERE s.service_uuid = z.service_uuid) AS service,
                to_char(z.valid_from AT TIME ZONE 'Europe/Amsterdam', 'DD-MM-YYYY') AS valid_from,
                to_char(z.valid_until AT TIME ZONE 'Europe/Amsterdam', 'DD-MM-YYYY') AS valid_until
           FROM authorizations z
           JOIN users u ON u.id = z.user_id
           JOIN organizations o ON o.id = z.org_id
           LEFT JOIN branches b ON b.id = z.branch_id
          WHERE z.org_id = ANY(",
    );
    q.push_bind(manager.orgs().to_vec());
    q.push(") AND z.state = ANY(").push_bind(states).push(")");
    if let Some(org) = &filter.org_id {
        q.push(" AND z.org_id = ").push_bind(org.uuid());
    }
    if let Some(pattern) = like_pattern(&filter.user) {
        q.push(" AND u.search_text LIKE ").push_bind(pattern);
    }
    if let Some(service) = &filter.service {
        q.push(" AND z.service_uuid = ").push_bind(service.uuid());
    }
    if let Some(level) = filter.level {
        q.push(" AND z.level = ").push_bind(level.as_str());
    }
    if let Some(days) = filter.ending_within_days {
        q.push(" AND z.valid_until < now() + make_interval(days => ")
            .push_bind(i32::from(days.min(3650)))
            .push(")");
    }
    Ok(q)
}

/// Only rows after (`sort_key`, `id`) in the overview's order.
pub(super) fn push_after(q: &mut QueryBuilder<'static, Postgres>, sort_key: &str, id: Uuid) {
    // The first condition lets the index on the users' sort key start at the cursor.
    q.push(" AND u.sort_key >= ")
        .push_bind(sort_key.to_string())
        .push(" AND (u.sort_key, z.id) > (")
        .push_bind(sort_key.to_string())
        .push(", ")
        .push_bind(id)
        .push(")");
}

pub async fn list(
    pool: &PgPool,
    manager: &Manager,
    filter: &AuthorizationFilter,
    after: Option<&AuthorizationsCursor>,
) -> ServiceResult<AuthorizationsPage> {
    let mut q = query(manager, filter)?;
    if let Some(after) = after {
        push_after(&mut q, &after.sort_key, after.id.uuid());
    }
    q.push(" ORDER BY u.sort_key, z.id LIMIT ")
        .push_bind(PAGE_SIZE as i64 + 1);
    let rows: Vec<Row> = q.build_query_as().fetch_all(pool).await?;
    let has_more = rows.len() > PAGE_SIZE;
    let next = if has_more {
        rows.get(PAGE_SIZE - 1).map(|r| AuthorizationsCursor {
            sort_key: r.sort_key.clone(),
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
    let organizations: Vec<(Uuid, String)> =
        sqlx::query_as("SELECT id, name FROM organizations WHERE id = ANY($1) ORDER BY name")
            .bind(manager.orgs())
            .fetch_all(pool)
            .await?;
    let services: Vec<(Uuid, String)> = sqlx::query_as(
        "SELECT service_uuid, min(name) FROM services GROUP BY service_uuid
          ORDER BY lower(min(name)), service_uuid",
    )
    .fetch_all(pool)
    .await?;
    Ok(FilterChoices {
        organizations: organizations
            .into_iter()
            .map(|(id, name)| OrgOption {
                id: id.to_string(),
                name,
            })
            .collect(),
        services: services
            .into_iter()
            .map(|(id, name)| ServiceChoice {
                id: id.into(),
                name,
            })
            .collect(),
    })
}
