//! Throttling of failed sign-ins: `threshold` failures within `window` of each other lock the
//! key until `lock` has passed since the last of them. The lock ends by itself, and only by
//! time: failures leaving the window do not end it early (nor does a lock outlive `lock`).

use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleRule {
    pub threshold: u32,
    pub window: Duration,
    pub lock: Duration,
}

impl ThrottleRule {
    /// The time until which attempts are refused, given the key's most recent failures, newest
    /// first (at most `threshold` of them are looked at).
    pub fn locked_until(
        &self,
        newest_first: &[DateTime<Utc>],
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let threshold = usize::try_from(self.threshold).ok()?.max(1);
        let recent = newest_first.get(..threshold)?;
        let (newest, oldest) = (recent.first()?, recent.last()?);
        let until = *newest + self.lock;
        (*newest - *oldest <= self.window && until > now).then_some(until)
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

    fn failures(now: DateTime<Utc>, minutes_ago: &[i64]) -> Vec<DateTime<Utc>> {
        minutes_ago
            .iter()
            .map(|m| now - Duration::minutes(*m))
            .collect()
    }

    #[test]
    fn fewer_failures_than_the_threshold_never_lock() {
        let now = Utc::now();
        assert_eq!(
            rule().locked_until(&failures(now, &[0, 0, 0, 0]), now),
            None
        );
    }

    #[test]
    fn reaching_the_threshold_locks_until_the_lock_has_passed() {
        let now = Utc::now();
        let five = failures(now, &[0, 0, 0, 0, 0]);
        assert_eq!(
            rule().locked_until(&five, now),
            Some(now + Duration::minutes(15))
        );
        let later = now + Duration::minutes(15) + Duration::seconds(1);
        assert_eq!(rule().locked_until(&five, later), None);
    }

    #[test]
    fn failures_spread_wider_than_the_window_do_not_lock() {
        let now = Utc::now();
        assert_eq!(
            rule().locked_until(&failures(now, &[0, 4, 8, 12, 16]), now),
            None
        );
        assert!(rule()
            .locked_until(&failures(now, &[0, 4, 8, 12, 15]), now)
            .is_some());
    }

    #[test]
    fn a_lock_longer_than_the_window_lasts_its_whole_length() {
        let long = ThrottleRule {
            lock: Duration::minutes(60),
            ..rule()
        };
        let now = Utc::now();
        // Five failures 20 minutes ago: out of the window, but the hour has not passed.
        let five = failures(now, &[20, 20, 20, 20, 20]);
        assert_eq!(
            long.locked_until(&five, now),
            Some(now + Duration::minutes(40))
        );
        assert_eq!(long.locked_until(&five, now + Duration::minutes(41)), None);
    }

    proptest! {
        #[test]
        fn a_lock_never_outlasts_the_lock_duration(
            ago in proptest::collection::vec(0i64..10_000, 0..12),
        ) {
            let now = Utc::now();
            let mut at: Vec<_> = ago.iter().map(|s| now - Duration::seconds(*s)).collect();
            at.sort_by(|a, b| b.cmp(a));
            if let Some(until) = rule().locked_until(&at, now) {
                prop_assert!(until - now <= Duration::minutes(15));
                prop_assert!(at.len() >= 5);
            }
        }
    }
}
