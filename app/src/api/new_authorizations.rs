//! "Nieuwe machtigingen aanvragen": new authorizations for a user who already holds a login
//! means, active at once. The request itself and its rules are `domain::new_authorizations`.

use super::wizard::{OrgOption, Terms};
use super::ApiError;
use crate::domain::ids::{OrgId, ServiceId, UserId};
use crate::domain::level::AssuranceLevel;
use crate::domain::new_authorizations::NewAuthorizations;
use crate::domain::tariff::PriceList;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

/// The most users one search for a user answers with.
pub const CANDIDATES: usize = 20;

/// What the page needs to start: the manager's organizations and own level, the price list for
/// the live price, and the current terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestStart {
    pub organizations: Vec<OrgOption>,
    pub max_level: AssuranceLevel,
    pub prices: PriceList,
    pub terms: Terms,
}

/// A user of the organization who holds a login means, with what they hold there already.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub id: UserId,
    pub name: String,
    pub email: String,
    /// The level of the user's login means: the most any authorization of theirs can have.
    pub level: AssuranceLevel,
    pub is_manager: bool,
    /// A user of the organization; otherwise a user of another of the manager's organizations
    /// ("Toon niet-gekoppelde gebruikers"), to be linked first with a link request.
    pub linked: bool,
    pub holds_all_services: bool,
    /// The services the user holds an active or requested authorization for.
    pub services: Vec<ServiceId>,
}

#[server(prefix = "/api", endpoint = "authorizations/request_start", input = Json)]
pub async fn start_request() -> Result<RequestStart, ApiError> {
    use crate::server::{authorizations, request};
    let (state, caller) = request::caller().await?;
    let manager = request::manager(&caller)?;
    request::respond(authorizations::request::start(&state.pool, &manager).await)
}

#[server(prefix = "/api", endpoint = "authorizations/candidates", input = Json)]
pub async fn request_candidates(
    org_id: OrgId,
    search: String,
    unlinked: bool,
    #[server(default)] only: Option<UserId>,
) -> Result<Vec<Candidate>, ApiError> {
    use crate::server::{authorizations, request};
    let (state, caller) = request::caller().await?;
    let manager = request::manager(&caller)?;
    request::respond(
        authorizations::request::candidates(
            &state.pool,
            &manager,
            &org_id,
            &search,
            unlinked,
            only.as_ref(),
        )
        .await,
    )
}

/// "Akkoord": the authorizations start now; returns how many were made.
#[server(prefix = "/api", endpoint = "authorizations/request", input = Json)]
pub async fn request_authorizations(
    request: NewAuthorizations,
    total_cents: i64,
    terms_version: i32,
    agreed: bool,
) -> Result<u32, ApiError> {
    use crate::server::{authorizations, request as req};
    let (state, caller) = req::caller().await?;
    let manager = req::manager(&caller)?;
    req::respond(
        authorizations::request::request(
            &state,
            &manager,
            &request,
            total_cents,
            terms_version,
            agreed,
        )
        .await,
    )
}
