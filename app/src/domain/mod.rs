//! Pure domain rules, compiled for both the browser and the server so both give the same answer.
//! Nothing here does I/O.

pub mod acceptance;
pub mod authorization;
pub mod codes;
pub mod csv;
pub mod date;
pub mod email;
#[cfg(test)]
pub(crate) mod fuzz_tests;
pub mod ids;
pub mod kvk;
pub mod level;
pub mod link_request;
pub mod new_authorizations;
pub mod new_user;
pub mod otp;
pub mod password;
pub mod phone;
pub mod renewal;
pub mod spreadsheet;
pub mod tariff;
pub mod text;
pub mod throttle;
pub mod user_import;
pub mod username;
