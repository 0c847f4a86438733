//! Assurance levels (betrouwbaarheidsniveaus), strictly ordered EH2 < EH2+ < EH3 < EH4.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum AssuranceLevel {
    Eh2,
    Eh2Plus,
    Eh3,
    Eh4,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown assurance level")]
pub struct UnknownLevel;

impl AssuranceLevel {
    pub const ALL: [AssuranceLevel; 4] = [Self::Eh2, Self::Eh2Plus, Self::Eh3, Self::Eh4];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Eh2 => "EH2",
            Self::Eh2Plus => "EH2+",
            Self::Eh3 => "EH3",
            Self::Eh4 => "EH4",
        }
    }

    pub fn parse(s: &str) -> Result<Self, UnknownLevel> {
        Self::ALL
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or(UnknownLevel)
    }

    /// EH2 signs in with a password alone; from EH2+ up a one-time SMS code is the second factor.
    /// (EH4 uses a PKI certificate at real brokers; this portal uses the SMS code for it too.)
    pub fn requires_second_factor(self) -> bool {
        self >= Self::Eh2Plus
    }
}

impl fmt::Display for AssuranceLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for AssuranceLevel {
    type Error = UnknownLevel;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<AssuranceLevel> for String {
    fn from(l: AssuranceLevel) -> Self {
        l.as_str().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_strictly_ordered() {
        assert!(AssuranceLevel::Eh2 < AssuranceLevel::Eh2Plus);
        assert!(AssuranceLevel::Eh2Plus < AssuranceLevel::Eh3);
        assert!(AssuranceLevel::Eh3 < AssuranceLevel::Eh4);
    }

    #[test]
    fn every_level_round_trips_through_its_name() {
        for l in AssuranceLevel::ALL {
            assert_eq!(AssuranceLevel::parse(l.as_str()), Ok(l));
        }
        assert_eq!(AssuranceLevel::parse("eh2+"), Ok(AssuranceLevel::Eh2Plus));
        assert_eq!(AssuranceLevel::parse("EH1"), Err(UnknownLevel));
    }

    #[test]
    fn only_eh2_signs_in_without_a_second_factor() {
        assert!(!AssuranceLevel::Eh2.requires_second_factor());
        assert!(AssuranceLevel::Eh2Plus.requires_second_factor());
        assert!(AssuranceLevel::Eh4.requires_second_factor());
    }
}
