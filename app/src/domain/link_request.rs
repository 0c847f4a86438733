//! A link request's life (koppelverzoek): open until the user accepts or declines it, or the
//! manager withdraws it; it lapses unanswered after [`DAYS`]. Every change goes through
//! [`Status::next`].

use serde::{Deserialize, Serialize};

/// How long an open request waits for an answer.
pub const DAYS: i32 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Accepted,
    Declined,
    Withdrawn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Accept,
    Decline,
    Withdraw,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Open,
        Status::Accepted,
        Status::Declined,
        Status::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Accepted => "accepted",
            Status::Declined => "declined",
            Status::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The status after `event`; None when it does not apply (only an open request changes).
    pub fn next(self, event: Event) -> Option<Status> {
        match (self, event) {
            (Status::Open, Event::Accept) => Some(Status::Accepted),
            (Status::Open, Event::Decline) => Some(Status::Declined),
            (Status::Open, Event::Withdraw) => Some(Status::Withdrawn),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_open_request_is_answered_or_withdrawn_and_then_it_is_final() {
        for event in [Event::Accept, Event::Decline, Event::Withdraw] {
            let after = Status::Open.next(event).expect("open changes");
            for again in [Event::Accept, Event::Decline, Event::Withdraw] {
                assert_eq!(after.next(again), None, "{after:?} then {again:?}");
            }
        }
        assert_eq!(Status::Open.next(Event::Accept), Some(Status::Accepted));
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
    }
}
