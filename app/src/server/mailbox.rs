//! The development mailbox: every e-mail and SMS the outbox produced, newest first.
//! Only in development; in production it answers as if it did not exist.

use super::error::ServiceResult;
use super::state::AppState;
use crate::api::mailbox::MailboxMessage;
use crate::api::ApiError;
use sqlx::Row;

pub async fn list(state: &AppState, limit: i64) -> ServiceResult<Vec<MailboxMessage>> {
    if !state.settings.is_development() {
        return Err(ApiError::NotFound.into());
    }
    let rows = sqlx::query(
        "SELECT id, channel, recipient, subject, body, status,
                to_char(created_at AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD HH24:MI:SS') AS created
         FROM outbox ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&state.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| MailboxMessage {
            id: r.get("id"),
            channel: r.get("channel"),
            recipient: r.get("recipient"),
            subject: r.get("subject"),
            body: r.get("body"),
            status: r.get("status"),
            created_at: r.get("created"),
        })
        .collect())
}
