//! "Nieuwe machtigingen aanvragen" for a user who already holds a login means: the page's start
//! (organizations, price list, terms), the users to choose from, and "Akkoord": one order, one
//! transaction, the authorizations active at once (ordered, then issued through the state
//! machine), the manager's right too when asked, and an e-mail to the user.

use super::{appoint, machine};
use crate::api::new_authorizations::{Candidate, RequestStart, CANDIDATES};
use crate::api::ApiError;
use crate::domain::authorization::Event;
use crate::domain::codes::{Field, Rule};
use crate::domain::ids::{OrgId, ServiceId, UserId};
use crate::domain::level::AssuranceLevel;
use crate::domain::new_authorizations::{problems, NewAuthorizations};
use crate::domain::tariff::{self, Quote};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::outbox::{self, notices};
use crate::server::search;
use crate::server::session::Manager;
use crate::server::state::AppState;
use crate::server::{applications, audit, catalog, wizard};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

pub async fn start(pool: &PgPool, manager: &Manager) -> ServiceResult<RequestStart> {
    let mut conn = pool.acquire().await?;
    let organizations = applications::organizations_named(&mut conn, manager.orgs()).await?;
    Ok(RequestStart {
        organizations,
        max_level: manager.level(),
        prices: catalog::price_list(&mut conn).await?,
        terms: wizard::current_terms(&mut conn).await?,
    })
}

#[derive(sqlx::FromRow)]
struct CandidateRow {
    id: Uuid,
    first_name: String,
    infix: String,
    last_name: String,
    email: String,
    level: String,
    is_manager: bool,
    holds_all_services: bool,
    services: Vec<Uuid>,
}

/// The organization's users who hold a login means, whose name or e-mail address contains
/// `search`, by name; at most [`CANDIDATES`]. With `unlinked`, instead the users of the
/// manager's other organizations who are not (yet) users of this one. With `only`, just that
/// user (a request resumed from the link-accepted e-mail), if they are one of these.
pub async fn candidates(
    pool: &PgPool,
    manager: &Manager,
    org: &OrgId,
    search: &str,
    unlinked: bool,
    only: Option<&UserId>,
) -> ServiceResult<Vec<Candidate>> {
    if search.chars().count() > 100 {
        return Err(ApiError::validation(Field::Search, Rule::TooLong).into());
    }
    let org = org.uuid();
    if !manager.orgs().contains(&org) {
        return Err(ApiError::NotFound.into());
    }
    let words = search::words(pool, search).await?;
    // A search reads the users its first word matches, in name order (`user_words`).
    let (from, order) = if words.is_empty() {
        ("users u".to_string(), "u.sort_key, u.id")
    } else {
        let by_word = search::users_by_first_word(&words, 2);
        (
            format!("{by_word} JOIN users u ON u.id = s.user_id"),
            "s.sort_key, s.user_id",
        )
    };
    let whose = if unlinked {
        "EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.org_id = ANY($4))
         AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.org_id = $1)"
    } else {
        "EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.org_id = $1)"
    };
    let rows: Vec<CandidateRow> = sqlx::query_as(&format!(
        "SELECT u.id, u.first_name, u.infix, u.last_name, u.email, u.level,
                EXISTS (SELECT 1 FROM authorizations a WHERE a.user_id = u.id AND a.org_id = $1
                          AND a.kind = 'admin' AND a.state IN ('active', 'pending')) AS is_manager,
                EXISTS (SELECT 1 FROM authorizations a WHERE a.user_id = u.id AND a.org_id = $1
                          AND a.kind = 'all_services' AND a.state IN ('active', 'pending'))
                  AS holds_all_services,
                ARRAY(SELECT DISTINCT a.service_uuid FROM authorizations a
                       WHERE a.user_id = u.id AND a.org_id = $1 AND a.kind = 'service'
                         AND a.state IN ('active', 'pending')) AS services
           FROM {from}
          WHERE u.status = 'active' AND {whose}
            AND (cardinality($2::text[]) = 0 OR user_matches(u, $2))
            AND ($5::uuid IS NULL OR u.id = $5)
          ORDER BY {order}
          LIMIT $3"
    ))
    .bind(org)
    .bind(&words)
    .bind(CANDIDATES as i64)
    .bind(manager.orgs())
    .bind(only.map(UserId::uuid))
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Candidate {
                id: r.id.into(),
                name: crate::domain::new_user::full_name(&r.first_name, &r.infix, &r.last_name),
                email: r.email,
                level: AssuranceLevel::parse(&r.level).map_err(ServiceError::internal)?,
                is_manager: r.is_manager,
                linked: !unlinked,
                holds_all_services: r.holds_all_services,
                services: r.services.into_iter().map(ServiceId::from).collect(),
            })
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct Holder {
    first_name: String,
    email: String,
    language: String,
    level: String,
    organization: String,
}

fn invalid(field: Field, rule: Rule) -> ServiceError {
    ApiError::validation(field, rule).into()
}

/// "Akkoord". Refused, with nothing written, when a rule is broken or the price or the terms
/// are no longer the ones the manager saw.
pub async fn request(
    state: &AppState,
    manager: &Manager,
    req: &NewAuthorizations,
    total_cents: i64,
    terms_version: i32,
    agreed: bool,
) -> ServiceResult<u32> {
    if let Some((field, rule)) = problems(req, None, manager.level()).first() {
        return Err(invalid(*field, *rule));
    }
    let (Some(org), Some(user), Some(level)) = (&req.org_id, &req.user_id, req.level) else {
        return Err(ServiceError::internal("checked above"));
    };
    let (org, user) = (org.uuid(), user.uuid());
    if !manager.orgs().contains(&org) {
        return Err(ApiError::NotFound.into());
    }
    let mut tx = state.pool.begin().await?;
    // The user's row is locked, so two requests at once cannot both pass the checks below.
    let holder: Holder = sqlx::query_as(
        "SELECT u.first_name, u.email, u.language, u.level, o.name AS organization
           FROM users u
           JOIN memberships m ON m.user_id = u.id
           JOIN organizations o ON o.id = m.org_id
          WHERE u.id = $1 AND o.id = $2 AND u.status = 'active'
          FOR UPDATE OF u",
    )
    .bind(user)
    .bind(org)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ApiError::NotFound)?;
    let means = AssuranceLevel::parse(&holder.level).map_err(ServiceError::internal)?;
    if let Some((field, rule)) = problems(req, Some(means), manager.level()).first() {
        return Err(invalid(*field, *rule));
    }
    let services: Vec<Uuid> = req.chosen_services().iter().map(ServiceId::uuid).collect();
    catalog::check_usable(&mut tx, &services, level).await?;
    let (holds_all, held, is_manager): (bool, Vec<Uuid>, bool) = sqlx::query_as(
        "SELECT bool_or(kind = 'all_services') IS TRUE,
                COALESCE(array_agg(service_uuid) FILTER (WHERE kind = 'service'), '{}'),
                bool_or(kind = 'admin') IS TRUE
           FROM authorizations
          WHERE user_id = $1 AND org_id = $2 AND state IN ('active', 'pending')",
    )
    .bind(user)
    .bind(org)
    .fetch_one(&mut *tx)
    .await?;
    if (req.all_services && holds_all) || services.iter().any(|s| held.contains(s)) {
        return Err(invalid(Field::Services, Rule::Taken));
    }
    if req.also_manager && is_manager {
        return Err(invalid(Field::Authorization, Rule::AlreadyManager));
    }
    let current: i32 = sqlx::query_scalar("SELECT max(version) FROM terms")
        .fetch_one(&mut *tx)
        .await?;
    if terms_version != current {
        return Err(invalid(Field::Terms, Rule::Outdated));
    }
    if !agreed {
        return Err(invalid(Field::Terms, Rule::NotAgreed));
    }
    let quote = price(&mut tx, req, level).await?;
    if quote.total_cents != total_cents {
        return Err(invalid(Field::Authorization, Rule::Outdated));
    }

    let order: Uuid = sqlx::query_scalar(
        "INSERT INTO authorization_orders (org_id, user_id, ordered_by, level, validity_years,
                subtotal_cents, vat_cents, total_cents, terms_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(org)
    .bind(user)
    .bind(manager.user_id())
    .bind(level.as_str())
    .bind(i32::from(req.validity.years()))
    .bind(quote.subtotal_cents)
    .bind(quote.vat_cents)
    .bind(quote.total_cents)
    .bind(terms_version)
    .fetch_one(&mut *tx)
    .await?;
    // Ordered (pending), then issued: the user holds a means, so they start now.
    let (kinds, service_ids): (Vec<&str>, Vec<Option<Uuid>>) = if req.all_services {
        (vec!["all_services"], vec![None])
    } else {
        services.iter().map(|s| ("service", Some(*s))).unzip()
    };
    let ids: Vec<Uuid> = sqlx::query_scalar(
        "INSERT INTO authorizations (user_id, org_id, kind, service_uuid, level, valid_from,
                valid_until, state)
         SELECT $1, $2, k.kind, k.service, $5, now(), now() + make_interval(years => $6), 'pending'
           FROM UNNEST($3::text[], $4::uuid[]) AS k(kind, service)
         RETURNING id",
    )
    .bind(user)
    .bind(org)
    .bind(&kinds)
    .bind(&service_ids)
    .bind(level.as_str())
    .bind(i32::from(req.validity.years()))
    .fetch_all(&mut *tx)
    .await?;
    let years = i32::from(req.validity.years());
    machine::apply_many(
        &mut tx,
        Event::Issue,
        &ids,
        machine::Period::FromNow { years },
    )
    .await?;
    let unit = quote.lines.first().map(|l| l.unit_cents).unwrap_or(0);
    sqlx::query(
        "INSERT INTO authorization_order_items (order_id, authorization_id, cents)
         SELECT $1, id, $3 FROM UNNEST($2::uuid[]) AS id",
    )
    .bind(order)
    .bind(&ids)
    .bind(unit)
    .execute(&mut *tx)
    .await?;
    let mut made = ids.clone();
    if req.also_manager {
        // The manager's right runs with a login authorization there: a new one or one held.
        let has_login: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM authorizations WHERE user_id = $1 AND org_id = $2
                              AND kind <> 'admin' AND state = 'active' AND valid_until > now())",
        )
        .bind(user)
        .bind(org)
        .fetch_one(&mut *tx)
        .await?;
        if !has_login {
            return Err(invalid(Field::Authorization, Rule::NoLoginAuthorization));
        }
        made.push(appoint::grant(&mut tx, user, org, means).await?.0);
    }
    tell(&mut tx, &state.settings.public_url, &holder, &made).await?;
    audit::record(
        &mut tx,
        Some(manager.user_id()),
        audit::Action::AuthorizationsRequested,
        Some(org),
        serde_json::json!({
            "order_id": order,
            "user_id": user,
            "authorizations": ids.len(),
            "manager": req.also_manager,
            "total_cents": quote.total_cents,
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(u32::try_from(made.len()).unwrap_or(u32::MAX))
}

/// The price of the request: one paid authorization per service, or one for "alle diensten";
/// the manager's right is free.
async fn price(
    conn: &mut PgConnection,
    req: &NewAuthorizations,
    level: AssuranceLevel,
) -> ServiceResult<Quote> {
    let list = catalog::price_list(conn).await?;
    tariff::quote(&list, level, req.validity, 1, req.billable()).map_err(ServiceError::internal)
}

/// The user hears what they can use now, and until when.
async fn tell(
    conn: &mut PgConnection,
    public_url: &str,
    holder: &Holder,
    new: &[Uuid],
) -> ServiceResult<()> {
    #[derive(sqlx::FromRow)]
    struct Made {
        kind: String,
        level: String,
        service: Option<String>,
        ends: crate::domain::date::Date,
    }
    let made: Vec<Made> = sqlx::query_as(
        "SELECT z.kind, z.level,
                (SELECT min(s.name) FROM services s WHERE s.service_uuid = z.service_uuid) AS service,
                (z.valid_until AT TIME ZONE 'Europe/Amsterdam')::date AS ends
           FROM authorizations z
          WHERE z.id = ANY($1)
          ORDER BY z.kind = 'admin', 3, z.id",
    )
    .bind(new)
    .fetch_all(&mut *conn)
    .await?;
    let items: Vec<notices::Item> = made
        .iter()
        .map(|m| notices::Item {
            organization: &holder.organization,
            user_name: &holder.first_name,
            service: m.service.as_deref(),
            is_admin: m.kind == "admin",
            level: &m.level,
            ends: m.ends,
        })
        .collect();
    let (subject, body) = notices::granted_email(
        &holder.language,
        &holder.first_name,
        &holder.organization,
        &items,
        public_url,
    );
    outbox::enqueue_email(conn, &holder.email, &subject, &body, outbox::Content::Plain).await?;
    Ok(())
}
