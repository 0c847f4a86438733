//! The broker's final check, for operators: applicants whose identity verification passed wait
//! here to be approved (the means is issued) or rejected with a reason. In development, also the
//! identity-verification simulator.

use super::ApiError;
use crate::domain::date::{Date, Moment};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckItem {
    pub id: String,
    pub name: String,
    pub organization: String,
    pub kvk: String,
    pub level: String,
    /// Set once the verification passed, which every item in the queue did.
    pub verified_at: Option<Moment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckDetail {
    pub item: CheckItem,
    pub email: String,
    pub mobile: String,
    pub date_of_birth: Option<Date>,
    pub submitted_by: String,
    pub verification_reference: String,
    pub with_authorizations: bool,
    pub all_services: bool,
    pub services: Vec<String>,
    pub validity_years: i32,
}

/// A verification waiting at the (simulated) partner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimulatedVerification {
    pub reference: String,
    pub name: String,
    pub email: String,
    pub organization: String,
    pub deadline: Date,
}

#[server(prefix = "/api", endpoint = "final_check/list", input = Json)]
pub async fn list_final_checks() -> Result<Vec<CheckItem>, ApiError> {
    use crate::server::{final_check, request};
    let (state, caller) = request::caller().await?;
    request::respond(final_check::list(&state.pool, &caller).await)
}

#[server(prefix = "/api", endpoint = "final_check/detail", input = Json)]
pub async fn get_final_check(id: String) -> Result<CheckDetail, ApiError> {
    use crate::server::{final_check, request};
    let (state, caller) = request::caller().await?;
    request::respond(final_check::detail(&state.pool, &caller, &id).await)
}

#[server(prefix = "/api", endpoint = "final_check/approve", input = Json)]
pub async fn approve(id: String) -> Result<(), ApiError> {
    use crate::server::{final_check, request};
    let (state, caller) = request::caller().await?;
    request::respond(final_check::approve(&state, &caller, &id).await)
}

#[server(prefix = "/api", endpoint = "final_check/reject", input = Json)]
pub async fn reject(id: String, reason: String) -> Result<(), ApiError> {
    use crate::server::{final_check, request};
    let (state, caller) = request::caller().await?;
    request::respond(final_check::reject(&state, &caller, &id, &reason).await)
}

/// Development only: the verifications the simulator holds.
#[server(prefix = "/api", endpoint = "dev/verifications", input = Json)]
pub async fn simulated_verifications() -> Result<Vec<SimulatedVerification>, ApiError> {
    use crate::server::{final_check, request};
    let state = request::state()?;
    request::respond(final_check::simulated(&state).await)
}

/// Development only: the simulator reports a result to the webhook, signed like the partner.
#[server(prefix = "/api", endpoint = "dev/verification_result", input = Json)]
pub async fn simulate_result(reference: String, passed: bool) -> Result<(), ApiError> {
    use crate::server::{final_check, request};
    let state = request::state()?;
    request::respond(final_check::simulate(&state, &reference, passed).await)
}
