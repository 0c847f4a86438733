//! The scheme's password policy (seed 003): at least 8 characters, a lowercase and an uppercase
//! letter, a digit and a special character from a fixed set, and not containing the username.
//! The "not one of the last 5 passwords" rule needs the stored hashes and is checked by the
//! server's account service on top of this.

use serde::{Deserialize, Serialize};

pub const MIN_LENGTH: usize = 8;
pub const HISTORY_SIZE: usize = 5;
/// The special characters the scheme allows, exactly as listed in its policy.
pub const SPECIALS: &str = "-_!$%&'.=/\\:<>|?@[]^`{}~";

/// One line of the checklist shown to the user while typing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Rule {
    MinLength,
    Lowercase,
    Uppercase,
    Digit,
    Special,
    NotUsername,
}

impl Rule {
    pub const ALL: [Rule; 6] = [
        Rule::MinLength,
        Rule::Lowercase,
        Rule::Uppercase,
        Rule::Digit,
        Rule::Special,
        Rule::NotUsername,
    ];
}

/// Which rules a candidate password meets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    results: [(Rule, bool); 6],
}

impl Report {
    pub fn results(&self) -> &[(Rule, bool)] {
        &self.results
    }
    pub fn is_ok(&self) -> bool {
        self.results.iter().all(|(_, ok)| *ok)
    }
    pub fn first_failure(&self) -> Option<Rule> {
        self.results.iter().find(|(_, ok)| !ok).map(|(r, _)| *r)
    }
}

/// Checks `password` against the policy for the user called `username`.
pub fn check(password: &str, username: &str) -> Report {
    let has = |f: fn(char) -> bool| password.chars().any(f);
    let username = username.trim().to_lowercase();
    let contains_username =
        !username.is_empty() && password.to_lowercase().contains(username.as_str());
    Report {
        results: [
            (Rule::MinLength, password.chars().count() >= MIN_LENGTH),
            (Rule::Lowercase, has(|c| c.is_ascii_lowercase())),
            (Rule::Uppercase, has(|c| c.is_ascii_uppercase())),
            (Rule::Digit, has(|c| c.is_ascii_digit())),
            (Rule::Special, has(|c| SPECIALS.contains(c))),
            (Rule::NotUsername, !contains_username),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_password_meeting_every_rule_is_accepted() {
        assert!(check("Voorbeeld-1", "jansen").is_ok());
    }

    #[test]
    fn each_missing_class_is_reported() {
        assert_eq!(check("Kort-1", "x").first_failure(), Some(Rule::MinLength));
        assert_eq!(
            check("ALLEMAAL-HOOG1", "x").first_failure(),
            Some(Rule::Lowercase)
        );
        assert_eq!(
            check("allemaal-laag1", "x").first_failure(),
            Some(Rule::Uppercase)
        );
        assert_eq!(
            check("Geen-Cijfers", "x").first_failure(),
            Some(Rule::Digit)
        );
        assert_eq!(
            check("GeenTeken123", "x").first_failure(),
            Some(Rule::Special)
        );
        // '#' and '*' are not in the scheme's list of special characters.
        assert_eq!(
            check("Hekje#Ster*1", "x").first_failure(),
            Some(Rule::Special)
        );
    }

    #[test]
    fn the_username_may_not_appear_in_any_case() {
        assert_eq!(
            check("xxJANSENxx-1a", "Jansen").first_failure(),
            Some(Rule::NotUsername)
        );
    }

    proptest! {
        #[test]
        fn any_password_shorter_than_eight_is_refused(p in ".{0,7}") {
            prop_assert!(!check(&p, "u").is_ok());
        }

        #[test]
        fn appending_the_username_always_breaks_the_policy(p in "[a-zA-Z0-9!?]{0,20}", u in "[a-z]{1,12}") {
            let candidate = format!("{p}{u}");
            prop_assert!(!check(&candidate, &u).is_ok());
        }

        #[test]
        fn a_password_built_from_every_class_passes(
            low in "[a-z]{1,5}", up in "[A-Z]{1,5}", d in "[0-9]{1,5}", s in "[-_!$%&.=/:<>|?@^~]{1,3}"
        ) {
            let candidate = format!("{up}{low}{d}{s}xyzw");
            // The username is chosen so it cannot occur in the candidate.
            prop_assert!(check(&candidate, "#user#").is_ok());
        }
    }
}
