//! Search fields that ask the server once the user pauses typing, not at every key.

use leptos::prelude::*;
use std::time::Duration;

/// How long typing must pause before a search goes out.
const PAUSE: Duration = Duration::from_millis(300);

/// What is typed in a search field, and what was asked once typing paused.
#[derive(Clone, Copy)]
pub struct Search {
    /// As typed, key by key: the field's value.
    pub typed: RwSignal<String>,
    /// Follows `typed` once it has not changed for [`PAUSE`]: what the page asks for.
    pub settled: RwSignal<String>,
}

impl Search {
    pub fn new() -> Self {
        let typed = RwSignal::new(String::new());
        let settled = RwSignal::new(String::new());
        let ticket = StoredValue::new(0u32);
        Effect::new(move |_| {
            let value = typed.get();
            let mine = ticket.get_value().wrapping_add(1);
            ticket.set_value(mine);
            set_timeout(
                move || {
                    if ticket.get_value() == mine && settled.with_untracked(|s| *s != value) {
                        settled.set(value);
                    }
                },
                PAUSE,
            );
        });
        Self { typed, settled }
    }

    /// Typed but not yet asked: together with an unanswered request, "Bezig met zoeken…".
    pub fn waiting(&self) -> bool {
        self.typed.with(|t| self.settled.with(|s| t != s))
    }
}
