//! The broker's administration: what a self-hoster does from the command line (`server
//! --help`) to fill and run a production install, where no demo data exists. Each use case is
//! one transaction that writes an audit record naming the operating-system user who ran it.

pub mod accounts;
pub mod catalog_import;
pub mod changes;
pub mod operators;
pub mod organizations;
pub mod outbox;
pub mod tariff_import;
pub mod terms;

/// Why an administration command did nothing: a refusal the operator can act on (printed as
/// is), or a fault.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Service(#[from] crate::server::error::ServiceError),
}

impl From<sqlx::Error> for AdminError {
    fn from(e: sqlx::Error) -> Self {
        Self::Service(e.into())
    }
}

pub type AdminResult<T> = Result<T, AdminError>;

/// A refusal with `message`.
pub fn refuse<T>(message: impl Into<String>) -> AdminResult<T> {
    Err(AdminError::Refused(message.into()))
}

/// Who ran an administration command: the operating-system user, for the audit record (the
/// command line has no portal session, so `actor_id` stays empty).
pub fn command_line_actor() -> serde_json::Value {
    let os_user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "unknown".into());
    serde_json::json!({ "via": "command line", "os_user": os_user })
}

/// Adds the command-line actor to an audit record's details.
pub fn with_actor(mut details: serde_json::Value) -> serde_json::Value {
    if let Some(map) = details.as_object_mut() {
        map.insert("by".into(), command_line_actor());
    }
    details
}
