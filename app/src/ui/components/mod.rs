pub mod password_checklist;
pub mod language_switch;
