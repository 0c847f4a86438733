//! SMS delivery behind a trait. Production: an HTTP gateway in the style most Dutch SMS
//! providers offer (MessageBird/Bird, CM.com, Spryng accept this shape or a close variant):
//!
//! ```text
//! POST {SMS_GATEWAY_URL}
//! Authorization: AccessKey {SMS_GATEWAY_ACCESS_KEY}
//! Content-Type: application/json
//! {"originator": "{SMS_ORIGINATOR}", "recipients": ["+31612345678"], "body": "..."}
//! ```
//! Any 2xx answer counts as accepted; anything else is retried by the outbox with backoff.
//! Development: no gateway; the message is shown in the development mailbox at /dev/mailbox.

use super::{DeliveryError, Timing};
use crate::server::config::SmsGatewaySettings;
use std::time::Duration;

/// Opening the connection (TCP and TLS).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The whole request, from connecting to the end of the answer's body (reqwest's `timeout`
/// covers all of it). Below the outbox's own deadline, so the gateway's error is what the
/// operator sees.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
const _: () = assert!(REQUEST_TIMEOUT.as_secs() < Timing::PRODUCTION.send_deadline().as_secs());

#[async_trait::async_trait]
pub trait SmsGateway: Send + Sync {
    async fn send(&self, to: &str, body: &str) -> Result<(), DeliveryError>;
}

pub struct HttpGateway {
    client: reqwest::Client,
    settings: SmsGatewaySettings,
}

impl HttpGateway {
    /// Fails rather than falling back to a client without timeouts.
    pub fn new(settings: SmsGatewaySettings) -> Result<Self, DeliveryError> {
        let client = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(|e| DeliveryError(format!("sms gateway client: {e}")))?;
        Ok(Self { client, settings })
    }
}

#[async_trait::async_trait]
impl SmsGateway for HttpGateway {
    async fn send(&self, to: &str, body: &str) -> Result<(), DeliveryError> {
        let response = self
            .client
            .post(&self.settings.url)
            .header(
                "Authorization",
                format!("AccessKey {}", self.settings.access_key.expose()),
            )
            .json(&serde_json::json!({
                "originator": self.settings.originator,
                "recipients": [to],
                "body": body,
            }))
            .send()
            .await
            .map_err(|e| DeliveryError(format!("sms gateway unreachable: {}", e.without_url())))?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(DeliveryError(format!(
                "sms gateway answered {}",
                response.status()
            )))
        }
    }
}

/// Development: the outbox row itself is the phone.
pub struct DevelopmentPhone;

#[async_trait::async_trait]
impl SmsGateway for DevelopmentPhone {
    async fn send(&self, to: &str, _body: &str) -> Result<(), DeliveryError> {
        tracing::info!(to = %to, "sms delivered to the development mailbox");
        Ok(())
    }
}
