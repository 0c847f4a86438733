//! Prices of authorizations. Prices are data, not code: the operator keeps a tariff table in
//! the database and the server turns it into a [`PriceList`]; this module only computes with
//! it. Money is integer euro cents, excluding VAT unless a name says otherwise.
//!
//! What is charged: one authorization per user per service, or one per user for "all
//! services" (see [`billable_authorizations`]), at the application's level and validity.
//! Admin authorizations (beheerdersmachtigingen) are free and not quoted.

use super::level::AssuranceLevel;
use serde::{Deserialize, Serialize};

/// Description code of the quote line for authorizations; the UI translates it.
pub const AUTHORIZATION: &str = "authorization";

/// How long an authorization is valid: 1, 3 or 5 years, never anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum Validity {
    OneYear,
    ThreeYears,
    FiveYears,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("validity must be 1, 3 or 5 years")]
pub struct InvalidValidity;

impl Validity {
    pub const ALL: [Validity; 3] = [Self::OneYear, Self::ThreeYears, Self::FiveYears];

    pub fn parse(years: u8) -> Result<Self, InvalidValidity> {
        match years {
            1 => Ok(Self::OneYear),
            3 => Ok(Self::ThreeYears),
            5 => Ok(Self::FiveYears),
            _ => Err(InvalidValidity),
        }
    }

    pub fn years(self) -> u8 {
        match self {
            Self::OneYear => 1,
            Self::ThreeYears => 3,
            Self::FiveYears => 5,
        }
    }
}

impl TryFrom<u8> for Validity {
    type Error = InvalidValidity;
    fn try_from(years: u8) -> Result<Self, Self::Error> {
        Self::parse(years)
    }
}

impl From<Validity> for u8 {
    fn from(v: Validity) -> Self {
        v.years()
    }
}

/// One row of the tariff table: the price of one authorization at `level` for `years`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tariff {
    pub level: AssuranceLevel,
    pub years: u8,
    /// Excluding VAT.
    pub cents: i64,
}

/// The tariff table and the VAT rate, as loaded from the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceList {
    pub entries: Vec<Tariff>,
    /// VAT in hundredths of a percent: 2100 is 21%.
    pub vat_basis_points: u32,
}

impl PriceList {
    /// The price of one authorization, excluding VAT. The first matching entry counts; a
    /// missing or negative price means there is no tariff.
    pub fn price(&self, level: AssuranceLevel, validity: Validity) -> Option<i64> {
        self.entries
            .iter()
            .find(|t| t.level == level && t.years == validity.years())
            .map(|t| t.cents)
            .filter(|cents| *cents >= 0)
    }
}

/// The indicative prices from one broker's public price list (domain notes, "Tariffs"), in
/// euros excluding 21% VAT. Only for tests and for seeding the database: the portal itself
/// always uses the table the operator keeps.
///
/// | level | 1 year | 3 years | 5 years |
/// |---|---|---|---|
/// | EH2 | 10 | 15 | 20 |
/// | EH2+ | 10 | 20 | 25 |
/// | EH3 | 15 | 25 | 35 |
/// | EH4 | 10 | 25 | 40 |
pub fn indicative() -> PriceList {
    use AssuranceLevel::*;
    let table = [
        (Eh2, [10, 15, 20]),
        (Eh2Plus, [10, 20, 25]),
        (Eh3, [15, 25, 35]),
        (Eh4, [10, 25, 40]),
    ];
    let entries = table
        .into_iter()
        .flat_map(|(level, euros)| {
            Validity::ALL
                .into_iter()
                .zip(euros)
                .map(move |(validity, euros)| Tariff {
                    level,
                    years: validity.years(),
                    cents: euros * 100,
                })
        })
        .collect();
    PriceList {
        entries,
        vat_basis_points: 2100,
    }
}

/// How many authorizations one user is charged for: one per selected service, or exactly one
/// for "all services" (which covers every service, so other selections add nothing).
pub fn billable_authorizations(all_services: bool, selected_services: usize) -> u32 {
    if all_services {
        1
    } else {
        u32::try_from(selected_services).unwrap_or(u32::MAX)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteLine {
    /// What is charged, as a code for the UI to translate (e.g. [`AUTHORIZATION`]).
    pub description_code: String,
    pub quantity: u32,
    pub unit_cents: i64,
    /// `quantity × unit_cents`.
    pub total_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub level: AssuranceLevel,
    pub validity: Validity,
    pub lines: Vec<QuoteLine>,
    /// Sum of the lines, excluding VAT.
    pub subtotal_cents: i64,
    pub vat_basis_points: u32,
    /// VAT on the subtotal, rounded half up to whole cents.
    pub vat_cents: i64,
    /// `subtotal_cents + vat_cents`.
    pub total_cents: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum QuoteError {
    /// The price list has no (valid) price for this level and validity.
    #[error("no tariff for this level and validity")]
    NoTariff,
    /// The amounts do not fit in 64-bit cents: absurd input, refused rather than wrapped.
    #[error("amount too large")]
    TooLarge,
}

/// VAT on a non-negative amount, rounded half up on the whole amount (not per line):
/// 50 cents at 21% is 10.5 cents, which becomes 11. `None` if it does not fit.
pub fn vat_cents(subtotal_cents: i64, vat_basis_points: u32) -> Option<i64> {
    let exact_times_10000 = i128::from(subtotal_cents) * i128::from(vat_basis_points);
    let rounded = (exact_times_10000 + 5_000).div_euclid(10_000);
    i64::try_from(rounded).ok()
}

/// The price of an application: `users` new users, each with `authorizations_per_user`
/// billable authorizations (see [`billable_authorizations`]), all at `level` for `validity`.
pub fn quote(
    list: &PriceList,
    level: AssuranceLevel,
    validity: Validity,
    users: u32,
    authorizations_per_user: u32,
) -> Result<Quote, QuoteError> {
    let unit_cents = list.price(level, validity).ok_or(QuoteError::NoTariff)?;
    let quantity = users
        .checked_mul(authorizations_per_user)
        .ok_or(QuoteError::TooLarge)?;
    let lines = vec![QuoteLine {
        description_code: AUTHORIZATION.to_string(),
        quantity,
        unit_cents,
        total_cents: unit_cents
            .checked_mul(i64::from(quantity))
            .ok_or(QuoteError::TooLarge)?,
    }];
    let subtotal_cents = lines
        .iter()
        .try_fold(0i64, |sum, line| sum.checked_add(line.total_cents))
        .ok_or(QuoteError::TooLarge)?;
    let vat = vat_cents(subtotal_cents, list.vat_basis_points).ok_or(QuoteError::TooLarge)?;
    let total_cents = subtotal_cents
        .checked_add(vat)
        .ok_or(QuoteError::TooLarge)?;
    Ok(Quote {
        level,
        validity,
        lines,
        subtotal_cents,
        vat_basis_points: list.vat_basis_points,
        vat_cents: vat,
        total_cents,
    })
}

/// An amount of cents as shown to people: `€ 1.234,56` in Dutch, `€1,234.56` in English;
/// negative amounts as `€ -1.234,56` and `-€1,234.56`. The Dutch space is a no-break space, so
/// an amount never breaks across lines, on a page or in an e-mail.
pub fn format_euro(cents: i64, dutch: bool) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let digits = (abs / 100).to_string();
    let (thousands, decimal) = if dutch { ('.', ',') } else { (',', '.') };
    let mut euros = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            euros.push(thousands);
        }
        euros.push(c);
    }
    let rest = abs % 100;
    if dutch {
        format!("€\u{a0}{sign}{euros}{decimal}{rest:02}")
    } else {
        format!("{sign}€{euros}{decimal}{rest:02}")
    }
}

/// A percentage of basis points as shown to people: `21` or `21,5` in Dutch, `21.5` in
/// English (the VAT rate).
pub fn format_percent(basis_points: u32, dutch: bool) -> String {
    let (whole, hundredths) = (basis_points / 100, basis_points % 100);
    if hundredths == 0 {
        return whole.to_string();
    }
    let decimals = format!("{hundredths:02}");
    let separator = if dutch { ',' } else { '.' };
    format!("{whole}{separator}{}", decimals.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use AssuranceLevel::*;

    #[test]
    fn only_one_three_and_five_years_are_validities() {
        for (years, expected) in [
            (1, Some(Validity::OneYear)),
            (3, Some(Validity::ThreeYears)),
            (5, Some(Validity::FiveYears)),
            (0, None),
            (2, None),
            (4, None),
            (6, None),
            (10, None),
        ] {
            assert_eq!(Validity::parse(years).ok(), expected, "{years}");
        }
        for v in Validity::ALL {
            assert_eq!(Validity::parse(v.years()), Ok(v));
        }
        assert_eq!(serde_json::to_string(&Validity::ThreeYears).unwrap(), "3");
        assert!(serde_json::from_str::<Validity>("2").is_err());
    }

    #[test]
    fn the_indicative_table_matches_the_domain_notes() {
        let list = indicative();
        let euros =
            |level, years| list.price(level, Validity::parse(years).unwrap()).unwrap() / 100;
        let table = [
            (Eh2, [10, 15, 20]),
            (Eh2Plus, [10, 20, 25]),
            (Eh3, [15, 25, 35]),
            (Eh4, [10, 25, 40]),
        ];
        for (level, prices) in table {
            for (years, price) in [1, 3, 5].into_iter().zip(prices) {
                assert_eq!(euros(level, years), price, "{level} {years}");
            }
        }
        assert_eq!(list.entries.len(), 12);
        assert_eq!(list.vat_basis_points, 2100);
    }

    #[test]
    fn a_quote_multiplies_users_by_authorizations_and_adds_vat() {
        let q = quote(&indicative(), Eh3, Validity::ThreeYears, 4, 2).unwrap();
        assert_eq!(
            q.lines,
            vec![QuoteLine {
                description_code: "authorization".into(),
                quantity: 8,
                unit_cents: 2500,
                total_cents: 20_000,
            }]
        );
        assert_eq!(q.subtotal_cents, 20_000);
        assert_eq!(q.vat_cents, 4_200);
        assert_eq!(q.total_cents, 24_200);
    }

    #[test]
    fn all_services_is_one_authorization_per_user() {
        assert_eq!(billable_authorizations(true, 0), 1);
        assert_eq!(billable_authorizations(true, 7), 1);
        assert_eq!(billable_authorizations(false, 7), 7);
        let q = quote(
            &indicative(),
            Eh2,
            Validity::OneYear,
            3,
            billable_authorizations(true, 5),
        )
        .unwrap();
        assert_eq!(q.subtotal_cents, 3_000);
    }

    #[test]
    fn vat_is_rounded_half_up_on_the_subtotal() {
        assert_eq!(vat_cents(50, 2100), Some(11)); // 10.5
        assert_eq!(vat_cents(49, 2100), Some(10)); // 10.29
        assert_eq!(vat_cents(2, 2100), Some(0)); // 0.42
        assert_eq!(vat_cents(3, 2100), Some(1)); // 0.63
        assert_eq!(vat_cents(0, 2100), Some(0));
        assert_eq!(vat_cents(1_000, 0), Some(0));
        let list = PriceList {
            entries: vec![Tariff {
                level: Eh2,
                years: 1,
                cents: 1,
            }],
            vat_basis_points: 2100,
        };
        // Per line 0.21 would round to 0 each time; on the subtotal of 50 cents it is 11.
        assert_eq!(
            quote(&list, Eh2, Validity::OneYear, 50, 1)
                .unwrap()
                .vat_cents,
            11
        );
    }

    #[test]
    fn missing_or_negative_prices_and_overflow_are_refused() {
        let list = PriceList {
            entries: vec![
                Tariff {
                    level: Eh2,
                    years: 1,
                    cents: -100,
                },
                Tariff {
                    level: Eh3,
                    years: 1,
                    cents: i64::MAX - 10,
                },
            ],
            vat_basis_points: 2100,
        };
        assert_eq!(
            quote(&list, Eh4, Validity::OneYear, 1, 1),
            Err(QuoteError::NoTariff)
        );
        assert_eq!(
            quote(&list, Eh2, Validity::OneYear, 1, 1),
            Err(QuoteError::NoTariff)
        );
        assert_eq!(
            quote(&list, Eh3, Validity::OneYear, 3, 1),
            Err(QuoteError::TooLarge)
        );
        assert_eq!(
            quote(&list, Eh3, Validity::OneYear, 1, 1),
            Err(QuoteError::TooLarge) // the total with VAT no longer fits
        );
        assert_eq!(
            quote(&indicative(), Eh3, Validity::OneYear, u32::MAX, 2),
            Err(QuoteError::TooLarge)
        );
        assert!(quote(&indicative(), Eh3, Validity::OneYear, u32::MAX, 1).is_ok());
    }

    #[test]
    fn percentages_are_formatted_per_language() {
        assert_eq!(format_percent(2100, true), "21");
        assert_eq!(format_percent(2150, true), "21,5");
        assert_eq!(format_percent(2150, false), "21.5");
        assert_eq!(format_percent(905, false), "9.05");
        assert_eq!(format_percent(0, true), "0");
    }

    #[test]
    fn euros_are_formatted_per_language() {
        assert_eq!(format_euro(123_456, true), "€\u{a0}1.234,56");
        assert_eq!(format_euro(123_456, false), "€1,234.56");
        assert_eq!(format_euro(0, true), "€\u{a0}0,00");
        assert_eq!(format_euro(5, false), "€0.05");
        assert_eq!(format_euro(100_000_000, true), "€\u{a0}1.000.000,00");
        assert_eq!(format_euro(99_999, true), "€\u{a0}999,99");
        assert_eq!(format_euro(-123_456, true), "€\u{a0}-1.234,56");
        assert_eq!(format_euro(-123_456, false), "-€1,234.56");
        assert_eq!(format_euro(i64::MIN, false), "-€92,233,720,368,547,758.08");
    }

    fn level() -> impl Strategy<Value = AssuranceLevel> {
        proptest::sample::select(AssuranceLevel::ALL.to_vec())
    }

    fn validity() -> impl Strategy<Value = Validity> {
        proptest::sample::select(Validity::ALL.to_vec())
    }

    fn price_list() -> impl Strategy<Value = PriceList> {
        (proptest::collection::vec(0i64..1_000_000, 12), 0u32..10_000).prop_map(|(cents, vat)| {
            let entries = AssuranceLevel::ALL
                .into_iter()
                .flat_map(|l| Validity::ALL.into_iter().map(move |v| (l, v)))
                .zip(cents)
                .map(|((level, v), cents)| Tariff {
                    level,
                    years: v.years(),
                    cents,
                })
                .collect();
            PriceList {
                entries,
                vat_basis_points: vat,
            }
        })
    }

    proptest! {
        #[test]
        fn totals_add_up(list in price_list(), level in level(), v in validity(), users in 0u32..10_000, per_user in 0u32..200) {
            let q = quote(&list, level, v, users, per_user).unwrap();
            prop_assert_eq!(q.total_cents, q.subtotal_cents + q.vat_cents);
            prop_assert_eq!(q.subtotal_cents, q.lines.iter().map(|l| l.total_cents).sum::<i64>());
            for line in &q.lines {
                prop_assert_eq!(line.total_cents, line.unit_cents * i64::from(line.quantity));
            }
            prop_assert_eq!(q.lines[0].quantity, users * per_user);
            // Half up: the VAT is at most half a cent above and less than half a cent below
            // the exact amount.
            let exact = i128::from(q.subtotal_cents) * i128::from(list.vat_basis_points);
            let diff = i128::from(q.vat_cents) * 10_000 - exact;
            prop_assert!(-5_000 < diff && diff <= 5_000, "{}", diff);
        }

        #[test]
        fn more_users_never_cost_less(list in price_list(), level in level(), v in validity(), users in 0u32..10_000, more in 0u32..100, per_user in 1u32..50) {
            let fewer = quote(&list, level, v, users, per_user).unwrap();
            let larger = quote(&list, level, v, users + more, per_user).unwrap();
            prop_assert!(fewer.subtotal_cents <= larger.subtotal_cents);
            prop_assert!(fewer.vat_cents <= larger.vat_cents);
            prop_assert!(fewer.total_cents <= larger.total_cents);
        }

        #[test]
        fn formatted_amounts_keep_every_digit(cents in any::<i64>(), dutch in any::<bool>()) {
            let text = format_euro(cents, dutch);
            let digits: String = text.chars().filter(char::is_ascii_digit).collect();
            let expected = format!("{}{:02}", cents.unsigned_abs() / 100, cents.unsigned_abs() % 100);
            prop_assert_eq!(digits, expected);
            prop_assert_eq!(text.contains('-'), cents < 0);
        }
    }
}
