//! Usernames: 3 to 64 characters of letters, digits and `.`, `_`, `-`, `@`; compared without case.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("invalid username")]
pub struct InvalidUsername;

impl Username {
    pub fn parse(s: &str) -> Result<Self, InvalidUsername> {
        let s = s.trim().to_lowercase();
        let len = s.chars().count();
        let allowed = |c: char| c.is_ascii_alphanumeric() || "._-@".contains(c);
        if (3..=64).contains(&len) && s.chars().all(allowed) {
            Ok(Self(s))
        } else {
            Err(InvalidUsername)
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Username {
    type Error = InvalidUsername;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Username> for String {
    fn from(u: Username) -> Self {
        u.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_normalised_to_lowercase() {
        assert_eq!(
            Username::parse(" Demo.Beheerder ").unwrap().as_str(),
            "demo.beheerder"
        );
    }

    #[test]
    fn too_short_or_odd_usernames_are_refused() {
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse("met spatie").is_err());
        assert!(Username::parse(&"a".repeat(65)).is_err());
    }
}
