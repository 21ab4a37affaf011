//! Catalog entry: `lessons/duplicates`.

use std::collections::{BTreeSet, HashSet};
use std::hint::black_box;

use duplicates as lesson;
use duplicates::membership;
use proptest::prelude::*;

use super::{
    Bound, Budget, Exercise, Gate, Lesson, Param, Question, Role, Row, Speed, case, digest,
};

/// The shape every duplicate finder shares.
pub type FindFn = for<'a> fn(&'a [String]) -> Vec<&'a str>;

/// The duplicate-search variants, slowest first.
pub const FIND: &[Row<FindFn>] = &[
    Row {
        name: "naive_pairs",
        role: Role::Baseline,
        complexity: "O(n²)",
        idea: "the article's nested loop over every pair, fixed to mark each repeat once",
        max_param: Some(20_000),
        f: lesson::naive_pairs,
    },
    Row {
        name: "naive_scan",
        role: Role::Variant,
        complexity: "O(n²)",
        idea: "scan the prefix, stop at the first match",
        max_param: Some(20_000),
        f: lesson::naive_scan,
    },
    Row {
        name: "sorted",
        role: Role::Variant,
        complexity: "O(n log n)",
        idea: "sort (name, index) pairs so repeats become neighbours",
        max_param: None,
        f: lesson::sorted,
    },
    Row {
        name: "hashed_std",
        role: Role::Variant,
        complexity: "O(n)",
        idea: "a HashSet of names seen (SipHash, grows by doubling)",
        max_param: None,
        f: lesson::hashed_std,
    },
    Row {
        name: "hashed",
        role: Role::Optimized,
        complexity: "O(n)",
        idea: "foldhash, set and output sized up front: two allocations",
        max_param: None,
        f: lesson::hashed,
    },
    Row {
        name: "itertools_unique_by",
        role: Role::Peer,
        complexity: "O(n)",
        idea: "itertools' unique_by marks first occurrences; the rest repeat",
        max_param: None,
        f: lesson::itertools_unique_by,
    },
];

/// The floor's shape: the names, and the positions of their repeats.
pub type LimitFn = for<'a> fn(&'a [String], &[usize]) -> Vec<&'a str>;

/// The floor: hash every name once and write a known answer. Its input
/// holds the answer, so it is not a finder and has a row of its own.
pub const LIMIT: Row<LimitFn> = Row {
    name: "hash_once_limit",
    role: Role::Limit,
    complexity: "O(n)",
    idea: "hash each name once, write the repeats already known: no set at all",
    max_param: None,
    f: lesson::hash_once_limit,
};

/// The positions of the repeats in `names`, for [`LIMIT`]'s input.
pub fn repeat_positions(names: &[String]) -> Vec<usize> {
    let mut seen = HashSet::new();
    (0..names.len())
        .filter(|&i| !seen.insert(names[i].as_str()))
        .collect()
}

/// How a membership variant is set up and asked: build its collection from
/// the deployed names (not timed), then count the queries it finds.
pub type MemberFn = fn(Vec<String>, Vec<String>) -> Box<dyn super::Case>;

/// Queries per call of a membership variant.
pub const QUERIES: usize = 1_000;

/// The membership variants.
pub const MEMBERSHIP: &[Row<MemberFn>] = &[
    Row {
        name: "vec_contains",
        role: Role::Baseline,
        complexity: "O(n) per lookup",
        idea: "`name in list`: scan until found; a miss reads everything",
        max_param: Some(100_000),
        f: |names, queries| counted((names, queries), |(v, q)| membership::vec_contains(v, q)),
    },
    Row {
        name: "binary_search",
        role: Role::Variant,
        complexity: "O(log n) per lookup",
        idea: "sort once, then halve the range per comparison",
        max_param: None,
        f: |mut names, queries| {
            names.sort_unstable();
            counted((names, queries), |(v, q)| membership::binary_search(v, q))
        },
    },
    Row {
        name: "hash_set",
        role: Role::Optimized,
        complexity: "O(1) per lookup",
        idea: "hash the query, probe one group of slots",
        max_param: None,
        f: |names, queries| {
            let set: HashSet<String> = names.into_iter().collect();
            counted((set, queries), |(s, q)| membership::hash_set(s, q))
        },
    },
    Row {
        name: "btree_set",
        role: Role::Variant,
        complexity: "O(log n) per lookup",
        idea: "ordered B-tree: a few wide nodes per lookup",
        max_param: None,
        f: |names, queries| {
            let set: BTreeSet<String> = names.into_iter().collect();
            counted((set, queries), |(s, q)| membership::btree_set(s, q))
        },
    },
];

/// A case whose answer is a count of hits.
fn counted<I: 'static>(input: I, f: fn(&I) -> usize) -> Box<dyn super::Case> {
    case(input, move |i| _ = black_box(f(i)), move |i| f(i) as u64)
}

/// The exercise's budget.
pub const BUDGET: Budget = Budget {
    agrees_with: "naive_pairs",
    allocations: Some((2, "one call")),
    layout: None,
    peak_heap: None,
    build_bytes: None,
    statements: None,
    speed: Speed::FasterThan {
        times: 100.0,
        baseline: "naive_pairs",
        at: "at n = 10,000",
    },
};

/// The catalog entry.
pub fn lesson() -> Lesson {
    Lesson {
        name: "duplicates",
        title: "Duplicate search: quadratic vs hashed",
        article: "7.7 Performance Optimization: Algorithm Complexity; Data Structure Selection",
        questions: vec![
            Question {
                name: "duplicates",
                about: "names that repeat an earlier name, in input order",
                concurrent: false,
                threaded: &[],
                plot: crate::catalog::Plot::Time,
                gate: Some(Gate {
                    at: 2_000,
                    min_ratio: 100.0,
                    apart: &[],
                    flat_from: None,
                }),
                param: Param {
                    name: "n",
                    unit: "names",
                    default: 10_000,
                    sweep: &[1_000, 2_000, 5_000, 10_000, 20_000, 100_000, 1_000_000],
                    throughput: |n| n,
                    max: Bound {
                        value: 10_000_000,
                        why: "each name takes about 56 bytes, every variant prepares its own copy and the hash set adds up to 55 bytes a name: past 10,000,000 names a run needs about 3 GiB",
                    },
                },
                variants: FIND
                    .iter()
                    .map(find_variant)
                    .chain([LIMIT.variant(|f, n| {
                        let names = lesson::deployments(n as usize);
                        let repeats = repeat_positions(&names);
                        case(
                            (names, repeats),
                            move |(v, r)| drop(black_box(f(v, r))),
                            move |(v, r)| digest(&f(v, r)),
                        )
                    })])
                    .collect(),
            },
            Question {
                name: "membership",
                about: "how many of 1,000 queries (half hits) are deployed, by collection",
                concurrent: false,
                threaded: &[],
                plot: crate::catalog::Plot::Time,
                gate: Some(Gate {
                    at: 10_000,
                    min_ratio: 200.0,
                    apart: &[],
                    flat_from: None,
                }),
                param: Param {
                    name: "n",
                    unit: "lookups",
                    default: 10_000,
                    sweep: &[100, 1_000, 10_000, 100_000, 1_000_000],
                    throughput: |_| QUERIES as u64,
                    max: Bound {
                        value: 10_000_000,
                        why: "the sorted list, the hash set and the B-tree of the names are held at once, about 220 bytes a name: past 10,000,000 a run needs about 3 GiB",
                    },
                },
                variants: MEMBERSHIP
                    .iter()
                    .map(|row| {
                        row.variant(|f, n| {
                            let n = n as usize;
                            f(membership::deployed(n), membership::queries(n, QUERIES))
                        })
                    })
                    .collect(),
            },
        ],
        exercise: Exercise {
            function: "find_duplicates",
            budget: BUDGET,
            yours,
            works_as_shipped: false,
        },
    }
}

/// Names drawn from a small alphabet, so random lists have repeats.
pub fn names_strategy() -> impl Strategy<Value = Vec<String>> {
    prop_oneof![
        prop::collection::vec("[a-c]{0,2}", 0..40),
        prop::collection::vec("app-[0-9]{1,3}", 0..200),
    ]
}

/// A `find` row as a variant: the lesson's names, one call a run.
fn find_variant(row: &Row<FindFn>) -> super::Variant {
    row.variant(|f, n| {
        let names = lesson::deployments(n as usize);
        case(
            names,
            move |v| drop(black_box(f(v))),
            move |v| digest(&f(v)),
        )
    })
}

/// The learner's `find_duplicates`, as a row of `find`.
fn yours() -> (&'static str, super::Variant) {
    (
        "duplicates",
        find_variant(&super::yours_row(
            duplicates_exercise::find_duplicates as FindFn,
        )),
    )
}
