//! Known-wrong answers to the strings exercise (`render_csv`), each the
//! way a learner writes it, and where the judge must stop it.

use std::fmt::Write;

use strings::csv::{Deployment, HEADER};
use workbench::check::strings::judge_fn;

use super::{Expect, Wrong};

/// The article's way: a new string per row.
fn format_per_row(table: &[Deployment]) -> String {
    let mut csv = HEADER.to_owned();
    for d in table {
        csv = format!("{csv}{},{},{}\n", d.name, d.replicas, d.image);
    }
    csv
}

/// Appends into a string that grows by doubling.
fn grows(table: &[Deployment]) -> String {
    let mut csv = String::from(HEADER);
    for d in table {
        let _ = writeln!(csv, "{},{},{}", d.name, d.replicas, d.image);
    }
    csv
}

/// Sized for the bytes, but with at most 2 digits of replicas.
fn two_digits(table: &[Deployment]) -> String {
    let len: usize = HEADER.len()
        + table
            .iter()
            .map(|d| d.name.len() + d.image.len() + 2 + 3)
            .sum::<usize>();
    let mut csv = String::with_capacity(len);
    csv.push_str(HEADER);
    for d in table {
        let _ = writeln!(csv, "{},{},{}", d.name, d.replicas, d.image);
    }
    csv
}

/// Sized in characters, not bytes: short for non-ASCII names.
fn counts_chars(table: &[Deployment]) -> String {
    let digits = |r: u32| r.checked_ilog10().unwrap_or(0) as usize + 1;
    let len: usize = HEADER.len()
        + table
            .iter()
            .map(|d| d.name.chars().count() + d.image.chars().count() + digits(d.replicas) + 3)
            .sum::<usize>();
    let mut csv = String::with_capacity(len);
    csv.push_str(HEADER);
    for d in table {
        let _ = writeln!(csv, "{},{},{}", d.name, d.replicas, d.image);
    }
    csv
}

/// Leaves out the header of an empty table.
fn no_header_when_empty(table: &[Deployment]) -> String {
    if table.is_empty() {
        return String::new();
    }
    grows_presized(table)
}

/// No newline after the last row.
fn no_last_newline(table: &[Deployment]) -> String {
    let mut csv = grows_presized(table);
    if !table.is_empty() {
        csv.pop();
    }
    csv
}

/// Right, in one allocation: what the two above start from.
fn grows_presized(table: &[Deployment]) -> String {
    let digits = |r: u32| r.checked_ilog10().unwrap_or(0) as usize + 1;
    let len: usize = HEADER.len()
        + table
            .iter()
            .map(|d| d.name.len() + d.image.len() + digits(d.replicas) + 3)
            .sum::<usize>();
    let mut csv = String::with_capacity(len);
    csv.push_str(HEADER);
    for d in table {
        let _ = writeln!(csv, "{},{},{}", d.name, d.replicas, d.image);
    }
    csv
}

/// Assumes at least one row.
fn first_row_first(table: &[Deployment]) -> String {
    let first = &table[0];
    let mut csv = grows_presized(&table[1..]);
    csv.insert_str(
        HEADER.len(),
        &format!("{},{},{}\n", first.name, first.replicas, first.image),
    );
    csv
}

fn panics(_: &[Deployment]) -> String {
    unimplemented!("later")
}

fn hangs(table: &[Deployment]) -> String {
    let mut csv = String::new();
    while csv.len() < usize::MAX {
        csv.clear();
        std::hint::black_box(table);
    }
    csv
}

/// Every known-wrong submission, with the stage that must stop it.
pub const WRONG: &[Wrong] = &[
    Wrong {
        name: "format_per_row",
        expect: Expect::Failed("allocation"),
        run: |j| judge_fn(j, format_per_row),
    },
    Wrong {
        name: "grows",
        expect: Expect::Failed("allocation"),
        run: |j| judge_fn(j, grows),
    },
    Wrong {
        name: "two_digits",
        expect: Expect::Failed("allocation"),
        run: |j| judge_fn(j, two_digits),
    },
    Wrong {
        name: "counts_chars",
        expect: Expect::Failed("allocation"),
        run: |j| judge_fn(j, counts_chars),
    },
    Wrong {
        name: "no_header_when_empty",
        expect: Expect::Failed("agrees"),
        run: |j| judge_fn(j, no_header_when_empty),
    },
    Wrong {
        name: "no_last_newline",
        expect: Expect::Failed("agrees"),
        run: |j| judge_fn(j, no_last_newline),
    },
    Wrong {
        name: "first_row_first",
        expect: Expect::Panicked("agrees"),
        run: |j| judge_fn(j, first_row_first),
    },
    Wrong {
        name: "panics",
        expect: Expect::Panicked("started"),
        run: |j| judge_fn(j, panics),
    },
    Wrong {
        name: "hangs",
        expect: Expect::Hangs("started"),
        run: |j| judge_fn(j, hangs),
    },
];
