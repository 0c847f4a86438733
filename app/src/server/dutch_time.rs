//! The date in the Netherlands. PostgreSQL knows the zone's rules (Europe/Amsterdam, summer time
//! included), and every date the pages show comes from it, so the dates rules are checked
//! against come from it too.

use crate::domain::date::Date;

/// Today in the Netherlands.
pub async fn today<'e>(db: impl sqlx::PgExecutor<'e>) -> Result<Date, sqlx::Error> {
    sqlx::query_scalar("SELECT (now() AT TIME ZONE 'Europe/Amsterdam')::date")
        .fetch_one(db)
        .await
}
