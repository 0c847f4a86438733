//! Server functions by resource, with the types they exchange. Each body checks the caller,
//! calls one service in `crate::server`, and maps the error; the browser build gets only the
//! client side of each.

pub mod acceptance;
pub mod account;
pub mod applications;
pub mod auth;
pub mod authorizations;
pub mod error;
pub mod final_check;
#[cfg(test)]
mod fuzz_tests;
pub mod link_requests;
pub mod mailbox;
pub mod new_authorizations;
pub mod users;
pub mod wizard;

pub use error::ApiError;
