//! `server publish-terms`: a new version of the terms managers agree to with "Akkoord". The
//! newest version is shown from the moment it commits; applications keep the version agreed to.

use super::{refuse, AdminResult};
use crate::server::audit;
use sqlx::PgPool;

/// The longest terms text accepted (per language).
pub const MAX_CHARS: usize = 100_000;

/// Publishes `nl` and `en` as the next version; returns its number. Refuses empty or
/// oversized texts, and a text identical to the current version (nothing to publish).
pub async fn publish(pool: &PgPool, nl: &str, en: &str) -> AdminResult<i32> {
    for (language, text) in [("Dutch", nl), ("English", en)] {
        if text.trim().is_empty() || text.chars().count() > MAX_CHARS {
            return refuse(format!(
                "the {language} text must be 1 to {MAX_CHARS} characters"
            ));
        }
    }
    let mut tx = pool.begin().await?;
    sqlx::query("LOCK TABLE terms IN SHARE ROW EXCLUSIVE MODE")
        .execute(&mut *tx)
        .await?;
    let current: Option<(i32, String, String)> =
        sqlx::query_as("SELECT version, body_nl, body_en FROM terms ORDER BY version DESC LIMIT 1")
            .fetch_optional(&mut *tx)
            .await?;
    if let Some((version, body_nl, body_en)) = &current {
        if body_nl.trim() == nl.trim() && body_en.trim() == en.trim() {
            return refuse(format!(
                "these texts are version {version} already: nothing to publish"
            ));
        }
    }
    let version = current.map_or(1, |c| c.0 + 1);
    sqlx::query("INSERT INTO terms (version, body_nl, body_en) VALUES ($1, $2, $3)")
        .bind(version)
        .bind(nl.trim())
        .bind(en.trim())
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        None,
        audit::Action::TermsPublished,
        None,
        super::with_actor(serde_json::json!({ "version": version })),
    )
    .await?;
    tx.commit().await?;
    Ok(version)
}
