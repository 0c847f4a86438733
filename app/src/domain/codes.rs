//! The codes a broken rule travels as, between the domain checks, the server and the browser:
//! which field ([`Field`]) broke which rule ([`Rule`]). Both are enums shared by browser and
//! server, so the UI translates them with an exhaustive `match` rather than by comparing
//! strings. On the wire they are the snake_case names below (`"first_name"`, `"too_long"`),
//! the same strings as before they were enums.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Defines a unit-only enum with its snake_case names and the list of all its variants, so the
/// list cannot miss one.
macro_rules! codes {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $code:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant,)* }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The name on the wire (and in logs).
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code,)* }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

codes! {
    /// The form field (or the part of a request) a problem is about.
    Field {
        // Signing in and accepting an invitation.
        Code => "code",
        Username => "username",
        Password => "password",
        /// The password typed a second time.
        Repeat => "repeat",
        // My account.
        CurrentPassword => "current_password",
        NewPassword => "new_password",
        // Searching users and the service catalog.
        Search => "search",
        ServiceSearch => "service_search",
        // The add-users wizard.
        Level => "level",
        Kvk => "kvk",
        Branch => "branch",
        /// The list of new users as a whole; a problem with one of them names its field and row.
        Users => "users",
        Csv => "csv",
        Services => "services",
        Validity => "validity",
        Terms => "terms",
        // A new user's details (see `new_user::NewUser`).
        FirstName => "first_name",
        Infix => "infix",
        LastName => "last_name",
        Email => "email",
        Mobile => "mobile",
        DateOfBirth => "date_of_birth",
        Employed => "employed",
        Language => "language",
        // Running applications and the final check.
        Applicant => "applicant",
        Application => "application",
        Reason => "reason",
        Authorization => "authorization",
        // Requesting new authorizations for an existing user.
        Organization => "organization",
        User => "user",
    }
}

codes! {
    /// The rule a field broke.
    Rule {
        /// The field is empty (after trimming), or nothing was chosen.
        Required => "required",
        /// Longer than allowed.
        TooLong => "too_long",
        /// A name holds a control character such as a line break or tab.
        InvalidCharacters => "invalid_characters",
        InvalidEmail => "invalid_email",
        InvalidMobile => "invalid_mobile",
        /// Not a date in a form we read, or not a real calendar date.
        InvalidDate => "invalid_date",
        /// A real date, but in the future or giving an age outside 16..=120.
        ImplausibleDate => "implausible_date",
        InvalidLanguage => "invalid_language",
        /// Only from the CSV import: the "employed" cell is not yes/no.
        InvalidEmployed => "invalid_employed",
        /// An earlier user of the same file or application has the same e-mail or mobile.
        DuplicateInFile => "duplicate_in_file",
        /// The person is already a user of the organization.
        AlreadyMember => "already_member",
        /// Not in the field's format (a username, a KvK number, a validity).
        Invalid => "invalid",
        /// A one-time code that is not 6 digits (acceptance).
        Format => "format",
        /// A one-time code that is not 6 digits (sign-in).
        SixDigits => "six_digits",
        NoMoreCodes => "no_more_codes",
        Taken => "taken",
        // The password policy, one code per rule of `password::Rule`.
        MinLength => "min_length",
        Lowercase => "lowercase",
        Uppercase => "uppercase",
        Digit => "digit",
        Special => "special",
        NotUsername => "not_username",
        /// The repeated password differs.
        Differs => "differs",
        /// The current password is wrong.
        Wrong => "wrong",
        /// One of the last passwords.
        RecentlyUsed => "recently_used",
        TooMany => "too_many",
        /// The KvK number belongs to another organization.
        Mismatch => "mismatch",
        NotRegistered => "not_registered",
        AboveOwnLevel => "above_own_level",
        Unknown => "unknown",
        /// A service needs a higher level than the one chosen.
        AboveLevel => "above_level",
        NotAgreed => "not_agreed",
        /// The terms changed since the page was loaded.
        Outdated => "outdated",
        // The CSV file as a whole (`user_import::ImportError`).
        TooLarge => "too_large",
        TooManyRows => "too_many_rows",
        Empty => "empty",
        MissingColumns => "missing_columns",
        NotCsv => "not_csv",
        /// Only while the user has not accepted the invitation.
        NotInvited => "not_invited",
        /// The application (or the user's part in it) is already completed.
        NotOpen => "not_open",
        AlreadyEnded => "already_ended",
        LastManager => "last_manager",
        NotRenewable => "not_renewable",
        AdminAlone => "admin_alone",
        AlreadyManager => "already_manager",
        NoLoginAuthorization => "no_login_authorization",
    }
}

const PASSWORD_POLICY: &[Rule] = &[
    Rule::MinLength,
    Rule::Lowercase,
    Rule::Uppercase,
    Rule::Digit,
    Rule::Special,
    Rule::NotUsername,
];

impl Field {
    /// The rules a check may report for this field: the combinations the UI must have a text
    /// for (a test checks it does, and building an error with another combination trips a
    /// debug assertion).
    pub fn rules(self) -> &'static [Rule] {
        use Rule as R;
        match self {
            Field::Code => &[R::Format, R::SixDigits, R::NoMoreCodes],
            Field::Username => &[R::Invalid, R::Taken],
            Field::Password => PASSWORD_POLICY,
            Field::Repeat => &[R::Differs],
            Field::CurrentPassword => &[R::Wrong],
            Field::NewPassword => &[
                R::MinLength,
                R::Lowercase,
                R::Uppercase,
                R::Digit,
                R::Special,
                R::NotUsername,
                R::RecentlyUsed,
            ],
            Field::Search | Field::ServiceSearch => &[R::TooLong],
            Field::Level => &[R::Required, R::AboveOwnLevel, R::AboveLevel],
            Field::Kvk => &[R::Invalid, R::Mismatch, R::NotRegistered],
            Field::Branch => &[R::Required, R::Unknown],
            Field::Users => &[R::Required, R::TooMany],
            Field::Csv => &[
                R::TooLarge,
                R::TooManyRows,
                R::Empty,
                R::MissingColumns,
                R::NotCsv,
            ],
            Field::Services => &[R::Required, R::Unknown, R::AboveLevel, R::TooMany, R::Taken],
            Field::Organization | Field::User => &[R::Required],
            Field::Validity => &[R::Invalid],
            Field::Terms => &[R::NotAgreed, R::Outdated],
            Field::FirstName | Field::LastName => &[R::Required, R::TooLong, R::InvalidCharacters],
            Field::Infix => &[R::TooLong, R::InvalidCharacters],
            Field::Email => &[
                R::Required,
                R::InvalidEmail,
                R::DuplicateInFile,
                R::AlreadyMember,
            ],
            Field::Mobile => &[R::Required, R::InvalidMobile, R::DuplicateInFile],
            Field::DateOfBirth => &[R::Required, R::InvalidDate, R::ImplausibleDate],
            Field::Employed => &[R::InvalidEmployed],
            Field::Language => &[R::InvalidLanguage],
            Field::Applicant => &[R::NotInvited, R::NotOpen],
            Field::Application => &[R::NotOpen],
            Field::Reason => &[R::Required, R::TooLong],
            Field::Authorization => &[
                R::AlreadyEnded,
                R::LastManager,
                R::AboveOwnLevel,
                R::Required,
                R::TooMany,
                R::NotRenewable,
                R::AdminAlone,
                R::Outdated,
                R::AlreadyManager,
                R::NoLoginAuthorization,
            ],
        }
    }

    /// Whether a check may report `rule` for this field.
    pub fn allows(self, rule: Rule) -> bool {
        self.rules().contains(&rule)
    }

    /// A field of one new user (a row of the wizard's list or of a CSV file).
    pub fn is_new_user_field(self) -> bool {
        matches!(
            self,
            Field::FirstName
                | Field::Infix
                | Field::LastName
                | Field::Email
                | Field::Mobile
                | Field::DateOfBirth
                | Field::Employed
                | Field::Language
        )
    }
}

impl From<super::password::Rule> for Rule {
    fn from(rule: super::password::Rule) -> Self {
        use super::password::Rule as P;
        match rule {
            P::MinLength => Rule::MinLength,
            P::Lowercase => Rule::Lowercase,
            P::Uppercase => Rule::Uppercase,
            P::Digit => Rule::Digit,
            P::Special => Rule::Special,
            P::NotUsername => Rule::NotUsername,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_travel_as_the_same_snake_case_names_as_before() {
        for field in Field::ALL {
            let json = serde_json::to_string(field).unwrap();
            assert_eq!(json, format!("\"{}\"", field.as_str()));
            assert_eq!(serde_json::from_str::<Field>(&json).unwrap(), *field);
        }
        for rule in Rule::ALL {
            let json = serde_json::to_string(rule).unwrap();
            assert_eq!(json, format!("\"{}\"", rule.as_str()));
            assert_eq!(serde_json::from_str::<Rule>(&json).unwrap(), *rule);
        }
        assert_eq!(Field::DateOfBirth.as_str(), "date_of_birth");
        assert_eq!(Rule::DuplicateInFile.as_str(), "duplicate_in_file");
    }

    #[test]
    fn every_rule_is_reported_for_some_field_and_every_password_rule_is_one() {
        for rule in Rule::ALL {
            assert!(
                Field::ALL.iter().any(|f| f.allows(*rule)),
                "{rule} is reported for no field"
            );
        }
        for rule in super::super::password::Rule::ALL {
            assert!(Field::Password.allows(rule.into()));
            assert!(Field::NewPassword.allows(rule.into()));
        }
    }
}
