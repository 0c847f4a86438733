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
use crate::server::search;
use crate::server::session::Manager;
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
/// organization finds nothing, exactly like one that does not exist). `words` are the search's
/// (`search::words`), empty without a search.
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
/// - with a search, stepping through the users whose words match in name order (`search_walk`),
///   then reading those users' authorizations.
///
/// Each of these indexes includes every column the page shows of an authorization (migrations 0012
/// and 0014), so the walk reads nothing else of them. Names, services and whether the user
/// manages the organization are read only for the page's rows.
pub(super) fn page_query(
    manager: &Manager,
    filter: &AuthorizationFilter,
    words: &[String],
    after: Option<&After>,
    limit: i64,
) -> ServiceResult<QueryBuilder<'static, Postgres>> {
    check(filter)?;
    let ending_days = filter.ending_within_days.map(|d| i32::from(d.min(3650)));
    let conditions = Conditions {
        manager,
        filter,
        after,
        ending_days,
        // The periods' way (see above), only without a search.
        periods: ending_days.is_some() && words.is_empty(),
    };
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
    if words.is_empty() {
        push_authorizations_walk(&mut q, &conditions, limit);
    } else {
        push_search_walk(&mut q, &conditions, words, limit);
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

/// The columns of an authorization `z` that the inner queries give the outer one.
const INNER_COLUMNS: &str = "z.id, z.user_id, z.org_id, z.kind, z.level, z.state, z.service_uuid,
    z.branch_id, z.valid_from, z.valid_until";

/// Without a search: the authorizations in their own copy of the name order, per 30-day period
/// for "Verloopt binnenkort".
fn push_authorizations_walk(
    q: &mut QueryBuilder<'static, Postgres>,
    conditions: &Conditions,
    limit: i64,
) {
    if let Some(days) = conditions.ending_days.filter(|_| conditions.periods) {
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
        "SELECT {INNER_COLUMNS}, z.user_sort_key AS sort_key FROM authorizations z WHERE "
    ));
    conditions.push(q, "z.user_sort_key", "z.user_id");
    q.push(" ORDER BY z.user_sort_key, z.user_id, z.id LIMIT ")
        .push_bind(limit);
    if conditions.periods {
        q.push(") w ORDER BY w.sort_key, w.user_id, w.id LIMIT ")
            .push_bind(limit);
    }
}

/// With a search: the users all of `words` match (each begins one of the user's words,
/// `user_words`, migration 0015) in name order, as far as `limit` of them have an authorization
/// that passes the filter (enough for the page), and those users' authorizations.
///
/// Words of three letters or more are looked up behind their first three letters, in name order;
/// shorter ones are checked on each user those find. One such word reads its index entries in
/// name order. Several take steps: each looks up, for every word, the first user at or after the
/// current position whose words it begins; the greatest of those is the next position, and where
/// all are the same user, that user matches. So the walk leaps over every user one of the words
/// rules out: "vermeulen sara" goes from the first Vermeulen straight to the first Sara
/// Vermeulen, where reading the users one by one went through every Vermeulen before. A search of
/// only shorter words walks the users (`search::users_walk`).
fn push_search_walk(
    q: &mut QueryBuilder<'static, Postgres>,
    conditions: &Conditions,
    words: &[String],
    limit: i64,
) {
    let (sort_key, user_id) = match conditions.after {
        Some(a) => (a.sort_key.clone(), a.user_id),
        None => (String::new(), Uuid::nil()),
    };
    let indexed: Vec<&String> = words.iter().filter(|w| search::is_indexed(w)).collect();
    // The words left to check on each user the indexed ones find.
    let check = (indexed.len() < words.len()).then_some(words);
    match indexed.as_slice() {
        [] => {
            q.push(format!(
                "SELECT {INNER_COLUMNS}, m.sort_key FROM (
                   SELECT u.sort_key, u.id AS user_id
                     FROM (SELECT "
            ))
            .push_bind(words.to_vec())
            .push("::text[] AS words) t, users u WHERE (u.sort_key, u.id) >= (")
            .push_bind(sort_key)
            .push(", ")
            .push_bind(user_id)
            .push(") AND ")
            .push(search::users_walk("t.words"))
            .push(" AND ");
            push_user_qualifies(q, conditions, None, ("u.sort_key", "u.id"), Ask::Any);
            q.push(" ORDER BY u.sort_key, u.id LIMIT ")
                .push_bind(limit)
                .push(") m");
        }
        [word] => {
            q.push(format!(
                "SELECT {INNER_COLUMNS}, m.sort_key FROM (
                   SELECT m.sort_key, m.user_id FROM (
                     SELECT DISTINCT w.sort_key, w.user_id FROM user_words w WHERE "
            ));
            push_word_lookup(q, word);
            q.push(" AND (w.sort_key, w.user_id) >= (")
                .push_bind(sort_key)
                .push(", ")
                .push_bind(user_id)
                .push(")) m WHERE ");
            push_user_qualifies(q, conditions, check, ("m.sort_key", "m.user_id"), Ask::Any);
            q.push(" ORDER BY m.sort_key, m.user_id LIMIT ")
                .push_bind(limit)
                .push(") m");
        }
        _ => {
            q.push("WITH RECURSIVE walk(sort_key, user_id, matched, hit, found) AS (SELECT ")
                .push_bind(sort_key)
                .push("::text, ")
                .push_bind(user_id)
                .push(
                    "::uuid, false, false, 0::int8
                     UNION ALL
                     SELECT s.sort_key, s.user_id, s.matched, h.rows > 0, c.found + h.rows
                       FROM walk c CROSS JOIN LATERAL (SELECT ",
                );
            let positions: Vec<String> = (1..=indexed.len()).map(|i| format!("n{i}.p")).collect();
            let positions = positions.join(", ");
            q.push(format!(
                "least({positions}) AS first, greatest({positions}) AS last FROM "
            ));
            for (i, word) in indexed.iter().enumerate() {
                if i > 0 {
                    q.push(", ");
                }
                q.push(
                    "(SELECT ROW(w.sort_key, w.user_id)::name_position AS p FROM user_words w WHERE ",
                );
                push_word_lookup(q, word);
                q.push(
                    " AND (w.sort_key, w.user_id) >= (c.sort_key, c.user_id)
                      AND (w.sort_key, w.user_id, true) > (c.sort_key, c.user_id, c.matched)
                    ORDER BY w.sort_key, w.user_id LIMIT 1)",
                )
                .push(format!(" n{}", i + 1));
            }
            // A step counts the rows its user adds to the page, so the walk stops once the page
            // is full (not after as many users as the page has rows); `OFFSET 0` keeps the count
            // from being written, and run, once per column that uses it.
            q.push(
                ") g CROSS JOIN LATERAL (SELECT (g.last).sort_key, (g.last).user_id,
                                              g.first = g.last AS matched) s
                   CROSS JOIN LATERAL (SELECT CASE WHEN s.matched THEN ",
            );
            push_user_qualifies(
                q,
                conditions,
                check,
                ("s.sort_key", "s.user_id"),
                Ask::Count,
            );
            q.push(" ELSE 0 END AS rows OFFSET 0) h WHERE c.found < ")
                .push_bind(limit)
                .push(format!(
                    ") SELECT {INNER_COLUMNS}, m.sort_key FROM (SELECT * FROM walk WHERE hit) m"
                ));
        }
    }
    q.push(" JOIN authorizations z ON z.user_id = m.user_id WHERE ");
    conditions.push(q, "m.sort_key", "m.user_id");
    q.push(" ORDER BY m.sort_key, m.user_id, z.id LIMIT ")
        .push_bind(limit);
}

/// The entries of `user_words w` whose word begins with `word` (of at least `search::HEAD`
/// letters): those behind its first letters, in name order, the rest of the word checked in the
/// index.
fn push_word_lookup(q: &mut QueryBuilder<'static, Postgres>, word: &str) {
    q.push(format!("left(w.word, {}) = left(", search::HEAD))
        .push_bind(word.to_string())
        .push(format!(", {}) AND starts_with(w.word, ", search::HEAD))
        .push_bind(word.to_string())
        .push(")");
}

/// What `push_user_qualifies` asks of a user's authorizations that pass the filter.
#[derive(Clone, Copy, PartialEq)]
enum Ask {
    /// Whether there is one.
    Any,
    /// How many there are (the rows the user adds to the page), or 0.
    Count,
}

/// Whether (or how often) the user whose sort key and id are the columns named has an
/// authorization that passes the filter, and, with `check`, whether every one of those words
/// begins a word of the user.
fn push_user_qualifies(
    q: &mut QueryBuilder<'static, Postgres>,
    conditions: &Conditions,
    check: Option<&[String]>,
    (sort_key, user_id): (&str, &str),
    ask: Ask,
) {
    if ask == Ask::Count {
        q.push("CASE WHEN ");
    }
    if let Some(words) = check {
        q.push(format!(
            "EXISTS (SELECT 1 FROM users u WHERE u.id = {user_id} AND user_matches(u, "
        ))
        .push_bind(words.to_vec())
        .push(")) AND ");
    }
    q.push(match ask {
        Ask::Any => "EXISTS (SELECT 1",
        Ask::Count => "true THEN (SELECT count(*)",
    });
    q.push(format!(
        " FROM authorizations z WHERE z.user_id = {user_id} AND "
    ));
    conditions.push(q, sort_key, user_id);
    q.push(match ask {
        Ask::Any => ")",
        Ask::Count => ") ELSE 0 END",
    });
}

/// The filter's conditions on an authorization `z`, whose user's sort key and id are the
/// columns named (for the cursor).
struct Conditions<'a> {
    manager: &'a Manager,
    filter: &'a AuthorizationFilter,
    after: Option<&'a After>,
    ending_days: Option<i32>,
    /// Read per 30-day period of the end date (`period.n`); the state is then written out, not
    /// bound, so that the partial index's condition (active) is seen to hold in every plan.
    periods: bool,
}

impl Conditions<'_> {
    fn push(&self, q: &mut QueryBuilder<'static, Postgres>, sort_key: &str, user_id: &str) {
        q.push("z.org_id = ANY(")
            .push_bind(self.manager.orgs().to_vec())
            .push(")");
        if self.periods {
            q.push(" AND z.state = 'active' AND ")
                .push(end_period("z.valid_until"))
                .push(" = period.n");
        } else {
            let states: Vec<&'static str> = self
                .filter
                .states()
                .into_iter()
                .map(State::as_str)
                .collect();
            q.push(" AND z.state = ANY(").push_bind(states).push(")");
        }
        if let Some(org) = &self.filter.org_id {
            q.push(" AND z.org_id = ").push_bind(org.uuid());
        }
        if let Some(service) = &self.filter.service {
            q.push(" AND z.service_uuid = ").push_bind(service.uuid());
        }
        if let Some(level) = self.filter.level {
            q.push(" AND z.level = ").push_bind(level.as_str());
        }
        if let Some(days) = self.ending_days {
            q.push(" AND z.valid_until < now() + make_interval(days => ")
                .push_bind(days)
                .push(")");
        }
        if let Some(after) = self.after {
            // The first condition lets an index start at the cursor.
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
    }
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
    check(filter)?;
    // Every page runs on a generic plan (the first page went from 1,130 to 1,770 pages a second by
    // hand, docs/benchmarks.md).
    let mut tx = crate::server::plans::generic_plans(pool).await?;
    let words = search::words(&mut *tx, &filter.user).await?;
    let rows: Vec<Row> = page_query(
        manager,
        filter,
        &words,
        after.as_ref(),
        PAGE_SIZE as i64 + 1,
    )?
    .build_query_as()
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
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
