//! Tables and JSON for people and scripts.

use crate::measure::{LessonRun, Row};

/// Render rows as an aligned text table; `right` marks numeric columns.
pub fn table(headers: &[&str], right: &[bool], rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..headers.len())
        .map(|c| {
            rows.iter()
                .map(|r| r[c].chars().count())
                .chain([headers[c].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(c, cell)| match right[c] {
                true => format!("{cell:>w$}", w = widths[c]),
                false => format!("{cell:<w$}", w = widths[c]),
            })
            .collect();
        padded.join("  ").trim_end().to_owned()
    };
    let mut out = vec![line(headers.to_vec())];
    out.push(line(
        widths
            .iter()
            .map(|&w| "-".repeat(w))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect(),
    ));
    out.extend(
        rows.iter()
            .map(|r| line(r.iter().map(String::as_str).collect())),
    );
    out.join("\n") + "\n"
}

/// Render rows as a Markdown table (same columns as [`table`]).
pub fn markdown(headers: &[&str], right: &[bool], rows: &[Vec<String>]) -> String {
    let mut out = format!("| {} |\n|", headers.join(" | "));
    for &r in right {
        out.push_str(if r { " ---: |" } else { " --- |" });
    }
    out.push('\n');
    for row in rows {
        out.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    out
}

/// The columns of a measured-rows table.
pub const ROW_HEADERS: [&str; 8] = [
    "question",
    "variant",
    "role",
    "param",
    "median",
    "x vs baseline",
    "allocs",
    "peak heap",
];
/// Which of [`ROW_HEADERS`] are numeric.
pub const ROW_RIGHT: [bool; 8] = [false, false, false, true, true, true, true, true];

/// The cells of one measured row, in [`ROW_HEADERS`] order.
pub fn row_cells(row: &Row) -> Vec<String> {
    vec![
        row.question.to_owned(),
        row.variant.to_owned(),
        row.role.to_owned(),
        format!("{} = {}", row.param, count(row.value)),
        duration(row.median_ns),
        row.ratio_vs_baseline.map_or("-".into(), ratio),
        row.allocs.map_or("-".into(), count),
        row.peak_bytes.map_or("-".into(), bytes),
    ]
}

/// The measured exponent beside the claim, one row per variant.
pub fn exponent_cells(run: &LessonRun) -> Vec<Vec<String>> {
    run.exponents
        .iter()
        .map(|(variant, k)| {
            let claimed = run.claimed.get(variant.as_str()).copied().unwrap_or("?");
            vec![variant.clone(), claimed.to_owned(), format!("{k:.2}")]
        })
        .collect()
}

/// Rows that reported metrics: variant, param, and `key = value` pairs.
pub fn metric_cells(rows: &[Row]) -> Vec<Vec<String>> {
    rows.iter()
        .filter(|r| !r.metrics.is_empty())
        .map(|r| {
            let pairs: Vec<String> = r
                .metrics
                .iter()
                .map(|(k, v)| format!("{k} = {}", number(*v)))
                .collect();
            vec![
                r.variant.to_owned(),
                format!("{} = {}", r.param, count(r.value)),
                pairs.join(", "),
            ]
        })
        .collect()
}

/// A metric value: whole numbers with separators, others to 3 decimals.
pub fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        let sign = if v < 0.0 { "-" } else { "" };
        format!("{sign}{}", count(v.abs() as u64))
    } else {
        format!("{v:.3}")
    }
}

/// The distinct items, in the order they first appear (the catalog's
/// order, for rows).
pub fn first_appearances<T: PartialEq>(items: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut seen = Vec::new();
    for item in items {
        if !seen.contains(&item) {
            seen.push(item);
        }
    }
    seen
}

/// Time per call, in the unit that keeps 3 significant digits readable.
pub fn duration(ns: f64) -> String {
    match ns {
        ns if ns < 1e3 => format!("{ns:.1} ns"),
        ns if ns < 1e6 => format!("{:.2} µs", ns / 1e3),
        ns if ns < 1e9 => format!("{:.2} ms", ns / 1e6),
        ns => format!("{:.2} s", ns / 1e9),
    }
}

/// A speed ratio: `3,236x`, `12.5x`, `0.42x`.
pub fn ratio(r: f64) -> String {
    match r {
        r if r >= 100.0 => format!("{}x", count(r.round() as u64)),
        r if r >= 10.0 => format!("{r:.1}x"),
        r => format!("{r:.2}x"),
    }
}

/// A byte count in binary units.
pub fn bytes(b: u64) -> String {
    match b {
        b if b < 1024 => format!("{b} B"),
        b if b < 1 << 20 => format!("{:.1} KiB", b as f64 / 1024.0),
        b if b < 1 << 30 => format!("{:.1} MiB", b as f64 / (1u64 << 20) as f64),
        b => format!("{:.2} GiB", b as f64 / (1u64 << 30) as f64),
    }
}

/// An integer with thousands separators: `10,000`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Figures read the way the book prints them.
    #[test]
    fn figures_are_formatted_for_reading() {
        assert_eq!(count(9_000), "9,000");
        assert_eq!(count(1_000_000), "1,000,000");
        assert_eq!(count(12), "12");
        assert_eq!(ratio(3236.4), "3,236x");
        assert_eq!(ratio(0.5), "0.50x");
        assert_eq!(duration(1_500_000.0), "1.50 ms");
        assert_eq!(bytes(2048), "2.0 KiB");
    }

    /// Columns line up whatever the cell widths.
    #[test]
    fn table_pads_columns() {
        let t = table(
            &["a", "bb"],
            &[false, true],
            &[vec!["xyz".into(), "1".into()]],
        );
        assert_eq!(t, "a    bb\n---  --\nxyz   1\n");
    }
}
