pub mod language_switch;
pub mod pager;
pub mod password_checklist;
