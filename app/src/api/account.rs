//! Mijn account.

use super::ApiError;
use leptos::prelude::*;
use server_fn::codec::Json;

#[server(prefix = "/api", endpoint = "account/change_password", input = Json)]
pub async fn change_password(current: String, new: String) -> Result<(), ApiError> {
    use crate::server::{account, request};
    let (state, caller) = request::caller().await?;
    let ip = request::client_ip().await;
    let token =
        request::respond(account::change_password(&state, &caller, current, new, ip).await)?;
    // A new session for this browser; every other one (and this one's old token) has ended.
    request::set_session_cookie(&state, &token);
    Ok(())
}
