//! E-mail delivery: SMTP with lettre when `SMTP_HOST` is set; otherwise, in development, the
//! development mailbox (the message stays visible at /dev/mailbox and is marked delivered).

use super::DeliveryError;
use super::Timing;
use crate::server::config::{SmtpSecurity, SmtpSettings};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::{AsyncSmtpTransportBuilder, PoolConfig};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::{PoisonError, RwLock};
use std::time::Duration;

/// lettre's `timeout` bounds only opening the TCP connection in its async transport (the
/// TLS handshake, EHLO, AUTH and the message itself are unbounded, lettre issue #1027), so
/// the bound on a whole send is our own `SEND_DEADLINE` around it.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// A whole send: connect, TLS, EHLO, AUTH, MAIL, RCPT, DATA. Below the outbox's own deadline,
/// so this one fires first and can discard the pool (see `Smtp::send`).
pub const SEND_DEADLINE: Duration = Duration::from_secs(30);
const _: () = assert!(SEND_DEADLINE.as_secs() < Timing::PRODUCTION.send_deadline().as_secs());

#[async_trait::async_trait]
pub trait EmailTransport: Send + Sync {
    async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), DeliveryError>;
}

/// SMTP with lettre's connection pool, so consecutive messages reuse one authenticated
/// connection instead of a TCP and TLS handshake and an AUTH each.
pub struct Smtp {
    /// Kept to build a fresh transport (and pool) after a send is cut off.
    builder: AsyncSmtpTransportBuilder,
    transport: RwLock<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
}

impl Smtp {
    pub fn new(settings: &SmtpSettings, from: &str) -> Result<Self, DeliveryError> {
        let err = |e: &dyn std::fmt::Display| DeliveryError(e.to_string());
        let builder = match settings.security {
            SmtpSecurity::StartTls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&settings.host)
                    .map_err(|e| err(&e))?
            }
            SmtpSecurity::Tls => {
                AsyncSmtpTransport::<Tokio1Executor>::relay(&settings.host).map_err(|e| err(&e))?
            }
            SmtpSecurity::None => {
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.host)
            }
        };
        // Pool: a worker sends one message at a time, so one connection carries the load;
        // a second covers the moment a used one is still being handed back. None is kept
        // open while idle (min_idle 0), and an idle one is closed after 60 s, before most
        // servers drop it themselves; lettre checks a pooled connection with NOOP before
        // reusing it.
        let pool = PoolConfig::new()
            .min_idle(0)
            .max_size(2)
            .idle_timeout(Duration::from_secs(60));
        let mut builder = builder
            .port(settings.port)
            .timeout(Some(CONNECT_TIMEOUT))
            .pool_config(pool);
        if let (Some(user), Some(pass)) = (&settings.username, &settings.password) {
            builder =
                builder.credentials(Credentials::new(user.clone(), pass.expose().to_string()));
        }
        Ok(Self {
            transport: RwLock::new(builder.clone().build()),
            builder,
            from: from.parse().map_err(|e| err(&e))?,
        })
    }
}

#[async_trait::async_trait]
impl EmailTransport for Smtp {
    async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), DeliveryError> {
        let message = Message::builder()
            .from(self.from.clone())
            .to(to
                .parse()
                .map_err(|e: lettre::address::AddressError| DeliveryError(e.to_string()))?)
            .subject(subject)
            // The text as written, and the same as HTML for clients that show it.
            .multipart(MultiPart::alternative_plain_html(
                body.to_string(),
                super::html::render(subject, body),
            ))
            .map_err(|e| DeliveryError(e.to_string()))?;
        // A clone shares the pool; the lock is never held across an await.
        let transport = self
            .transport
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        match tokio::time::timeout(SEND_DEADLINE, transport.send(message)).await {
            Ok(sent) => sent.map(|_| ()).map_err(|e| DeliveryError(e.to_string())),
            Err(_) => {
                // The cut-off send may have left its connection in the middle of a command,
                // and lettre would hand it back to the pool as healthy (it marks a connection
                // broken only on an error it sees), so the next message could read this one's
                // answer. A fresh transport brings a fresh pool; the old pool closes its
                // connections once the last send using it lets go.
                *self
                    .transport
                    .write()
                    .unwrap_or_else(PoisonError::into_inner) = self.builder.clone().build();
                Err(DeliveryError(format!(
                    "smtp: no answer within {} s",
                    SEND_DEADLINE.as_secs()
                )))
            }
        }
    }
}

/// Development: the outbox row itself is the mailbox.
pub struct DevelopmentMailbox;

#[async_trait::async_trait]
impl EmailTransport for DevelopmentMailbox {
    async fn send(&self, to: &str, subject: &str, _body: &str) -> Result<(), DeliveryError> {
        tracing::info!(%to, %subject, "e-mail delivered to the development mailbox");
        Ok(())
    }
}
