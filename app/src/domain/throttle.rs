//! Throttling of failed sign-ins: after `threshold` failures within `window`, further attempts
//! are refused until `lock` has passed since the last failure. The lock ends by itself.

use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleRule {
    pub threshold: u32,
    pub window: Duration,
    pub lock: Duration,
}

impl ThrottleRule {
    /// The time until which attempts are refused, given the failures seen within the window.
    pub fn locked_until(
        &self,
        failures_in_window: u32,
        last_failure: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let until = last_failure? + self.lock;
        (failures_in_window >= self.threshold && until > now).then_some(until)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rule() -> ThrottleRule {
        ThrottleRule {
            threshold: 5,
            window: Duration::minutes(15),
            lock: Duration::minutes(15),
        }
    }

    #[test]
    fn fewer_failures_than_the_threshold_never_lock() {
        let now = Utc::now();
        assert_eq!(rule().locked_until(4, Some(now), now), None);
    }

    #[test]
    fn reaching_the_threshold_locks_until_the_lock_has_passed() {
        let now = Utc::now();
        assert_eq!(
            rule().locked_until(5, Some(now), now),
            Some(now + Duration::minutes(15))
        );
        let later = now + Duration::minutes(15) + Duration::seconds(1);
        assert_eq!(rule().locked_until(5, Some(now), later), None);
    }

    proptest! {
        #[test]
        fn a_lock_never_outlasts_the_lock_duration(count in 0u32..100, ago in 0i64..10_000) {
            let now = Utc::now();
            let last = now - Duration::seconds(ago);
            if let Some(until) = rule().locked_until(count, Some(last), now) {
                prop_assert!(until - now <= Duration::minutes(15));
                prop_assert!(count >= 5);
            }
        }
    }
}
