//! The broker's own brand in what the server writes: the portal's name in e-mails, SMS messages
//! and page titles, the helpdesk under every e-mail, the e-mail sender's and SMS originator's
//! default names. Configured once per process (`MACHTIG_BRAND_NAME`, `MACHTIG_HELPDESK_PHONE`,
//! `MACHTIG_HELPDESK_EMAIL`), read wherever a message is written; "Mijn Machtig" by default.

use std::sync::OnceLock;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Brand {
    pub name: String,
    pub helpdesk_phone: Option<String>,
    pub helpdesk_email: Option<String>,
}

pub const DEFAULT_NAME: &str = "Mijn Machtig";

impl Default for Brand {
    fn default() -> Self {
        Self {
            name: DEFAULT_NAME.into(),
            helpdesk_phone: None,
            helpdesk_email: None,
        }
    }
}

static BRAND: OnceLock<Brand> = OnceLock::new();

/// Sets this process's brand; the first call wins (every `AppState` of a process is made from
/// the same settings).
pub fn set(brand: &Brand) {
    let _ = BRAND.set(brand.clone());
}

pub fn get() -> &'static Brand {
    BRAND.get_or_init(Brand::default)
}

pub fn name() -> &'static str {
    &get().name
}

impl Brand {
    /// The helpdesk line: "Helpdesk: 020 123 4567 · helpdesk@broker.nl" (the same word in Dutch
    /// and English), or nothing when neither is configured.
    pub fn helpdesk(&self) -> Option<String> {
        let parts: Vec<&str> = [&self.helpdesk_phone, &self.helpdesk_email]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        (!parts.is_empty()).then(|| format!("Helpdesk: {}", parts.join(" · ")))
    }

    /// The lines under every e-mail: the brand and its helpdesk.
    pub fn signature(&self) -> String {
        match self.helpdesk() {
            Some(helpdesk) => format!("{}\n{helpdesk}", self.name),
            None => self.name.clone(),
        }
    }

    /// An SMS originator: at most 11 letters and digits (what SMS networks allow), from the name.
    pub fn originator(&self) -> String {
        let letters: String = self
            .name
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(11)
            .collect();
        if letters.is_empty() {
            "Machtig".into()
        } else {
            letters
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_names_the_brand_and_its_helpdesk() {
        let b = Brand {
            name: "Sleutelhuis".into(),
            helpdesk_phone: Some("020 123 4567".into()),
            helpdesk_email: Some("help@sleutelhuis.nl".into()),
        };
        assert_eq!(
            b.signature(),
            "Sleutelhuis\nHelpdesk: 020 123 4567 · help@sleutelhuis.nl"
        );
        assert_eq!(Brand::default().signature(), "Mijn Machtig");
        assert_eq!(Brand::default().originator(), "MijnMachtig");
        let long = Brand {
            name: "Één Heel Lange Naam B.V.".into(),
            ..Brand::default()
        };
        assert_eq!(long.originator(), "nHeelLangeN");
    }
}
