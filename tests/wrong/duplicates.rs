//! Known-wrong answers to the duplicates exercise (`find_duplicates`), each
//! the way a learner writes it, and where the judge must stop it.

use std::collections::{BTreeSet, HashSet};

use workbench::check::duplicates::judge_fn;

use super::{Expect, Wrong};

/// The article's nested loop, its output sized up front: right, one
/// allocation, but O(n²).
fn naive_presized(names: &[String]) -> Vec<&str> {
    let mut repeats = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        if names[..i].contains(name) {
            repeats.push(name.as_str());
        }
    }
    repeats
}

/// A set that starts empty and grows by doubling.
fn set_grows(names: &[String]) -> Vec<&str> {
    let mut seen = HashSet::new();
    names
        .iter()
        .filter(|n| !seen.insert(n.as_str()))
        .map(|n| n.as_str())
        .collect()
}

/// A B-tree: one allocation per node.
fn btree(names: &[String]) -> Vec<&str> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(names.len());
    for n in names {
        if !seen.insert(n.as_str()) {
            out.push(n.as_str());
        }
    }
    out
}

/// Capacity guessed as half the input: the all-repeats input breaks it.
fn half_capacity(names: &[String]) -> Vec<&str> {
    let mut seen = HashSet::with_capacity(names.len());
    let mut out = Vec::with_capacity(names.len() / 2);
    for n in names {
        if !seen.insert(n.as_str()) {
            out.push(n.as_str());
        }
    }
    out
}

/// The first occurrence of each repeated name instead of the later ones.
fn first_occurrences(names: &[String]) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::with_capacity(names.len());
    for (i, n) in names.iter().enumerate() {
        if names[i + 1..].contains(n) && !out.contains(&n.as_str()) {
            out.push(n.as_str());
        }
    }
    out
}

/// Skips the first name on the assumption the list is never empty.
fn assumes_non_empty(names: &[String]) -> Vec<&str> {
    let mut seen = HashSet::with_capacity(names.len());
    seen.insert(names[0].as_str());
    let mut out = Vec::with_capacity(names.len());
    for n in &names[1..] {
        if !seen.insert(n.as_str()) {
            out.push(n.as_str());
        }
    }
    out
}

fn panics(_: &[String]) -> Vec<&str> {
    panic!("not sure what to return yet")
}

#[allow(clippy::empty_loop)]
fn hangs(names: &[String]) -> Vec<&str> {
    let mut i = 0;
    // The index is never advanced.
    while i < names.len() {
        std::hint::black_box(&names[i]);
        i += 0;
    }
    Vec::new()
}

/// Every known-wrong submission, with the stage that must stop it.
pub const WRONG: &[Wrong] = &[
    Wrong {
        name: "naive_presized",
        expect: Expect::Speed,
        run: |j| judge_fn(j, naive_presized),
    },
    Wrong {
        name: "set_grows",
        expect: Expect::Failed("allocation"),
        run: |j| judge_fn(j, set_grows),
    },
    Wrong {
        name: "btree",
        expect: Expect::Failed("allocation"),
        run: |j| judge_fn(j, btree),
    },
    Wrong {
        name: "half_capacity",
        expect: Expect::Failed("allocation"),
        run: |j| judge_fn(j, half_capacity),
    },
    Wrong {
        name: "first_occurrences",
        expect: Expect::Failed("agrees"),
        run: |j| judge_fn(j, first_occurrences),
    },
    Wrong {
        name: "assumes_non_empty",
        expect: Expect::Panicked("agrees"),
        run: |j| judge_fn(j, assumes_non_empty),
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
