pub mod account;
pub mod home;
pub mod mailbox;
pub mod not_found;
pub mod sign_in;
pub mod users;
