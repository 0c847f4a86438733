//! `server bundle-size`: the first download of every page with a shell of its own, as the
//! server would send it (the files its HTML names, brotli where the build left a `.br`, and the
//! boot scripts), against the budgets. Deterministic: the sizes of a release build, not a
//! timing. Compares each file with the sizes recorded in `docs/bundle-sizes.txt`, so a failure
//! says what grew; `--record` writes the current sizes there.

use crate::assets::{Assets, Shell};
use crate::BoxError;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

/// The pages, with their budgets in bytes (1 KB = 1,000 bytes, as in docs/benchmarks.md).
/// The portal's own bundle is loaded after sign-in; it is reported without a budget.
const PAGES: [(Shell, &str, Option<usize>); 3] = [
    (Shell::SignIn, "sign-in", Some(150_000)),
    (Shell::Acceptance, "acceptance", Some(150_000)),
    (Shell::Portal, "portal", None),
];

/// Prints the report; fails when a page is over its budget.
pub fn run(site_root: &Path, record: &Path, write_record: bool) -> Result<(), BoxError> {
    let assets = Assets::load(
        site_root,
        "machtig",
        &app::server::brand::Brand::default(),
        false,
    )?;
    let recorded = read_record(record);
    let mut report = String::new();
    let mut over = Vec::new();
    let mut lines = Vec::new();
    for (shell, page, budget) in PAGES {
        let files = assets.first_download(shell);
        let (text, total) = page_report(page, budget, &files, &recorded);
        report.push_str(&text);
        if budget.is_some_and(|b| total > b) {
            over.push(page);
        }
        lines.extend(files.iter().map(|(f, n)| format!("{page}\t{f}\t{n}")));
    }
    print!("{report}");
    if write_record {
        std::fs::write(record, lines.join("\n") + "\n")?;
        println!("recorded in {}", record.display());
    }
    if over.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "over budget: {} (see what grew above against {})",
            over.join(", "),
            record.display()
        )
        .into())
    }
}

fn read_record(path: &Path) -> HashMap<(String, String), usize> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|line| {
            let mut parts = line.split('\t');
            let (page, file, bytes) = (parts.next()?, parts.next()?, parts.next()?);
            Some(((page.to_string(), file.to_string()), bytes.parse().ok()?))
        })
        .collect()
}

fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

fn delta(now: usize, was: Option<usize>) -> String {
    match was {
        None => "(new)".to_string(),
        Some(was) if was == now => String::new(),
        Some(was) => format!("({:+} B)", now as i64 - was as i64),
    }
}

/// One page's lines and its total.
fn page_report(
    page: &str,
    budget: Option<usize>,
    files: &[(String, usize)],
    recorded: &HashMap<(String, String), usize>,
) -> (String, usize) {
    let mut out = String::new();
    let total: usize = files.iter().map(|(_, n)| n).sum();
    let was_total: Option<usize> = files
        .iter()
        .map(|(f, _)| recorded.get(&(page.to_string(), f.clone())).copied())
        .sum();
    let verdict = match budget {
        Some(b) if total > b => format!("OVER the budget of {}", kb(b)),
        Some(b) => format!("within the budget of {} ({} left)", kb(b), kb(b - total)),
        None => "no budget (loaded after sign-in)".to_string(),
    };
    let _ = writeln!(out, "{page} page: {} {verdict}", kb(total));
    for (file, bytes) in files {
        let was = recorded.get(&(page.to_string(), file.clone())).copied();
        let _ = writeln!(out, "  {file:<44} {bytes:>9} B {}", delta(*bytes, was));
    }
    let _ = writeln!(
        out,
        "  {:<44} {total:>9} B {}",
        "total",
        delta(total, was_total)
    );
    (out, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_over_its_budget_says_so_and_what_grew() {
        let recorded = HashMap::from([
            (
                ("sign-in".to_string(), "signin_bg.wasm".to_string()),
                140_000,
            ),
            (("sign-in".to_string(), "machtig.css".to_string()), 2_000),
        ]);
        let files = vec![
            ("machtig.css".to_string(), 2_000),
            ("signin_bg.wasm".to_string(), 149_000),
        ];
        let (text, total) = page_report("sign-in", Some(150_000), &files, &recorded);
        assert_eq!(total, 151_000);
        assert!(text.contains("OVER the budget of 150.0 KB"), "{text}");
        assert!(text.contains("(+9000 B)"), "{text}");
        let (text, _) = page_report("sign-in", Some(160_000), &files, &recorded);
        assert!(
            text.contains("within the budget of 160.0 KB (9.0 KB left)"),
            "{text}"
        );
    }
}
