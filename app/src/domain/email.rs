//! E-mail addresses: a pragmatic syntax check (one `@`, a dotted domain, no spaces), lowercased
//! domain, at most 254 characters.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("invalid e-mail address")]
pub struct InvalidEmail;

impl Email {
    pub fn parse(s: &str) -> Result<Self, InvalidEmail> {
        let s = s.trim();
        let (local, domain) = s.rsplit_once('@').ok_or(InvalidEmail)?;
        let label_ok = |l: &str| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        };
        let valid = s.len() <= 254
            && !local.is_empty()
            && local.len() <= 64
            && !local.contains([
                '@', ' ', '"', '(', ')', ',', ';', ':', '<', '>', '[', ']', '\\',
            ])
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && domain.contains('.')
            && domain.split('.').all(label_ok);
        if valid {
            Ok(Self(format!("{local}@{}", domain.to_lowercase())))
        } else {
            Err(InvalidEmail)
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = InvalidEmail;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Email> for String {
    fn from(e: Email) -> Self {
        e.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_addresses_are_accepted_and_the_domain_lowercased() {
        assert_eq!(
            Email::parse(" Sanne.deVries@Bakkerij-DeVries.NL ")
                .unwrap()
                .as_str(),
            "Sanne.deVries@bakkerij-devries.nl"
        );
    }

    #[test]
    fn malformed_addresses_are_refused() {
        for bad in [
            "",
            "geen-apenstaart",
            "a@b",
            "a@@b.nl",
            "a b@c.nl",
            "@c.nl",
            "a@-c.nl",
            "a..b@c.nl",
            "a@c..nl",
        ] {
            assert_eq!(Email::parse(bad), Err(InvalidEmail), "{bad}");
        }
    }
}
