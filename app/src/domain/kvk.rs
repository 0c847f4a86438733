//! Chamber of Commerce identifiers: a KvK number is exactly 8 digits and a branch number
//! (vestigingsnummer) exactly 12; both are text, leading zeros included, with no check digit.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct KvkNumber(String);

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BranchNumber(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("invalid number")]
pub struct InvalidNumber;

fn digits(s: &str, len: usize) -> Result<String, InvalidNumber> {
    let s: String = s.trim().chars().filter(|c| *c != ' ').collect();
    if s.len() == len && s.chars().all(|c| c.is_ascii_digit()) {
        Ok(s)
    } else {
        Err(InvalidNumber)
    }
}

macro_rules! number_type {
    ($t:ident, $len:expr) => {
        impl $t {
            pub fn parse(s: &str) -> Result<Self, InvalidNumber> {
                digits(s, $len).map(Self)
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl TryFrom<String> for $t {
            type Error = InvalidNumber;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s)
            }
        }
        impl From<$t> for String {
            fn from(n: $t) -> Self {
                n.0
            }
        }
    };
}

number_type!(KvkNumber, 8);
number_type!(BranchNumber, 12);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kvk_numbers_keep_leading_zeros_and_have_no_check_digit() {
        assert_eq!(KvkNumber::parse("01234567").unwrap().as_str(), "01234567");
        // Would fail an eleven-test; KvK numbers have none.
        assert!(KvkNumber::parse("12345679").is_ok());
        assert!(KvkNumber::parse("1234567").is_err());
        assert!(KvkNumber::parse("1234567a").is_err());
    }

    #[test]
    fn branch_numbers_are_twelve_digits() {
        assert!(BranchNumber::parse("000012345678").is_ok());
        assert!(BranchNumber::parse("12345678").is_err());
    }
}
