//! A new user's way through an application: the acceptance steps on the phone, the rules for the
//! SMS code that confirms the mobile number, and the application's state machine after "Bestel".

use serde::{Deserialize, Serialize};

/// Where an applicant stands. Stored as the `as_str` text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Invited,
    Accepted,
    IdentityVerification,
    FinalCheck,
    Issued,
    Rejected,
    Expired,
    Cancelled,
}

/// What can happen to an applicant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The user pressed "Bestel".
    Order,
    /// Not employed: the partner has the verification request.
    VerificationStarted,
    VerificationPassed,
    VerificationFailed,
    /// Employed after ordering, or approved in the final check.
    Issue,
    /// The operator's final check says no.
    Reject,
    /// The invitation or the verification deadline passed.
    Expire,
    /// The manager cancelled.
    Cancel,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Invited,
        Status::Accepted,
        Status::IdentityVerification,
        Status::FinalCheck,
        Status::Issued,
        Status::Rejected,
        Status::Expired,
        Status::Cancelled,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Invited => "invited",
            Status::Accepted => "accepted",
            Status::IdentityVerification => "identity_verification",
            Status::FinalCheck => "final_check",
            Status::Issued => "issued",
            Status::Rejected => "rejected",
            Status::Expired => "expired",
            Status::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Issued, rejected, expired and cancelled are final.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Status::Issued | Status::Rejected | Status::Expired | Status::Cancelled
        )
    }

    /// The state after `event`, or None when the event does not apply in this state.
    pub fn next(self, event: Event) -> Option<Status> {
        use Event as E;
        use Status as S;
        match (self, event) {
            (S::Invited, E::Order) => Some(S::Accepted),
            (S::Accepted, E::VerificationStarted) => Some(S::IdentityVerification),
            (S::Accepted | S::FinalCheck, E::Issue) => Some(S::Issued),
            (S::IdentityVerification, E::VerificationPassed) => Some(S::FinalCheck),
            (S::IdentityVerification, E::VerificationFailed) => Some(S::Rejected),
            (S::FinalCheck, E::Reject) => Some(S::Rejected),
            (S::Invited | S::IdentityVerification, E::Expire) => Some(S::Expired),
            (s, E::Cancel) if !s.is_final() => Some(S::Cancelled),
            _ => None,
        }
    }
}

/// The acceptance page's steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Step {
    /// The application's details; confirm with the blue button.
    Details,
    /// Check the mobile number; "Volgende" sends the code.
    Mobile,
    /// Enter the code from the SMS.
    Code,
    /// Choose a username and a password.
    Credentials,
    /// The summary and "Bestel".
    Summary,
}

/// What is stored about an invitation's progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub confirmed: bool,
    pub mobile_verified: bool,
    /// A code was sent that can still be entered.
    pub code_live: bool,
    pub credentials_set: bool,
}

impl Progress {
    /// The step to show: opening the link again resumes here.
    pub fn step(self) -> Step {
        if !self.confirmed {
            Step::Details
        } else if !self.mobile_verified {
            if self.code_live {
                Step::Code
            } else {
                Step::Mobile
            }
        } else if !self.credentials_set {
            Step::Credentials
        } else {
            Step::Summary
        }
    }
}

/// The SMS code rules of the acceptance: valid 5 minutes, single use, 5 tries, a new code after
/// 30 seconds, at most 3 new codes per invitation link.
pub mod code_rules {
    pub const VALID_MINUTES: i64 = 5;
    pub const MAX_ATTEMPTS: i32 = 5;
    pub const RESEND_AFTER_SECS: i64 = 30;
    pub const MAX_RESENDS: i64 = 3;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Refusal {
        /// Too soon after the last code: wait this many seconds.
        Wait(u64),
        /// The first code and three new ones were sent: the manager must resend the invitation.
        NoMoreCodes,
    }

    /// May another code be sent, given the codes sent so far for this link and the seconds
    /// since the last one?
    pub fn may_send(sent: i64, secs_since_last: Option<i64>) -> Result<(), Refusal> {
        if sent > MAX_RESENDS {
            return Err(Refusal::NoMoreCodes);
        }
        match secs_since_last {
            Some(ago) if ago < RESEND_AFTER_SECS => {
                Err(Refusal::Wait((RESEND_AFTER_SECS - ago) as u64))
            }
            _ => Ok(()),
        }
    }

    /// New codes still allowed after `sent` codes.
    pub fn resends_left(sent: i64) -> u32 {
        (MAX_RESENDS + 1 - sent).max(0) as u32
    }
}

/// Days a not-employed user has for the identity verification, and when they are reminded.
pub const VERIFICATION_DAYS: i64 = 30;
pub const VERIFICATION_REMINDER_DAYS_BEFORE: i64 = 5;

#[cfg(test)]
mod tests {
    use super::code_rules::*;
    use super::*;
    use proptest::prelude::*;

    const EVENTS: [Event; 8] = [
        Event::Order,
        Event::VerificationStarted,
        Event::VerificationPassed,
        Event::VerificationFailed,
        Event::Issue,
        Event::Reject,
        Event::Expire,
        Event::Cancel,
    ];

    #[test]
    fn employed_path_orders_then_issues() {
        let s = Status::Invited.next(Event::Order).unwrap();
        assert_eq!(s.next(Event::Issue), Some(Status::Issued));
    }

    #[test]
    fn not_employed_path_goes_through_verification_and_final_check() {
        let s = Status::Invited
            .next(Event::Order)
            .and_then(|s| s.next(Event::VerificationStarted))
            .and_then(|s| s.next(Event::VerificationPassed))
            .unwrap();
        assert_eq!(s, Status::FinalCheck);
        assert_eq!(s.next(Event::Issue), Some(Status::Issued));
        assert_eq!(s.next(Event::Reject), Some(Status::Rejected));
        assert_eq!(
            Status::IdentityVerification.next(Event::VerificationFailed),
            Some(Status::Rejected)
        );
    }

    #[test]
    fn nothing_skips_the_verification() {
        assert_eq!(Status::Invited.next(Event::Issue), None);
        assert_eq!(Status::IdentityVerification.next(Event::Issue), None);
        assert_eq!(Status::Invited.next(Event::VerificationPassed), None);
        assert_eq!(Status::FinalCheck.next(Event::VerificationPassed), None);
    }

    #[test]
    fn only_waiting_states_expire() {
        let expiring: Vec<_> = Status::ALL
            .into_iter()
            .filter(|s| s.next(Event::Expire).is_some())
            .collect();
        assert_eq!(expiring, [Status::Invited, Status::IdentityVerification]);
    }

    #[test]
    fn the_steps_resume_in_order() {
        let mut p = Progress::default();
        assert_eq!(p.step(), Step::Details);
        p.confirmed = true;
        assert_eq!(p.step(), Step::Mobile);
        p.code_live = true;
        assert_eq!(p.step(), Step::Code);
        p.mobile_verified = true;
        assert_eq!(p.step(), Step::Credentials);
        p.credentials_set = true;
        assert_eq!(p.step(), Step::Summary);
    }

    #[test]
    fn codes_wait_30_seconds_and_stop_after_three_new_ones() {
        assert_eq!(may_send(0, None), Ok(()));
        assert_eq!(may_send(1, Some(10)), Err(Refusal::Wait(20)));
        assert_eq!(may_send(1, Some(30)), Ok(()));
        assert_eq!(may_send(3, Some(100)), Ok(()));
        assert_eq!(may_send(4, Some(100)), Err(Refusal::NoMoreCodes));
        assert_eq!(resends_left(1), 3);
        assert_eq!(resends_left(4), 0);
    }

    proptest! {
        #[test]
        fn final_states_stay_final(i in 0usize..8, e in 0usize..8) {
            let s = Status::ALL[i];
            if s.is_final() {
                prop_assert_eq!(s.next(EVENTS[e]), None);
            }
        }

        #[test]
        fn every_state_round_trips_as_text(i in 0usize..8) {
            let s = Status::ALL[i];
            prop_assert_eq!(Status::parse(s.as_str()), Some(s));
        }

        #[test]
        fn issued_is_reached_only_through_accepted_or_the_final_check(i in 0usize..8, e in 0usize..8) {
            let s = Status::ALL[i];
            if s.next(EVENTS[e]) == Some(Status::Issued) {
                prop_assert!(matches!(s, Status::Accepted | Status::FinalCheck));
            }
        }

        #[test]
        fn no_code_within_30_seconds_of_the_last(sent in 1i64..4, ago in 0i64..30) {
            prop_assert!(matches!(may_send(sent, Some(ago)), Err(Refusal::Wait(w)) if (1..=30).contains(&w)));
        }
    }
}
