//! Importing new users from a CSV file, as Dutch and English spreadsheets export it.
//!
//! What spreadsheets produce, and what is done about it:
//! - Encoding: UTF-8 with or without BOM, UTF-16 with BOM ("Unicode text"), and otherwise
//!   Windows-1252 (Excel's "CSV" on Dutch and English Windows). See [`decode`].
//! - Delimiter: `;` where the decimal separator is a comma (Dutch), `,` elsewhere, a tab in
//!   "text" exports. The one that splits the header into the most known columns wins.
//! - Line ends CRLF, LF or (old Mac) CR; quoted fields may hold delimiters and line breaks.
//! - Headers in Dutch or English, any case, spaces, underscores and hyphens ignored, a
//!   parenthesised remark such as "(dd-mm-jjjj)" ignored. Up to [`HEADER_SEARCH_LINES`] title
//!   lines above the header are skipped.
//! - A mobile number that became a number in the spreadsheet and lost its leading zero
//!   (`612345678`) or plus (`31612345678`) gets it back.
//!
//! Every data row is kept, with its problems, so the manager can correct it in place; a row
//! is only refused as a whole when the file itself is unusable ([`ImportError`]). Whether a
//! person is already a user of the organization needs the database: the server appends those
//! problems to [`ImportRow::problems`].

use super::codes::{Field, Rule};
use super::csv;
use super::date::Date;
use super::new_user::{self, FieldProblem, Language, NewUser};
use super::phone::MobileNumber;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Largest file accepted: 1 MiB, far more than 10,000 users need.
pub const MAX_BYTES: usize = 1024 * 1024;
/// Most data rows accepted in one file.
pub const MAX_ROWS: usize = 10_000;
/// How many non-empty lines at the top of the file may precede the header (title lines).
pub const HEADER_SEARCH_LINES: usize = 5;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Import {
    pub rows: Vec<ImportRow>,
    /// Headers that were not recognized (or named a column a second time), as found, so the
    /// manager can see what was left out.
    pub ignored_columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRow {
    /// 1-based number of the line in the file where the row starts.
    pub line: usize,
    /// The row's values as found (trimmed), so they can be corrected in place.
    pub user: NewUser,
    /// Problems from [`new_user::check`], plus `invalid_language`, `invalid_employed` and
    /// `duplicate_in_file`.
    pub problems: Vec<FieldProblem>,
}

impl ImportRow {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ImportError {
    #[error("the file is larger than 1 MiB")]
    TooLarge,
    #[error("the file has more than 10,000 rows")]
    TooManyRows,
    #[error("the file contains no users")]
    Empty,
    /// The required columns not found in the header, as the fields they would hold.
    #[error("required columns are missing: {0:?}")]
    MissingColumns(Vec<Field>),
    #[error("the file is not a CSV file")]
    NotCsv,
}

impl ImportError {
    /// The rule the file broke, reported for [`Field::Csv`].
    pub fn rule(&self) -> Rule {
        match self {
            Self::TooLarge => Rule::TooLarge,
            Self::TooManyRows => Rule::TooManyRows,
            Self::Empty => Rule::Empty,
            Self::MissingColumns(_) => Rule::MissingColumns,
            Self::NotCsv => Rule::NotCsv,
        }
    }
}

/// Windows-1252 for bytes 0x80–0x9F; the five bytes it leaves undefined map to the C1
/// control with the same number, as browsers do.
const CP1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

/// Decodes a file's bytes to text, without any byte order mark: UTF-8 (with or without BOM),
/// UTF-16 LE/BE when it starts with a BOM, and otherwise Windows-1252. Never fails: invalid
/// sequences after a UTF-8 or UTF-16 BOM become U+FFFD.
pub fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    let utf16 = |rest: &[u8], from: fn([u8; 2]) -> u16| {
        let units: Vec<u16> = rest
            .chunks(2)
            .map(|c| from([c[0], *c.get(1).unwrap_or(&0)]))
            .collect();
        String::from_utf16_lossy(&units)
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, u16::from_be_bytes);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => bytes
            .iter()
            .map(|&b| match b {
                0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
                _ => char::from(b),
            })
            .collect(),
    }
}

/// Whether the bytes are evidently not text: a spreadsheet or PDF saved as is, or NUL bytes
/// or many control characters in the decoded text.
fn looks_binary(bytes: &[u8], text: &str) -> bool {
    const MAGIC: [&[u8]; 3] = [
        b"PK\x03\x04",                       // .xlsx, .ods (zip)
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", // .xls (OLE)
        b"%PDF",
    ];
    if MAGIC.iter().any(|m| bytes.starts_with(m)) {
        return true;
    }
    let mut chars = 0usize;
    let mut controls = 0usize;
    for c in text.chars() {
        if c == '\0' {
            return true;
        }
        chars += 1;
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{1A}') {
            controls += 1;
        }
    }
    controls * 100 > chars
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    FirstName,
    Infix,
    LastName,
    Email,
    Mobile,
    DateOfBirth,
    Employed,
    Language,
}

impl Column {
    const ALL: [Column; 8] = [
        Self::FirstName,
        Self::Infix,
        Self::LastName,
        Self::Email,
        Self::Mobile,
        Self::DateOfBirth,
        Self::Employed,
        Self::Language,
    ];

    fn field(self) -> Field {
        match self {
            Self::FirstName => Field::FirstName,
            Self::Infix => Field::Infix,
            Self::LastName => Field::LastName,
            Self::Email => Field::Email,
            Self::Mobile => Field::Mobile,
            Self::DateOfBirth => Field::DateOfBirth,
            Self::Employed => Field::Employed,
            Self::Language => Field::Language,
        }
    }

    fn required(self) -> bool {
        !matches!(self, Self::Infix | Self::Language)
    }

    /// Header names, lowercased, with everything but letters and digits left out.
    fn names(self) -> &'static [&'static str] {
        match self {
            Self::FirstName => &[
                "voornaam",
                "voornamen",
                "firstname",
                "givenname",
                "forename",
            ],
            Self::Infix => &[
                "tussenvoegsel",
                "tussenvoegsels",
                "voorvoegsel",
                "infix",
                "prefix",
            ],
            Self::LastName => &[
                "achternaam",
                "familienaam",
                "lastname",
                "surname",
                "familyname",
            ],
            Self::Email => &["email", "emailadres", "emailaddress", "mail"],
            Self::Mobile => &[
                "mobiel",
                "mobielnummer",
                "mobielnr",
                "mobieletelefoon",
                "telefoon",
                "telefoonnummer",
                "mobile",
                "mobilenumber",
                "mobilephone",
                "phone",
                "phonenumber",
            ],
            Self::DateOfBirth => &["geboortedatum", "dateofbirth", "birthdate", "dob"],
            Self::Employed => &["inloondienst", "loondienst", "employed", "employee"],
            Self::Language => &["taal", "voorkeurstaal", "language"],
        }
    }

    fn from_header(header: &str) -> Option<Self> {
        let before_remark = header.split('(').next().unwrap_or_default();
        let key: String = before_remark
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        Self::ALL
            .into_iter()
            .find(|c| c.names().contains(&key.as_str()))
    }
}

/// Which field each column of the header holds.
struct Header {
    columns: Vec<Option<Column>>,
    ignored: Vec<String>,
}

impl Header {
    fn new(cells: &[String]) -> Self {
        let mut seen = Vec::new();
        let mut ignored = Vec::new();
        let columns = cells
            .iter()
            .map(|cell| match Column::from_header(cell) {
                Some(c) if !seen.contains(&c) => {
                    seen.push(c);
                    Some(c)
                }
                _ => {
                    if !cell.trim().is_empty() {
                        ignored.push(cell.trim().to_string());
                    }
                    None
                }
            })
            .collect();
        Self { columns, ignored }
    }

    fn known(&self) -> usize {
        self.columns.iter().flatten().count()
    }

    fn missing(&self) -> Vec<Field> {
        Column::ALL
            .into_iter()
            .filter(|c| c.required() && !self.columns.contains(&Some(*c)))
            .map(Column::field)
            .collect()
    }
}

const DELIMITERS: [char; 3] = [';', ',', '\t'];

/// Finds the header among the first non-empty lines: the line and delimiter giving the most
/// known columns; on a tie the earlier line, then `;` before `,` before tab.
fn find_header(text: &str) -> Option<(usize, char)> {
    let mut best: Option<(usize, usize, char)> = None; // (known, line, delimiter)
    let candidates = text
        .split('\n')
        .enumerate()
        .filter(|(_, l)| !is_blank_line(l))
        .take(HEADER_SEARCH_LINES);
    for (index, line) in candidates {
        for delimiter in DELIMITERS {
            let cells = csv::records(line, delimiter)
                .into_iter()
                .next()
                .unwrap_or_default();
            let known = Header::new(&cells).known();
            if known > best.map_or(0, |b| b.0) {
                best = Some((known, index + 1, delimiter));
            }
        }
    }
    best.map(|(_, line, delimiter)| (line, delimiter))
}

fn is_blank_line(line: &str) -> bool {
    line.chars()
        .all(|c| c.is_whitespace() || DELIMITERS.contains(&c) || c == '"' || c == '\u{feff}')
}

fn is_blank_record(record: &[String]) -> bool {
    record.iter().all(|f| f.trim().is_empty())
}

/// `ja`/`nee` and their English, one-letter, boolean and Excel (`WAAR`/`ONWAAR`) forms.
fn parse_employed(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "ja" | "j" | "yes" | "y" | "true" | "waar" | "1" => Some(true),
        "nee" | "n" | "no" | "false" | "onwaar" | "0" => Some(false),
        _ => None,
    }
}

/// The language for the usual ways of naming Dutch and English; empty means Dutch; anything
/// else is none: reported as `invalid_language`, with Dutch in the row.
fn import_language(s: &str) -> Option<Language> {
    match s.trim().to_lowercase().as_str() {
        "" | "nl" | "nld" | "ned" | "nederlands" | "dutch" => Some(Language::Nl),
        "en" | "eng" | "engels" | "english" => Some(Language::En),
        _ => None,
    }
}

/// Gives back the leading `0` or `+` a spreadsheet strips when it takes a mobile number for
/// a number: `612345678` → `0612345678`, `31612345678` → `+31612345678`.
fn repair_mobile(s: &str) -> String {
    let s = s.trim();
    if s.bytes().all(|b| b.is_ascii_digit()) {
        if s.len() == 9 && s.starts_with('6') {
            return format!("0{s}");
        }
        if s.len() == 11 && s.starts_with("316") {
            return format!("+{s}");
        }
    }
    s.to_string()
}

/// For each user, a `duplicate_in_file` problem on `email` when an earlier user has the same
/// e-mail address (ignoring case), and on `mobile` when an earlier user has the same mobile
/// number (after normalization). Linear in the number of users. Also useful for users typed
/// into the wizard one by one.
pub fn duplicates(users: &[NewUser]) -> Vec<Vec<FieldProblem>> {
    let mut emails = HashSet::with_capacity(users.len());
    let mut mobiles = HashSet::with_capacity(users.len());
    users
        .iter()
        .map(|user| {
            let mut problems = Vec::new();
            let email = user.email.trim().to_lowercase();
            if !email.is_empty() && !emails.insert(email) {
                problems.push(FieldProblem::new(Field::Email, Rule::DuplicateInFile));
            }
            if let Ok(mobile) = MobileNumber::parse(&user.mobile) {
                if !mobiles.insert(mobile) {
                    problems.push(FieldProblem::new(Field::Mobile, Rule::DuplicateInFile));
                }
            }
            problems
        })
        .collect()
}

/// Reads a CSV file of new users. `today` decides whether dates of birth are plausible.
pub fn parse(bytes: &[u8], today: Date) -> Result<Import, ImportError> {
    if bytes.len() > MAX_BYTES {
        return Err(ImportError::TooLarge);
    }
    let mut text = decode(bytes);
    if looks_binary(bytes, &text) {
        return Err(ImportError::NotCsv);
    }
    if text.contains('\r') && !text.contains('\n') {
        text = text.replace('\r', "\n");
    }
    let Some((header_line, delimiter)) = find_header(&text) else {
        return Err(if text.split('\n').all(is_blank_line) {
            ImportError::Empty
        } else {
            ImportError::MissingColumns(Header::new(&[]).missing())
        });
    };
    let mut records = csv::records_with_lines(&text, delimiter)
        .into_iter()
        .skip_while(|(line, _)| *line < header_line);
    let header = Header::new(&records.next().map(|(_, r)| r).unwrap_or_default());
    let missing = header.missing();
    if !missing.is_empty() {
        return Err(ImportError::MissingColumns(missing));
    }

    let mut lines = Vec::new();
    let mut users = Vec::new();
    let mut employed_problems = Vec::new();
    let mut language_problems = Vec::new();
    for (line, record) in records.filter(|(_, r)| !is_blank_record(r)) {
        if users.len() == MAX_ROWS {
            return Err(ImportError::TooManyRows);
        }
        let mut user = NewUser::default();
        let mut employed = None;
        let mut language = "";
        for (value, column) in record.iter().zip(&header.columns) {
            let Some(column) = column else { continue };
            let value = value.trim();
            match column {
                Column::FirstName => user.first_name = value.to_string(),
                Column::Infix => user.infix = value.to_string(),
                Column::LastName => user.last_name = value.to_string(),
                Column::Email => user.email = value.to_string(),
                Column::Mobile => user.mobile = repair_mobile(value),
                Column::DateOfBirth => user.date_of_birth = value.to_string(),
                Column::Employed => employed = parse_employed(value),
                Column::Language => language = value,
            }
        }
        user.employed = employed.unwrap_or(false);
        let language = import_language(language);
        user.language = language.unwrap_or_default();
        lines.push(line);
        employed_problems.push(employed.is_none());
        language_problems.push(language.is_none());
        users.push(user);
    }
    if users.is_empty() {
        return Err(ImportError::Empty);
    }

    let dups = duplicates(&users);
    let rows = users
        .into_iter()
        .zip(lines)
        .zip(employed_problems)
        .zip(language_problems)
        .zip(dups)
        .map(
            |((((user, line), bad_employed), bad_language), duplicates)| {
                let mut problems = new_user::check(&user, today);
                if bad_language {
                    problems.push(FieldProblem::new(Field::Language, Rule::InvalidLanguage));
                }
                if bad_employed {
                    problems.push(FieldProblem::new(Field::Employed, Rule::InvalidEmployed));
                }
                problems.extend(duplicates);
                ImportRow {
                    line,
                    user,
                    problems,
                }
            },
        )
        .collect();
    Ok(Import {
        rows,
        ignored_columns: header.ignored,
    })
}

/// A Dutch example file to download from the import page: the header with every column and
/// two users. Plain ASCII with CRLF line ends, so every spreadsheet opens it correctly.
pub fn example_csv() -> &'static str {
    "voornaam;tussenvoegsel;achternaam;e-mail;mobiel;geboortedatum;in loondienst;taal\r\n\
     Sanne;de;Vries;sanne.devries@voorbeeld.nl;06-12345678;14-03-1988;ja;nl\r\n\
     John;;Smith;john.smith@voorbeeld.nl;+31 6 2345 6789;02-11-1979;nee;en\r\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fuzz_tests::{csv_field, text_from};
    use proptest::prelude::*;

    fn today() -> Date {
        Date::new(2025, 6, 15).unwrap()
    }

    fn problems(row: &ImportRow) -> Vec<(&str, &str)> {
        row.problems
            .iter()
            .map(|p| (p.field.as_str(), p.code.as_str()))
            .collect()
    }

    /// The example from shared/data/users-example.csv, byte for byte (BOM and CRLF included).
    const USERS_EXAMPLE: &[u8] = b"\xEF\xBB\xBFvoornaam;tussenvoegsel;achternaam;e-mail;mobiel;geboortedatum;in loondienst\r\n\
Sanne;de;Vries;sanne.devries@bakkerij-devries.nl;06-12345678;14-03-1988;ja\r\n\
Mohamed;;El Amrani;m.elamrani@bakkerij-devries.nl;+31 6 2345 6789;02-11-1979;ja\r\n\
Joost;van der;Berg;joost@berg-advies.nl;0031687654321;30-06-1991;nee\r\n";

    #[test]
    fn the_shared_example_file_imports_without_problems() {
        let import = parse(USERS_EXAMPLE, today()).unwrap();
        assert_eq!(import.rows.len(), 3);
        assert!(import.rows.iter().all(ImportRow::is_ok), "{import:?}");
        assert!(import.ignored_columns.is_empty());
        let lines: Vec<usize> = import.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3, 4]);
        let mohamed = &import.rows[1].user;
        assert_eq!(mohamed.first_name, "Mohamed");
        assert_eq!(mohamed.infix, "");
        assert_eq!(mohamed.last_name, "El Amrani");
        assert_eq!(mohamed.mobile, "+31 6 2345 6789");
        assert!(mohamed.employed);
        assert_eq!(mohamed.language, Language::Nl);
        let joost = &import.rows[2].user;
        assert_eq!(joost.infix, "van der");
        assert!(!joost.employed);
    }

    #[test]
    fn the_downloadable_example_imports_without_problems() {
        let import = parse(example_csv().as_bytes(), today()).unwrap();
        assert_eq!(import.rows.len(), 2);
        assert!(import.rows.iter().all(ImportRow::is_ok), "{import:?}");
        assert_eq!(import.rows[1].user.language, Language::En);
        assert!(example_csv().starts_with(
            "voornaam;tussenvoegsel;achternaam;e-mail;mobiel;geboortedatum;in loondienst;taal\r\n"
        ));
    }

    #[test]
    fn windows_1252_is_decoded() {
        assert_eq!(
            decode(b"Ren\xE9 \x80 10 \x93x\x94 \x81"),
            "René € 10 \u{201C}x\u{201D} \u{81}"
        );
        let file = b"voornaam;achternaam;e-mail;mobiel;geboortedatum;in loondienst;taal\r\n\
Ren\xE9;Lef\xE8vre;rene@voorbeeld.nl;0612345678;01-02-1990;nee;Nederlands\r\n\
\x80uro;Teken;euro@voorbeeld.nl;0612345679;01-02-1990;ja;Engels\r\n";
        let import = parse(file, today()).unwrap();
        assert_eq!(import.rows[0].user.first_name, "René");
        assert_eq!(import.rows[0].user.last_name, "Lefèvre");
        assert_eq!(import.rows[1].user.first_name, "€uro");
        assert_eq!(import.rows[0].user.language, Language::Nl);
        assert_eq!(import.rows[1].user.language, Language::En);
        assert!(import.rows.iter().all(ImportRow::is_ok), "{import:?}");
    }

    #[test]
    fn utf8_with_and_without_bom_and_utf16_are_decoded() {
        assert_eq!(decode("\u{feff}René".as_bytes()), "René");
        assert_eq!(decode("René".as_bytes()), "René");
        let utf16le: Vec<u8> = [0xFEFFu16]
            .into_iter()
            .chain("René".encode_utf16())
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(decode(&utf16le), "René");
        let utf16be: Vec<u8> = [0xFEFFu16]
            .into_iter()
            .chain("René".encode_utf16())
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(decode(&utf16be), "René");
    }

    #[test]
    fn english_headers_separated_by_commas_are_recognized() {
        let file =
            b"First Name,Prefix,Surname,Email,Mobile Number,Date of Birth,Employed,Language\n\
Jane,,Doe,Jane.Doe@Example.com,+44 7700 900123,1985-07-04,yes,English\n\
Piet,van,Dam,piet@example.com,0612345678,4-7-1985,No,\n";
        let import = parse(file, today()).unwrap();
        assert!(import.rows.iter().all(ImportRow::is_ok), "{import:?}");
        let jane = &import.rows[0].user;
        assert_eq!(jane.last_name, "Doe");
        assert_eq!(jane.date_of_birth, "1985-07-04");
        assert!(jane.employed);
        assert_eq!(jane.language, Language::En);
        assert_eq!(import.rows[1].user.infix, "van");
        assert!(!import.rows[1].user.employed);
        assert_eq!(import.rows[1].user.language, Language::Nl);
    }

    #[test]
    fn header_spelling_variants_are_recognized() {
        for header in [
            "VOORNAAM;Tussen-voegsel;Achter_naam;E-mailadres;Mobiel nummer;Geboortedatum (dd-mm-jjjj);In loondienst",
            "first_name;infix;last_name;e-mail;telefoon;birth date;employee",
            "\"Voornaam\";\"Achternaam\";\"E-mail\";\"Mobiel\";\"Geboortedatum\";\"In loondienst\"",
        ] {
            let cells = csv::records(header, ';').remove(0);
            assert!(Header::new(&cells).missing().is_empty(), "{header}");
        }
    }

    #[test]
    fn quoted_fields_may_hold_the_delimiter_and_line_breaks() {
        let file = "voornaam;achternaam;e-mail;mobiel;geboortedatum;in loondienst\r\n\
\"Anna; Maria\";\"Jansen\";anna@voorbeeld.nl;0612345678;01-01-1980;ja\r\n\
Kees;\"Bakker\r\nSmit\";kees@voorbeeld.nl;0612345679;01-01-1980;ja\r\n\
Lies;\"de \"\"Boer\"\"\";lies@voorbeeld.nl;0612345670;01-01-1980;ja\r\n";
        let import = parse(file.as_bytes(), today()).unwrap();
        assert_eq!(import.rows.len(), 3);
        assert_eq!(import.rows[0].user.first_name, "Anna; Maria");
        assert!(import.rows[0].is_ok());
        assert_eq!(import.rows[1].user.last_name, "Bakker\r\nSmit");
        assert_eq!(
            problems(&import.rows[1]),
            [("last_name", "invalid_characters")]
        );
        assert_eq!(import.rows[2].user.last_name, "de \"Boer\"");
        // The line break inside Kees's row pushes Lies one line further.
        let lines: Vec<usize> = import.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3, 5]);
    }

    #[test]
    fn broken_rows_are_kept_with_their_problems() {
        let file =
            "voornaam;tussenvoegsel;achternaam;e-mail;mobiel;geboortedatum;in loondienst;taal\n\
Sanne;de;Vries;sanne@voorbeeld;06-12345678;14-03-1988;ja;nl\n\
;;Jansen;jan@voorbeeld.nl;020-1234567;31-02-1988;misschien;de\n\
\n\
;;;;;;;\n\
Piet;;Puk;piet@voorbeeld.nl;0687654321;14-03-2020;;\n\
Klaas;;Vaak;JAN@voorbeeld.nl;06 8765 4321;14-03-1970;nee;en\n\
Tim;;Tol;tim@voorbeeld.nl;06-1234;14-03-1970;nee;en\n";
        let import = parse(file.as_bytes(), today()).unwrap();
        let lines: Vec<usize> = import.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3, 6, 7, 8]);
        assert_eq!(problems(&import.rows[0]), [("email", "invalid_email")]);
        assert_eq!(
            problems(&import.rows[1]),
            [
                ("first_name", "required"),
                ("mobile", "invalid_mobile"),
                ("date_of_birth", "invalid_date"),
                ("language", "invalid_language"),
                ("employed", "invalid_employed"),
            ]
        );
        // Not a language: reported, and Dutch until corrected.
        assert_eq!(import.rows[1].user.language, Language::Nl);
        assert_eq!(
            problems(&import.rows[2]),
            [
                ("date_of_birth", "implausible_date"),
                ("employed", "invalid_employed")
            ]
        );
        assert_eq!(
            problems(&import.rows[3]),
            [
                ("email", "duplicate_in_file"),
                ("mobile", "duplicate_in_file")
            ]
        );
        assert_eq!(problems(&import.rows[4]), [("mobile", "invalid_mobile")]);
    }

    #[test]
    fn mobiles_that_lost_their_leading_zero_or_plus_are_repaired() {
        let file = "voornaam;achternaam;e-mail;mobiel;geboortedatum;in loondienst\n\
A;B;a@voorbeeld.nl;612345678;01-01-1980;ja\n\
C;D;c@voorbeeld.nl;31612345679;01-01-1980;ja\n";
        let import = parse(file.as_bytes(), today()).unwrap();
        assert_eq!(import.rows[0].user.mobile, "0612345678");
        assert_eq!(import.rows[1].user.mobile, "+31612345679");
        assert!(import.rows.iter().all(ImportRow::is_ok));
    }

    #[test]
    fn missing_required_columns_are_named() {
        let file = b"voornaam;achternaam;email;telefoon\nJan;Jansen;jan@voorbeeld.nl;0612345678\n";
        assert_eq!(
            parse(file, today()),
            Err(ImportError::MissingColumns(vec![
                Field::DateOfBirth,
                Field::Employed
            ]))
        );
        assert_eq!(
            parse(b"naam,adres\nJan,Dorpsstraat 1\n", today())
                .unwrap_err()
                .rule(),
            Rule::MissingColumns
        );
    }

    #[test]
    fn title_lines_above_the_header_and_unknown_columns_are_skipped() {
        let file = "Gebruikers Bakkerij De Vries;;;\r\n;;;\r\n\
voornaam;achternaam;afdeling;e-mail;mobiel;geboortedatum;in loondienst\r\n\
Sanne;Vries;Verkoop;sanne@voorbeeld.nl;0612345678;14-03-1988;ja\r\n";
        let import = parse(file.as_bytes(), today()).unwrap();
        assert_eq!(import.rows.len(), 1);
        assert_eq!(import.rows[0].line, 4);
        assert!(import.rows[0].is_ok());
        assert_eq!(import.ignored_columns, ["afdeling"]);
    }

    #[test]
    fn tabs_and_old_mac_line_ends_are_understood() {
        let file = "voornaam\tachternaam\te-mail\tmobiel\tgeboortedatum\tin loondienst\r\
Sanne\tVries\tsanne@voorbeeld.nl\t0612345678\t14-03-1988\tja\r";
        let import = parse(file.as_bytes(), today()).unwrap();
        assert_eq!(import.rows.len(), 1);
        assert!(import.rows[0].is_ok());
    }

    #[test]
    fn unusable_files_are_refused_with_a_code() {
        assert_eq!(parse(b"", today()), Err(ImportError::Empty));
        assert_eq!(
            parse(b"\xEF\xBB\xBF\r\n;;\r\n", today()),
            Err(ImportError::Empty)
        );
        assert_eq!(
            parse(
                &USERS_EXAMPLE[..USERS_EXAMPLE.iter().position(|&b| b == b'\n').unwrap()],
                today()
            ),
            Err(ImportError::Empty)
        );
        assert_eq!(
            parse(b"PK\x03\x04\x14\x00\x06\x00", today()),
            Err(ImportError::NotCsv)
        );
        assert_eq!(parse(b"voornaam\0;x", today()), Err(ImportError::NotCsv));
        assert_eq!(
            parse(&vec![b'a'; MAX_BYTES + 1], today()),
            Err(ImportError::TooLarge)
        );
        assert_eq!(ImportError::TooLarge.rule(), Rule::TooLarge);
    }

    fn valid_file(n: usize) -> String {
        let mut file = String::from(
            "voornaam;tussenvoegsel;achternaam;e-mail;mobiel;geboortedatum;in loondienst;taal\r\n",
        );
        for i in 0..n {
            file.push_str(&format!(
                "Voor{i};van;Achter{i};user{i}@voorbeeld.nl;06{:08};{:02}-{:02}-{};{};{}\r\n",
                i,
                i % 28 + 1,
                i % 12 + 1,
                1950 + i % 50,
                if i % 2 == 0 { "ja" } else { "nee" },
                if i % 3 == 0 { "en" } else { "nl" },
            ));
        }
        file
    }

    #[test]
    fn ten_thousand_rows_are_accepted_and_one_more_is_not() {
        let file = valid_file(MAX_ROWS);
        assert!(file.len() <= MAX_BYTES);
        let started = std::time::Instant::now();
        let import = parse(file.as_bytes(), today()).unwrap();
        let elapsed = started.elapsed();
        assert_eq!(import.rows.len(), MAX_ROWS);
        assert!(import.rows.iter().all(ImportRow::is_ok));
        // A generous bound for an unoptimized build on a busy machine; it catches quadratic
        // behaviour, not small slowdowns.
        assert!(elapsed.as_secs() < 5, "{elapsed:?}");
        assert_eq!(
            parse(valid_file(MAX_ROWS + 1).as_bytes(), today()),
            Err(ImportError::TooManyRows)
        );
    }

    #[test]
    fn duplicates_are_found_for_manually_entered_users_too() {
        let user = |email: &str, mobile: &str| NewUser {
            email: email.into(),
            mobile: mobile.into(),
            ..NewUser::default()
        };
        let found = duplicates(&[
            user("a@x.nl", "0612345678"),
            user("b@x.nl", "+31612345678"),
            user("A@X.NL", ""),
            user("", ""),
            user("", "bad"),
        ]);
        assert_eq!(
            found,
            vec![
                vec![],
                vec![FieldProblem::new(Field::Mobile, Rule::DuplicateInFile)],
                vec![FieldProblem::new(Field::Email, Rule::DuplicateInFile)],
                vec![],
                vec![],
            ]
        );
    }

    proptest! {
        #[test]
        fn parse_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
            let _ = parse(&bytes, today());
        }

        #[test]
        fn parse_never_panics_on_csv_like_text(text in "[a-z;,\"\r\n\t 0-9@.-]{0,400}") {
            let with_header = format!("voornaam;achternaam;e-mail;mobiel;geboortedatum;in loondienst\n{text}");
            let _ = parse(with_header.as_bytes(), today());
            let _ = parse(text.as_bytes(), today());
        }

        #[test]
        fn a_valid_file_of_n_rows_gives_n_rows_without_problems(n in 1usize..200, crlf in any::<bool>()) {
            let mut file = valid_file(n);
            if !crlf {
                file = file.replace("\r\n", "\n");
            }
            let import = parse(file.as_bytes(), today()).unwrap();
            prop_assert_eq!(import.rows.len(), n);
            prop_assert!(import.rows.iter().all(ImportRow::is_ok));
            for (i, row) in import.rows.iter().enumerate() {
                prop_assert_eq!(row.line, i + 2);
            }
        }

        #[test]
        fn windows_1252_decoding_is_one_char_per_byte(bytes in proptest::collection::vec(0x80u8.., 1..100)) {
            // Bytes from 0x80 up alone are never valid UTF-8 unless they form sequences; a
            // leading 0xFF rules that out and is no BOM when followed by a byte other than 0xFE.
            let mut input = vec![0xFF, 0x41];
            input.extend(&bytes);
            prop_assert_eq!(decode(&input).chars().count(), input.len());
        }
    }

    /// How a spreadsheet may save the file.
    #[derive(Debug, Clone, Copy)]
    enum Encoding {
        Utf8,
        Utf8Bom,
        Utf16LeBom,
        Utf16BeBom,
        /// Only for text of ASCII and U+00A0 to U+00FF, which are the same bytes there.
        Windows1252,
    }

    fn encoding() -> impl Strategy<Value = Encoding> {
        use Encoding::*;
        proptest::sample::select(vec![Utf8, Utf8Bom, Utf16LeBom, Utf16BeBom])
    }

    fn encode(text: &str, encoding: Encoding) -> Vec<u8> {
        let utf16 = |to_bytes: fn(u16) -> [u8; 2]| -> Vec<u8> {
            [0xFEFF]
                .into_iter()
                .chain(text.encode_utf16())
                .flat_map(to_bytes)
                .collect()
        };
        match encoding {
            Encoding::Utf8 => text.as_bytes().to_vec(),
            Encoding::Utf8Bom => [b"\xEF\xBB\xBF", text.as_bytes()].concat(),
            Encoding::Utf16LeBom => utf16(u16::to_le_bytes),
            Encoding::Utf16BeBom => utf16(u16::to_be_bytes),
            Encoding::Windows1252 => text
                .chars()
                .map(|c| {
                    u8::try_from(c)
                        .ok()
                        .filter(|b| !(0x80..0xA0).contains(b))
                        .unwrap()
                })
                .collect(),
        }
    }

    /// The Dutch header name of each column, as in the example file.
    fn dutch_name(column: Column) -> &'static str {
        match column {
            Column::FirstName => "voornaam",
            Column::Infix => "tussenvoegsel",
            Column::LastName => "achternaam",
            Column::Email => "e-mail",
            Column::Mobile => "mobiel",
            Column::DateOfBirth => "geboortedatum",
            Column::Employed => "in loondienst",
            Column::Language => "taal",
        }
    }

    /// A cell of a hostile or careless file: text full of delimiters, quotes, line ends and
    /// odd characters; a value that means something in some column; or a very long value.
    fn cell() -> impl Strategy<Value = String> {
        let meaningful = proptest::sample::select(vec![
            "",
            " ",
            "ja",
            "NEE",
            "WAAR",
            "misschien",
            "nl",
            "Engels",
            "de",
            "06-12345678",
            "612345678",
            "31612345678",
            "+49 151 23456789",
            "14-03-1988",
            "1988-03-14",
            "31-02-1988",
            "sanne@voorbeeld.nl",
            "SANNE@voorbeeld.nl",
            "a@b",
        ]);
        prop_oneof![
            6 => text_from("abXY é;,\"\r\n\t -@.0123456789\u{feff}", 16),
            3 => meaningful.prop_map(String::from),
            1 => (proptest::sample::select(vec!['x', ';', '"', '\n', '6']), 0..3_000usize)
                .prop_map(|(c, n)| c.to_string().repeat(n)),
        ]
    }

    /// A file's rendering: the text (without byte order mark) and, for each row, the line it
    /// starts on.
    fn render(
        header: &[&str],
        rows: &[Vec<String>],
        always_quote: bool,
        crlf: bool,
    ) -> (String, Vec<usize>) {
        let end = if crlf { "\r\n" } else { "\n" };
        let line = |cells: &[String]| {
            let cells: Vec<String> = cells
                .iter()
                .map(|c| csv_field(c, ';', always_quote))
                .collect();
            cells.join(";") + end
        };
        let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
        let mut text = line(&header);
        let mut starts = Vec::new();
        for row in rows {
            starts.push(1 + text.matches('\n').count());
            text.push_str(&line(row));
        }
        (text, starts)
    }

    /// A valid user, made unique by `i` in its e-mail address and mobile number, written the
    /// ways people write them; names with accents, quotes and delimiters.
    fn valid_user(i: usize) -> impl Strategy<Value = NewUser> {
        let name = "[A-Za-zÀ-ÖØ-öø-ÿ' \";,-]{1,30}".prop_filter_map("a name", |n| {
            Some(n.trim().to_string()).filter(|n| !n.is_empty())
        });
        let infix = proptest::sample::select(vec!["", "van", "de", "van der", "'t", "ter"]);
        let email = ("[a-zA-Z]{1,10}", "[a-z]{1,10}\\.(nl|com|amsterdam)")
            .prop_map(move |(local, domain)| format!("{local}.{i}@{domain}"));
        let mobile = (0..99_990_000u32, 0..5usize).prop_map(move |(base, notation)| {
            let n = format!("6{:08}", base + i as u32);
            match notation {
                0 => format!("0{n}"),
                1 => format!("06-{}", &n[1..]),
                2 => format!("+31 {n}"),
                3 => format!("0031{n}"),
                _ => format!("+31 (0){n}"),
            }
        });
        let date =
            (1906..=2008i32, 1..=12u8, 1..=28u8, 0..4usize).prop_map(|(y, m, d, f)| match f {
                0 => format!("{d:02}-{m:02}-{y}"),
                1 => format!("{d}-{m}-{y}"),
                2 => format!("{y}-{m:02}-{d:02}"),
                _ => format!("{d:02}/{m:02}/{y}"),
            });
        let language = proptest::sample::select(Language::ALL.to_vec());
        (
            name.clone(),
            infix,
            name,
            email,
            mobile,
            date,
            any::<bool>(),
            language,
        )
            .prop_map(
                |(
                    first_name,
                    infix,
                    last_name,
                    email,
                    mobile,
                    date_of_birth,
                    employed,
                    language,
                )| {
                    NewUser {
                        first_name,
                        infix: infix.to_string(),
                        last_name,
                        email,
                        mobile,
                        date_of_birth,
                        employed,
                        language,
                    }
                },
            )
    }

    fn valid_users() -> impl Strategy<Value = Vec<NewUser>> {
        (1..30usize).prop_flat_map(|n| (0..n).map(valid_user).collect::<Vec<_>>())
    }

    proptest! {
        // 200 files each, about a second each; PROPTEST_CASES overrides.
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Valid users written as the Dutch CSV (every column, in the example's order, `ja`/
        /// `nee`, `nl`/`en`), in any encoding a spreadsheet uses, come back as the same users
        /// without problems, each with its line.
        #[test]
        fn fuzz_valid_users_round_trip_through_the_dutch_csv(
            users in valid_users(),
            encoding in prop_oneof![4 => encoding(), 1 => Just(Encoding::Windows1252)],
            always_quote in any::<bool>(),
            crlf in any::<bool>(),
        ) {
            let rows: Vec<Vec<String>> = users
                .iter()
                .map(|u| {
                    vec![
                        u.first_name.clone(),
                        u.infix.clone(),
                        u.last_name.clone(),
                        u.email.clone(),
                        u.mobile.clone(),
                        u.date_of_birth.clone(),
                        (if u.employed { "ja" } else { "nee" }).to_string(),
                        u.language.as_str().to_string(),
                    ]
                })
                .collect();
            let header: Vec<&str> = Column::ALL.into_iter().map(dutch_name).collect();
            let (text, starts) = render(&header, &rows, always_quote, crlf);
            let import = parse(&encode(&text, encoding), today()).unwrap();
            prop_assert!(import.ignored_columns.is_empty());
            prop_assert_eq!(import.rows.len(), users.len());
            for ((row, user), line) in import.rows.iter().zip(&users).zip(starts) {
                prop_assert!(row.is_ok(), "{:?}", row);
                prop_assert_eq!(&row.user, user);
                prop_assert_eq!(row.line, line);
            }
        }

        /// Any file under a valid header, its columns in any order: it is refused with a
        /// typed error only when it is not text or has no users; otherwise every non-blank row
        /// is reported, in order, with the line it starts on, its values as found and every
        /// problem with them.
        #[test]
        fn fuzz_import_reports_every_row_with_its_problems_or_a_typed_error(
            columns in Just(Column::ALL.to_vec()).prop_shuffle(),
            unknown_column in any::<bool>(),
            rows in proptest::collection::vec(proptest::collection::vec(cell(), 1..11), 0..20),
            encoding in encoding(),
            always_quote in any::<bool>(),
            crlf in any::<bool>(),
        ) {
            let mut columns: Vec<Option<Column>> = columns.into_iter().map(Some).collect();
            if unknown_column {
                columns.insert(2, None);
            }
            let header: Vec<&str> = columns.iter().map(|c| c.map_or("afdeling", dutch_name)).collect();
            let (text, starts) = render(&header, &rows, always_quote, crlf);
            let bytes = encode(&text, encoding);

            let mut users = Vec::new();
            let mut expected = Vec::new();
            for (cells, line) in rows.iter().zip(starts) {
                if cells.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                let mut user = NewUser::default();
                let (mut employed, mut language) = (None, "");
                for (value, column) in cells.iter().map(|c| c.trim()).zip(&columns) {
                    match column {
                        None => {}
                        Some(Column::FirstName) => user.first_name = value.into(),
                        Some(Column::Infix) => user.infix = value.into(),
                        Some(Column::LastName) => user.last_name = value.into(),
                        Some(Column::Email) => user.email = value.into(),
                        Some(Column::Mobile) => user.mobile = repair_mobile(value),
                        Some(Column::DateOfBirth) => user.date_of_birth = value.into(),
                        Some(Column::Employed) => employed = parse_employed(value),
                        Some(Column::Language) => language = value,
                    }
                }
                user.employed = employed.unwrap_or(false);
                let language = import_language(language);
                user.language = language.unwrap_or_default();
                let mut problems = new_user::check(&user, today());
                if language.is_none() {
                    problems.push(FieldProblem::new(Field::Language, Rule::InvalidLanguage));
                }
                if employed.is_none() {
                    problems.push(FieldProblem::new(Field::Employed, Rule::InvalidEmployed));
                }
                users.push(user.clone());
                expected.push(ImportRow { line, user, problems });
            }
            for (row, duplicates) in expected.iter_mut().zip(duplicates(&users)) {
                row.problems.extend(duplicates);
            }

            match parse(&bytes, today()) {
                Err(ImportError::NotCsv) => prop_assert!(looks_binary(&bytes, &text)),
                Err(ImportError::Empty) => prop_assert!(expected.is_empty()),
                Err(e) => prop_assert!(false, "{:?}", e),
                Ok(import) => {
                    prop_assert!(!looks_binary(&bytes, &text));
                    prop_assert_eq!(import.ignored_columns, if unknown_column { vec!["afdeling"] } else { vec![] });
                    prop_assert_eq!(import.rows, expected);
                }
            }
        }
    }
}
