//! An authorization's life: pending (ordered, not yet issued), active, expired (its end date
//! passed) and revoked (ended by a manager or the user, for good). Every change of state, for one
//! authorization or thousands at once, is one of these events and goes through [`State::next`].

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Pending,
    Active,
    Expired,
    Revoked,
}

/// What can happen to an authorization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The login means was issued: the ordered authorization starts.
    Issue,
    /// The end date passed.
    Expire,
    /// A manager or the user ended it; or its application was cancelled or rejected.
    Revoke,
    /// A new end date for an active one.
    Renew,
    /// "Activeren": a new validity period for an expired one.
    Activate,
}

impl State {
    pub const ALL: [State; 4] = [
        State::Pending,
        State::Active,
        State::Expired,
        State::Revoked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Pending => "pending",
            State::Active => "active",
            State::Expired => "expired",
            State::Revoked => "revoked",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Expired and revoked: shown only with "Toon ook inactieve machtigingen".
    pub fn is_inactive(self) -> bool {
        matches!(self, State::Expired | State::Revoked)
    }

    /// The state after `event`, or None when the event does not apply in this state.
    pub fn next(self, event: Event) -> Option<State> {
        use Event as E;
        use State as S;
        match (self, event) {
            (S::Pending, E::Issue) => Some(S::Active),
            (S::Pending | S::Active, E::Revoke) => Some(S::Revoked),
            (S::Active, E::Expire) => Some(S::Expired),
            (S::Active, E::Renew) => Some(S::Active),
            (S::Expired, E::Activate) => Some(S::Active),
            _ => None,
        }
    }

    /// The states `event` applies to, for changing many authorizations in one statement
    /// (`... WHERE state = ANY(sources)`), so set-based changes follow the same machine.
    pub fn sources(event: Event) -> Vec<State> {
        State::ALL
            .into_iter()
            .filter(|s| s.next(event).is_some())
            .collect()
    }
}

/// What an authorization is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The authorization manager's right for the organization (free of charge).
    Admin,
    /// Every existing and future service up to the level.
    AllServices,
    /// One service of the catalog.
    Service,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Admin, Kind::AllServices, Kind::Service];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Admin => "admin",
            Kind::AllServices => "all_services",
            Kind::Service => "service",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVENTS: [Event; 5] = [
        Event::Issue,
        Event::Expire,
        Event::Revoke,
        Event::Renew,
        Event::Activate,
    ];

    #[test]
    fn a_revoked_authorization_stays_revoked() {
        for event in EVENTS {
            assert_eq!(State::Revoked.next(event), None, "{event:?}");
        }
    }

    #[test]
    fn the_life_of_an_authorization() {
        let active = State::Pending.next(Event::Issue).unwrap();
        assert_eq!(active.next(Event::Renew), Some(State::Active));
        let expired = active.next(Event::Expire).unwrap();
        assert_eq!(expired, State::Expired);
        // Expired ones are re-activated, not renewed, and cannot be revoked any more.
        assert_eq!(expired.next(Event::Renew), None);
        assert_eq!(expired.next(Event::Revoke), None);
        assert_eq!(expired.next(Event::Activate), Some(State::Active));
        assert_eq!(State::Pending.next(Event::Revoke), Some(State::Revoked));
        assert_eq!(State::Pending.next(Event::Renew), None);
    }

    #[test]
    fn sources_are_exactly_the_states_an_event_applies_to() {
        assert_eq!(
            State::sources(Event::Revoke),
            vec![State::Pending, State::Active]
        );
        assert_eq!(State::sources(Event::Activate), vec![State::Expired]);
        for event in EVENTS {
            for state in State::ALL {
                assert_eq!(
                    State::sources(event).contains(&state),
                    state.next(event).is_some()
                );
            }
        }
    }

    #[test]
    fn every_state_an_event_applies_to_leads_to_the_same_state() {
        for event in EVENTS {
            let targets: Vec<_> = State::sources(event)
                .into_iter()
                .filter_map(|s| s.next(event))
                .collect();
            assert!(targets.windows(2).all(|w| w[0] == w[1]), "{event:?}");
        }
    }

    #[test]
    fn names_round_trip() {
        for s in State::ALL {
            assert_eq!(State::parse(s.as_str()), Some(s));
        }
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
    }
}
