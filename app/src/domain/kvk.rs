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
    use crate::domain::fuzz_tests::{inserted, sprinkled};
    use proptest::prelude::*;

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

    /// Digits of about the right length with spaces in between and white space around,
    /// sometimes with something else in them; and arbitrary text.
    fn number_like() -> impl Strategy<Value = String> {
        let digits = prop_oneof!["[0-9]{8}", "[0-9]{12}", "[0-9]{6,14}"];
        let spaced = inserted(digits, Just(' '), 0..=3);
        let padded = ("[ \t]{0,2}", spaced, "[ \n]{0,2}").prop_map(|(a, n, b)| a + &n + &b);
        prop_oneof![4 => sprinkled(padded), 1 => any::<String>()]
    }

    proptest! {
        // 2,000 cheap cases, well under a second; PROPTEST_CASES overrides.
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// What parses is exactly the typed ASCII digits, 8 for a KvK number and 12 for a
        /// branch, typed with nothing but spaces between and white space around; it parses
        /// again to itself.
        #[test]
        fn fuzz_kvk_and_branch_numbers_are_their_digits_and_idempotent(s in number_like()) {
            let typed: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            let only_digits_and_spaces = typed.bytes().all(|b| b.is_ascii_digit())
                && s.trim().chars().all(|c| c.is_ascii_digit() || c == ' ');
            match KvkNumber::parse(&s) {
                Ok(kvk) => {
                    prop_assert!(only_digits_and_spaces, "{:?}", s);
                    prop_assert_eq!(kvk.as_str(), typed.as_str());
                    prop_assert_eq!(kvk.as_str().len(), 8);
                    prop_assert_eq!(KvkNumber::parse(kvk.as_str()), Ok(kvk.clone()));
                }
                Err(_) => prop_assert!(!(only_digits_and_spaces && typed.len() == 8), "{:?}", s),
            }
            match BranchNumber::parse(&s) {
                Ok(branch) => {
                    prop_assert!(only_digits_and_spaces, "{:?}", s);
                    prop_assert_eq!(branch.as_str(), typed.as_str());
                    prop_assert_eq!(branch.as_str().len(), 12);
                    prop_assert_eq!(BranchNumber::parse(branch.as_str()), Ok(branch.clone()));
                }
                Err(_) => prop_assert!(!(only_digits_and_spaces && typed.len() == 12), "{:?}", s),
            }
        }
    }
}
