//! The service catalog, and the price list the wizard quotes from. Both are data in the
//! database the operator can change, never constants in code.

use super::error::{ServiceError, ServiceResult};
use crate::api::wizard::ServiceOption;
use crate::api::ApiError;
use crate::domain::codes::{Field, Rule};
use crate::domain::level::AssuranceLevel;
use crate::domain::tariff::{PriceList, Tariff};
use sqlx::{PgConnection, PgPool, Row};
use uuid::Uuid;

/// The most services one search answers with; "all" lists up to the whole catalog.
const SEARCH_LIMIT: i64 = 50;
const ALL_LIMIT: i64 = 2000;

/// Services the level can use whose name or provider contains `search`. "all", "alle" or an
/// empty search lists every one of them.
pub async fn search(
    pool: &PgPool,
    level: AssuranceLevel,
    search: &str,
) -> ServiceResult<Vec<ServiceOption>> {
    let search = search.trim().to_lowercase();
    if search.chars().count() > 100 {
        return Err(ApiError::validation(Field::ServiceSearch, Rule::TooLong).into());
    }
    let pattern = match search.as_str() {
        "" | "all" | "alle" | "alles" => None,
        s => Some(format!(
            "%{}%",
            s.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        )),
    };
    let rows = sqlx::query(
        "SELECT DISTINCT ON (lower(name), service_uuid) service_uuid, name, provider, min_level
         FROM services
         WHERE min_level = ANY($1)
           AND ($2::text IS NULL OR lower(name) LIKE $2 OR lower(provider) LIKE $2)
         ORDER BY lower(name), service_uuid, provider
         LIMIT $3",
    )
    .bind(levels_up_to(level))
    .bind(&pattern)
    .bind(if pattern.is_none() {
        ALL_LIMIT
    } else {
        SEARCH_LIMIT
    })
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(ServiceOption {
                service_uuid: r.get::<uuid::Uuid, _>("service_uuid").to_string(),
                name: r.get("name"),
                provider: r.get("provider"),
                min_level: AssuranceLevel::parse(r.get("min_level"))
                    .map_err(ServiceError::internal)?,
            })
        })
        .collect()
}

/// The level names at or below `level`, for `min_level = ANY(...)`.
pub fn levels_up_to(level: AssuranceLevel) -> Vec<&'static str> {
    AssuranceLevel::ALL
        .into_iter()
        .filter(|l| *l <= level)
        .map(AssuranceLevel::as_str)
        .collect()
}

/// The current tariffs and VAT rate.
pub async fn price_list(conn: &mut PgConnection) -> ServiceResult<PriceList> {
    let rows = sqlx::query("SELECT level, years, cents FROM tariffs")
        .fetch_all(&mut *conn)
        .await?;
    let vat: i32 = sqlx::query_scalar("SELECT vat_basis_points FROM pricing")
        .fetch_one(&mut *conn)
        .await?;
    let entries = rows
        .into_iter()
        .map(|r| {
            Ok(Tariff {
                level: AssuranceLevel::parse(r.get("level")).map_err(ServiceError::internal)?,
                years: u8::try_from(r.get::<i32, _>("years")).map_err(ServiceError::internal)?,
                cents: r.get("cents"),
            })
        })
        .collect::<ServiceResult<Vec<_>>>()?;
    Ok(PriceList {
        entries,
        vat_basis_points: u32::try_from(vat).map_err(ServiceError::internal)?,
    })
}

/// The names of the services an application chose (a service offered by several providers
/// once).
pub async fn application_service_names<'e>(
    db: impl sqlx::PgExecutor<'e>,
    application: uuid::Uuid,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT DISTINCT ON (s.service_uuid) s.name FROM application_services aps
           JOIN services s ON s.service_uuid = aps.service_uuid
          WHERE aps.application_id = $1 ORDER BY s.service_uuid, s.name",
    )
    .bind(application)
    .fetch_all(db)
    .await
}

/// Checks that every one of `ids` is a service of the catalog that `level` can use: otherwise
/// the services field's error (a known service above the level, or one that does not exist).
pub async fn check_usable(
    conn: &mut PgConnection,
    ids: &[Uuid],
    level: AssuranceLevel,
) -> ServiceResult<()> {
    let usable: Vec<Uuid> = sqlx::query_scalar(
        "SELECT DISTINCT service_uuid FROM services
         WHERE service_uuid = ANY($1) AND min_level = ANY($2)",
    )
    .bind(ids)
    .bind(levels_up_to(level))
    .fetch_all(&mut *conn)
    .await?;
    if usable.len() == ids.len() {
        return Ok(());
    }
    let known: i64 = sqlx::query_scalar(
        "SELECT count(DISTINCT service_uuid) FROM services WHERE service_uuid = ANY($1)",
    )
    .bind(ids)
    .fetch_one(&mut *conn)
    .await?;
    let rule = if known as usize == ids.len() {
        Rule::AboveLevel
    } else {
        Rule::Unknown
    };
    Err(ApiError::validation(Field::Services, rule).into())
}
