//! Beheer > Machtigingen: every authorization in the organizations the manager manages, with
//! filters, keyset paging, the CSV export (`/export/machtigingen.csv`, see `export_query`) and
//! revoking.

use super::wizard::OrgOption;
use super::ApiError;
use crate::domain::authorization::State;
use crate::domain::date::Date;
use crate::domain::ids::{AuthorizationId, OrgId, ServiceId, UserId};
use crate::domain::level::AssuranceLevel;
use crate::domain::tariff::Validity;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

pub const PAGE_SIZE: usize = 25;

/// What the overview shows. Without `state` and `include_inactive`, active and pending only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizationFilter {
    pub org_id: Option<OrgId>,
    /// Part of the user's name, e-mail address or username.
    #[serde(default)]
    pub user: String,
    pub service: Option<ServiceId>,
    pub level: Option<AssuranceLevel>,
    pub state: Option<State>,
    /// "Toon ook inactieve machtigingen": expired and revoked ones too.
    #[serde(default)]
    pub include_inactive: bool,
    /// "Verloopt binnenkort": active ones ending within this many days.
    #[serde(default)]
    pub ending_within_days: Option<u16>,
}

impl AuthorizationFilter {
    /// The states to show.
    pub fn states(&self) -> Vec<State> {
        if self.ending_within_days.is_some() {
            return vec![State::Active];
        }
        match self.state {
            Some(state) => vec![state],
            None => State::ALL
                .into_iter()
                .filter(|s| self.include_inactive || !s.is_inactive())
                .collect(),
        }
    }

    /// The filter as the query of the export's address, so the file holds what the page shows.
    pub fn export_query(&self) -> String {
        let mut parts = Vec::new();
        let mut add = |key: &str, value: &str| {
            if !value.is_empty() {
                parts.push(format!("{key}={}", percent_encode(value)));
            }
        };
        add(
            "org_id",
            self.org_id.as_ref().map(OrgId::as_str).unwrap_or(""),
        );
        add("user", self.user.trim());
        add(
            "service",
            self.service.as_ref().map(ServiceId::as_str).unwrap_or(""),
        );
        add(
            "level",
            self.level.map(AssuranceLevel::as_str).unwrap_or(""),
        );
        add("state", self.state.map(State::as_str).unwrap_or(""));
        if self.include_inactive {
            add("include_inactive", "true");
        }
        if let Some(days) = self.ending_within_days {
            add("ending_within_days", &days.to_string());
        }
        parts.join("&")
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizationRow {
    pub id: AuthorizationId,
    pub user_id: UserId,
    pub org_id: OrgId,
    /// The user already holds the manager's right in this organization.
    pub user_is_manager: bool,
    pub user_name: String,
    pub user_email: String,
    pub organization: String,
    /// The service's name; None for "alle diensten" and for the manager's right.
    pub service: Option<String>,
    /// The authorization manager's right (beheerdersmachtiging) rather than a service.
    pub is_admin: bool,
    pub level: AssuranceLevel,
    pub branch: Option<String>,
    pub valid_from: Date,
    /// The last day it is valid.
    pub valid_until: Date,
    pub state: State,
}

/// Where the next page starts: after this row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizationsCursor {
    pub sort_key: String,
    pub user_id: UserId,
    pub id: AuthorizationId,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizationsPage {
    pub rows: Vec<AuthorizationRow>,
    pub next: Option<AuthorizationsCursor>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceChoice {
    pub id: ServiceId,
    pub name: String,
}

/// The choices of the filters: the manager's organizations, and the services that occur in
/// their authorizations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterChoices {
    pub organizations: Vec<OrgOption>,
    pub services: Vec<ServiceChoice>,
}

/// The periods of "Verloopt binnenkort", in days.
pub const ENDING_WITHIN: [u16; 3] = [30, 60, 90];
/// The most authorizations one renewal order may hold.
pub const MAX_RENEWAL: usize = 1000;

/// One authorization of a renewal order, as the summary before "Akkoord" shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenewalLine {
    pub id: AuthorizationId,
    pub user_name: String,
    pub organization: String,
    pub service: Option<String>,
    pub is_admin: bool,
    pub level: AssuranceLevel,
    /// Active ones are renewed from their end date; expired ones are activated from today.
    pub state: State,
    pub current_end: Date,
    pub new_end: Date,
    /// Excluding VAT.
    pub cents: i64,
    /// "Ook beheerder worden (gratis)" may be offered on this line: the first login
    /// authorization of a user who is not yet a manager of the organization.
    pub may_become_manager: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenewalQuote {
    pub lines: Vec<RenewalLine>,
    pub subtotal_cents: i64,
    pub vat_basis_points: u32,
    pub vat_cents: i64,
    pub total_cents: i64,
}

#[server(prefix = "/api", endpoint = "authorizations/list", input = Json)]
pub async fn list_authorizations(
    filter: AuthorizationFilter,
    after: Option<AuthorizationsCursor>,
) -> Result<AuthorizationsPage, ApiError> {
    use crate::server::{authorizations, request};
    let (state, caller) = request::caller().await?;
    let manager = request::manager(&caller)?;
    request::respond(authorizations::list(&state.pool, &manager, &filter, after.as_ref()).await)
}

#[server(prefix = "/api", endpoint = "authorizations/options", input = Json)]
pub async fn filter_options() -> Result<FilterChoices, ApiError> {
    use crate::server::{authorizations, request};
    let (state, caller) = request::caller().await?;
    let manager = request::manager(&caller)?;
    request::respond(authorizations::options(&state.pool, &manager).await)
}

/// How many active authorizations end within 30, 60 and 90 days ("Verloopt binnenkort").
#[server(prefix = "/api", endpoint = "authorizations/ending", input = Json)]
pub async fn ending_soon() -> Result<Vec<(u16, i64)>, ApiError> {
    use crate::server::{authorizations, request};
    let (state, caller) = request::caller().await?;
    let manager = request::manager(&caller)?;
    request::respond(authorizations::ending_soon(&state.pool, &manager).await)
}

/// The new end dates and the price of renewing (active) or activating (expired) these
/// authorizations for `years`; nothing is ordered yet.
#[server(prefix = "/api", endpoint = "authorizations/quote_renewal", input = Json)]
pub async fn quote_renewal(
    ids: Vec<AuthorizationId>,
    years: Validity,
) -> Result<RenewalQuote, ApiError> {
    use crate::server::{authorizations, request};
    let (state, caller) = request::caller().await?;
    let manager = request::manager(&caller)?;
    request::respond(authorizations::quote_renewal(&state.pool, &manager, &ids, years).await)
}

/// "Akkoord": renews and activates them in one order, provided the price is still the one the
/// manager saw (`total_cents`); the users of the lines in `managers` also become managers of
/// the organization ("ook beheerder worden", free). Returns how many were renewed.
#[server(prefix = "/api", endpoint = "authorizations/renew", input = Json)]
pub async fn renew_authorizations(
    ids: Vec<AuthorizationId>,
    years: Validity,
    total_cents: i64,
    #[server(default)] managers: Vec<AuthorizationId>,
) -> Result<u32, ApiError> {
    use crate::server::{authorizations, request};
    let (state, caller) = request::caller().await?;
    let manager = request::manager(&caller)?;
    request::respond(
        authorizations::renew(&state, &manager, &ids, years, total_cents, &managers).await,
    )
}

/// Appoints a user as authorization manager of an organization (free; at the level of the
/// user's means; ending with the user's login authorization there).
#[server(prefix = "/api", endpoint = "authorizations/appoint_manager", input = Json)]
pub async fn appoint_manager(org_id: OrgId, user_id: UserId) -> Result<(), ApiError> {
    use crate::server::{authorizations, request};
    let (state, caller) = request::caller().await?;
    let manager = request::manager(&caller)?;
    request::respond(authorizations::appoint(&state, &manager, &org_id, &user_id).await)
}

/// The trash can: ends the authorization at once; the user and the organization's other
/// managers are told.
#[server(prefix = "/api", endpoint = "authorizations/revoke", input = Json)]
pub async fn revoke_authorization(id: AuthorizationId) -> Result<(), ApiError> {
    use crate::server::{authorizations, request};
    let (state, caller) = request::caller().await?;
    let manager = request::manager(&caller)?;
    request::respond(authorizations::revoke(&state, &manager, &id).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_and_pending_unless_inactive_ones_are_asked_for() {
        let mut filter = AuthorizationFilter::default();
        assert_eq!(filter.states(), vec![State::Pending, State::Active]);
        filter.include_inactive = true;
        assert_eq!(filter.states(), State::ALL.to_vec());
        filter.state = Some(State::Revoked);
        assert_eq!(filter.states(), vec![State::Revoked]);
    }

    #[test]
    fn the_export_address_carries_the_filter() {
        let filter = AuthorizationFilter {
            org_id: Some(OrgId::parse("0b6c3f3e-1d2a-4c5b-8e9f-0a1b2c3d4e5f").unwrap()),
            user: " de Vries & Co ".into(),
            service: None,
            level: Some(AssuranceLevel::Eh2Plus),
            state: None,
            include_inactive: true,
            ending_within_days: Some(30),
        };
        assert_eq!(
            filter.export_query(),
            "org_id=0b6c3f3e-1d2a-4c5b-8e9f-0a1b2c3d4e5f&user=de%20Vries%20%26%20Co&level=EH2%2B&include_inactive=true&ending_within_days=30"
        );
        assert_eq!(AuthorizationFilter::default().export_query(), "");
    }
}
