//! The new user's acceptance, from the personal link in the invitation e-mail. The link's token
//! is the only credential: every call names it, and an expired, used, cancelled or unknown link
//! answers `NotFound`, the same for all four.

use super::ApiError;
use crate::domain::acceptance::Step;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

/// The application as the new user sees it, and where they are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub step: Step,
    pub first_name: String,
    pub name: String,
    pub email: String,
    /// E.164, as the manager entered it; it cannot be changed here.
    pub mobile: String,
    pub date_of_birth: Option<String>,
    pub organization: String,
    pub kvk: String,
    pub branch: Option<String>,
    pub level: String,
    pub employed: bool,
    pub with_authorizations: bool,
    pub all_services: bool,
    pub services: Vec<String>,
    pub validity_years: i32,
    /// Chosen in the credentials step.
    pub username: Option<String>,
    /// In the code step: the number the code went to, and when a new one may be asked.
    pub code: Option<CodeSent>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeSent {
    pub sent_to: String,
    pub resend_in_secs: u64,
    pub resends_left: u32,
}

/// After "Bestel".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Ordered {
    /// Employed: the login means is active now.
    Issued { username: String },
    /// Not employed: the identity verification comes first; the e-mail has the link too.
    IdentityVerification { url: String, deadline: String },
    /// Not employed, and the partner did not answer in time: the order stands, and the link
    /// for the verification follows by e-mail.
    VerificationRequested,
}

#[server(prefix = "/api", endpoint = "acceptance/open", input = Json)]
pub async fn open_invitation(token: String) -> Result<Invitation, ApiError> {
    use crate::server::{acceptance, request};
    let state = request::state()?;
    request::respond(acceptance::open(&state, &token).await)
}

/// "Akkoord": the details are right.
#[server(prefix = "/api", endpoint = "acceptance/confirm", input = Json)]
pub async fn confirm_details(token: String) -> Result<Invitation, ApiError> {
    use crate::server::{acceptance, request};
    let state = request::state()?;
    request::respond(acceptance::confirm(&state, &token).await)
}

/// Sends a code to the mobile number (again).
#[server(prefix = "/api", endpoint = "acceptance/send_code", input = Json)]
pub async fn send_code(token: String) -> Result<Invitation, ApiError> {
    use crate::server::{acceptance, request};
    let state = request::state()?;
    request::respond(acceptance::send_code(&state, &token).await)
}

#[server(prefix = "/api", endpoint = "acceptance/verify_code", input = Json)]
pub async fn verify_code(token: String, code: String) -> Result<Invitation, ApiError> {
    use crate::server::{acceptance, request};
    let state = request::state()?;
    request::respond(acceptance::verify_code(&state, &token, &code).await)
}

#[server(prefix = "/api", endpoint = "acceptance/credentials", input = Json)]
pub async fn choose_credentials(
    token: String,
    username: String,
    password: String,
) -> Result<Invitation, ApiError> {
    use crate::server::{acceptance, request};
    let state = request::state()?;
    request::respond(acceptance::choose_credentials(&state, &token, &username, password).await)
}

/// "Bestel".
#[server(prefix = "/api", endpoint = "acceptance/order", input = Json)]
pub async fn order(token: String) -> Result<Ordered, ApiError> {
    use crate::server::{acceptance, request};
    let state = request::state()?;
    request::respond(acceptance::order(&state, &token).await)
}
