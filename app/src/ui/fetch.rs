//! Loading data from a server function into a signal, refetched whenever what it reads
//! changes. Only the newest request's answer is kept. (Lighter in the bundle than resources
//! with Suspense/Transition, which the budget for the first download cares about.)

use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;

pub struct Fetched<T: Send + Sync + 'static> {
    pub value: RwSignal<Option<T>>,
    /// A request is on its way whose answer will replace `value`.
    pub pending: RwSignal<bool>,
    version: RwSignal<u32>,
}

impl<T: Send + Sync + 'static> Clone for Fetched<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Send + Sync + 'static> Copy for Fetched<T> {}

impl<T: Send + Sync + 'static> Fetched<T> {
    /// Fetches again with the same inputs.
    pub fn refetch(&self) {
        self.version.update(|v| *v += 1);
    }
}

pub fn fetch<T, F, Fut>(source: F) -> Fetched<T>
where
    T: Send + Sync + 'static,
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = T> + 'static,
{
    let fetched = Fetched {
        value: RwSignal::new(None),
        pending: RwSignal::new(false),
        version: RwSignal::new(0),
    };
    let latest = StoredValue::new(0u32);
    Effect::new(move |_| {
        fetched.version.track();
        let request = source();
        let ticket = latest.get_value().wrapping_add(1);
        latest.set_value(ticket);
        fetched.pending.set(true);
        spawn_local(async move {
            let answer = request.await;
            if latest.get_value() == ticket {
                fetched.value.set(Some(answer));
                fetched.pending.set(false);
            }
        });
    });
    fetched
}
