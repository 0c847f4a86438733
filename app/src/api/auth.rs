//! Sign-in, the SMS-code step, sign-out and "who am I".

use super::ApiError;
use crate::domain::level::AssuranceLevel;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignInStep {
    SignedIn,
    /// A code was sent by SMS to the (masked) number; send it back with the challenge.
    CodeSent {
        challenge: String,
        sent_to: String,
    },
}

/// The signed-in user, as the portal shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub username: String,
    pub name: String,
    pub email: String,
    /// Masked: only the last two digits are shown.
    pub mobile: String,
    pub level: AssuranceLevel,
    pub is_manager: bool,
    pub is_operator: bool,
}

#[server(prefix = "/api", endpoint = "auth/sign_in", input = Json)]
pub async fn sign_in(username: String, password: String) -> Result<SignInStep, ApiError> {
    use crate::server::{request, signin};
    let state = request::state()?;
    let ip = request::client_ip().await;
    let outcome = request::respond(signin::sign_in(&state, &username, password, ip).await)?;
    if let signin::Outcome::SignedIn(done) = &outcome {
        request::start_session(&state, &done.token).await?;
    }
    Ok(outcome.step())
}

#[server(prefix = "/api", endpoint = "auth/verify_code", input = Json)]
pub async fn verify_code(challenge: String, code: String) -> Result<(), ApiError> {
    use crate::domain::codes::{Field, Rule};
    use crate::domain::otp::OneTimeCode;
    use crate::server::{request, signin};
    let state = request::state()?;
    let code = OneTimeCode::parse(&code)
        .map_err(|_| request::fail(ApiError::validation(Field::Code, Rule::SixDigits)))?;
    let ip = request::client_ip().await;
    let done = request::respond(signin::verify_code(&state, &challenge, code.as_str(), ip).await)?;
    request::start_session(&state, &done.token).await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "auth/sign_out", input = Json)]
pub async fn sign_out() -> Result<(), ApiError> {
    use crate::server::{request, session};
    let state = request::state()?;
    if let Some(token) = request::session_token().await {
        request::respond(session::end(&state.pool, &token).await.map_err(Into::into))?;
    }
    request::clear_session_cookie(&state);
    Ok(())
}

/// The signed-in user, or `None`.
#[server(prefix = "/api", endpoint = "auth/me", input = Json)]
pub async fn current_user() -> Result<Option<Me>, ApiError> {
    use crate::server::{account, request};
    match request::caller().await {
        Ok((state, caller)) => request::respond(account::me(&state.pool, &caller).await).map(Some),
        Err(ApiError::Unauthenticated) => {
            // Not signed in is an answer here, not a failure.
            if let Some(o) = use_context::<leptos_axum::ResponseOptions>() {
                o.set_status(axum::http::StatusCode::OK);
            }
            Ok(None)
        }
        Err(e) => Err(e),
    }
}
