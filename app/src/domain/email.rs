//! E-mail addresses, one rule for the browser and the server: what the mailer (lettre) can
//! send to. A dot-atom local part of RFC 5322 `atext` (letters and digits of any script
//! allowed, as RFC 6531 does; no other symbols, spaces or marks), at most 64 bytes; a domain
//! of at least two labels of letters, digits and inner hyphens, each at most 63 bytes,
//! lowercased; at most 254 bytes in all. Control characters are refused anywhere.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("invalid e-mail address")]
pub struct InvalidEmail;

/// RFC 5322 `atext`, plus letters and digits outside ASCII (which lettre accepts; it refuses
/// other non-ASCII characters such as `€`, a no-break space or a combining accent).
fn is_atext(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || "!#$%&'*+-/=?^_`{|}~".contains(c)
        || (!c.is_ascii() && c.is_alphanumeric())
}

fn local_part_ok(local: &str) -> bool {
    local.len() <= 64
        && local
            .split('.')
            .all(|atom| !atom.is_empty() && atom.chars().all(is_atext))
}

fn domain_ok(domain: &str) -> bool {
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    domain.contains('.') && domain.split('.').all(label_ok)
}

impl Email {
    pub fn parse(s: &str) -> Result<Self, InvalidEmail> {
        // Refused rather than trimmed: a line break in an address is how a mail header is
        // injected, and a NUL or escape has no business in a stored value either.
        if s.chars().any(char::is_control) {
            return Err(InvalidEmail);
        }
        let s = s.trim();
        let (local, domain) = s.rsplit_once('@').ok_or(InvalidEmail)?;
        // Checked after lowercasing, which can lengthen a label or yield a combining mark
        // ('İ' becomes "i\u{307}"); so what is stored passes this check again.
        let domain = domain.to_lowercase();
        let address = format!("{local}@{domain}");
        if address.len() <= 254 && local_part_ok(local) && domain_ok(&domain) {
            Ok(Self(address))
        } else {
            Err(InvalidEmail)
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = InvalidEmail;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Email> for String {
    fn from(e: Email) -> Self {
        e.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ordinary_addresses_are_accepted_and_the_domain_lowercased() {
        assert_eq!(
            Email::parse(" Sanne.deVries@Bakkerij-DeVries.NL ")
                .unwrap()
                .as_str(),
            "Sanne.deVries@bakkerij-devries.nl"
        );
    }

    #[test]
    fn malformed_addresses_are_refused() {
        for bad in [
            "",
            "geen-apenstaart",
            "a@b",
            "a@@b.nl",
            "a b@c.nl",
            "@c.nl",
            "a@-c.nl",
            "a..b@c.nl",
            "a@c..nl",
        ] {
            assert_eq!(Email::parse(bad), Err(InvalidEmail), "{bad}");
        }
    }

    /// What the properties below found in the first version of `parse`: addresses it
    /// accepted that the mailer refuses, or that did not parse again once stored.
    #[test]
    fn addresses_the_mailer_cannot_send_to_are_refused() {
        let long_label = format!("a@{}.nl", "b".repeat(64));
        for bad in [
            "\0a@0.nl",
            "\u{1b}@a.a",
            "a@c.nl\n",
            "a\tb@c.nl",
            "a€@b.nl",
            "e\u{301}@b.nl",
            "a\u{a0}b@c.nl",
            "a\u{200b}@c.nl",
            "a\u{2028}b@c.nl",
            &long_label,
            // Lowercased to "i\u{307}": a combining mark, which no label may hold.
            "a@İ.nl",
        ] {
            assert_eq!(Email::parse(bad), Err(InvalidEmail), "{bad:?}");
        }
        let longest_label = format!("a@{}.nl", "b".repeat(63));
        for good in ["josé@café.nl", "o'brien+werk@bakkerij.nl", &longest_label] {
            assert!(Email::parse(good).is_ok(), "{good}");
        }
    }

    /// Characters that make or break an address: RFC 5322 `atext` and its specials, white
    /// space, control characters (C0, DEL, C1), letters that change length or kind when
    /// lowercased, symbols and combining marks outside ASCII, and anything else.
    fn address_char() -> impl Strategy<Value = char> {
        // One weighted alphabet rather than a union of strategies: the union costs tens of
        // microseconds per character in a debug build.
        let mut alphabet: Vec<char> = Vec::new();
        for _ in 0..3 {
            alphabet.extend('a'..='z');
        }
        alphabet.extend('A'..='Z');
        alphabet.extend('0'..='9');
        alphabet.extend(".-_+!#$%&'*/=?^`{|}~\"(),:;<>@[]\\ ".chars());
        alphabet.extend([
            '\0', '\t', '\n', '\r', '\x0b', '\x0c', '\x1b', '\x7f', '\u{80}', '\u{85}', '\u{9f}',
            '\u{a0}', '\u{200b}', '\u{2028}', '\u{feff}',
        ]);
        alphabet.extend([
            'é', 'ß', 'ü', 'İ', '\u{212a}', 'Σ', '日', '€', '\u{301}', '٣', '＠', '．',
        ]);
        prop_oneof![19 => proptest::sample::select(alphabet), 1 => any::<char>()]
    }

    /// Strings shaped like an address (`local@label.label.tld`) built from [`address_char`],
    /// so the checks past the first `@` are reached; ordinary addresses with a few such
    /// characters put in, so that many are (almost) valid; and entirely arbitrary strings.
    fn address_like() -> impl Strategy<Value = String> {
        let part = |max| proptest::collection::vec(address_char(), 1..max);
        let shaped = (
            part(70),
            proptest::collection::vec(part(70), 1..4),
            "[a-zA-Z]{1,6}",
        )
            .prop_map(|(local, labels, tld)| {
                let labels: Vec<String> = labels.into_iter().map(String::from_iter).collect();
                format!("{}@{}.{tld}", String::from_iter(local), labels.join("."))
            });
        let mutated = (
            ordinary_address(),
            proptest::collection::vec((any::<proptest::sample::Index>(), address_char()), 0..3),
        )
            .prop_map(|(address, insertions)| {
                let mut chars: Vec<char> = address.chars().collect();
                for (at, c) in insertions {
                    chars.insert(at.index(chars.len() + 1), c);
                }
                String::from_iter(chars)
            });
        prop_oneof![2 => shaped, 2 => mutated, 1 => any::<String>()]
    }

    /// Every character of Unicode's general category Cc: C0, DEL and C1.
    fn control_char() -> impl Strategy<Value = char> {
        prop_oneof![
            proptest::char::range('\0', '\x1f'),
            Just('\x7f'),
            proptest::char::range('\u{80}', '\u{9f}'),
        ]
    }

    /// A valid, ordinary address: Dutch-looking names, dots, hyphens, plus tags.
    fn ordinary_address() -> impl Strategy<Value = String> {
        concat!(
            "[a-zA-Z0-9]{1,12}([._+-][a-zA-Z0-9]{1,10}){0,2}",
            "@[a-zA-Z0-9]{1,12}(-[a-zA-Z0-9]{1,8})?\\.(nl|NL|com|eu|frl|amsterdam)"
        )
    }

    proptest! {
        // 2,000 cheap cases each, well under a second; PROPTEST_CASES overrides.
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn fuzz_email_parse_never_panics_and_is_idempotent(s in address_like()) {
            if let Ok(email) = Email::parse(&s) {
                prop_assert_eq!(Email::parse(email.as_str()), Ok(email.clone()));
                prop_assert_eq!(email.as_str().trim(), email.as_str());
            }
        }

        /// Every address the portal accepts must be one the mailer can send to; otherwise a
        /// user is created whose invitation can never be delivered (or, with a line break, a
        /// header could be injected).
        #[cfg(feature = "ssr")]
        #[test]
        fn fuzz_every_accepted_address_is_accepted_by_the_mailer(s in address_like()) {
            if let Ok(email) = Email::parse(&s) {
                let refused = |e: lettre::address::AddressError| {
                    TestCaseError::fail(format!("lettre refuses {email:?}: {e}"))
                };
                let address: lettre::Address = email.as_str().parse().map_err(refused)?;
                prop_assert_eq!(address.to_string(), email.as_str());
                // What the SMTP transport does with the outbox row: parse it as a mailbox.
                let mailbox: lettre::message::Mailbox = email.as_str().parse().map_err(refused)?;
                prop_assert_eq!(&mailbox.email, &address);
                let message = lettre::Message::builder()
                    .from("portaal@machtig.nl".parse().unwrap())
                    .to(mailbox)
                    .subject("Uitnodiging")
                    .body(String::from("Welkom"));
                prop_assert!(message.is_ok(), "{:?}", message.err());
            }
        }

        #[test]
        fn attack_control_characters_in_an_email_address_are_refused(
            address in ordinary_address(),
            control in control_char(),
            at in any::<proptest::sample::Index>(),
        ) {
            prop_assert!(Email::parse(&address).is_ok(), "{}", address);
            let mut chars: Vec<char> = address.chars().collect();
            chars.insert(at.index(chars.len() + 1), control);
            let attacked = String::from_iter(chars);
            prop_assert_eq!(Email::parse(&attacked), Err(InvalidEmail), "{:?}", attacked);
        }

        #[test]
        fn ordinary_addresses_are_accepted_with_only_the_domain_lowercased(address in ordinary_address()) {
            let (local, domain) = address.rsplit_once('@').unwrap();
            let parsed = Email::parse(&address).unwrap();
            prop_assert_eq!(parsed.as_str(), format!("{local}@{}", domain.to_lowercase()));
        }
    }
}
