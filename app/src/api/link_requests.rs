//! Link requests (koppelverzoeken): a manager asks an existing user, by e-mail address, to be
//! linked to one more of the manager's organizations; the user accepts or declines under Mijn
//! account. Once accepted, the user is one of the organization's users, for whom the manager
//! can request authorizations.

use super::ApiError;
use crate::domain::date::Date;
use crate::domain::ids::{LinkRequestId, OrgId};
use crate::domain::link_request::Status;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

/// An open request, as its manager sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentRequest {
    pub id: LinkRequestId,
    pub organization: String,
    pub email: String,
    pub sent_on: Date,
    /// It lapses unanswered after this day.
    pub open_until: Date,
    pub sent_by: String,
}

/// A request to the signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivedRequest {
    pub id: LinkRequestId,
    pub organization: String,
    pub sent_by: String,
    pub sent_on: Date,
}

#[server(prefix = "/api", endpoint = "link_requests/list", input = Json)]
pub async fn sent_link_requests() -> Result<Vec<SentRequest>, ApiError> {
    use crate::server::{link_requests, request};
    let (state, caller) = request::caller().await?;
    let manager = request::manager(&caller)?;
    request::respond(link_requests::sent(&state.pool, &manager).await)
}

/// Sends the request; the answer is the same whether the address belongs to anyone or not.
#[server(prefix = "/api", endpoint = "link_requests/send", input = Json)]
pub async fn send_link_request(org_id: OrgId, email: String) -> Result<(), ApiError> {
    use crate::server::{link_requests, request};
    let (state, caller) = request::caller().await?;
    let manager = request::manager(&caller)?;
    request::respond(link_requests::send(&state, &manager, &org_id, &email).await)
}

#[server(prefix = "/api", endpoint = "link_requests/withdraw", input = Json)]
pub async fn withdraw_link_request(id: LinkRequestId) -> Result<(), ApiError> {
    use crate::server::{link_requests, request};
    let (state, caller) = request::caller().await?;
    let manager = request::manager(&caller)?;
    request::respond(link_requests::withdraw(&state.pool, &manager, &id).await)
}

#[server(prefix = "/api", endpoint = "link_requests/mine", input = Json)]
pub async fn my_link_requests() -> Result<Vec<ReceivedRequest>, ApiError> {
    use crate::server::{link_requests, request};
    let (state, caller) = request::caller().await?;
    request::respond(link_requests::received(&state.pool, &caller).await)
}

/// The user's answer: accept (linked at once) or decline.
#[server(prefix = "/api", endpoint = "link_requests/answer", input = Json)]
pub async fn answer_link_request(id: LinkRequestId, accept: bool) -> Result<Status, ApiError> {
    use crate::server::{link_requests, request};
    let (state, caller) = request::caller().await?;
    request::respond(link_requests::answer(&state, &caller, &id, accept).await)
}
