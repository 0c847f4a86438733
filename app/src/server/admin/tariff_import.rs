//! `server import-tariffs FILE`: the price of one authorization per level and validity, from a
//! CSV file with the header `level,years,price` (comma or semicolon), the price in euros
//! excluding VAT ("15", "15.00" or "15,00"). Idempotent; the prices apply to every quote from
//! the moment the import commits (submitted applications keep the price they were shown).

use super::changes::{self, Changes, LineProblem};
use super::AdminResult;
use crate::domain::level::AssuranceLevel;
use crate::domain::tariff::{format_euro, Validity};
use crate::server::audit;
use sqlx::PgPool;
use std::fmt;

pub const HEADER: [&str; 3] = ["level", "years", "price"];

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TariffRow {
    pub level: String,
    pub years: i32,
    pub cents: i64,
}

impl fmt::Display for TariffRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} year(s): {} excl. VAT",
            self.level,
            self.years,
            format_euro(self.cents, false)
        )
    }
}

/// "15", "15.5", "15.00" or "15,00" euros as cents; nothing else (no thousands separators,
/// no sign, at most two decimals, at most a million euros).
pub fn parse_euros(s: &str) -> Option<i64> {
    let s = s.trim().trim_start_matches('€').trim();
    let (whole, fraction) = match s.split_once(['.', ',']) {
        Some((w, f)) => (w, Some(f)),
        None => (s, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || whole.len() > 7 || fraction.is_some_and(|f| !digits(f)) {
        return None;
    }
    let fraction = fraction.unwrap_or_default();
    if fraction.len() > 2 {
        return None;
    }
    let cents = format!("{fraction:0<2}").parse::<i64>().ok()?;
    Some(whole.parse::<i64>().ok()? * 100 + cents)
}

pub fn parse(text: &str) -> Result<Vec<TariffRow>, Vec<LineProblem>> {
    let rows = changes::records_after_header(text, &HEADER)?;
    let problem = |line, problem: String| LineProblem { line, problem };
    let mut tariffs: Vec<TariffRow> = Vec::new();
    let mut problems = Vec::new();
    for (line, record) in rows {
        let [level, years, price] = record.as_slice() else {
            problems.push(problem(
                line,
                format!("expected 3 fields, found {}", record.len()),
            ));
            continue;
        };
        let level = AssuranceLevel::parse(level);
        let years = years
            .trim()
            .parse::<u8>()
            .ok()
            .and_then(|y| Validity::parse(y).ok());
        let cents = parse_euros(price);
        match (level, years, cents) {
            (Ok(level), Some(years), Some(cents)) => {
                let row = TariffRow {
                    level: level.as_str().to_string(),
                    years: i32::from(years.years()),
                    cents,
                };
                if tariffs
                    .iter()
                    .any(|t| (&t.level, t.years) == (&row.level, row.years))
                {
                    problems.push(problem(
                        line,
                        format!("{} {} years is in the file twice", row.level, row.years),
                    ));
                } else {
                    tariffs.push(row);
                }
            }
            (level, years, cents) => {
                if level.is_err() {
                    problems.push(problem(line, "level must be EH2, EH2+, EH3 or EH4".into()));
                }
                if years.is_none() {
                    problems.push(problem(line, "years must be 1, 3 or 5".into()));
                }
                if cents.is_none() {
                    problems.push(problem(
                        line,
                        format!("price {price:?} is not an amount in euros like 15,00"),
                    ));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(tariffs)
    } else {
        Err(problems)
    }
}

pub async fn import(
    pool: &PgPool,
    tariffs: &[TariffRow],
    dry_run: bool,
) -> AdminResult<Changes<TariffRow>> {
    let mut tx = pool.begin().await?;
    sqlx::query("LOCK TABLE tariffs IN SHARE ROW EXCLUSIVE MODE")
        .execute(&mut *tx)
        .await?;
    let current: Vec<TariffRow> =
        sqlx::query_as("SELECT level, years, cents FROM tariffs ORDER BY level, years")
            .fetch_all(&mut *tx)
            .await?;
    let changes = changes::diff(&current, tariffs, |t| (t.level.clone(), t.years));
    if dry_run || changes.is_empty() {
        tx.rollback().await?;
        return Ok(changes);
    }
    let upserts: Vec<&TariffRow> = changes
        .added
        .iter()
        .chain(changes.changed.iter().map(|(_, new)| new))
        .collect();
    sqlx::query(
        "INSERT INTO tariffs (level, years, cents)
         SELECT * FROM UNNEST($1::text[], $2::int[], $3::bigint[])
         ON CONFLICT (level, years) DO UPDATE SET cents = EXCLUDED.cents",
    )
    .bind(upserts.iter().map(|t| t.level.clone()).collect::<Vec<_>>())
    .bind(upserts.iter().map(|t| t.years).collect::<Vec<_>>())
    .bind(upserts.iter().map(|t| t.cents).collect::<Vec<_>>())
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        None,
        audit::Action::TariffsImported,
        None,
        super::with_actor(serde_json::json!({
            "added": changes.added.len(),
            "changed": changes.changed.len(),
            "tariffs": upserts.iter().map(|t| serde_json::json!({
                "level": t.level, "years": t.years, "cents": t.cents })).collect::<Vec<_>>(),
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
    fn euros_are_read_as_people_write_them_and_nothing_else() {
        assert_eq!(parse_euros("15"), Some(1500));
        assert_eq!(parse_euros("15,5"), Some(1550));
        assert_eq!(parse_euros("€ 15.05"), Some(1505));
        assert_eq!(parse_euros("0"), Some(0));
        for bad in ["", "-1", "1.234,50", "15,005", "abc", "1e3", ",5", "15,"] {
            assert_eq!(parse_euros(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_tariff_file_is_read_or_every_problem_is_named() {
        let ok = parse("level;years;price\nEH3;1;15,00\neh2+;5;25\n").unwrap();
        assert_eq!(
            ok[1],
            TariffRow {
                level: "EH2+".into(),
                years: 5,
                cents: 2500
            }
        );
        let problems = parse("level,years,price\nEH5,2,x\nEH3,1,1\nEH3,1,2\n").unwrap_err();
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![2, 2, 2, 4]);
    }
}
