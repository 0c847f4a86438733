pub mod password_checklist;
