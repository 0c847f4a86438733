//! Authorizations (machtigingen) for managers: the overview and its export, and every change of
//! an authorization's state, which goes through `machine` (the domain's state machine applied
//! to locked rows, one transaction per use case, an audit record and the messages in it).

mod appoint;
pub mod expiry;
pub mod export;
pub mod machine;
pub mod managers;
mod overview;
mod renew;
pub mod request;
mod revoke;

pub use appoint::appoint;
pub use overview::{ending_soon, list, options};
pub use renew::{quote_renewal, renew};
pub use revoke::revoke;
