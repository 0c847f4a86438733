//! One-time codes as typed by a person: exactly six digits (spaces around them ignored).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OneTimeCode(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a code is six digits")]
pub struct InvalidCode;

impl OneTimeCode {
    pub const LENGTH: usize = 6;

    pub fn parse(s: &str) -> Result<Self, InvalidCode> {
        let s = s.trim();
        if s.len() == Self::LENGTH && s.chars().all(|c| c.is_ascii_digit()) {
            Ok(Self(s.to_string()))
        } else {
            Err(InvalidCode)
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for OneTimeCode {
    type Error = InvalidCode;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<OneTimeCode> for String {
    fn from(c: OneTimeCode) -> Self {
        c.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_six_digits_make_a_code() {
        assert!(OneTimeCode::parse(" 012345 ").is_ok());
        for bad in ["12345", "1234567", "12a456", ""] {
            assert!(OneTimeCode::parse(bad).is_err(), "{bad}");
        }
    }
}
