//! E-mail delivery: SMTP with lettre when `SMTP_HOST` is set; otherwise, in development, the
//! development mailbox (the message stays visible at /dev/mailbox and is marked delivered).

use super::DeliveryError;
use crate::server::config::{SmtpSecurity, SmtpSettings};
use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[async_trait::async_trait]
pub trait EmailTransport: Send + Sync {
    async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), DeliveryError>;
}

pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
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
        let mut builder = builder.port(settings.port);
        if let (Some(user), Some(pass)) = (&settings.username, &settings.password) {
            builder =
                builder.credentials(Credentials::new(user.clone(), pass.expose().to_string()));
        }
        Ok(Self {
            transport: builder.build(),
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
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_string())
            .map_err(|e| DeliveryError(e.to_string()))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| DeliveryError(e.to_string()))
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
