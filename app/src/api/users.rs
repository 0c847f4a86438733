//! Beheer > Gebruikers.

use super::ApiError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

pub const PAGE_SIZE: usize = 25;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    /// The user's id (a UUID), as text: the browser has no use for more.
    pub id: String,
    pub name: String,
    /// None until the user has accepted the invitation and chosen a username.
    pub username: Option<String>,
    pub email: String,
    pub level: String,
    pub organizations: String,
    pub sort_key: String,
}

/// Where the next page starts: after this row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsersCursor {
    pub sort_key: String,
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsersPage {
    pub rows: Vec<UserRow>,
    pub next: Option<UsersCursor>,
}

#[server(prefix = "/api", endpoint = "users/list", input = Json)]
pub async fn list_users(search: String, after: Option<UsersCursor>) -> Result<UsersPage, ApiError> {
    use crate::server::{request, users};
    let (state, caller) = request::caller().await?;
    request::respond(users::list(&state.pool, &caller, &search, after.as_ref()).await)
}
