//! The one error type every server function returns: stable codes the UI translates, never a
//! database message or other internal cause (the server logs those and sends `Internal`).

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
    /// A field broke a rule; `field` names the form field, `rule` the broken rule.
    #[error("invalid {field}: {rule}")]
    Validation { field: String, rule: String },
    /// The request came from another origin.
    #[error("cross-origin request refused")]
    CrossOrigin,
    /// The request itself was malformed.
    #[error("bad request")]
    BadRequest,
    /// Something failed on our side; the cause is in the server log.
    #[error("internal error")]
    Internal,
    /// The browser could not reach the server (offline, or the connection broke). Made in the
    /// browser, never sent by the server.
    #[error("no connection")]
    Network,
}

impl ApiError {
    pub fn validation(field: &str, rule: &str) -> Self {
        Self::Validation {
            field: field.to_string(),
            rule: rule.to_string(),
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
            Self::Network => 503,
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
}
