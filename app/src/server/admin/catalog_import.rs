//! `server import-catalog FILE`: the service catalog (the services authorizations are given
//! for) from a CSV file with the header `service_uuid,provider,name,description,min_level`
//! (comma or semicolon), as the sample `app/seed/service-catalog.csv`. Idempotent: a service
//! is matched on (service_uuid, provider); new ones are added, changed ones updated, and
//! services missing from the file are kept (authorizations may refer to them).

use super::changes::{self, Changes, LineProblem};
use super::AdminResult;
use crate::domain::level::AssuranceLevel;
use crate::server::audit;
use sqlx::PgPool;
use std::fmt;
use uuid::Uuid;

pub const HEADER: [&str; 5] = [
    "service_uuid",
    "provider",
    "name",
    "description",
    "min_level",
];

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Service {
    pub service_uuid: Uuid,
    pub provider: String,
    pub name: String,
    pub description: String,
    pub min_level: String,
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} ({}, {}): {}",
            self.service_uuid, self.name, self.provider, self.min_level, self.description
        )
    }
}

/// The services in `text`, or every line's problem.
pub fn parse(text: &str) -> Result<Vec<Service>, Vec<LineProblem>> {
    let rows = changes::records_after_header(text, &HEADER)?;
    let problem = |line, problem: String| LineProblem { line, problem };
    let mut services: Vec<Service> = Vec::new();
    let mut problems = Vec::new();
    for (line, record) in rows {
        let [uuid, provider, name, description, level] = record.as_slice() else {
            problems.push(problem(
                line,
                format!("expected 5 fields, found {}", record.len()),
            ));
            continue;
        };
        let mut wrong = Vec::new();
        let uuid = Uuid::parse_str(uuid.trim())
            .map_err(|_| wrong.push(format!("service_uuid {uuid:?} is not a UUID")))
            .ok();
        let level = AssuranceLevel::parse(level)
            .map_err(|_| wrong.push(format!("min_level {level:?} is not EH2, EH2+, EH3 or EH4")))
            .ok();
        let (provider, name, description) = (provider.trim(), name.trim(), description.trim());
        if provider.is_empty() {
            wrong.push("provider is empty".into());
        }
        if name.is_empty() || name.chars().count() > 64 {
            wrong.push("name must be 1 to 64 characters".into());
        }
        if description.chars().count() > 1024 {
            wrong.push("description must be at most 1024 characters".into());
        }
        if let (Some(uuid), Some(level), true) = (uuid, level, wrong.is_empty()) {
            if services
                .iter()
                .any(|s| s.service_uuid == uuid && s.provider == provider)
            {
                wrong.push(format!("{uuid} of {provider} is in the file twice"));
            } else {
                services.push(Service {
                    service_uuid: uuid,
                    provider: provider.to_string(),
                    name: name.to_string(),
                    description: description.to_string(),
                    min_level: level.as_str().to_string(),
                });
            }
        }
        problems.extend(wrong.into_iter().map(|p| problem(line, p)));
    }
    if problems.is_empty() {
        Ok(services)
    } else {
        Err(problems)
    }
}

fn key(s: &Service) -> (Uuid, String) {
    (s.service_uuid, s.provider.clone())
}

/// Compares the file with the catalog and, unless `dry_run`, applies it in one transaction
/// with an audit record. Returns the changes (those that were, or would be, made).
pub async fn import(
    pool: &PgPool,
    services: &[Service],
    dry_run: bool,
) -> AdminResult<Changes<Service>> {
    let mut tx = pool.begin().await?;
    // Two imports at once would both see the old catalog: one waits for the other.
    sqlx::query("LOCK TABLE services IN SHARE ROW EXCLUSIVE MODE")
        .execute(&mut *tx)
        .await?;
    let current: Vec<Service> = sqlx::query_as(
        "SELECT service_uuid, provider, name, description, min_level FROM services
         ORDER BY provider, name",
    )
    .fetch_all(&mut *tx)
    .await?;
    let changes = changes::diff(&current, services, key);
    if dry_run || changes.is_empty() {
        tx.rollback().await?;
        return Ok(changes);
    }
    let upserts: Vec<&Service> = changes
        .added
        .iter()
        .chain(changes.changed.iter().map(|(_, new)| new))
        .collect();
    sqlx::query(
        "INSERT INTO services (service_uuid, provider, name, description, min_level)
         SELECT * FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[])
         ON CONFLICT (service_uuid, provider) DO UPDATE
            SET name = EXCLUDED.name, description = EXCLUDED.description,
                min_level = EXCLUDED.min_level",
    )
    .bind(upserts.iter().map(|s| s.service_uuid).collect::<Vec<_>>())
    .bind(
        upserts
            .iter()
            .map(|s| s.provider.clone())
            .collect::<Vec<_>>(),
    )
    .bind(upserts.iter().map(|s| s.name.clone()).collect::<Vec<_>>())
    .bind(
        upserts
            .iter()
            .map(|s| s.description.clone())
            .collect::<Vec<_>>(),
    )
    .bind(
        upserts
            .iter()
            .map(|s| s.min_level.clone())
            .collect::<Vec<_>>(),
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        None,
        audit::Action::CatalogImported,
        None,
        super::with_actor(serde_json::json!({
            "added": changes.added.len(),
            "changed": changes.changed.len(),
            "unchanged": changes.unchanged,
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_catalog_parses() {
        let services = parse(include_str!("../../../seed/service-catalog.csv")).unwrap();
        assert_eq!(services.len(), 24);
        assert!(services.iter().all(|s| !s.name.is_empty()));
    }

    #[test]
    fn every_bad_line_is_named_and_nothing_is_accepted() {
        let text = "service_uuid;provider;name;description;min_level\n\
                    547b2d6d-b101-438d-9b26-292199e30a0b;UWV;Loket;;EH3\n\
                    not-a-uuid;UWV;Loket;;EH9\n\
                    547b2d6d-b101-438d-9b26-292199e30a0b;UWV;Twice;;EH3\n\
                    one;field\n";
        let problems = parse(text).unwrap_err();
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![3, 3, 4, 5], "{problems:?}");
        assert!(parse("name,provider\n").is_err());
        assert!(parse("").is_err());
    }
}
