//! Renewing (active) and activating (expired) authorizations in one order: the summary with
//! the new end dates and the price before "Akkoord", and the order itself, in one transaction
//! that charges exactly what the manager saw. The rules are `domain::renewal`'s.

use super::{appoint, machine, managers};
use crate::api::authorizations::{RenewalLine, RenewalQuote, MAX_RENEWAL};
use crate::api::ApiError;
use crate::domain::authorization::{Event, Kind, State};
use crate::domain::codes::{Field, Rule};
use crate::domain::date::Date;
use crate::domain::ids::AuthorizationId;
use crate::domain::level::AssuranceLevel;
use crate::domain::new_user::full_name;
use crate::domain::renewal::{self, Item, Priced, RenewalError};
use crate::domain::tariff::{format_euro, Validity};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::outbox::notices;
use crate::server::outbox::{self, Mail};
use crate::server::session::Manager;
use crate::server::state::AppState;
use crate::server::{audit, catalog};
use sqlx::PgConnection;
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    org_id: Uuid,
    user_id: Uuid,
    email: String,
    language: String,
    user_active: bool,
    kind: String,
    state: String,
    level: String,
    first_name: String,
    infix: String,
    last_name: String,
    organization: String,
    service: Option<String>,
    /// yyyy-mm-dd, in Dutch time.
    current_end: Date,
    previous_until: chrono::DateTime<chrono::Utc>,
    /// The level of the user's means.
    user_level: String,
    /// Whether the user is (or is about to be) a manager of the organization.
    is_manager: bool,
}

/// The order as priced: the rows (in the order asked for), their domain items and the price.
struct Order {
    rows: Vec<Row>,
    items: Vec<Item>,
    priced: Priced,
    vat_basis_points: u32,
    /// Per row: "ook beheerder worden" may be chosen there (once per user and organization).
    may_become_manager: Vec<bool>,
}

fn refuse(rule: Rule) -> ServiceError {
    ApiError::validation(Field::Authorization, rule).into()
}

/// Reads (and with `lock`, locks) the authorizations and prices the order. Any id that is
/// missing or another organization's answers `NotFound`, like a missing record.
async fn priced(
    conn: &mut PgConnection,
    manager: &Manager,
    ids: &[AuthorizationId],
    validity: Validity,
    lock: bool,
) -> ServiceResult<Order> {
    if ids.is_empty() {
        return Err(refuse(Rule::Required));
    }
    if ids.len() > MAX_RENEWAL {
        return Err(refuse(Rule::TooMany));
    }
    let mut wanted: Vec<Uuid> = ids.iter().map(AuthorizationId::uuid).collect();
    wanted.sort();
    wanted.dedup();
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT z.id, z.org_id, z.user_id, u.email, u.language, u.status = 'active' AS user_active,
                z.kind, z.state, z.level, u.first_name, u.infix, u.last_name,
                o.name AS organization,
                (SELECT min(s.name) FROM services s WHERE s.service_uuid = z.service_uuid) AS service,
                (z.valid_until AT TIME ZONE 'Europe/Amsterdam')::date AS current_end,
                z.valid_until AS previous_until, u.level AS user_level,
                EXISTS (SELECT 1 FROM authorizations a WHERE a.user_id = z.user_id
                          AND a.org_id = z.org_id AND a.kind = 'admin'
                          AND a.state IN ('active', 'pending')) AS is_manager
           FROM authorizations z
           JOIN users u ON u.id = z.user_id
           JOIN organizations o ON o.id = z.org_id
          WHERE z.id = ANY($1) AND z.org_id = ANY($2)
          ORDER BY u.sort_key, z.id
          {}",
        if lock { "FOR UPDATE OF z" } else { "" }
    ))
    .bind(&wanted)
    .bind(manager.orgs())
    .fetch_all(&mut *conn)
    .await?;
    if rows.len() != wanted.len() {
        return Err(ApiError::NotFound.into());
    }
    let bad = |what: &str| ServiceError::internal(format!("renewal: {what}"));
    let mut items = Vec::with_capacity(rows.len());
    let mut may_become_manager = Vec::with_capacity(rows.len());
    let mut offered: Vec<(Uuid, Uuid)> = Vec::new();
    for r in &rows {
        let level = AssuranceLevel::parse(&r.level).map_err(|_| bad("level"))?;
        if level > manager.level() {
            return Err(refuse(Rule::AboveOwnLevel));
        }
        let item = Item {
            level,
            is_admin: Kind::parse(&r.kind) == Some(Kind::Admin),
            state: State::parse(&r.state).ok_or_else(|| bad("state"))?,
            current_end: r.current_end,
        };
        let means = AssuranceLevel::parse(&r.user_level).map_err(|_| bad("means"))?;
        let may =
            renewal::may_become_manager(&item, r.user_active, r.is_manager, means, manager.level())
                && !offered.contains(&(r.user_id, r.org_id));
        if may {
            offered.push((r.user_id, r.org_id));
        }
        may_become_manager.push(may);
        items.push(item);
    }
    let today = crate::server::dutch_time::today(&mut *conn).await?;
    let list = catalog::price_list(conn).await?;
    let priced = renewal::price(&list, &items, validity, today).map_err(|e| match e {
        RenewalError::Empty => refuse(Rule::Required),
        RenewalError::NotRenewable => refuse(Rule::NotRenewable),
        RenewalError::AdminAlone => refuse(Rule::AdminAlone),
        RenewalError::Price(e) => ServiceError::internal(e),
    })?;
    Ok(Order {
        rows,
        items,
        priced,
        vat_basis_points: list.vat_basis_points,
        may_become_manager,
    })
}

pub async fn quote_renewal(
    pool: &sqlx::PgPool,
    manager: &Manager,
    ids: &[AuthorizationId],
    validity: Validity,
) -> ServiceResult<RenewalQuote> {
    let mut conn = pool.acquire().await?;
    let order = priced(&mut conn, manager, ids, validity, false).await?;
    Ok(RenewalQuote {
        lines: order
            .rows
            .iter()
            .zip(&order.items)
            .zip(&order.priced.items)
            .zip(&order.may_become_manager)
            .map(|(((r, item), p), &may_become_manager)| RenewalLine {
                id: r.id.into(),
                user_name: full_name(&r.first_name, &r.infix, &r.last_name),
                organization: r.organization.clone(),
                service: r.service.clone(),
                is_admin: item.is_admin,
                level: item.level,
                state: item.state,
                current_end: item.current_end,
                new_end: p.new_end,
                cents: p.cents,
                may_become_manager,
            })
            .collect(),
        subtotal_cents: order.priced.subtotal_cents,
        vat_basis_points: order.vat_basis_points,
        vat_cents: order.priced.vat_cents,
        total_cents: order.priced.total_cents,
    })
}

/// "Akkoord": one order, one transaction. Refused (nothing changes) when the price is no
/// longer `total_cents`, the one the manager saw. The users of the lines in `managers` also
/// become managers of the organization ("ook beheerder worden", free).
pub async fn renew(
    state: &AppState,
    manager: &Manager,
    ids: &[AuthorizationId],
    validity: Validity,
    total_cents: i64,
    managers: &[AuthorizationId],
) -> ServiceResult<u32> {
    let mut tx = state.pool.begin().await?;
    let order = priced(&mut tx, manager, ids, validity, true).await?;
    if order.priced.total_cents != total_cents {
        return Err(refuse(Rule::Outdated));
    }
    let appointees = appointees(&order, managers)?;
    let renewal: Uuid = sqlx::query_scalar(
        "INSERT INTO renewals (ordered_by, validity_years, subtotal_cents, vat_cents, total_cents)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(manager.user_id())
    .bind(i32::from(validity.years()))
    .bind(order.priced.subtotal_cents)
    .bind(order.priced.vat_cents)
    .bind(order.priced.total_cents)
    .fetch_one(&mut *tx)
    .await?;
    // Active ones are renewed, expired ones activated: two events of the one state machine.
    let mut changed = 0;
    for (event, from) in [
        (Event::Renew, State::Active),
        (Event::Activate, State::Expired),
    ] {
        let (ids, ends): (Vec<Uuid>, Vec<String>) = order
            .rows
            .iter()
            .zip(&order.items)
            .zip(&order.priced.items)
            .filter(|((_, item), _)| item.state == from)
            .map(|((r, _), p)| (r.id, p.new_end.to_iso()))
            .unzip();
        changed += machine::apply_with_end(&mut tx, event, &ids, &ends).await?;
    }
    if changed != order.rows.len() as u64 {
        return Err(ServiceError::internal(
            "renewal: a locked authorization did not change",
        ));
    }
    // The users' managers' rights run with their login authorizations (free of charge).
    let (users, orgs): (Vec<Uuid>, Vec<Uuid>) = order
        .rows
        .iter()
        .zip(&order.items)
        .filter(|(_, item)| !item.is_admin)
        .map(|(r, _)| (r.user_id, r.org_id))
        .unzip();
    appoint::follow_login(&mut tx, &users, &orgs).await?;
    // After the renewal, so each new manager's right runs to the renewed login's end.
    for n in appointees {
        let r = &order.rows[n];
        let who = appoint::Appointee {
            user: r.user_id,
            org: r.org_id,
            level: AssuranceLevel::parse(&r.user_level).map_err(ServiceError::internal)?,
            first_name: r.first_name.clone(),
            email: r.email.clone(),
            language: r.language.clone(),
            organization: r.organization.clone(),
        };
        appoint::appointed(&mut tx, manager, &who, &state.settings.public_url).await?;
    }
    let item_ids: Vec<Uuid> = order.rows.iter().map(|r| r.id).collect();
    let states: Vec<&str> = order.items.iter().map(|i| i.state.as_str()).collect();
    let previous: Vec<_> = order.rows.iter().map(|r| r.previous_until).collect();
    let cents: Vec<i64> = order.priced.items.iter().map(|p| p.cents).collect();
    sqlx::query(
        "INSERT INTO renewal_items (renewal_id, authorization_id, previous_state, previous_until, new_until, cents)
         SELECT $1, i.id, i.state, i.previous, z.valid_until, i.cents
           FROM UNNEST($2::uuid[], $3::text[], $4::timestamptz[], $5::int8[]) AS i(id, state, previous, cents)
           JOIN authorizations z ON z.id = i.id",
    )
    .bind(renewal)
    .bind(&item_ids)
    .bind(&states)
    .bind(&previous)
    .bind(&cents)
    .execute(&mut *tx)
    .await?;
    tell(&mut tx, &state.settings.public_url, manager, &order).await?;
    audit::record(
        &mut tx,
        Some(manager.user_id()),
        audit::Action::AuthorizationsRenewed,
        None,
        serde_json::json!({
            "renewal_id": renewal,
            "authorizations": item_ids.len(),
            "years": validity.years(),
            "total_cents": order.priced.total_cents,
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(u32::try_from(changed).unwrap_or(u32::MAX))
}

/// The rows whose users become managers, one per user and organization: each id must be a line
/// of the order whose user may become a manager there (otherwise nothing is written).
fn appointees(order: &Order, managers: &[AuthorizationId]) -> ServiceResult<Vec<usize>> {
    let mut rows = Vec::with_capacity(managers.len());
    for id in managers {
        let r = order
            .rows
            .iter()
            .find(|r| r.id == id.uuid())
            .ok_or_else(|| refuse(Rule::NoLoginAuthorization))?;
        let offered = (0..order.rows.len()).find(|&m| {
            order.may_become_manager[m]
                && order.rows[m].user_id == r.user_id
                && order.rows[m].org_id == r.org_id
        });
        match offered {
            Some(m) if !rows.contains(&m) => rows.push(m),
            Some(_) => {}
            None if r.is_manager => return Err(refuse(Rule::AlreadyManager)),
            None if !r.user_active || r.kind == Kind::Admin.as_str() => {
                return Err(refuse(Rule::NoLoginAuthorization))
            }
            None => return Err(refuse(Rule::AboveOwnLevel)),
        }
    }
    Ok(rows)
}

/// The order's messages: each user one per organization with the new end dates; each manager of
/// the organizations involved one with the lines in the organizations they manage.
async fn tell(
    conn: &mut PgConnection,
    public_url: &str,
    manager: &Manager,
    order: &Order,
) -> ServiceResult<()> {
    let names: Vec<String> = order
        .rows
        .iter()
        .map(|r| full_name(&r.first_name, &r.infix, &r.last_name))
        .collect();
    let item = |n: usize| {
        let r = &order.rows[n];
        notices::Item {
            organization: &r.organization,
            user_name: &names[n],
            service: r.service.as_deref(),
            is_admin: order.items[n].is_admin,
            level: &r.level,
            ends: order.priced.items[n].new_end,
        }
    };
    let mut mails = Vec::new();
    let mut per_user: BTreeMap<(Uuid, Uuid), Vec<usize>> = BTreeMap::new();
    for (n, r) in order.rows.iter().enumerate() {
        if r.user_active {
            per_user.entry((r.user_id, r.org_id)).or_default().push(n);
        }
    }
    for ns in per_user.values() {
        let r = &order.rows[ns[0]];
        let items: Vec<notices::Item> = ns.iter().map(|&n| item(n)).collect();
        let (subject, body) = notices::renewed_email(
            &r.language,
            &r.first_name,
            &r.organization,
            &items,
            public_url,
        );
        mails.push(Mail {
            to: r.email.clone(),
            subject,
            body,
        });
    }
    let mut orgs: Vec<Uuid> = order.rows.iter().map(|r| r.org_id).collect();
    orgs.sort();
    orgs.dedup();
    let managers = managers::of_orgs(conn, &orgs).await?;
    let ordered_by: (String, String, String) =
        sqlx::query_as("SELECT first_name, infix, last_name FROM users WHERE id = $1")
            .bind(manager.user_id())
            .fetch_one(&mut *conn)
            .await?;
    let ordered_by = full_name(&ordered_by.0, &ordered_by.1, &ordered_by.2);
    let mut seen = Vec::new();
    for m in &managers {
        if seen.contains(&m.id) {
            continue;
        }
        seen.push(m.id);
        let theirs: Vec<Uuid> = managers
            .iter()
            .filter(|x| x.id == m.id)
            .map(|x| x.org_id)
            .collect();
        let items: Vec<notices::Item> = (0..order.rows.len())
            .filter(|&n| theirs.contains(&order.rows[n].org_id))
            .map(item)
            .collect();
        let total = format_euro(order.priced.total_cents, m.language != "en");
        let (subject, body) = notices::renewed_manager_email(
            &m.language,
            &m.first_name,
            &ordered_by,
            &items,
            &total,
            public_url,
        );
        mails.push(Mail {
            to: m.email.clone(),
            subject,
            body,
        });
    }
    outbox::enqueue_emails(conn, &mails, outbox::Content::Plain).await?;
    Ok(())
}
