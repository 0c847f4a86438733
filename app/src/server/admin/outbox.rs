//! `server outbox failed` and `server outbox retry`: the messages the outbox gave up on (after
//! its retries with backoff, see `server::outbox`), and sending them again once the cause (a
//! mail server's password, a gateway's credit) is fixed. One-time codes are not sent again:
//! they expired minutes after they were made, and the person has asked for a new one since.

use super::AdminResult;
use crate::server::audit;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

#[derive(Debug, sqlx::FromRow)]
pub struct FailedMessage {
    pub id: i64,
    pub channel: String,
    pub recipient: String,
    pub subject: Option<String>,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    /// A one-time code: listed, never sent again.
    pub one_time_code: bool,
}

/// The failed messages, newest first (at most `limit`).
pub async fn failed(pool: &PgPool, limit: i64) -> AdminResult<Vec<FailedMessage>> {
    Ok(sqlx::query_as(
        "SELECT id, channel, recipient, subject, attempts, last_error, created_at,
                priority = 0 AS one_time_code
           FROM outbox WHERE status = 'failed' ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// Queues failed messages again (those in `ids`, or all when `ids` is empty), with a fresh
/// count of attempts; returns how many. One-time codes stay failed.
pub async fn retry(pool: &PgPool, ids: &[i64]) -> AdminResult<Vec<i64>> {
    let mut tx = pool.begin().await?;
    let retried: Vec<i64> = sqlx::query_scalar(
        "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = now(),
                locked_until = NULL
          WHERE status = 'failed' AND priority <> 0
            AND (cardinality($1::bigint[]) = 0 OR id = ANY($1))
          RETURNING id",
    )
    .bind(ids)
    .fetch_all(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        None,
        audit::Action::OutboxRetried,
        None,
        super::with_actor(serde_json::json!({ "ids": retried })),
    )
    .await?;
    tx.commit().await?;
    Ok(retried)
}
