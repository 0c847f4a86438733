//! A small RFC 4180 reader: fields separated by one delimiter, optionally quoted with `"`,
//! quotes doubled inside quoted fields, CRLF or LF line ends, a leading UTF-8 BOM ignored.

/// Splits `text` into records of fields. Empty lines are skipped.
pub fn records(text: &str, delimiter: char) -> Vec<Vec<String>> {
    records_with_lines(text, delimiter)
        .into_iter()
        .map(|(_, record)| record)
        .collect()
}

/// Like [`records`], but each record comes with the 1-based number of the line it starts on,
/// so errors can point at the line a spreadsheet user sees. A quoted field holding a line end
/// makes its record span several lines; the next record's number accounts for that.
pub fn records_with_lines(text: &str, delimiter: char) -> Vec<(usize, Vec<String>)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut line = 1;
    let mut start = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' {
            line += 1;
        }
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, c) if c == delimiter => record.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                if !(record.len() == 1 && record[0].is_empty()) {
                    out.push((start, std::mem::take(&mut record)));
                }
                record.clear();
                start = line;
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        out.push((start, record));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fuzz_tests::{csv_field, text_from};
    use proptest::prelude::*;

    #[test]
    fn quoted_fields_may_hold_delimiters_quotes_and_line_ends() {
        let text = "\u{feff}a;b\r\n\"x;y\";\"say \"\"hi\"\"\"\r\n\"two\nlines\";z\r\n\r\n";
        assert_eq!(
            records(text, ';'),
            vec![
                vec!["a", "b"],
                vec!["x;y", "say \"hi\""],
                vec!["two\nlines", "z"]
            ]
        );
    }

    #[test]
    fn a_last_line_without_line_end_is_kept() {
        assert_eq!(records("a,b\nc,", ','), vec![vec!["a", "b"], vec!["c", ""]]);
    }

    #[test]
    fn records_know_the_line_they_start_on() {
        let text = "a;b\r\n\r\n\"two\nlines\";x\r\nc;d";
        let lines: Vec<usize> = records_with_lines(text, ';')
            .iter()
            .map(|(l, _)| *l)
            .collect();
        assert_eq!(lines, vec![1, 3, 5]);
    }

    proptest! {
        #[test]
        fn writing_then_reading_gives_the_same_fields(rows in proptest::collection::vec(proptest::collection::vec("[a-z;\" \n]{1,8}", 1..5), 1..10)) {
            let text: String = rows
                .iter()
                .map(|r| r.iter().map(|f| format!("\"{}\"", f.replace('"', "\"\""))).collect::<Vec<_>>().join(";") + "\r\n")
                .collect();
            prop_assert_eq!(records(&text, ';'), rows);
        }
    }

    /// A field: short text full of delimiters, quotes, line ends and byte order marks, or
    /// one character repeated up to 5,000 times.
    fn field() -> impl Strategy<Value = String> {
        prop_oneof![
            6 => text_from("ab ;,\"\r\n\t\u{feff}é", 12),
            1 => (proptest::sample::select(vec!['x', ';', '"', '\n', ' ']), 0..5_000usize)
                .prop_map(|(c, n)| c.to_string().repeat(n)),
        ]
    }

    /// What the reader must make of text without quotes: lines split at LF (one CR before it
    /// dropped), empty lines skipped, fields split at the delimiter.
    fn unquoted_model(text: &str, delimiter: char) -> Vec<(usize, Vec<String>)> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let lines: Vec<&str> = text.split('\n').collect();
        let last = lines.len() - 1;
        lines
            .into_iter()
            .enumerate()
            .map(|(i, line)| {
                let line = if i < last {
                    line.strip_suffix('\r').unwrap_or(line)
                } else {
                    line
                };
                (i + 1, line)
            })
            .filter(|(_, line)| !line.is_empty())
            .map(|(n, line)| (n, line.split(delimiter).map(String::from).collect()))
            .collect()
    }

    proptest! {
        // 1,000 cases each, about a second in all; PROPTEST_CASES overrides.
        #![proptest_config(ProptestConfig::with_cases(1000))]

        /// Any text: no panic, and records start on strictly increasing lines that exist.
        /// Without quotes, the records are exactly the model's.
        #[test]
        fn fuzz_csv_reader_never_panics_and_knows_its_lines(
            text in text_from("ab;,\"\r\n\t \u{feff}", 300),
            delimiter in proptest::sample::select(vec![';', ',', '\t']),
        ) {
            let found = records_with_lines(&text, delimiter);
            let lines = 1 + text.matches('\n').count();
            let mut previous = 0;
            for (line, record) in &found {
                prop_assert!(previous < *line && *line <= lines, "{} after {}", line, previous);
                prop_assert!(!record.is_empty());
                previous = *line;
            }
            let unquoted = text.replace('"', "");
            prop_assert_eq!(records_with_lines(&unquoted, delimiter), unquoted_model(&unquoted, delimiter));
        }

        /// Fields written the way spreadsheets write them are read back exactly, whatever
        /// they hold, with the line each record starts on; a byte order mark in front and
        /// CRLF or LF line ends change nothing.
        #[test]
        fn fuzz_csv_written_fields_are_read_back_with_their_lines(
            rows in proptest::collection::vec(proptest::collection::vec(field(), 1..6), 1..8),
            delimiter in proptest::sample::select(vec![';', ',', '\t']),
            always_quote in any::<bool>(),
            crlf in any::<bool>(),
            bom in any::<bool>(),
        ) {
            let mut text = String::from(if bom { "\u{feff}" } else { "" });
            let mut expected = Vec::new();
            for row in &rows {
                let line = 1 + text.matches('\n').count();
                let cells: Vec<String> =
                    row.iter().map(|f| csv_field(f, delimiter, always_quote)).collect();
                text.push_str(&cells.join(&delimiter.to_string()));
                text.push_str(if crlf { "\r\n" } else { "\n" });
                // A record of one empty field is an empty line, which the reader skips.
                if row.len() > 1 || !row[0].is_empty() {
                    expected.push((line, row.clone()));
                }
            }
            prop_assert_eq!(records_with_lines(&text, delimiter), expected);
        }
    }
}
