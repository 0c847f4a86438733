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
            other => {
                tracing::error!(error = %other, "request failed");
                ApiError::Internal
            }
        }
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;
