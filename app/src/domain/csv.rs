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
}
