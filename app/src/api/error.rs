//! The one error type every server function returns: stable codes the UI translates, never a
//! database message or other internal cause (the server logs those and sends `Internal`).

pub use crate::domain::codes::{Field, Rule};
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ApiError {
    /// No valid session: sign in (again).
    #[error("not signed in")]
    Unauthenticated,
    /// Signed in, but this action is not for this user.
    #[error("forbidden")]
    Forbidden,
    /// Missing, or another organization's: the two answer the same.
    #[error("not found")]
    NotFound,
    /// Wrong username or password; an unknown username answers exactly the same.
    #[error("invalid credentials")]
    InvalidCredentials,
    /// Wrong one-time code; `attempts_left` before the code stops working.
    #[error("invalid code")]
    InvalidCode { attempts_left: u32 },
    /// The one-time code expired, was used, or was tried too often: start again.
    #[error("code expired")]
    CodeExpired,
    /// Too many failed attempts; try again after the given number of seconds.
    #[error("too many attempts")]
    TooManyAttempts { retry_after_secs: u64 },
    /// A field broke a rule; `field` names the form field, `rule` the broken rule. A field of
    /// one of several new users comes with `row`, the user's index in the list (from 0).
    #[error("invalid {field}{}: {rule}", row.map(|r| format!(" of user {r}")).unwrap_or_default())]
    Validation {
        field: Field,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        row: Option<u32>,
        rule: Rule,
    },
    /// The request came from another origin.
    #[error("cross-origin request refused")]
    CrossOrigin,
    /// The request itself was malformed.
    #[error("bad request")]
    BadRequest,
    /// Something failed on our side; the cause is in the server log.
    #[error("internal error")]
    Internal,
    /// Too busy right now (e.g. every password-hashing slot taken); try again after the given
    /// number of seconds.
    #[error("busy")]
    Busy { retry_after_secs: u64 },
    /// The database cannot be reached right now (down, restarting, or too slow): nothing was
    /// changed; try again shortly.
    #[error("unavailable")]
    Unavailable,
    /// The browser could not reach the server (offline, or the connection broke). Made in the
    /// browser, never sent by the server.
    #[error("no connection")]
    Network,
}

impl ApiError {
    /// `field` broke `rule`; the combination must be one of [`Field::rules`].
    pub fn validation(field: Field, rule: Rule) -> Self {
        debug_assert!(field.allows(rule), "no text for {field}: {rule}");
        Self::Validation {
            field,
            row: None,
            rule,
        }
    }

    /// `field` of the new user at index `row` of the list broke `rule`.
    pub fn in_row(row: usize, field: Field, rule: Rule) -> Self {
        debug_assert!(field.allows(rule), "no text for {field}: {rule}");
        Self::Validation {
            field,
            row: Some(u32::try_from(row).unwrap_or(u32::MAX)),
            rule,
        }
    }

    /// The HTTP status that fits the error.
    pub fn status(&self) -> u16 {
        match self {
            Self::Unauthenticated => 401,
            Self::Forbidden | Self::CrossOrigin => 403,
            Self::NotFound => 404,
            Self::InvalidCredentials | Self::InvalidCode { .. } | Self::CodeExpired => 401,
            Self::TooManyAttempts { .. } => 429,
            Self::Validation { .. } => 422,
            Self::BadRequest => 400,
            Self::Internal => 500,
            Self::Busy { .. } | Self::Unavailable | Self::Network => 503,
        }
    }
}

impl FromServerFnError for ApiError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_) => Self::BadRequest,
            ServerFnErrorErr::Request(_) => Self::Network,
            _ => Self::Internal,
        }
    }

    /// Every error answer of every server function passes here in the browser: an ended
    /// session clears the portal and goes to the sign-in page (coming back afterwards), once,
    /// instead of every page handling it.
    fn de(data: server_fn::Bytes) -> Self {
        use server_fn::Decodes;
        let error = JsonEncoding::decode(data).unwrap_or_else(|e| {
            Self::from_server_fn_error(ServerFnErrorErr::Deserialization(e.to_string()))
        });
        if error == Self::Unauthenticated {
            crate::ui::location::sign_in_again();
        }
        error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_travel_as_stable_codes() {
        let json = serde_json::to_string(&ApiError::TooManyAttempts {
            retry_after_secs: 60,
        })
        .unwrap();
        assert_eq!(
            json,
            r#"{"code":"too_many_attempts","retry_after_secs":60}"#
        );
        let back: ApiError = serde_json::from_str(&json).unwrap();
        assert_eq!(back.status(), 429);
    }

    #[test]
    fn a_broken_rule_travels_as_field_and_rule_and_the_row_only_when_there_is_one() {
        let error = ApiError::validation(Field::Kvk, Rule::Mismatch);
        let json = serde_json::to_string(&error).unwrap();
        assert_eq!(
            json,
            r#"{"code":"validation","field":"kvk","rule":"mismatch"}"#
        );
        assert_eq!(serde_json::from_str::<ApiError>(&json).unwrap(), error);

        let error = ApiError::in_row(3, Field::Email, Rule::AlreadyMember);
        let json = serde_json::to_string(&error).unwrap();
        assert_eq!(
            json,
            r#"{"code":"validation","field":"email","row":3,"rule":"already_member"}"#
        );
        assert_eq!(serde_json::from_str::<ApiError>(&json).unwrap(), error);
        assert_eq!(error.status(), 422);
        assert_eq!(error.to_string(), "invalid email of user 3: already_member");

        // An unknown code is a bad answer, not a generic "invalid".
        assert!(serde_json::from_str::<ApiError>(
            r#"{"code":"validation","field":"email","rule":"typo"}"#
        )
        .is_err());
    }
}
