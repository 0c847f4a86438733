//! The audit log: who did what, when. Written inside the transaction of the change it records.

use sqlx::PgConnection;
use uuid::Uuid;

pub async fn record(
    conn: &mut PgConnection,
    actor: Option<Uuid>,
    action: &str,
    org: Option<Uuid>,
    details: serde_json::Value,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (actor_id, action, org_id, details) VALUES ($1, $2, $3, $4)",
    )
    .bind(actor)
    .bind(action)
    .bind(org)
    .bind(details)
    .execute(conn)
    .await?;
    Ok(())
}
