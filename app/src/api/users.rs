//! Beheer > Gebruikers.

use super::ApiError;
use crate::domain::acceptance::Status;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

pub const PAGE_SIZE: usize = 25;

/// Where a user stands, as the manager asks it: can they log in, or how far is their means?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserState {
    Active,
    Blocked,
    /// No means yet: where their newest application stands (uitgenodigd, geaccepteerd, ...).
    Applying(Status),
}

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
    pub state: UserState,
    /// Active and pending authorizations in the caller's organizations.
    pub authorizations: i64,
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
