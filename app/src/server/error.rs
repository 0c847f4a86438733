//! The server-side error: either an `ApiError` meant for the caller, or an internal cause that
//! is logged here and reaches the browser only as `ApiError::Internal`.

use crate::api::ApiError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("{0}")]
    Internal(String),
}

impl ServiceError {
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::Internal(cause.to_string())
    }

    /// The error as the caller may see it; internal causes are logged, not returned.
    pub fn into_api(self) -> ApiError {
        match self {
            Self::Api(e) => e,
            Self::Db(e) if unavailable(&e) => {
                tracing::warn!(error = %e, "database unavailable");
                ApiError::Unavailable
            }
            other => {
                tracing::error!(error = %other, "request failed");
                ApiError::Internal
            }
        }
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;

/// Whether a database error means "cannot reach the database right now" rather than a bug:
/// no connection in time, a broken or refused connection, a server shutting down or starting,
/// or a statement stopped by `statement_timeout`. These answer 503 `unavailable`.
pub fn unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            // 08: connection exception; 57014: query_canceled (statement timeout);
            // 57P01–57P03: admin/crash shutdown, cannot connect now.
            code.starts_with("08") || code == "57014" || code.starts_with("57P")
        }),
        _ => false,
    }
}
