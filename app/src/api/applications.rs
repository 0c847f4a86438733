//! Beheer > Lopende aanvragen: the applications of the manager's organizations, with where each
//! new user stands, and the manager's actions on them.

use super::ApiError;
use crate::domain::acceptance::Status;
use crate::domain::date::Moment;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

/// A step a new user took, with its time in [`Applicant::steps`]. On the wire as the
/// snake_case name (`mobile_verified`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgressStep {
    Confirmed,
    MobileVerified,
    Ordered,
    Verified,
    Issued,
    Rejected,
}

impl ProgressStep {
    pub const ALL: [ProgressStep; 6] = [
        ProgressStep::Confirmed,
        ProgressStep::MobileVerified,
        ProgressStep::Ordered,
        ProgressStep::Verified,
        ProgressStep::Issued,
        ProgressStep::Rejected,
    ];

    /// The name the server's query gives the step.
    pub fn as_str(self) -> &'static str {
        match self {
            ProgressStep::Confirmed => "confirmed",
            ProgressStep::MobileVerified => "mobile_verified",
            ProgressStep::Ordered => "ordered",
            ProgressStep::Verified => "verified",
            ProgressStep::Issued => "issued",
            ProgressStep::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<ProgressStep> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationSummary {
    pub id: String,
    pub organization: String,
    pub level: String,
    pub submitted_at: Moment,
    pub submitted_by: String,
    pub total_cents: i64,
    /// (status, number of users in it), in the order of `Status::ALL`.
    pub statuses: Vec<(Status, i64)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    pub id: String,
    pub name: String,
    pub email: String,
    pub mobile: String,
    pub employed: bool,
    pub status: Status,
    /// Until when the current invitation link works, if there is one.
    pub invitation_valid_until: Option<Moment>,
    /// The steps taken so far, in order, with when.
    pub steps: Vec<(ProgressStep, Moment)>,
    /// Why the final check or the verification said no.
    pub rejection_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationDetail {
    pub summary: ApplicationSummary,
    pub branch: Option<String>,
    pub with_authorizations: bool,
    pub all_services: bool,
    pub services: Vec<String>,
    pub validity_years: i32,
    pub subtotal_cents: i64,
    pub vat_cents: i64,
    pub applicants: Vec<Applicant>,
}

/// Applications per page of Lopende aanvragen.
pub const PAGE_SIZE: usize = 25;

/// Where the next page starts: after this application (newest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationsCursor {
    pub submitted_at: chrono::DateTime<chrono::Utc>,
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationsPage {
    pub rows: Vec<ApplicationSummary>,
    pub next: Option<ApplicationsCursor>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationFilter {
    /// Only applications with a user in this status.
    pub status: Option<Status>,
    pub org_id: Option<String>,
}

/// The organizations the caller manages, for the organization filter.
#[server(prefix = "/api", endpoint = "applications/organizations", input = Json)]
pub async fn managed_organizations() -> Result<Vec<super::wizard::OrgOption>, ApiError> {
    use crate::server::{applications, request};
    let (state, caller) = request::caller().await?;
    request::respond(applications::organizations(&state.pool, &caller).await)
}

#[server(prefix = "/api", endpoint = "applications/list", input = Json)]
pub async fn list_applications(
    filter: ApplicationFilter,
    after: Option<ApplicationsCursor>,
) -> Result<ApplicationsPage, ApiError> {
    use crate::server::{applications, request};
    let (state, caller) = request::caller().await?;
    request::respond(applications::list(&state.pool, &caller, &filter, after.as_ref()).await)
}

#[server(prefix = "/api", endpoint = "applications/detail", input = Json)]
pub async fn get_application(id: String) -> Result<ApplicationDetail, ApiError> {
    use crate::server::{applications, request};
    let (state, caller) = request::caller().await?;
    request::respond(applications::detail(&state.pool, &caller, &id).await)
}

/// Sends a new invitation link; the old one stops working.
#[server(prefix = "/api", endpoint = "applications/resend", input = Json)]
pub async fn resend_invitation(applicant_id: String) -> Result<(), ApiError> {
    use crate::server::{applications, request};
    let (state, caller) = request::caller().await?;
    request::respond(applications::resend(&state, &caller, &applicant_id).await)
}

/// Corrects a pending user's e-mail address or mobile number and sends a new invitation.
#[server(prefix = "/api", endpoint = "applications/correct", input = Json)]
pub async fn correct_applicant(
    applicant_id: String,
    email: String,
    mobile: String,
) -> Result<(), ApiError> {
    use crate::server::{applications, request};
    let (state, caller) = request::caller().await?;
    request::respond(applications::correct(&state, &caller, &applicant_id, &email, &mobile).await)
}

/// Cancels one user's part of an application.
#[server(prefix = "/api", endpoint = "applications/cancel_applicant", input = Json)]
pub async fn cancel_applicant(applicant_id: String) -> Result<(), ApiError> {
    use crate::server::{applications, request};
    let (state, caller) = request::caller().await?;
    request::respond(applications::cancel_applicant(&state.pool, &caller, &applicant_id).await)
}

/// Cancels every user of the application that is still open.
#[server(prefix = "/api", endpoint = "applications/cancel", input = Json)]
pub async fn cancel_application(id: String) -> Result<(), ApiError> {
    use crate::server::{applications, request};
    let (state, caller) = request::caller().await?;
    request::respond(applications::cancel_application(&state.pool, &caller, &id).await)
}
