//! Search fields that ask the server once the user pauses typing, not at every key.

use leptos::prelude::*;
use std::time::Duration;

/// How long typing must pause before a search goes out.
const PAUSE: Duration = Duration::from_millis(300);

/// Follows `typed` once it has not changed for [`PAUSE`]. Until then `typed` and the result
/// differ, which a page can show as "searching".
pub fn settled(typed: RwSignal<String>) -> RwSignal<String> {
    let settled = RwSignal::new(typed.get_untracked());
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
    settled
}
