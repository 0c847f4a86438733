//! Beheer > Gebruikers > "Gebruiker(s) toevoegen": the add-users wizard. The draft lives on the
//! server (one per manager), so Back, Next, a reload or a lost connection lose nothing; the
//! browser saves it after every change. Submitting checks everything again on the server.

use super::ApiError;
use crate::domain::date::Date;
use crate::domain::level::AssuranceLevel;
use crate::domain::new_user::NewUser;
use crate::domain::tariff::PriceList;
use crate::domain::user_import::ImportRow;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

/// The most users one application (or one CSV file) may hold.
pub const MAX_USERS: usize = 10_000;

/// The wizard's steps, in order. On the wire (and in a stored draft) as its number, 1 to 6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "u8", try_from = "u8")]
pub enum WizardStep {
    /// The organization and the assurance level.
    Organization = 1,
    /// The KvK number, checked in the register.
    Kvk = 2,
    /// The organization's details and an optional branch.
    OrganizationDetails = 3,
    /// The new users, typed or from a CSV file.
    Users = 4,
    /// Authorizations, services and validity.
    Authorizations = 5,
    /// The summary, the terms and "Akkoord".
    Summary = 6,
}

impl WizardStep {
    pub const ALL: [WizardStep; 6] = [
        WizardStep::Organization,
        WizardStep::Kvk,
        WizardStep::OrganizationDetails,
        WizardStep::Users,
        WizardStep::Authorizations,
        WizardStep::Summary,
    ];

    /// The step's number as shown, 1 to 6.
    pub fn number(self) -> u8 {
        self as u8
    }
}

impl From<WizardStep> for u8 {
    fn from(step: WizardStep) -> u8 {
        step.number()
    }
}

impl TryFrom<u8> for WizardStep {
    type Error = &'static str;

    fn try_from(n: u8) -> Result<Self, Self::Error> {
        WizardStep::ALL
            .into_iter()
            .find(|s| s.number() == n)
            .ok_or("a wizard step is 1 to 6")
    }
}

/// Everything the manager entered so far. Stored as it is; checked when submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// The step shown.
    pub step: WizardStep,
    pub org_id: Option<String>,
    pub level: Option<AssuranceLevel>,
    /// The KvK number the manager typed to check the organization.
    pub kvk: String,
    /// Restrict the users to one branch ("Nee" is recommended and preselected).
    pub restrict_to_branch: bool,
    pub branch_id: Option<String>,
    pub users: Vec<NewUser>,
    pub with_authorizations: bool,
    pub all_services: bool,
    /// Chosen services (ServiceUUIDs) when not all services.
    pub services: Vec<String>,
    pub validity_years: u8,
    /// The e-mail addresses of the users who also become authorization manager ("ook beheerder
    /// worden", free). Drafts saved before this existed have none.
    #[serde(default)]
    pub managers: Vec<String>,
    /// Makes submitting idempotent: a retry or double click finds the first application.
    pub submission_key: String,
}

impl Draft {
    /// Billable authorizations per user: none, one for all services, or one per service.
    pub fn authorizations_per_user(&self) -> u32 {
        if self.with_authorizations {
            crate::domain::tariff::billable_authorizations(self.all_services, self.services.len())
        } else {
            0
        }
    }

    /// Whether the user with `email` also becomes authorization manager. Only with
    /// authorizations: a manager's right runs with the user's login authorization, so without
    /// one there is none, whatever the draft says.
    pub fn becomes_manager(&self, email: &str) -> bool {
        let Some(email) = crate::domain::new_user::normalized_email(email) else {
            return false;
        };
        self.with_authorizations
            && self
                .managers
                .iter()
                .any(|m| crate::domain::new_user::normalized_email(m).as_ref() == Some(&email))
    }

    /// Ticks or unticks "ook beheerder worden" for the user with `email`.
    pub fn set_manager(&mut self, email: &str, on: bool) {
        let same = |m: &String| m.trim().eq_ignore_ascii_case(email.trim());
        self.managers.retain(|m| !same(m));
        if on {
            self.managers.push(email.trim().to_string());
        }
    }

    pub fn new(submission_key: String) -> Self {
        Self {
            step: WizardStep::Organization,
            org_id: None,
            level: None,
            kvk: String::new(),
            restrict_to_branch: false,
            branch_id: None,
            users: Vec::new(),
            with_authorizations: true,
            all_services: false,
            services: Vec::new(),
            validity_years: 1,
            managers: Vec::new(),
            submission_key,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgOption {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Terms {
    pub version: i32,
    pub text_nl: String,
    pub text_en: String,
}

/// What the wizard needs to start: the draft, the manager's organizations and own level, the
/// price list for the live price, and the current terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WizardStart {
    pub draft: Draft,
    pub organizations: Vec<OrgOption>,
    pub max_level: AssuranceLevel,
    pub prices: PriceList,
    pub terms: Terms,
    /// The server's date, for checking dates of birth the same way on both sides.
    pub today: Date,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branch {
    pub id: String,
    pub number: String,
    pub name: String,
    pub city: String,
}

/// The organization as the KvK register knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgDetails {
    pub name: String,
    pub kvk: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub branches: Vec<Branch>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceOption {
    pub service_uuid: String,
    pub name: String,
    pub provider: String,
    pub min_level: AssuranceLevel,
}

#[server(prefix = "/api", endpoint = "wizard/start", input = Json)]
pub async fn load_wizard() -> Result<WizardStart, ApiError> {
    use crate::server::{request, wizard};
    let (state, caller) = request::caller().await?;
    request::respond(wizard::start(&state, &caller).await)
}

#[server(prefix = "/api", endpoint = "wizard/save", input = Json)]
pub async fn wizard_save(draft: Draft) -> Result<(), ApiError> {
    use crate::server::{request, wizard};
    let (state, caller) = request::caller().await?;
    request::respond(wizard::save(&state.pool, &caller, &draft).await)
}

/// Starts over: the draft is replaced by an empty one.
#[server(prefix = "/api", endpoint = "wizard/discard", input = Json)]
pub async fn wizard_discard() -> Result<Draft, ApiError> {
    use crate::server::{request, wizard};
    let (state, caller) = request::caller().await?;
    request::respond(wizard::discard(&state.pool, &caller).await)
}

/// Step 2: checks the typed KvK number against the chosen organization in the KvK register.
#[server(prefix = "/api", endpoint = "wizard/check_kvk", input = Json)]
pub async fn wizard_check_kvk(org_id: String, kvk: String) -> Result<OrgDetails, ApiError> {
    use crate::server::{request, wizard};
    let (state, caller) = request::caller().await?;
    request::respond(wizard::check_kvk(&state, &caller, &org_id, &kvk).await)
}

/// Step 4: a CSV file (base64) read into rows with their problems, nothing added yet.
#[server(prefix = "/api", endpoint = "wizard/import_csv", input = Json)]
pub async fn wizard_import_csv(
    org_id: String,
    file_base64: String,
) -> Result<Vec<ImportRow>, ApiError> {
    use crate::server::{request, wizard};
    let (state, caller) = request::caller().await?;
    request::respond(wizard::import_csv(&state.pool, &caller, &org_id, &file_base64).await)
}

/// Step 4: which of these e-mail addresses already belong to a user of the organization.
#[server(prefix = "/api", endpoint = "wizard/existing_emails", input = Json)]
pub async fn wizard_existing_emails(
    org_id: String,
    emails: Vec<String>,
) -> Result<Vec<String>, ApiError> {
    use crate::server::{request, wizard};
    let (state, caller) = request::caller().await?;
    request::respond(wizard::existing_emails(&state.pool, &caller, &org_id, &emails).await)
}

/// Step 5: services of the catalog the level can use, by name or provider.
#[server(prefix = "/api", endpoint = "wizard/services", input = Json)]
pub async fn wizard_services(
    level: AssuranceLevel,
    search: String,
) -> Result<Vec<ServiceOption>, ApiError> {
    use crate::server::{catalog, request};
    let (state, _caller) = request::caller().await?;
    request::respond(catalog::search(&state.pool, level, &search).await)
}

/// Step 6: "Akkoord". Returns the application's id; the same id for a retry.
#[server(prefix = "/api", endpoint = "wizard/submit", input = Json)]
pub async fn wizard_submit(
    draft: Draft,
    terms_version: i32,
    agreed: bool,
) -> Result<String, ApiError> {
    use crate::server::{request, wizard};
    let (state, caller) = request::caller().await?;
    request::respond(wizard::submit(&state, &caller, &draft, terms_version, agreed).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn managers_are_matched_by_address_and_only_with_authorizations() {
        let mut draft = Draft::new("key".into());
        draft.set_manager(" Anna@Example.nl ", true);
        draft.set_manager("anna@example.nl", true);
        assert_eq!(draft.managers, vec!["anna@example.nl".to_string()]);
        assert!(draft.becomes_manager("ANNA@example.nl"));
        assert!(!draft.becomes_manager("bram@example.nl"));
        assert!(!draft.becomes_manager("not an address"));
        draft.with_authorizations = false;
        assert!(!draft.becomes_manager("anna@example.nl"));
        draft.with_authorizations = true;
        draft.set_manager("Anna@example.nl", false);
        assert!(draft.managers.is_empty());
        // A draft saved before the choice existed reads as no managers.
        let old = serde_json::to_value(Draft::new("k".into())).unwrap();
        let mut old = old.as_object().unwrap().clone();
        old.remove("managers");
        let read: Draft = serde_json::from_value(old.into()).unwrap();
        assert!(read.managers.is_empty());
    }

    #[test]
    fn the_step_travels_and_is_stored_as_its_number() {
        for (i, step) in WizardStep::ALL.into_iter().enumerate() {
            assert_eq!(usize::from(step.number()), i + 1);
            assert_eq!(serde_json::to_string(&step).unwrap(), (i + 1).to_string());
            assert_eq!(WizardStep::try_from(step.number()), Ok(step));
        }
        assert!(serde_json::from_str::<WizardStep>("0").is_err());
        assert!(serde_json::from_str::<WizardStep>("7").is_err());
        let draft = Draft::new("key".into());
        let json = serde_json::to_value(&draft).unwrap();
        assert_eq!(json["step"], 1);
    }
}
