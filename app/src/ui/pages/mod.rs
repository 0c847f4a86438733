pub mod account;
pub mod add_users;
pub mod applications;
pub mod home;
pub mod mailbox;
pub mod not_found;
pub mod sign_in;
pub mod users;
