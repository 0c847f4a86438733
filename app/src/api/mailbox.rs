//! The development mailbox (development only).

use super::ApiError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxMessage {
    pub id: i64,
    /// "email" or "sms".
    pub channel: String,
    pub recipient: String,
    pub subject: Option<String>,
    pub body: String,
    pub status: String,
    pub created_at: String,
}

#[server(prefix = "/api", endpoint = "dev/mailbox", input = Json)]
pub async fn dev_mailbox() -> Result<Vec<MailboxMessage>, ApiError> {
    use crate::server::{mailbox, request};
    let state = request::state()?;
    request::respond(mailbox::list(&state, 200).await)
}
