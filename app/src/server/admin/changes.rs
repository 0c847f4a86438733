//! What an import would change, shown before (`--dry-run`) and after it is applied.

use std::fmt;

/// The difference between the rows in the database and those in a file, keyed by `K`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changes<R> {
    /// In the file, not yet in the database.
    pub added: Vec<R>,
    /// In both, with different values: (now, from the file).
    pub changed: Vec<(R, R)>,
    /// In both, the same.
    pub unchanged: usize,
    /// In the database, not in the file: kept (an import never deletes what may be in use).
    pub absent: Vec<R>,
}

impl<R> Changes<R> {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty()
    }
}

/// Compares `current` with `file` by `key`; rows are equal when `R: PartialEq` says so.
pub fn diff<R: Clone + PartialEq, K: PartialEq>(
    current: &[R],
    file: &[R],
    key: impl Fn(&R) -> K,
) -> Changes<R> {
    let mut changes = Changes {
        added: Vec::new(),
        changed: Vec::new(),
        unchanged: 0,
        absent: Vec::new(),
    };
    for row in file {
        match current.iter().find(|c| key(c) == key(row)) {
            None => changes.added.push(row.clone()),
            Some(now) if now == row => changes.unchanged += 1,
            Some(now) => changes.changed.push((now.clone(), row.clone())),
        }
    }
    changes.absent = current
        .iter()
        .filter(|c| !file.iter().any(|row| key(row) == key(c)))
        .cloned()
        .collect();
    changes
}

impl<R: fmt::Display> fmt::Display for Changes<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for row in &self.added {
            writeln!(f, "+ {row}")?;
        }
        for (now, new) in &self.changed {
            writeln!(f, "~ {now}\n  becomes {new}")?;
        }
        for row in &self.absent {
            writeln!(f, "= {row} (not in the file: kept)")?;
        }
        write!(
            f,
            "{} added, {} changed, {} unchanged, {} not in the file (kept)",
            self.added.len(),
            self.changed.len(),
            self.unchanged,
            self.absent.len()
        )
    }
}

/// A problem with one line of an import file; the command lists them all and changes nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineProblem {
    pub line: usize,
    pub problem: String,
}

impl fmt::Display for LineProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.problem)
    }
}

/// The delimiter of a CSV file: a semicolon when the header has one (a Dutch spreadsheet's
/// export), else a comma.
pub fn delimiter(text: &str) -> char {
    if text.lines().next().unwrap_or_default().contains(';') {
        ';'
    } else {
        ','
    }
}

/// The records of a CSV import file after its header, each with its line number; or the
/// problem with the header (missing, or not exactly `header`).
pub fn records_after_header(
    text: &str,
    header: &[&str],
) -> Result<Vec<(usize, Vec<String>)>, Vec<LineProblem>> {
    let mut rows = crate::domain::csv::records_with_lines(text, delimiter(text)).into_iter();
    let problem = |problem: String| vec![LineProblem { line: 1, problem }];
    let Some((_, found)) = rows.next() else {
        return Err(problem("the file is empty".into()));
    };
    if found
        .iter()
        .map(|h| h.trim().to_lowercase())
        .ne(header.iter().copied())
    {
        return Err(problem(format!("the header must be {}", header.join(","))));
    }
    Ok(rows.collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diff_names_added_changed_unchanged_and_absent_rows() {
        let now = [(1, "a"), (2, "b"), (3, "c")];
        let file = [(1, "a"), (2, "B"), (4, "d")];
        let c = diff(&now, &file, |r| r.0);
        assert_eq!(c.added, vec![(4, "d")]);
        assert_eq!(c.changed, vec![((2, "b"), (2, "B"))]);
        assert_eq!(c.unchanged, 1);
        assert_eq!(c.absent, vec![(3, "c")]);
        assert!(!c.is_empty());
        assert!(diff(&now, &now, |r| r.0).is_empty());
    }
}
