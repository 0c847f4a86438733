//! Renewing and re-activating authorizations (one order for one or many): the new end date and
//! the price, the same in the browser (shown before "Akkoord") and on the server (charged).
//!
//! - An active authorization is renewed from its current end date, by 1, 3 or 5 years, but never
//!   to more than 5 years from today.
//! - An expired one is activated ("Activeren"): a new period from today, priced as a renewal.
//! - The manager's right (beheerdersmachtiging) is free, and renewed only together with user
//!   authorizations, never alone.

use super::authorization::State;
use super::date::Date;
use super::level::AssuranceLevel;
use super::tariff::{vat_cents, PriceList, QuoteError, Validity};
use serde::{Deserialize, Serialize};

/// The longest an authorization may run from today.
pub const MAX_YEARS_AHEAD: i32 = 5;

/// The end date after renewing (an active one) or activating (an expired one); None for a
/// state that cannot be renewed (pending, revoked).
pub fn new_end(state: State, current_end: Date, today: Date, validity: Validity) -> Option<Date> {
    let years = i32::from(validity.years());
    let cap = today.plus_years(MAX_YEARS_AHEAD);
    match state {
        State::Active => Some(current_end.max(today).plus_years(years).min(cap)),
        State::Expired => Some(today.plus_years(years).min(cap)),
        State::Pending | State::Revoked => None,
    }
}

/// One authorization of an order, as priced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub level: AssuranceLevel,
    pub is_admin: bool,
    pub state: State,
    pub current_end: Date,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricedItem {
    pub new_end: Date,
    /// Excluding VAT; 0 for the manager's right.
    pub cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Priced {
    pub items: Vec<PricedItem>,
    pub subtotal_cents: i64,
    pub vat_cents: i64,
    pub total_cents: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RenewalError {
    #[error("nothing chosen")]
    Empty,
    #[error("an authorization that cannot be renewed")]
    NotRenewable,
    #[error("the manager's right alone")]
    AdminAlone,
    #[error(transparent)]
    Price(#[from] QuoteError),
}

/// The order's new end dates and price.
pub fn price(
    list: &PriceList,
    items: &[Item],
    validity: Validity,
    today: Date,
) -> Result<Priced, RenewalError> {
    if items.is_empty() {
        return Err(RenewalError::Empty);
    }
    if items.iter().all(|i| i.is_admin) {
        return Err(RenewalError::AdminAlone);
    }
    let mut priced = Vec::with_capacity(items.len());
    let mut subtotal: i64 = 0;
    for item in items {
        let new_end = new_end(item.state, item.current_end, today, validity)
            .ok_or(RenewalError::NotRenewable)?;
        let cents = if item.is_admin {
            0
        } else {
            list.price(item.level, validity)
                .ok_or(QuoteError::NoTariff)?
        };
        subtotal = subtotal.checked_add(cents).ok_or(QuoteError::TooLarge)?;
        priced.push(PricedItem { new_end, cents });
    }
    let vat = vat_cents(subtotal, list.vat_basis_points).ok_or(QuoteError::TooLarge)?;
    Ok(Priced {
        items: priced,
        subtotal_cents: subtotal,
        vat_cents: vat,
        total_cents: subtotal.checked_add(vat).ok_or(QuoteError::TooLarge)?,
    })
}

/// "Ook beheerder worden" in a renewal: whether renewing this login authorization may also make
/// its user a manager of the organization. The same rules as appointing one (free, at the level
/// of the user's means and never above the appointing manager's own, an active user who is not
/// a manager there yet); the right runs with the login authorization, so never on a manager's
/// right itself.
pub fn may_become_manager(
    item: &Item,
    user_active: bool,
    already_manager: bool,
    means: AssuranceLevel,
    own: AssuranceLevel,
) -> bool {
    !item.is_admin && user_active && !already_manager && means <= own
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::tariff::indicative;
    use proptest::prelude::*;

    fn d(s: &str) -> Date {
        Date::parse_dutch(s).unwrap()
    }

    #[test]
    fn renewing_starts_at_the_current_end_and_activating_today() {
        let today = d("25-11-2026");
        assert_eq!(
            new_end(State::Active, d("01-03-2027"), today, Validity::ThreeYears),
            Some(d("01-03-2030"))
        );
        // Never more than 5 years from today.
        assert_eq!(
            new_end(State::Active, d("01-03-2029"), today, Validity::FiveYears),
            Some(d("25-11-2031"))
        );
        assert_eq!(
            new_end(State::Expired, d("01-01-2020"), today, Validity::OneYear),
            Some(d("25-11-2027"))
        );
        assert_eq!(
            new_end(State::Revoked, today, today, Validity::OneYear),
            None
        );
        assert_eq!(
            new_end(State::Pending, today, today, Validity::OneYear),
            None
        );
        // 29 February, in a year without one.
        assert_eq!(d("29-02-2028").plus_years(1), d("28-02-2029"));
    }

    fn item(level: AssuranceLevel, is_admin: bool) -> Item {
        Item {
            level,
            is_admin,
            state: State::Active,
            current_end: d("01-01-2027"),
        }
    }

    #[test]
    fn the_managers_right_is_free_and_never_renewed_alone() {
        let list = indicative();
        let today = d("25-11-2026");
        let priced = price(
            &list,
            &[
                item(AssuranceLevel::Eh3, false),
                item(AssuranceLevel::Eh3, true),
            ],
            Validity::ThreeYears,
            today,
        )
        .unwrap();
        assert_eq!(
            priced.items.iter().map(|i| i.cents).collect::<Vec<_>>(),
            vec![2500, 0]
        );
        assert_eq!(
            (priced.subtotal_cents, priced.vat_cents, priced.total_cents),
            (2500, 525, 3025)
        );
        assert_eq!(
            price(
                &list,
                &[item(AssuranceLevel::Eh3, true)],
                Validity::OneYear,
                today
            ),
            Err(RenewalError::AdminAlone)
        );
        assert_eq!(
            price(&list, &[], Validity::OneYear, today),
            Err(RenewalError::Empty)
        );
    }

    #[test]
    fn only_a_login_authorization_of_an_active_non_manager_within_the_own_level_makes_a_manager() {
        use AssuranceLevel::{Eh2, Eh3, Eh4};
        let login = item(Eh3, false);
        assert!(may_become_manager(&login, true, false, Eh3, Eh3));
        assert!(may_become_manager(&login, true, false, Eh2, Eh3));
        assert!(!may_become_manager(&item(Eh3, true), true, false, Eh3, Eh3));
        assert!(!may_become_manager(&login, false, false, Eh3, Eh3));
        assert!(!may_become_manager(&login, true, true, Eh3, Eh3));
        assert!(!may_become_manager(&login, true, false, Eh4, Eh3));
    }

    proptest! {
        #[test]
        fn an_authorization_never_runs_more_than_five_years_from_today(
            days_ahead in -4000i64..4000, years in prop::sample::select(vec![1u8, 3, 5]),
            expired in any::<bool>(),
        ) {
            let today = d("25-11-2026");
            let end = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap() + chrono::Duration::days(days_ahead);
            let end = Date::parse_iso(&end.to_string()).unwrap();
            let state = if expired { State::Expired } else { State::Active };
            let new = new_end(state, end, today, Validity::parse(years).unwrap()).unwrap();
            prop_assert!(new <= today.plus_years(MAX_YEARS_AHEAD));
            prop_assert!(new > today);
            if !expired && end >= today {
                prop_assert!(new > end || new == today.plus_years(MAX_YEARS_AHEAD));
            }
        }
    }
}
