//! "Nieuwe machtigingen aanvragen": new authorizations for a user who already holds a login
//! means. What the manager chose, and the rules on it that the page shows at each field and the
//! server enforces whatever the browser sends.

use super::codes::{Field, Rule};
use super::ids::{OrgId, ServiceId, UserId};
use super::level::AssuranceLevel;
use super::tariff::Validity;
use serde::{Deserialize, Serialize};

/// The most services one request names; the catalog holds far fewer.
pub const MAX_SERVICES: usize = 200;

/// The request as the manager builds it, step by step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAuthorizations {
    pub org_id: Option<OrgId>,
    pub user_id: Option<UserId>,
    pub level: Option<AssuranceLevel>,
    /// The one authorization for every service ("alle diensten"), instead of chosen ones.
    #[serde(default)]
    pub all_services: bool,
    #[serde(default)]
    pub services: Vec<ServiceId>,
    /// "Ook beheerder worden": the free manager's right, at the user's means level.
    #[serde(default)]
    pub also_manager: bool,
    pub validity: Validity,
}

impl Default for NewAuthorizations {
    fn default() -> Self {
        NewAuthorizations {
            org_id: None,
            user_id: None,
            level: None,
            all_services: false,
            services: Vec::new(),
            also_manager: false,
            validity: Validity::OneYear,
        }
    }
}

impl NewAuthorizations {
    /// The services asked for, each once (none with "alle diensten").
    pub fn chosen_services(&self) -> Vec<ServiceId> {
        if self.all_services {
            return Vec::new();
        }
        let mut out: Vec<ServiceId> = Vec::with_capacity(self.services.len());
        for s in &self.services {
            if !out.contains(s) {
                out.push(s.clone());
            }
        }
        out
    }

    /// How many paid authorizations the request makes.
    pub fn billable(&self) -> u32 {
        super::tariff::billable_authorizations(self.all_services, self.chosen_services().len())
    }
}

/// The highest level the request may have: the user's means and the manager's own.
pub fn highest_level(user: AssuranceLevel, manager: AssuranceLevel) -> AssuranceLevel {
    user.min(manager)
}

/// What is wrong with the request, per field, in the order of the page. `user_level` is the
/// level of the chosen user's means (None before a user is chosen).
pub fn problems(
    request: &NewAuthorizations,
    user_level: Option<AssuranceLevel>,
    manager_level: AssuranceLevel,
) -> Vec<(Field, Rule)> {
    let mut out = Vec::new();
    if request.org_id.is_none() {
        out.push((Field::Organization, Rule::Required));
    }
    if request.user_id.is_none() {
        out.push((Field::User, Rule::Required));
    }
    match request.level {
        None => out.push((Field::Level, Rule::Required)),
        Some(level) if level > manager_level => out.push((Field::Level, Rule::AboveOwnLevel)),
        Some(level) if user_level.is_some_and(|u| level > u) => {
            out.push((Field::Level, Rule::AboveLevel))
        }
        Some(_) => {}
    }
    if request.services.len() > MAX_SERVICES {
        out.push((Field::Services, Rule::TooMany));
    } else if !request.all_services && request.services.is_empty() && !request.also_manager {
        out.push((Field::Services, Rule::Required));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use AssuranceLevel::*;

    const NIL: &str = "00000000-0000-0000-0000-000000000000";

    fn complete() -> NewAuthorizations {
        NewAuthorizations {
            org_id: Some(OrgId::parse(NIL).unwrap()),
            user_id: Some(UserId::parse(NIL).unwrap()),
            level: Some(Eh3),
            all_services: false,
            services: vec![ServiceId::parse(NIL).unwrap()],
            also_manager: false,
            validity: Validity::ThreeYears,
        }
    }

    #[test]
    fn a_complete_request_has_no_problems() {
        assert_eq!(problems(&complete(), Some(Eh3), Eh3), vec![]);
    }

    #[test]
    fn every_step_must_be_taken() {
        let empty = NewAuthorizations::default();
        assert_eq!(
            problems(&empty, None, Eh4),
            vec![
                (Field::Organization, Rule::Required),
                (Field::User, Rule::Required),
                (Field::Level, Rule::Required),
                (Field::Services, Rule::Required),
            ]
        );
        // Only the manager's right is a request too; so is "alle diensten".
        let only_manager = NewAuthorizations {
            services: vec![],
            also_manager: true,
            ..complete()
        };
        assert_eq!(problems(&only_manager, Some(Eh3), Eh3), vec![]);
        let all = NewAuthorizations {
            services: vec![],
            all_services: true,
            ..complete()
        };
        assert_eq!(problems(&all, Some(Eh3), Eh3), vec![]);
        assert_eq!(all.billable(), 1);
    }

    #[test]
    fn the_level_is_at_most_the_users_means_and_the_managers_own() {
        assert_eq!(
            problems(&complete(), Some(Eh3), Eh2Plus),
            vec![(Field::Level, Rule::AboveOwnLevel)]
        );
        assert_eq!(
            problems(&complete(), Some(Eh2), Eh4),
            vec![(Field::Level, Rule::AboveLevel)]
        );
        assert_eq!(highest_level(Eh2Plus, Eh4), Eh2Plus);
        assert_eq!(highest_level(Eh4, Eh3), Eh3);
    }

    #[test]
    fn a_service_counts_once_and_all_services_replaces_the_choice() {
        let twice = NewAuthorizations {
            services: vec![
                ServiceId::parse(NIL).unwrap(),
                ServiceId::parse(NIL).unwrap(),
            ],
            ..complete()
        };
        assert_eq!(twice.chosen_services().len(), 1);
        assert_eq!(twice.billable(), 1);
        let all = NewAuthorizations {
            all_services: true,
            ..twice
        };
        assert!(all.chosen_services().is_empty());
        let many = NewAuthorizations {
            services: vec![ServiceId::parse(NIL).unwrap(); MAX_SERVICES + 1],
            ..complete()
        };
        assert_eq!(
            problems(&many, Some(Eh3), Eh3),
            vec![(Field::Services, Rule::TooMany)]
        );
    }
}
