//! Mobile numbers, stored as E.164. Dutch mobiles are written in many ways (06-12345678,
//! +31 6 1234 5678, 0031 6 ...); all become +316xxxxxxxx. Foreign numbers must be written
//! with their country code (+ or 00) and have 8 to 15 digits.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MobileNumber(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("invalid mobile number")]
pub struct InvalidMobile;

impl MobileNumber {
    pub fn parse(s: &str) -> Result<Self, InvalidMobile> {
        let trimmed = s.trim();
        if !trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || " -.()+".contains(c))
        {
            return Err(InvalidMobile);
        }
        let plus = trimmed.starts_with('+');
        if trimmed.chars().skip(1).any(|c| c == '+') {
            return Err(InvalidMobile);
        }
        let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
        let international = if plus {
            digits
        } else if let Some(rest) = digits.strip_prefix("00") {
            rest.to_string()
        } else if let Some(rest) = digits.strip_prefix('0') {
            format!("31{rest}")
        } else {
            return Err(InvalidMobile);
        };
        // "+31 (0)6 ..." is a common way of writing a Dutch number.
        let international = match international.strip_prefix("310") {
            Some(rest) => format!("31{rest}"),
            None => international,
        };
        let valid = if let Some(national) = international.strip_prefix("31") {
            national.len() == 9 && national.starts_with('6')
        } else {
            (8..=15).contains(&international.len()) && !international.starts_with('0')
        };
        if valid {
            Ok(Self(format!("+{international}")))
        } else {
            Err(InvalidMobile)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number with all but the last two digits hidden, to show where a code went.
    pub fn masked(&self) -> String {
        let n = self.0.len();
        let visible = &self.0[n - 2..];
        format!("{}{}", "*".repeat(n.saturating_sub(2).min(8)), visible)
    }
}

impl TryFrom<String> for MobileNumber {
    type Error = InvalidMobile;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<MobileNumber> for String {
    fn from(m: MobileNumber) -> Self {
        m.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fuzz_tests::{inserted, sprinkled};
    use proptest::prelude::*;

    #[test]
    fn dutch_mobiles_in_every_common_notation_become_e164() {
        for s in [
            "06-12345678",
            "0612345678",
            "+31 6 1234 5678",
            "0031612345678",
            "+31 (0)6 12345678",
            "06 12 34 56 78",
        ] {
            assert_eq!(
                MobileNumber::parse(s).unwrap().as_str(),
                "+31612345678",
                "{s}"
            );
        }
    }

    #[test]
    fn dutch_landlines_and_garbage_are_refused() {
        for s in [
            "020-1234567",
            "0612345",
            "06123456789",
            "abc",
            "",
            "+31 6 1234 567x",
            "12345678",
        ] {
            assert!(MobileNumber::parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn foreign_numbers_keep_their_country_code() {
        assert_eq!(
            MobileNumber::parse("+49 151 23456789").unwrap().as_str(),
            "+4915123456789"
        );
        assert_eq!(
            MobileNumber::parse("0032 470 12 34 56").unwrap().as_str(),
            "+32470123456"
        );
    }

    /// Numbers as people and spreadsheets write them: a Dutch or international prefix and
    /// digits with separators, sometimes with a letter, a control character, a digit from
    /// another script or a full-width plus in it; and arbitrary text.
    fn phone_like() -> impl Strategy<Value = String> {
        let dutch = (
            proptest::sample::select(vec!["0", "+31", "+31 ", "+31 (0)", "0031", "+310"]),
            "6[0-9]{8}",
        );
        let foreign = (
            proptest::sample::select(vec!["+", "00"]),
            "[1-9][0-9]{7,14}",
        );
        let other = (
            proptest::sample::select(vec!["", "0", "+", "00"]),
            "[0-9]{6,13}",
        );
        let written = prop_oneof![3 => dutch, 2 => foreign, 1 => other]
            .prop_map(|(prefix, digits)| format!("{prefix}{digits}"));
        let separators = proptest::sample::select(vec![' ', '-', '.', '(', ')', '+']);
        prop_oneof![
            4 => sprinkled(inserted(written, separators, 0..=3)),
            1 => any::<String>(),
        ]
    }

    proptest! {
        // 2,000 cheap cases, well under a second; PROPTEST_CASES overrides.
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// What parses is E.164 (a plus and 8 to 15 digits; a Dutch one is +316 and eight
        /// digits), made only of the characters a number is written with, keeps the
        /// subscriber's digits, and parses again to itself.
        #[test]
        fn fuzz_mobile_parse_normalizes_and_is_idempotent(s in phone_like()) {
            let Ok(mobile) = MobileNumber::parse(&s) else { return Ok(()) };
            let n = mobile.as_str();
            let digits = n.strip_prefix('+').unwrap_or_default();
            prop_assert!(digits.bytes().all(|b| b.is_ascii_digit()), "{}", n);
            prop_assert!((8..=15).contains(&digits.len()), "{}", n);
            if let Some(national) = digits.strip_prefix("31") {
                prop_assert!(national.len() == 9 && national.starts_with('6'), "{}", n);
            }
            prop_assert!(s.trim().chars().all(|c| c.is_ascii_digit() || " -.()+".contains(c)));
            let typed: String = s.chars().filter(char::is_ascii_digit).collect();
            prop_assert!(digits.ends_with(&typed[typed.len() - 8..]), "{:?} -> {}", s, n);
            prop_assert_eq!(MobileNumber::parse(n), Ok(mobile.clone()));
            let masked = mobile.masked();
            let (hidden, shown) = masked.split_at(masked.len() - 2);
            prop_assert!(hidden.chars().all(|c| c == '*') && shown == &n[n.len() - 2..]);
        }
    }

    proptest! {
        #[test]
        fn every_dutch_mobile_parses_to_the_same_number_whatever_the_notation(n in 0u32..100_000_000) {
            let national = format!("6{n:08}");
            let expected = format!("+31{national}");
            for written in [format!("0{national}"), format!("+31 {national}"), format!("0031{national}")] {
                let parsed = MobileNumber::parse(&written).unwrap();
                prop_assert_eq!(parsed.as_str(), expected.as_str());
            }
        }
    }
}
