//! The details a manager enters for each new user in the add-users wizard (or imports from a
//! spreadsheet), the checks on them, and their normalized form for storage.
//!
//! The limits match the `users` table: first and last name 1 to 100 characters, infix at most
//! 30, an e-mail address the database accepts, an E.164 mobile number, a [`Language`].
//! A date of birth is required here although the column is nullable: the broker needs it for
//! the identity check.

use super::codes::{Field, Rule};
use super::date::{is_plausible_birth_date, Date};
use super::email::Email;
use super::phone::MobileNumber;
use serde::{Deserialize, Serialize};

pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_INFIX_CHARS: usize = 30;

/// The language of a new user's e-mails, text messages and portal. On the wire and in the
/// database as `nl` or `en`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// Dutch, as the database default.
    #[default]
    Nl,
    En,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::Nl, Language::En];

    /// The code stored in `users.language`.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Nl => "nl",
            Language::En => "en",
        }
    }

    /// The language for its code (`nl`/`en`, any case, spaces ignored).
    pub fn parse(s: &str) -> Option<Language> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(s))
    }
}

/// One new user as typed: every text exactly as entered, so it can be shown and corrected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUser {
    pub first_name: String,
    pub infix: String,
    pub last_name: String,
    pub email: String,
    pub mobile: String,
    /// As typed: `dd-mm-yyyy`, `d-m-yyyy` or ISO `yyyy-mm-dd`.
    pub date_of_birth: String,
    /// Employed by the organization ("in loondienst"): the means is issued without a
    /// separate identity verification.
    pub employed: bool,
    /// The language of the user's e-mails and portal.
    pub language: Language,
}

impl NewUser {
    /// The name as shown in lists: first name, infix and last name.
    pub fn full_name(&self) -> String {
        full_name(&self.first_name, &self.infix, &self.last_name)
    }
}

impl Default for NewUser {
    /// An empty form, with Dutch as the language (as the database default).
    fn default() -> Self {
        Self {
            first_name: String::new(),
            infix: String::new(),
            last_name: String::new(),
            email: String::new(),
            mobile: String::new(),
            date_of_birth: String::new(),
            employed: false,
            language: Language::Nl,
        }
    }
}

/// A problem with one field of a new user: `field` is one of the [`NewUser`] fields, `code`
/// the rule it broke. The server may add its own (for instance [`Rule::AlreadyMember`] when
/// the person is already a user of the organization).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FieldProblem {
    pub field: Field,
    pub code: Rule,
}

impl FieldProblem {
    pub fn new(field: Field, code: Rule) -> Self {
        debug_assert!(
            field.is_new_user_field() && field.allows(code),
            "no text for {field}: {code}"
        );
        Self { field, code }
    }
}

/// A new user whose details passed [`check`], normalized for storage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidUser {
    /// Trimmed, inner runs of white space collapsed to one space.
    pub first_name: String,
    /// As the names; empty when there is none (the column is `NOT NULL DEFAULT ''`).
    pub infix: String,
    pub last_name: String,
    /// Trimmed and lowercased entirely; a valid [`Email`].
    pub email: String,
    /// E.164; a valid [`MobileNumber`].
    pub mobile: String,
    pub date_of_birth: Date,
    pub employed: bool,
    pub language: Language,
}

/// A person's name as shown: first name, infix and last name, leaving out empty parts.
pub fn full_name(first: &str, infix: &str, last: &str) -> String {
    [first.trim(), infix.trim(), last.trim()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Trims and collapses inner white space to single spaces.
pub fn tidy_name(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The e-mail address as it will be stored: lowercased, and with a top-level domain of at
/// least two characters, as the database's check demands.
pub fn normalized_email(s: &str) -> Option<Email> {
    let email = Email::parse(&s.trim().to_lowercase()).ok()?;
    let tld = email.as_str().rsplit('.').next().unwrap_or_default();
    (tld.chars().count() >= 2).then_some(email)
}

/// The name rule of every person the portal stores (the wizard's users, and the operators and
/// first managers of the administration commands): required or not, no control characters,
/// at most `max` characters once tidied.
pub fn check_name(
    problems: &mut Vec<FieldProblem>,
    field: Field,
    value: &str,
    required: bool,
    max: usize,
) {
    let tidy = tidy_name(value);
    if required && tidy.is_empty() {
        problems.push(FieldProblem::new(field, Rule::Required));
    } else if value.trim().chars().any(char::is_control) {
        problems.push(FieldProblem::new(field, Rule::InvalidCharacters));
    } else if tidy.chars().count() > max {
        problems.push(FieldProblem::new(field, Rule::TooLong));
    }
}

/// Every problem with `user`, at most one per field, in form order. Empty means the user can
/// be stored (see [`normalized`]). `today` decides whether the date of birth is plausible.
pub fn check(user: &NewUser, today: Date) -> Vec<FieldProblem> {
    let mut problems = Vec::new();
    check_name(
        &mut problems,
        Field::FirstName,
        &user.first_name,
        true,
        MAX_NAME_CHARS,
    );
    check_name(
        &mut problems,
        Field::Infix,
        &user.infix,
        false,
        MAX_INFIX_CHARS,
    );
    check_name(
        &mut problems,
        Field::LastName,
        &user.last_name,
        true,
        MAX_NAME_CHARS,
    );
    if user.email.trim().is_empty() {
        problems.push(FieldProblem::new(Field::Email, Rule::Required));
    } else if normalized_email(&user.email).is_none() {
        problems.push(FieldProblem::new(Field::Email, Rule::InvalidEmail));
    }
    if user.mobile.trim().is_empty() {
        problems.push(FieldProblem::new(Field::Mobile, Rule::Required));
    } else if MobileNumber::parse(&user.mobile).is_err() {
        problems.push(FieldProblem::new(Field::Mobile, Rule::InvalidMobile));
    }
    if user.date_of_birth.trim().is_empty() {
        problems.push(FieldProblem::new(Field::DateOfBirth, Rule::Required));
    } else {
        match Date::parse_dutch(&user.date_of_birth) {
            Err(_) => problems.push(FieldProblem::new(Field::DateOfBirth, Rule::InvalidDate)),
            Ok(date) if !is_plausible_birth_date(date, today) => {
                problems.push(FieldProblem::new(Field::DateOfBirth, Rule::ImplausibleDate))
            }
            Ok(_) => {}
        }
    }
    problems
}

/// The normalized user, if [`check`] finds no problem.
pub fn normalized(user: &NewUser, today: Date) -> Option<ValidUser> {
    if !check(user, today).is_empty() {
        return None;
    }
    Some(ValidUser {
        first_name: tidy_name(&user.first_name),
        infix: tidy_name(&user.infix),
        last_name: tidy_name(&user.last_name),
        email: normalized_email(&user.email)?.into(),
        mobile: MobileNumber::parse(&user.mobile).ok()?.into(),
        date_of_birth: Date::parse_dutch(&user.date_of_birth).ok()?,
        employed: user.employed,
        language: user.language,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> Date {
        Date::new(2025, 6, 15).unwrap()
    }

    fn sanne() -> NewUser {
        NewUser {
            first_name: " Sanne ".into(),
            infix: "de".into(),
            last_name: "Vries".into(),
            email: "Sanne.deVries@Bakkerij-DeVries.NL".into(),
            mobile: "06-12345678".into(),
            date_of_birth: "14-03-1988".into(),
            employed: true,
            language: Language::Nl,
        }
    }

    fn codes(user: &NewUser) -> Vec<(Field, Rule)> {
        check(user, today())
            .into_iter()
            .map(|p| (p.field, p.code))
            .collect()
    }

    fn one(field: Field, code: Rule) -> Vec<(Field, Rule)> {
        vec![(field, code)]
    }

    #[test]
    fn a_complete_user_is_normalized_for_storage() {
        assert!(check(&sanne(), today()).is_empty());
        let valid = normalized(&sanne(), today()).unwrap();
        assert_eq!(valid.first_name, "Sanne");
        assert_eq!(valid.infix, "de");
        assert_eq!(valid.email, "sanne.devries@bakkerij-devries.nl");
        assert_eq!(valid.mobile, "+31612345678");
        assert_eq!(valid.date_of_birth, Date::new(1988, 3, 14).unwrap());
        assert!(valid.employed);
        assert_eq!(valid.language, Language::Nl);
    }

    #[test]
    fn the_default_form_is_dutch_and_reports_every_required_field() {
        let user = NewUser::default();
        assert_eq!(user.language, Language::Nl);
        let fields: Vec<Field> = check(&user, today()).into_iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            [
                Field::FirstName,
                Field::LastName,
                Field::Email,
                Field::Mobile,
                Field::DateOfBirth
            ]
        );
        assert!(check(&user, today())
            .iter()
            .all(|p| p.code == Rule::Required));
        assert_eq!(normalized(&user, today()), None);
    }

    #[test]
    fn names_are_limited_as_in_the_database() {
        let mut user = sanne();
        user.first_name = "a".repeat(100);
        user.infix = "é".repeat(30);
        assert!(check(&user, today()).is_empty());
        user.first_name = "a".repeat(101);
        user.infix = "é".repeat(31);
        user.last_name = "   ".into();
        assert_eq!(
            codes(&user),
            vec![
                (Field::FirstName, Rule::TooLong),
                (Field::Infix, Rule::TooLong),
                (Field::LastName, Rule::Required),
            ]
        );
    }

    #[test]
    fn names_with_line_breaks_are_refused_and_spaces_collapsed() {
        let mut user = sanne();
        user.last_name = "Vries\nJansen".into();
        assert_eq!(codes(&user), one(Field::LastName, Rule::InvalidCharacters));
        user.last_name = "  El   Amrani ".into();
        assert_eq!(normalized(&user, today()).unwrap().last_name, "El Amrani");
    }

    #[test]
    fn contact_details_must_be_valid() {
        let mut user = sanne();
        user.email = "sanne@bakkerij".into();
        assert_eq!(codes(&user), one(Field::Email, Rule::InvalidEmail));
        // Email::parse accepts a one-letter top-level domain; the database does not.
        user.email = "sanne@bakkerij.n".into();
        assert_eq!(codes(&user), one(Field::Email, Rule::InvalidEmail));
        user = sanne();
        user.mobile = "020-1234567".into();
        assert_eq!(codes(&user), one(Field::Mobile, Rule::InvalidMobile));
        user.mobile = "+31 6 2345 6789".into();
        assert_eq!(normalized(&user, today()).unwrap().mobile, "+31623456789");
    }

    #[test]
    fn the_date_of_birth_must_be_real_and_plausible() {
        let mut user = sanne();
        user.date_of_birth = "31-02-1988".into();
        assert_eq!(codes(&user), one(Field::DateOfBirth, Rule::InvalidDate));
        user.date_of_birth = "01-01-2015".into();
        assert_eq!(codes(&user), one(Field::DateOfBirth, Rule::ImplausibleDate));
        user.date_of_birth = "1988-03-14".into();
        assert!(codes(&user).is_empty());
    }

    #[test]
    fn only_dutch_and_english_are_languages() {
        assert_eq!(Language::parse(" EN "), Some(Language::En));
        assert_eq!(Language::parse("nl"), Some(Language::Nl));
        for bad in ["", "de", "nederlands"] {
            assert_eq!(Language::parse(bad), None, "{bad}");
        }
        let mut user = sanne();
        user.language = Language::En;
        assert_eq!(normalized(&user, today()).unwrap().language, Language::En);
        assert_eq!(serde_json::to_string(&Language::En).unwrap(), r#""en""#);
        assert_eq!(
            serde_json::from_str::<Language>(r#""nl""#).unwrap(),
            Language::Nl
        );
    }

    #[test]
    fn problems_serialize_with_their_codes() {
        let json =
            serde_json::to_string(&FieldProblem::new(Field::Email, Rule::InvalidEmail)).unwrap();
        assert_eq!(json, r#"{"field":"email","code":"invalid_email"}"#);
    }

    proptest! {
        #[test]
        fn check_never_panics_and_normalized_agrees_with_it(
            first in "\\PC{0,110}", infix in ".{0,3}", last in "[a-zA-Z \n]{0,5}",
            email in "[a-z.@]{0,12}", mobile in "[0-9 +-]{0,14}", dob in "[0-9-]{0,11}",
            en: bool,
        ) {
            let lang = if en { Language::En } else { Language::Nl };
            let user = NewUser {
                first_name: first, infix, last_name: last, email, mobile,
                date_of_birth: dob, employed: false, language: lang,
            };
            let problems = check(&user, today());
            prop_assert_eq!(problems.is_empty(), normalized(&user, today()).is_some());
            // At most one problem per field.
            let mut fields: Vec<Field> = problems.iter().map(|p| p.field).collect();
            fields.dedup();
            prop_assert_eq!(fields.len(), problems.len());
        }

        #[test]
        fn stored_names_fit_the_database(first in "[a-zA-Z ]{1,100}") {
            let mut user = sanne();
            user.first_name = first;
            if let Some(valid) = normalized(&user, today()) {
                let n = valid.first_name.chars().count();
                prop_assert!((1..=MAX_NAME_CHARS).contains(&n));
            }
        }
    }
}
