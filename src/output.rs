//! Tables and JSON for people and scripts.

use crate::fmt::{bytes, count, duration, duration_range, number, ratio};
use crate::measure::{LessonRun, Measurement};

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
        // A `|` in a cell would end it: escaped, it is shown as itself.
        let cells: Vec<String> = row.iter().map(|c| c.replace('|', "\\|")).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

/// The columns of a measured-rows table.
pub const ROW_HEADERS: [&str; 9] = [
    "question",
    "variant",
    "role",
    "param",
    "median",
    "rounds: fastest–slowest",
    "x vs baseline",
    "allocs",
    "peak heap",
];
/// Which of [`ROW_HEADERS`] are numeric.
pub const ROW_RIGHT: [bool; 9] = [false, false, false, true, true, true, true, true, true];

/// The columns of a run's table, [`ROW_HEADERS`] and, where the run
/// counted instructions, `instructions`: headers, which are numeric, and
/// each row's cells.
pub fn run_table(
    run: &LessonRun,
    rows: &[&Measurement],
) -> (Vec<&'static str>, Vec<bool>, Vec<Vec<String>>) {
    let counted = run.instructions.is_some();
    let mut headers = ROW_HEADERS.to_vec();
    let mut right = ROW_RIGHT.to_vec();
    if counted {
        headers.push("instructions");
        right.push(true);
    }
    let cells = rows
        .iter()
        .map(|row| {
            let mut cells = row_cells(row);
            if counted {
                cells.push(instructions_cell(row));
            }
            cells
        })
        .collect();
    (headers, right, cells)
}

/// The line under a table of counted instructions: what a count is, and
/// what it reproduces on.
pub fn instructions_line(counted: &crate::callgrind::Counted) -> String {
    format!(
        "instructions: one call under {}, CPU features seen {}; a count reproduces for this binary and these features",
        counted.valgrind,
        counted.cpu_features.join(" ")
    )
}

/// The line printed under a table whose ratios can carry the mark `~`.
pub const NOT_SEPARATED: &str = "~ before a ratio: this row's rounds and the baseline's overlap, so this run does not separate the two";

/// The cells of one measured row, in [`ROW_HEADERS`] order.
pub fn row_cells(row: &Measurement) -> Vec<String> {
    vec![
        row.question.to_owned(),
        row.variant.to_owned(),
        row.role.to_owned(),
        format!("{} = {}", row.param, count(row.value)),
        duration(row.median_ns),
        format!(
            "{} ({})",
            duration_range(row.min_ns, row.max_ns),
            row.rounds
        ),
        ratio_cell(row),
        row.allocs.map_or("-".into(), count),
        row.peak_bytes.map_or("-".into(), bytes),
    ]
}

/// A row's speed against the baseline: `12.5x`, `~1.13x` where this run
/// does not separate them, what it got wrong for a flawed row, `-` where
/// the baseline did not run.
pub fn ratio_cell(row: &Measurement) -> String {
    match (row.ratio_vs_baseline, row.separated) {
        (_, _) if row.role == "flawed" => wrong(row),
        (Some(r), Some(false)) => format!("~{}", ratio(r)),
        (Some(r), _) => ratio(r),
        (None, _) => "-".into(),
    }
}

/// What a flawed row got wrong, in place of a speed: `lost 171,641 of
/// 1,000,000` where it counts its lost updates.
fn wrong(row: &Measurement) -> String {
    match (row.metrics.get("lost_updates"), row.metrics.get("expected")) {
        (Some(&lost), Some(&expected)) => format!(
            "lost {} of {}",
            count(lost.round() as u64),
            count(expected.round() as u64)
        ),
        _ => "wrong answers".into(),
    }
}

/// A row's instructions per call, or why it has none.
pub fn instructions_cell(row: &Measurement) -> String {
    match (row.instructions, row.instructions_note) {
        (Some(n), _) => count(n),
        (None, Some(note)) => note.to_owned(),
        (None, None) => "-".to_owned(),
    }
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

/// The measured exponent of each reported figure, one row per (figure,
/// variant).
pub fn metric_exponent_cells(run: &LessonRun) -> Vec<Vec<String>> {
    run.metric_exponents
        .iter()
        .flat_map(|(metric, fits)| {
            fits.iter()
                .map(move |(variant, k)| vec![metric.clone(), variant.clone(), format!("{k:.2}")])
        })
        .collect()
}

/// A metric's value in the unit its name carries: `per_call_ns`,
/// `timer_late_ms` and `us_each` as durations, `…bytes…` as bytes, `hit_rate` as a percentage,
/// counts with separators, anything else to 3 significant figures.
pub fn metric(name: &str, v: f64) -> String {
    if name.ends_with("_ns") {
        duration(v)
    } else if name.ends_with("_ms") {
        duration(v * 1e6)
    } else if name.starts_with("us_") || name.ends_with("_us") {
        duration(v * 1e3)
    } else if name.contains("bytes") {
        bytes(v.round().max(0.0) as u64)
    } else if name.ends_with("rate") {
        format!("{:.1}%", v * 100.0)
    } else if v.fract() == 0.0 {
        number(v)
    } else {
        crate::fmt::significant(v)
    }
}

/// Rows that reported metrics: variant, param, and `key = value` pairs.
pub fn metric_cells(rows: &[Measurement]) -> Vec<Vec<String>> {
    rows.iter()
        .filter(|r| !r.metrics.is_empty())
        .map(|r| {
            let pairs: Vec<String> = r
                .metrics
                .iter()
                .map(|(k, v)| format!("{k} = {}", metric(k, *v)))
                .collect();
            vec![
                r.variant.to_owned(),
                format!("{} = {}", r.param, count(r.value)),
                pairs.join(", "),
            ]
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

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
