//! Authorizations (machtigingen) for managers: the overview and its export, and every change of
//! an authorization's state, which goes through `machine` (the domain's state machine applied
//! to locked rows, one transaction per use case, an audit record and the messages in it).

pub mod export;
pub mod machine;
mod overview;
mod revoke;

pub use overview::{list, options};
pub use revoke::revoke;
