pub mod language_switch;
pub mod pager;
pub mod password_checklist;
pub mod price;
pub mod service_picker;
pub mod terms;
