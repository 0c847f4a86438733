//! The outbox: e-mails and SMS messages are rows written in the transaction of the change that
//! causes them, so a message goes out exactly when its change commits. `deliver_due` claims due
//! rows with `FOR UPDATE SKIP LOCKED` and a lease, so any number of server processes can drain
//! the queue without sending a message twice at once; failures are retried with exponential
//! backoff and given up after `MAX_ATTEMPTS`.

pub mod email;
pub mod messages;
pub mod sms;

pub use messages::sms_code_text;

use sqlx::{PgConnection, PgPool, Row};

pub const MAX_ATTEMPTS: i32 = 8;

/// What a message's body holds. A `Secret` (a one-time code, a personal link that opens an
/// account or a verification) is erased from the outbox once delivered in production, so the
/// table never keeps a usable secret longer than it has to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    Plain,
    Secret,
}

pub async fn enqueue_email(
    conn: &mut PgConnection,
    to: &str,
    subject: &str,
    body: &str,
    content: Content,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO outbox (channel, recipient, subject, body, sensitive)
         VALUES ('email', $1, $2, $3, $4)",
    )
    .bind(to)
    .bind(subject)
    .bind(body)
    .bind(content == Content::Secret)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn enqueue_sms(
    conn: &mut PgConnection,
    to: &str,
    body: &str,
    content: Content,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO outbox (channel, recipient, body, sensitive) VALUES ('sms', $1, $2, $3)",
    )
    .bind(to)
    .bind(body)
    .bind(content == Content::Secret)
    .execute(conn)
    .await?;
    Ok(())
}

/// Where messages go.
pub struct Transports {
    pub email: Box<dyn email::EmailTransport>,
    pub sms: Box<dyn sms::SmsGateway>,
    /// Erase the bodies of sensitive messages once delivered (production).
    pub erase_sensitive: bool,
}

/// Seconds to wait before attempt `n + 1` after `n` failed attempts: 30 s, 1 min, 2 min, ... up to 1 h.
pub fn backoff_secs(attempts: i32) -> i64 {
    (30i64 << attempts.clamp(1, 8).saturating_sub(1)).min(3600)
}

/// Delivers up to `batch` due messages; returns how many were sent.
pub async fn deliver_due(
    pool: &PgPool,
    transports: &Transports,
    batch: i64,
) -> Result<usize, sqlx::Error> {
    let claimed = sqlx::query(
        "UPDATE outbox SET locked_until = now() + interval '2 minutes', attempts = attempts + 1
         WHERE id IN (SELECT id FROM outbox
                      WHERE status = 'pending' AND next_attempt_at <= now()
                        AND (locked_until IS NULL OR locked_until < now())
                      ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING id, channel, recipient, subject, body, sensitive, attempts",
    )
    .bind(batch)
    .fetch_all(pool)
    .await?;
    let mut sent = 0;
    for row in claimed {
        let id: i64 = row.get("id");
        let recipient: String = row.get("recipient");
        let body: String = row.get("body");
        let result = match row.get::<&str, _>("channel") {
            "email" => {
                transports
                    .email
                    .send(&recipient, row.get::<&str, _>("subject"), &body)
                    .await
            }
            _ => transports.sms.send(&recipient, &body).await,
        };
        match result {
            Ok(()) => {
                let erase = transports.erase_sensitive && row.get::<bool, _>("sensitive");
                sqlx::query(
                    "UPDATE outbox SET status = 'sent', sent_at = now(), locked_until = NULL, last_error = NULL,
                            body = CASE WHEN $2 THEN '[erased after delivery]' ELSE body END
                     WHERE id = $1",
                )
                .bind(id)
                .bind(erase)
                .execute(pool)
                .await?;
                sent += 1;
            }
            Err(e) => {
                let attempts: i32 = row.get("attempts");
                tracing::warn!(outbox_id = id, attempts, error = %e, "delivery failed");
                // A message given up on keeps no code or personal link in plain text either
                // (production): it will never be sent, and the row stays for the operator.
                let erase = transports.erase_sensitive && row.get::<bool, _>("sensitive");
                sqlx::query(
                    "UPDATE outbox SET locked_until = NULL, last_error = $2,
                            status = CASE WHEN attempts >= $3 THEN 'failed' ELSE 'pending' END,
                            body = CASE WHEN attempts >= $3 AND $5 THEN '[erased: not delivered]'
                                        ELSE body END,
                            next_attempt_at = now() + make_interval(secs => $4)
                     WHERE id = $1",
                )
                .bind(id)
                .bind(e.to_string())
                .bind(MAX_ATTEMPTS)
                .bind(backoff_secs(attempts) as f64)
                .bind(erase)
                .execute(pool)
                .await?;
            }
        }
    }
    Ok(sent)
}

/// Why a delivery failed; kept in `last_error` for the operator.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct DeliveryError(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped_at_an_hour() {
        assert_eq!(backoff_secs(1), 30);
        assert_eq!(backoff_secs(2), 60);
        assert_eq!(backoff_secs(3), 120);
        assert_eq!(backoff_secs(7), 1920);
        assert_eq!(backoff_secs(8), 3600);
        assert_eq!(backoff_secs(100), 3600);
        assert_eq!(backoff_secs(0), 30);
        assert!((1..=MAX_ATTEMPTS).all(|n| backoff_secs(n) <= 3600));
    }
}
