//! Server-only code: services (one transaction per use case), small query functions, sessions,
//! the outbox and its delivery. Compiled only with the `ssr` feature, so the wasm bundle never
//! contains sqlx, tokio, argon2 or lettre.

pub mod acceptance;
pub mod account;
pub mod applications;
pub mod audit;
pub mod catalog;
pub mod client_address;
pub mod config;
pub mod demo;
pub mod error;
pub mod final_check;
pub mod identity_verification;
pub mod issuing;
pub mod kvk_register;
pub mod mailbox;
pub mod outbox;
pub mod passwords;
pub mod request;
pub mod session;
pub mod signin;
pub mod state;
pub mod throttle;
pub mod tokens;
pub mod users;
pub mod wizard;

pub use error::ServiceError;
pub use state::AppState;

/// Migrations, embedded in the binary and applied at start.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");
