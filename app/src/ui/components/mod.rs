pub mod language_switch;
pub mod password_checklist;
