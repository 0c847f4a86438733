//! The broker's own brand in what the server writes: the portal's name in e-mails, SMS messages
//! and page titles, the helpdesk under every e-mail, the e-mail sender's and SMS originator's
//! default names. Configured once per process (`MACHTIG_BRAND_NAME`, `MACHTIG_HELPDESK_PHONE`,
//! `MACHTIG_HELPDESK_EMAIL`), read wherever a message is written; "Mijn Machtig" by default.
//! The colour and logo (`MACHTIG_BRAND_COLOR`, `MACHTIG_BRAND_LOGO`) reach the pages as a small
//! style sheet beside the bundles' own (`Brand::stylesheet`), so no bundle grows for them.

use std::sync::OnceLock;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Brand {
    pub name: String,
    pub helpdesk_phone: Option<String>,
    pub helpdesk_email: Option<String>,
    /// The header's and buttons' colour, under white text.
    pub color: Option<Color>,
    pub logo: Option<Logo>,
}

/// A colour as `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Color {
    pub r: u8,
    pub g: u8,
    pub b: u8,
}

/// White text on the brand colour must stay readable: WCAG AA for normal text.
pub const MIN_CONTRAST_WITH_WHITE: f64 = 4.5;

impl Color {
    /// `#rrggbb` (or `rrggbb`), any case.
    pub fn parse(s: &str) -> Option<Color> {
        let hex = s.trim().strip_prefix('#').unwrap_or(s.trim());
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some(Color {
            r: byte(0)?,
            g: byte(2)?,
            b: byte(4)?,
        })
    }

    pub fn css(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }

    /// The hover and "current page" shade: a quarter darker.
    pub fn darker(self) -> Color {
        let d = |c: u8| (u16::from(c) * 3 / 4) as u8;
        Color {
            r: d(self.r),
            g: d(self.g),
            b: d(self.b),
        }
    }

    /// The WCAG contrast ratio of white text on this colour (1 to 21).
    pub fn contrast_with_white(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let luminance =
            0.2126 * channel(self.r) + 0.7152 * channel(self.g) + 0.0722 * channel(self.b);
        1.05 / (luminance + 0.05)
    }
}

/// The broker's logo, shown before the portal's name in the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    /// `logo.svg`, `logo.png` or `logo.webp`: the name it is served under, with its type.
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// The largest logo file taken: a header logo needs far less.
pub const MAX_LOGO_BYTES: usize = 256 * 1024;

impl Logo {
    /// Reads the logo at `path`; the problem in words when it cannot be used.
    pub fn read(path: &std::path::Path) -> Result<Logo, String> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        if !matches!(ext.as_str(), "svg" | "png" | "webp") {
            return Err(format!(
                "{}: a .svg, .png or .webp file is needed",
                path.display()
            ));
        }
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        if bytes.is_empty() || bytes.len() > MAX_LOGO_BYTES {
            return Err(format!(
                "{}: {} bytes; between 1 byte and {MAX_LOGO_BYTES} bytes are taken",
                path.display(),
                bytes.len()
            ));
        }
        Ok(Logo {
            file_name: format!("logo.{ext}"),
            bytes,
        })
    }
}

pub const DEFAULT_NAME: &str = "Mijn Machtig";

impl Default for Brand {
    fn default() -> Self {
        Self {
            name: DEFAULT_NAME.into(),
            helpdesk_phone: None,
            helpdesk_email: None,
            color: None,
            logo: None,
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

    /// The style sheet that gives the pages the brand's colour and logo (served beside the
    /// bundles' own, after it, so it wins); `None` for the default look. The logo is a
    /// background of the brand name's `::before`, at `logo_url` relative to the style sheet:
    /// decoration beside the name, which stays the text screen readers read.
    pub fn stylesheet(&self) -> Option<String> {
        if self.color.is_none() && self.logo.is_none() {
            return None;
        }
        let mut css =
            String::from("/* The broker's brand (MACHTIG_BRAND_COLOR, MACHTIG_BRAND_LOGO). */\n");
        if let Some(c) = self.color {
            css.push_str(&format!(
                ":root {{ --brand: {}; --brand-dark: {}; }}\n",
                c.css(),
                c.darker().css()
            ));
        }
        if let Some(logo) = &self.logo {
            css.push_str(&format!(
                ".brand {{ display: inline-flex; align-items: center; gap: .5rem; }}\n\
                 .brand::before {{ content: \"\"; width: 2rem; height: 2rem; flex: none; \
                 background: url({}) no-repeat center / contain; }}\n",
                logo.file_name
            ));
        }
        Some(css)
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
            ..Brand::default()
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

    #[test]
    fn colours_are_read_as_hex_and_must_carry_white_text() {
        let c = Color::parse("#0B4F8A").unwrap();
        assert_eq!(c.css(), "#0b4f8a");
        assert_eq!(Color::parse("0b4f8a"), Some(c));
        assert_eq!(c.darker().css(), "#083b67");
        for bad in ["", "#fff", "#12345g", "#1234567", "blue", "#12 456"] {
            assert_eq!(Color::parse(bad), None, "{bad}");
        }
        // The default blue passes AA with white; yellow and white do not.
        assert!(c.contrast_with_white() >= MIN_CONTRAST_WITH_WHITE);
        assert!(Color::parse("#ffcc00").unwrap().contrast_with_white() < 2.0);
        assert!((Color::parse("#ffffff").unwrap().contrast_with_white() - 1.0).abs() < 1e-9);
        assert!((Color::parse("#000000").unwrap().contrast_with_white() - 21.0).abs() < 1e-9);
    }

    #[test]
    fn the_style_sheet_carries_only_what_is_configured() {
        assert_eq!(Brand::default().stylesheet(), None);
        let coloured = Brand {
            color: Color::parse("#7a1f5c"),
            ..Brand::default()
        };
        let css = coloured.stylesheet().unwrap();
        assert!(css.contains("--brand: #7a1f5c;"));
        assert!(!css.contains("::before"));
        let with_logo = Brand {
            logo: Some(Logo {
                file_name: "logo.svg".into(),
                bytes: b"<svg/>".to_vec(),
            }),
            ..Brand::default()
        };
        let css = with_logo.stylesheet().unwrap();
        assert!(css.contains("url(logo.svg)"));
        assert!(!css.contains("--brand:"));
    }
}
