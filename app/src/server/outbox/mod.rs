//! The outbox: e-mails and SMS messages are rows written in the transaction of the change that
//! causes them, so a message goes out exactly when its change commits. `deliver_due` claims one
//! due row at a time with `FOR UPDATE SKIP LOCKED` and a lease that outlasts its send (see
//! `Timing`), so any number of server processes can drain the queue without sending a message
//! twice; one-time codes go before everything else; failures are retried with exponential
//! backoff and given up after `MAX_ATTEMPTS`.

pub mod email;
pub mod html;
pub mod messages;
pub mod notices;
pub mod sms;

pub use messages::sms_code_text;

use crate::domain::text::tidy;
use sqlx::{PgConnection, PgPool};
use std::time::Duration;

pub const MAX_ATTEMPTS: i32 = 8;

/// What a message's body holds. A `Secret` (a personal link that opens an account or a
/// verification) or a `OneTimeCode` is erased from the outbox once delivered in production, so
/// the table never keeps a usable secret longer than it has to. A `OneTimeCode` is also sent
/// before anything else: someone is waiting for it and it expires in minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    Plain,
    Secret,
    OneTimeCode,
}

impl Content {
    fn sensitive(self) -> bool {
        self != Content::Plain
    }

    /// The `outbox.priority` column: lower goes first (0004_outbox_priority.sql).
    fn priority(self) -> i16 {
        match self {
            Content::OneTimeCode => 0,
            Content::Plain | Content::Secret => 1,
        }
    }
}

/// An e-mail's body as queued: tidied (organization names end sentences: "Bakkerij B.V.." reads
/// as one period) and signed with the brand and its helpdesk.
pub fn email_body(body: &str) -> String {
    format!("{}\n\n{}", tidy(body), super::brand::get().signature())
}

pub async fn enqueue_email(
    conn: &mut PgConnection,
    to: &str,
    subject: &str,
    body: &str,
    content: Content,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO outbox (channel, recipient, subject, body, sensitive, priority)
         VALUES ('email', $1, $2, $3, $4, $5)",
    )
    .bind(to)
    .bind(tidy(subject))
    .bind(email_body(body))
    .bind(content.sensitive())
    .bind(content.priority())
    .execute(conn)
    .await?;
    Ok(())
}

/// Many e-mails of one kind in one statement (the expiry job's notices and digests).
pub async fn enqueue_emails(
    conn: &mut PgConnection,
    mails: &[Mail],
    content: Content,
) -> Result<(), sqlx::Error> {
    if mails.is_empty() {
        return Ok(());
    }
    let to: Vec<&str> = mails.iter().map(|m| m.to.as_str()).collect();
    let subjects: Vec<String> = mails.iter().map(|m| tidy(&m.subject)).collect();
    let bodies: Vec<String> = mails.iter().map(|m| email_body(&m.body)).collect();
    sqlx::query(
        "INSERT INTO outbox (channel, recipient, subject, body, sensitive, priority)
         SELECT 'email', m.recipient, m.subject, m.body, $4, $5
           FROM UNNEST($1::text[], $2::text[], $3::text[]) AS m(recipient, subject, body)",
    )
    .bind(&to)
    .bind(&subjects)
    .bind(&bodies)
    .bind(content.sensitive())
    .bind(content.priority())
    .execute(conn)
    .await?;
    Ok(())
}

/// An e-mail to enqueue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

pub async fn enqueue_sms(
    conn: &mut PgConnection,
    to: &str,
    body: &str,
    content: Content,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO outbox (channel, recipient, body, sensitive, priority)
         VALUES ('sms', $1, $2, $3, $4)",
    )
    .bind(to)
    .bind(body)
    .bind(content.sensitive())
    .bind(content.priority())
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

/// How long a claim keeps a message from other workers, and how long one send may take.
///
/// Why no message is sent twice: a worker claims one message, sends it, and marks it, and
/// only the send can take long. The send is cut off at `send_deadline`, and `new` refuses a
/// deadline over half the lease, so the claim and the mark (two one-row statements) have the
/// other half. The lease therefore cannot run out while its worker still holds the message,
/// and no other worker can claim it meanwhile. (The old design claimed 20 messages under one
/// lease and sent them in turn, so a slow batch outlived the lease of its last messages.) The
/// mark also checks the claim is still its own, so a worker that was stalled anyway (a paused
/// VM) cannot overwrite what a later claim recorded.
///
/// What remains is inherent to any outbox: a send cut off after the server accepted the
/// message, or a crash between send and mark, is retried and may arrive twice.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    lease: Duration,
    send_deadline: Duration,
}

impl Timing {
    /// 45 s per send covers the transports' own limits (`email::SEND_DEADLINE`,
    /// `sms::REQUEST_TIMEOUT`, which stay below it); a crashed worker's message is picked up
    /// again after 2 minutes.
    pub const PRODUCTION: Timing = Timing::new(Duration::from_secs(120), Duration::from_secs(45));

    pub const fn new(lease: Duration, send_deadline: Duration) -> Timing {
        assert!(
            send_deadline.as_millis() * 2 <= lease.as_millis(),
            "a send may take at most half its lease"
        );
        Timing {
            lease,
            send_deadline,
        }
    }

    pub const fn send_deadline(&self) -> Duration {
        self.send_deadline
    }
}

/// One claimed message.
#[derive(sqlx::FromRow)]
struct Claimed {
    id: i64,
    channel: String,
    recipient: String,
    subject: Option<String>,
    body: String,
    sensitive: bool,
    /// Also the claim's token: every claim raises it, so a mark that finds another value knows
    /// the message was claimed again since.
    attempts: i32,
}

/// Delivers up to `batch` due messages, one claim each; returns how many were sent.
pub async fn deliver_due(
    pool: &PgPool,
    transports: &Transports,
    batch: i64,
) -> Result<usize, sqlx::Error> {
    deliver_due_with(pool, transports, batch, Timing::PRODUCTION).await
}

/// `deliver_due` with explicit timing (tests use short ones).
pub async fn deliver_due_with(
    pool: &PgPool,
    transports: &Transports,
    batch: i64,
    timing: Timing,
) -> Result<usize, sqlx::Error> {
    let mut sent = 0;
    for _ in 0..batch {
        let Some(message) = claim(pool, timing.lease).await? else {
            break;
        };
        if deliver(pool, transports, timing, message).await? {
            sent += 1;
        }
    }
    Ok(sent)
}

/// Claims the most urgent due message. Claimed one at a time, so the lease only has to cover
/// one send (see `Timing`), and a code enqueued during a long run is the very next one sent.
/// The ORDER BY matches the index `outbox_due`, so this is an index scan that stops at the
/// first row it can lock.
async fn claim(pool: &PgPool, lease: Duration) -> Result<Option<Claimed>, sqlx::Error> {
    sqlx::query_as(
        "WITH next AS (
             SELECT id FROM outbox
              WHERE status = 'pending' AND next_attempt_at <= now()
                AND (locked_until IS NULL OR locked_until < now())
              ORDER BY priority, next_attempt_at, id
              LIMIT 1
              FOR UPDATE SKIP LOCKED)
         UPDATE outbox o
            SET locked_until = now() + make_interval(secs => $1), attempts = o.attempts + 1
           FROM next WHERE o.id = next.id
         RETURNING o.id, o.channel, o.recipient, o.subject, o.body, o.sensitive, o.attempts",
    )
    .bind(lease.as_secs_f64())
    .fetch_optional(pool)
    .await
}

/// Sends one claimed message within the deadline and records the outcome; true when sent.
async fn deliver(
    pool: &PgPool,
    transports: &Transports,
    timing: Timing,
    m: Claimed,
) -> Result<bool, sqlx::Error> {
    let send = async {
        match m.channel.as_str() {
            "email" => {
                let subject = m.subject.as_deref().unwrap_or_default();
                transports.email.send(&m.recipient, subject, &m.body).await
            }
            _ => transports.sms.send(&m.recipient, &m.body).await,
        }
    };
    let result = match tokio::time::timeout(timing.send_deadline, send).await {
        Ok(result) => result,
        Err(_) => Err(DeliveryError(format!(
            "no answer within {} ms",
            timing.send_deadline.as_millis()
        ))),
    };
    let erase = transports.erase_sensitive && m.sensitive;
    let marked = match &result {
        Ok(()) => {
            sqlx::query(
                "UPDATE outbox SET status = 'sent', sent_at = now(), locked_until = NULL, last_error = NULL,
                        body = CASE WHEN $3 THEN '[erased after delivery]' ELSE body END
                 WHERE id = $1 AND attempts = $2 AND status = 'pending'",
            )
            .bind(m.id)
            .bind(m.attempts)
            .bind(erase)
            .execute(pool)
            .await?
        }
        Err(e) => {
            tracing::warn!(outbox_id = m.id, attempts = m.attempts, error = %e, "delivery failed");
            // A message given up on keeps no code or personal link in plain text either
            // (production): it will never be sent, and the row stays for the operator.
            sqlx::query(
                "UPDATE outbox SET locked_until = NULL, last_error = $3,
                        status = CASE WHEN attempts >= $4 THEN 'failed' ELSE 'pending' END,
                        body = CASE WHEN attempts >= $4 AND $6 THEN '[erased: not delivered]'
                                    ELSE body END,
                        next_attempt_at = now() + make_interval(secs => $5)
                 WHERE id = $1 AND attempts = $2 AND status = 'pending'",
            )
            .bind(m.id)
            .bind(m.attempts)
            .bind(e.to_string())
            .bind(MAX_ATTEMPTS)
            .bind(backoff_secs(m.attempts) as f64)
            .bind(erase)
            .execute(pool)
            .await?
        }
    };
    if marked.rows_affected() == 0 {
        // Only possible when this worker was stalled past its lease (see `Timing`).
        tracing::error!(
            outbox_id = m.id,
            "outbox lease lost before the outcome was recorded; the message may go out twice"
        );
    }
    Ok(result.is_ok())
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

    #[test]
    fn one_time_codes_go_first_and_every_secret_is_erased() {
        assert!(Content::OneTimeCode.priority() < Content::Secret.priority());
        assert_eq!(Content::Secret.priority(), Content::Plain.priority());
        assert!(Content::OneTimeCode.sensitive() && Content::Secret.sensitive());
        assert!(!Content::Plain.sensitive());
    }

    #[test]
    #[should_panic(expected = "a send may take at most half its lease")]
    fn a_send_deadline_over_half_the_lease_is_refused() {
        Timing::new(Duration::from_secs(60), Duration::from_secs(31));
    }
}
