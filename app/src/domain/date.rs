//! Calendar dates as people type them: Dutch `dd-mm-yyyy` (also `d-m-yyyy`, with `/` or `.`
//! instead of `-`) and ISO `yyyy-mm-dd`, which is what an `<input type=date>` gives. Only real
//! calendar dates (Gregorian, leap years included) in the years 1 to 9999 exist. Two-digit
//! years are refused: "01-02-03" is too ambiguous for a date of birth.
//!
//! Serialized as the ISO string, so a `Date` in JSON reads "1988-03-14".

use serde::{Deserialize, Serialize};
use std::fmt;

/// A calendar date. The fields are public for convenience (e.g. building today's date from
/// the clock); [`Date::new`] and the parsers only ever give real dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    // Field order matters: the derived `Ord` is chronological.
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("invalid date")]
pub struct InvalidDate;

/// Youngest age at which a person can get a login means through the portal.
pub const MIN_AGE: i32 = 16;
/// Oldest plausible age; anything above is taken to be a typing error.
pub const MAX_AGE: i32 = 120;

pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days in `month` (1–12) of `year`; 0 for a month that does not exist.
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// The date, if it exists in the calendar and the year is between 1 and 9999.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Self> {
        let valid = (1..=9999).contains(&year) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(Self { year, month, day })
    }

    /// Parses a date the way Dutch users write it — `14-03-1988`, `14-3-1988`, `14/03/1988`,
    /// `14.03.1988` — or in ISO form `1988-03-14`. Surrounding spaces are ignored; both
    /// separators must be the same; the year must have four digits.
    pub fn parse_dutch(s: &str) -> Result<Self, InvalidDate> {
        let s = s.trim();
        let separator = s
            .chars()
            .find(|c| !c.is_ascii_digit())
            .filter(|c| matches!(c, '-' | '/' | '.'))
            .ok_or(InvalidDate)?;
        let mut parts = s.split(separator);
        let (a, b, c) = match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(a), Some(b), Some(c), None) => (a, b, c),
            _ => return Err(InvalidDate),
        };
        let short = |p: &str| (1..=2).contains(&p.len());
        let (y, m, d) = if a.len() == 4 && short(b) && short(c) {
            (a, b, c)
        } else if short(a) && short(b) && c.len() == 4 {
            (c, b, a)
        } else {
            return Err(InvalidDate);
        };
        Self::from_digits(y, m, d)
    }

    /// Parses exactly `yyyy-mm-dd`, the form this module writes and browsers send.
    pub fn parse_iso(s: &str) -> Result<Self, InvalidDate> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(InvalidDate);
        }
        Self::from_digits(&s[0..4], &s[5..7], &s[8..10])
    }

    fn from_digits(y: &str, m: &str, d: &str) -> Result<Self, InvalidDate> {
        let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        if !(all_digits(y) && all_digits(m) && all_digits(d)) {
            return Err(InvalidDate);
        }
        // At most four digits each, so these cannot overflow.
        let year: i32 = y.parse().map_err(|_| InvalidDate)?;
        let month: u8 = m.parse().map_err(|_| InvalidDate)?;
        let day: u8 = d.parse().map_err(|_| InvalidDate)?;
        Self::new(year, month, day).ok_or(InvalidDate)
    }

    /// `yyyy-mm-dd`, for storage and for `<input type=date>`.
    pub fn to_iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `dd-mm-yyyy`, the way dates are shown to Dutch users.
    pub fn to_dutch(self) -> String {
        format!("{:02}-{:02}-{:04}", self.day, self.month, self.year)
    }

    /// The date as people read it, in every list, page and e-mail: `25-11-2026` in Dutch and
    /// `25 Nov 2026` in English (day before month, with the month's name, reads the same to
    /// anyone who learnt English, wherever they learnt it).
    pub fn show(self, dutch: bool) -> String {
        if dutch {
            self.to_dutch()
        } else {
            let month = MONTHS_EN[usize::from(self.month.clamp(1, 12)) - 1];
            format!("{} {month} {:04}", self.day, self.year)
        }
    }

    /// The same day `years` later; 29 February becomes 28 February in a year without it.
    pub fn plus_years(self, years: i32) -> Self {
        let year = (self.year + years).clamp(1, 9999);
        let day = self.day.min(days_in_month(year, self.month));
        Self {
            year,
            month: self.month,
            day,
        }
    }

    /// Completed years from `self` to `on` (negative if `on` is earlier). Someone born on
    /// 29 February turns a year older on 1 March in years without a 29 February.
    pub fn years_until(self, on: Date) -> i32 {
        let before_anniversary = (on.month, on.day) < (self.month, self.day);
        on.year - self.year - i32::from(before_anniversary)
    }
}

/// Whether `date` can be the date of birth of someone applying today: not in the future and
/// an age of at least [`MIN_AGE`] and at most [`MAX_AGE`] completed years on `today`.
pub fn is_plausible_birth_date(date: Date, today: Date) -> bool {
    date <= today && (MIN_AGE..=MAX_AGE).contains(&date.years_until(today))
}

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A moment in Dutch time (Europe/Amsterdam) to the minute: when something happened or until
/// when a link works. The server converts from UTC; the browser and the e-mails only show it.
/// On the wire as `yyyy-mm-dd hh:mm`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Moment {
    // Field order matters: the derived `Ord` is chronological.
    pub date: Date,
    pub hour: u8,
    pub minute: u8,
}

impl Moment {
    pub fn new(date: Date, hour: u8, minute: u8) -> Option<Self> {
        (hour < 24 && minute < 60).then_some(Self { date, hour, minute })
    }

    /// Parses exactly `yyyy-mm-dd hh:mm`, the form this type writes.
    pub fn parse(s: &str) -> Result<Self, InvalidDate> {
        let (date, time) = s.split_once(' ').ok_or(InvalidDate)?;
        let (h, m) = time.split_once(':').ok_or(InvalidDate)?;
        let digits = |p: &str| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit());
        if !digits(h) || !digits(m) {
            return Err(InvalidDate);
        }
        let hour = h.parse().map_err(|_| InvalidDate)?;
        let minute = m.parse().map_err(|_| InvalidDate)?;
        Self::new(Date::parse_iso(date)?, hour, minute).ok_or(InvalidDate)
    }

    /// As people read it: `25-11-2026 14:05` in Dutch, `25 Nov 2026, 14:05` in English.
    pub fn show(self, dutch: bool) -> String {
        let separator = if dutch { " " } else { ", " };
        format!(
            "{}{separator}{:02}:{:02}",
            self.date.show(dutch),
            self.hour,
            self.minute
        )
    }
}

impl fmt::Display for Moment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {:02}:{:02}", self.date, self.hour, self.minute)
    }
}

impl TryFrom<String> for Moment {
    type Error = InvalidDate;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Moment> for String {
    fn from(m: Moment) -> Self {
        m.to_string()
    }
}

/// Read straight from PostgreSQL: a `date` column as a [`Date`], a `timestamp` (without time
/// zone, i.e. already `AT TIME ZONE 'Europe/Amsterdam'`) as a [`Moment`], so no query formats
/// dates as text and every page and e-mail shows them through [`Date::show`].
#[cfg(feature = "ssr")]
mod postgres {
    use super::{Date, Moment};
    use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
    use sqlx::error::BoxDynError;
    use sqlx::postgres::{PgTypeInfo, PgValueRef, Postgres};

    fn date(d: NaiveDate) -> Result<Date, BoxDynError> {
        Date::new(d.year(), d.month() as u8, d.day() as u8)
            .ok_or_else(|| "a date outside the years 1 to 9999".into())
    }

    impl sqlx::Type<Postgres> for Date {
        fn type_info() -> PgTypeInfo {
            <NaiveDate as sqlx::Type<Postgres>>::type_info()
        }
    }

    impl<'r> sqlx::Decode<'r, Postgres> for Date {
        fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
            date(<NaiveDate as sqlx::Decode<Postgres>>::decode(value)?)
        }
    }

    impl sqlx::Type<Postgres> for Moment {
        fn type_info() -> PgTypeInfo {
            <NaiveDateTime as sqlx::Type<Postgres>>::type_info()
        }
    }

    impl<'r> sqlx::Decode<'r, Postgres> for Moment {
        fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
            let t = <NaiveDateTime as sqlx::Decode<Postgres>>::decode(value)?;
            Ok(Moment {
                date: date(t.date())?,
                hour: t.hour() as u8,
                minute: t.minute() as u8,
            })
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl TryFrom<String> for Date {
    type Error = InvalidDate;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse_iso(&s)
    }
}

impl From<Date> for String {
    fn from(d: Date) -> Self {
        d.to_iso()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(year: i32, month: u8, day: u8) -> Date {
        Date::new(year, month, day).unwrap()
    }

    #[test]
    fn dutch_and_iso_notations_are_accepted() {
        for s in [
            "14-03-1988",
            "14-3-1988",
            "14/03/1988",
            "14.3.1988",
            " 14-03-1988 ",
            "1988-03-14",
            "1988-3-14",
        ] {
            assert_eq!(Date::parse_dutch(s), Ok(d(1988, 3, 14)), "{s}");
        }
    }

    #[test]
    fn malformed_and_impossible_dates_are_refused() {
        for s in [
            "",
            "14-03-88",
            "14-03",
            "14-03-1988-1",
            "14-03/1988",
            "14 03 1988",
            "31-04-2020",
            "29-02-2023",
            "29-02-1900",
            "00-01-2000",
            "01-13-2000",
            "01-00-2000",
            "01-01-0000",
            "1988-03-14T00:00",
            "+1-03-1988",
            "1-0x-1988",
            "٣-03-1988",
            "03-14-1988",
            "001-03-1988",
        ] {
            assert_eq!(Date::parse_dutch(s), Err(InvalidDate), "{s}");
        }
    }

    #[test]
    fn leap_days_follow_the_gregorian_rules() {
        assert!(Date::parse_dutch("29-02-2024").is_ok());
        assert!(Date::parse_dutch("29-02-2000").is_ok());
        assert!(Date::parse_dutch("29-02-2100").is_err());
    }

    #[test]
    fn dates_are_written_with_leading_zeros() {
        assert_eq!(d(1988, 3, 4).to_iso(), "1988-03-04");
        assert_eq!(d(1988, 3, 4).to_dutch(), "04-03-1988");
        assert_eq!(d(1988, 3, 4).to_string(), "1988-03-04");
    }

    #[test]
    fn dates_and_moments_are_shown_per_language() {
        assert_eq!(d(2026, 11, 5).show(true), "05-11-2026");
        assert_eq!(d(2026, 11, 5).show(false), "5 Nov 2026");
        let m = Moment::new(d(2026, 1, 31), 9, 7).unwrap();
        assert_eq!(m.show(true), "31-01-2026 09:07");
        assert_eq!(m.show(false), "31 Jan 2026, 09:07");
        assert_eq!(m.to_string(), "2026-01-31 09:07");
        assert_eq!(Moment::parse("2026-01-31 09:07"), Ok(m));
        for bad in [
            "2026-01-31",
            "2026-01-31 9:07",
            "2026-01-31 24:00",
            "2026-02-30 10:00",
            "2026-01-31 10:60",
        ] {
            assert_eq!(Moment::parse(bad), Err(InvalidDate), "{bad}");
        }
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"2026-01-31 09:07\"");
    }

    #[test]
    fn iso_parsing_is_strict() {
        assert_eq!(Date::parse_iso("1988-03-14"), Ok(d(1988, 3, 14)));
        assert!(Date::parse_iso("1988-3-14").is_err());
        assert!(Date::parse_iso("14-03-1988").is_err());
        assert!(Date::parse_iso("1988-03-1é").is_err());
    }

    #[test]
    fn dates_serialize_as_iso_strings() {
        let json = serde_json::to_string(&d(1988, 3, 14)).unwrap();
        assert_eq!(json, "\"1988-03-14\"");
        assert_eq!(serde_json::from_str::<Date>(&json).unwrap(), d(1988, 3, 14));
        assert!(serde_json::from_str::<Date>("\"1988-02-30\"").is_err());
    }

    #[test]
    fn ordering_is_chronological() {
        assert!(d(1988, 12, 31) < d(1989, 1, 1));
        assert!(d(1989, 1, 31) < d(1989, 2, 1));
    }

    #[test]
    fn birth_dates_must_give_an_age_between_16_and_120() {
        let today = d(2025, 6, 15);
        assert!(is_plausible_birth_date(d(2009, 6, 15), today)); // 16 today
        assert!(!is_plausible_birth_date(d(2009, 6, 16), today)); // 16 tomorrow
        assert!(is_plausible_birth_date(d(1905, 6, 16), today)); // 119, 120 tomorrow
        assert!(is_plausible_birth_date(d(1905, 6, 15), today)); // 120 today
        assert!(!is_plausible_birth_date(d(1904, 6, 15), today)); // 121
        assert!(!is_plausible_birth_date(d(2026, 1, 1), today)); // future
        assert!(!is_plausible_birth_date(today, today));
    }

    #[test]
    fn a_leap_day_birthday_counts_from_the_first_of_march() {
        let born = d(2008, 2, 29);
        assert_eq!(born.years_until(d(2024, 2, 28)), 15);
        assert_eq!(born.years_until(d(2024, 2, 29)), 16);
        assert_eq!(born.years_until(d(2025, 2, 28)), 16);
        assert_eq!(born.years_until(d(2025, 3, 1)), 17);
    }

    #[test]
    fn every_day_from_1900_to_2100_round_trips_in_both_notations() {
        let mut count = 0;
        for year in 1900..2100 {
            for month in 1..=12 {
                for day in 1..=days_in_month(year, month) {
                    let date = d(year, month, day);
                    assert_eq!(Date::parse_dutch(&date.to_iso()), Ok(date));
                    assert_eq!(Date::parse_dutch(&date.to_dutch()), Ok(date));
                    count += 1;
                }
            }
        }
        assert_eq!(count, 73_049);
    }

    fn valid_date() -> impl Strategy<Value = Date> {
        (1900i32..2100, 1u8..=12)
            .prop_flat_map(|(y, m)| (Just(y), Just(m), 1..=days_in_month(y, m)))
            .prop_map(|(y, m, day)| d(y, m, day))
    }

    proptest! {
        #[test]
        fn to_iso_then_parse_gives_the_same_date(date in valid_date()) {
            prop_assert_eq!(Date::parse_dutch(&date.to_iso()), Ok(date));
            prop_assert_eq!(Date::parse_iso(&date.to_iso()), Ok(date));
            prop_assert_eq!(Date::parse_dutch(&date.to_dutch()), Ok(date));
            let unpadded = format!("{}/{}/{}", date.day, date.month, date.year);
            prop_assert_eq!(Date::parse_dutch(&unpadded), Ok(date));
        }

        #[test]
        fn validity_agrees_with_chrono(y in 1i32..=9999, m in 0u8..=13, day in 0u8..=32) {
            let ours = Date::new(y, m, day).is_some();
            let theirs = chrono::NaiveDate::from_ymd_opt(y, m.into(), day.into()).is_some();
            prop_assert_eq!(ours, theirs);
        }

        #[test]
        fn parsing_never_panics_and_only_yields_real_dates(s in "[0-9./ -]{0,14}|\\PC{0,14}") {
            if let Ok(date) = Date::parse_dutch(&s) {
                prop_assert!(Date::new(date.year, date.month, date.day).is_some());
            }
        }

        #[test]
        fn plausible_birth_dates_are_never_in_the_future(born in valid_date(), today in valid_date()) {
            if is_plausible_birth_date(born, today) {
                prop_assert!(born < today);
                prop_assert!(born.year + MIN_AGE <= today.year);
            }
        }
    }
}
