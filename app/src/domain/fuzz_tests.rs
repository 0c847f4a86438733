//! Strategies for the fuzz and property tests over untrusted input (beside each parser, names
//! starting with `fuzz_` or `attack_`), and the properties that span several domain types.
//!
//! Each property runs a fixed number of cases chosen so the whole set stays within seconds in
//! a debug build; the `PROPTEST_CASES` environment variable overrides it for a longer run
//! (proptest applies it on top of `ProptestConfig::with_cases`).

use proptest::prelude::*;
use serde_json::Value;

/// Characters that break parsers or hide in copied text: C0 and C1 controls and DEL, white
/// space other than the space, invisible characters and the byte order mark, look-alikes of
/// ASCII digits and signs from other scripts, a combining accent, letters that change when
/// lowercased, quotes and delimiters, and now and then any character at all.
pub fn nasty_char() -> impl Strategy<Value = char> {
    let alphabet: Vec<char> = vec![
        '\0', '\t', '\n', '\r', '\x0b', '\x0c', '\x1b', '\x7f', '\u{80}', '\u{85}', '\u{9f}',
        '\u{a0}', '\u{2007}', '\u{2028}', '\u{3000}', '\u{200b}', '\u{200d}', '\u{feff}',
        '\u{fffd}', '٣', '０', '９', '＋', '＠', '．', '\u{301}', 'İ', 'ß', '\u{212a}', 'é', '€',
        '"', '\'', ';', ',', '@', '+', '-', '.', '(', ')', ' ', 'a', 'Z',
    ];
    prop_oneof![4 => proptest::sample::select(alphabet), 1 => any::<char>()]
}

/// `base` with a number of characters from `chars` put in at arbitrary places.
pub fn inserted(
    base: impl Strategy<Value = String>,
    chars: impl Strategy<Value = char>,
    count: std::ops::RangeInclusive<usize>,
) -> impl Strategy<Value = String> {
    (
        base,
        proptest::collection::vec((any::<proptest::sample::Index>(), chars), count),
    )
        .prop_map(|(base, insertions)| {
            let mut chars: Vec<char> = base.chars().collect();
            for (at, c) in insertions {
                chars.insert(at.index(chars.len() + 1), c);
            }
            String::from_iter(chars)
        })
}

/// `base` as it is (about a third of the cases) or with one or two [`nasty_char`]s in it.
pub fn sprinkled(base: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    inserted(base, nasty_char(), 0..=2)
}

/// Text of up to `max` characters, mostly from `alphabet`, sometimes [`nasty_char`]s.
pub fn text_from(alphabet: &str, max: usize) -> impl Strategy<Value = String> {
    let alphabet: Vec<char> = alphabet.chars().collect();
    proptest::collection::vec(
        prop_oneof![9 => proptest::sample::select(alphabet), 1 => nasty_char()],
        0..=max,
    )
    .prop_map(String::from_iter)
}

/// A CSV field as a spreadsheet writes it (RFC 4180): quoted when it must be, or always;
/// quotes inside doubled.
pub fn csv_field(field: &str, delimiter: char, always_quote: bool) -> String {
    let must = field.contains([delimiter, '"', '\r', '\n']) || field.starts_with('\u{feff}');
    if always_quote || must {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// A string for a JSON field: values the portal's types accept (levels, dates, numbers,
/// addresses, codes, ids), their near misses, odd text and anything at all.
pub fn json_string() -> impl Strategy<Value = String> {
    let meaningful = proptest::sample::select(vec![
        "",
        "EH2",
        "EH2+",
        "eh3",
        "EH5",
        "1988-03-14",
        "14-03-1988",
        "31-02-1988",
        "0612345678",
        "+31 6 1234 5678",
        "sanne@voorbeeld.nl",
        "a@b",
        "01234567",
        "000012345678",
        "123456",
        "12345",
        "nl",
        "en",
        "pending",
        "passed",
        "0d5a1a8e-2f1b-4c3e-9a57-3b9d1c0e7f42",
    ]);
    prop_oneof![
        3 => meaningful.prop_map(String::from),
        2 => text_from("aZ09 -+@.:/", 16),
        1 => any::<String>(),
    ]
}

/// Any JSON value, up to four levels deep; object keys come mostly from `keys` (the field
/// names of the type under test), so that deserializing gets past the first field.
pub fn json_value(keys: &'static [&'static str]) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (0u8..8).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        json_string().prop_map(Value::String),
    ];
    let key = if keys.is_empty() {
        any::<String>().boxed()
    } else {
        prop_oneof![
            4 => proptest::sample::select(keys).prop_map(String::from),
            1 => any::<String>(),
        ]
        .boxed()
    };
    leaf.prop_recursive(4, 48, 10, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((key.clone(), inner), 0..10)
                .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
}

/// A request body: arbitrary bytes, a JSON value from [`json_value`], or such JSON cut short
/// or with a byte changed.
pub fn json_bytes(keys: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    let json = json_value(keys)
        .prop_map(|v| serde_json::to_vec(&v).unwrap())
        .boxed();
    let broken = (
        json.clone(),
        any::<proptest::sample::Index>(),
        any::<u8>(),
        any::<bool>(),
    )
        .prop_map(|(mut bytes, at, byte, cut)| {
            if !bytes.is_empty() {
                let at = at.index(bytes.len());
                if cut {
                    bytes.truncate(at);
                } else {
                    bytes[at] = byte;
                }
            }
            bytes
        });
    prop_oneof![
        1 => proptest::collection::vec(any::<u8>(), 0..200),
        3 => json,
        2 => broken,
    ]
}

/// Whether deserializing `json` gives exactly what `parse` gives for the same input: both
/// refuse it, or both accept it as the same value. `None` from `parse` means the input is not
/// of the wire type at all (a number where a string belongs, say), which must be refused.
pub fn deserializes_as_parsed<T, E>(
    json: &Value,
    parse: impl Fn(&Value) -> Option<Result<T, E>>,
) -> Result<(), TestCaseError>
where
    T: serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let read = serde_json::from_value::<T>(json.clone()).ok();
    let parsed = parse(json).and_then(Result::ok);
    prop_assert_eq!(read, parsed, "{}", json);
    Ok(())
}

pub fn as_str<T, E>(parse: fn(&str) -> Result<T, E>) -> impl Fn(&Value) -> Option<Result<T, E>> {
    move |json| json.as_str().map(parse)
}

pub fn as_u8<T, E>(parse: fn(u8) -> Result<T, E>) -> impl Fn(&Value) -> Option<Result<T, E>> {
    move |json| json.as_u64().and_then(|n| u8::try_from(n).ok()).map(parse)
}

proptest! {
    // 2,000 cheap cases, under a second; PROPTEST_CASES overrides.
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// The domain types that check their value (`#[serde(try_from = ...)]`) can only be
    /// built from JSON through their parser: whatever a request holds in their place, the
    /// result is refused or equals what `parse` makes of the same text or number.
    #[test]
    fn attack_domain_values_cannot_be_built_invalid_by_deserializing(
        json in prop_oneof![
            3 => json_string().prop_map(Value::String),
            1 => sprinkled(json_string()).prop_map(Value::String),
            1 => json_value(&[]),
        ],
    ) {
        use super::{date::Date, email::Email, kvk, level::AssuranceLevel, otp::OneTimeCode};
        use super::{phone::MobileNumber, tariff::Validity, username::Username};
        deserializes_as_parsed(&json, as_str(Email::parse))?;
        deserializes_as_parsed(&json, as_str(MobileNumber::parse))?;
        deserializes_as_parsed(&json, as_str(kvk::KvkNumber::parse))?;
        deserializes_as_parsed(&json, as_str(kvk::BranchNumber::parse))?;
        deserializes_as_parsed(&json, as_str(Username::parse))?;
        deserializes_as_parsed(&json, as_str(OneTimeCode::parse))?;
        deserializes_as_parsed(&json, as_str(AssuranceLevel::parse))?;
        // On the wire a date is ISO only; the Dutch forms are for typing.
        deserializes_as_parsed(&json, as_str(Date::parse_iso))?;
        deserializes_as_parsed(&json, as_u8(Validity::parse))?;
    }
}
