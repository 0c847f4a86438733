//! Dutch first, English second. Every text the portal shows is a `Msg`, with both languages
//! side by side in `locales.rs`; the chosen language is remembered in local storage and set
//! on `<html lang>`.

use crate::api::ApiError;
use crate::domain::codes::{Field, Rule};
use crate::domain::date::{Date, Moment};
use crate::domain::tariff::{format_euro, format_percent};
use leptos::prelude::*;

pub use super::locales::Msg;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Nl,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }
}

const STORAGE_KEY: &str = "machtig.lang";

#[derive(Clone, Copy)]
pub struct I18n {
    pub lang: RwSignal<Lang>,
}

impl I18n {
    pub fn t(&self, msg: Msg) -> &'static str {
        msg.text(self.lang.get())
    }

    pub fn set(&self, lang: Lang) {
        self.lang.set(lang);
        apply(lang);
        if let Some(storage) = storage() {
            let _ = storage.set_item(STORAGE_KEY, lang.code());
        }
    }

    /// A text about `n` things: Dutch and English both take the `one` form for exactly 1 and
    /// the `other` form (with `{n}`) for every other number, 0 included.
    pub fn count(&self, n: u64, one: Msg, other: Msg) -> String {
        plural(self.lang.get(), n, one, other)
    }

    /// Whether texts are in Dutch (and so dates and amounts in the Dutch way).
    pub fn dutch(&self) -> bool {
        self.lang.get() == Lang::Nl
    }

    /// A date as the e-mails write it too ([`Date::show`]).
    pub fn date(&self, date: Date) -> String {
        date.show(self.dutch())
    }

    /// A moment to the minute, as the e-mails write it too ([`Moment::show`]).
    pub fn moment(&self, moment: Moment) -> String {
        moment.show(self.dutch())
    }

    /// An amount, as the e-mails write it too ([`format_euro`]).
    pub fn euro(&self, cents: i64) -> String {
        format_euro(cents, self.dutch())
    }

    /// A percentage of basis points (the VAT rate), as [`format_percent`] writes it.
    pub fn percent(&self, basis_points: u32) -> String {
        format_percent(basis_points, self.dutch())
    }

    /// The text for a broken field rule.
    pub fn rule(&self, field: Field, rule: Rule) -> String {
        Msg::for_rule(field, rule).text(self.lang.get()).to_string()
    }

    /// The message at `field` when `error` is a validation error of that field (not of one
    /// row of several); None otherwise.
    pub fn field_error(&self, error: Option<&ApiError>, field: Field) -> Option<String> {
        match error {
            Some(ApiError::Validation {
                field: f,
                row: None,
                rule,
            }) if *f == field => Some(self.rule(*f, *rule)),
            _ => None,
        }
    }

    /// The label of a new user's field.
    pub fn field_name(&self, field: Field) -> &'static str {
        Msg::for_field(field).map_or("", |m| m.text(self.lang.get()))
    }

    /// The text for an error code from the server.
    pub fn error(&self, error: &ApiError) -> String {
        let lang = self.lang.get();
        match error {
            ApiError::InvalidCode { attempts_left } => {
                format!(
                    "{} {}",
                    Msg::ErrInvalidCode.text(lang),
                    plural(
                        lang,
                        u64::from(*attempts_left),
                        Msg::AttemptsLeftOne,
                        Msg::AttemptsLeft
                    )
                )
            }
            ApiError::TooManyAttempts { retry_after_secs } => plural(
                lang,
                retry_after_secs.div_ceil(60),
                Msg::ErrTooManyAttemptsOne,
                Msg::ErrTooManyAttempts,
            ),
            ApiError::Busy { retry_after_secs } => Msg::ErrBusy
                .text(lang)
                .replace("{n}", &retry_after_secs.max(&1).to_string()),
            ApiError::Validation { field, row, rule } => {
                let text = Msg::for_rule(*field, *rule).text(lang);
                // A problem with one of several users names the user's place in the list.
                match (row, Msg::for_field(*field)) {
                    (Some(i), Some(label)) => format!(
                        "{} {}: {} – {text}",
                        Msg::UserN.text(lang),
                        u64::from(*i) + 1,
                        label.text(lang)
                    ),
                    _ => text.to_string(),
                }
            }
            other => Msg::for_error(other).text(lang).to_string(),
        }
    }
}

fn plural(lang: Lang, n: u64, one: Msg, other: Msg) -> String {
    if n == 1 {
        one.text(lang).to_string()
    } else {
        other.text(lang).replace("{n}", &n.to_string())
    }
}

#[cfg(feature = "csr")]
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The server never renders pages; there is nothing to remember there.
#[cfg(not(feature = "csr"))]
fn storage() -> Option<NoStorage> {
    None
}

#[cfg(not(feature = "csr"))]
struct NoStorage;

#[cfg(not(feature = "csr"))]
impl NoStorage {
    fn get_item(&self, _: &str) -> Result<Option<String>, ()> {
        Ok(None)
    }
    fn set_item(&self, _: &str, _: &str) -> Result<(), ()> {
        Ok(())
    }
}

fn apply(lang: Lang) {
    #[cfg(feature = "csr")]
    if let Some(html) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = html.set_attribute("lang", lang.code());
    }
    #[cfg(not(feature = "csr"))]
    let _ = lang;
}

/// Provides the language context, starting from the remembered choice (default Dutch).
pub fn provide_i18n() -> I18n {
    let stored = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    let lang = if stored.as_deref() == Some("en") {
        Lang::En
    } else {
        Lang::Nl
    };
    apply(lang);
    let i18n = I18n {
        lang: RwSignal::new(lang),
    };
    provide_context(i18n);
    i18n
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// A text that follows the language switch. One function for every text, so the browser
/// bundle carries one piece of rendering code for all of them rather than one per text.
pub fn tr(msg: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || i18n.t(msg)
}
