//! Catalog entry: `lessons/strings`.

use std::borrow::Borrow;
use std::hint::black_box;

use proptest::prelude::*;
use strings as lesson;
use strings::csv::{self, Deployment};

use super::{
    Bound, Budget, Exercise, Gate, Lesson, Param, Question, Role, Row, Speed, Variant, case, digest,
};

/// The shape every log builder shares.
pub type BuildFn = fn(&[String]) -> String;

/// The log builders, slowest first.
pub const BUILD: &[Row<BuildFn>] = &[
    Row {
        name: "plus_equals",
        role: Role::Baseline,
        complexity: "O(n)",
        idea: "the article's `log += f\"{entry}\\n\"` line for line: a new string per entry, appended in place",
        max_param: None,
        f: lesson::plus_equals,
    },
    Row {
        name: "format_concat",
        role: Role::Variant,
        complexity: "O(n²)",
        idea: "a new string per step holding the whole log: what the article says `+=` does",
        max_param: Some(20_000),
        f: lesson::format_concat,
    },
    Row {
        name: "write_fmt",
        role: Role::Variant,
        complexity: "O(n)",
        idea: "one growing String, each line through `writeln!`",
        max_param: None,
        f: lesson::write_fmt,
    },
    Row {
        name: "push_str",
        role: Role::Variant,
        complexity: "O(n)",
        idea: "one String that doubles when full: about log2(bytes) allocations",
        max_param: None,
        f: lesson::push_str,
    },
    Row {
        name: "with_capacity",
        role: Role::Variant,
        complexity: "O(n)",
        idea: "sum the lengths first, allocate once; every push still checks the capacity",
        max_param: None,
        f: lesson::with_capacity,
    },
    Row {
        name: "join",
        role: Role::Optimized,
        complexity: "O(n)",
        idea: "`[String]::join`: sum the lengths, allocate once, copy with no capacity checks",
        max_param: None,
        f: lesson::join,
    },
];

/// The floor: copying the finished log once. Its input is the answer, so
/// it is not a builder and has a row of its own.
pub const LIMIT: Row<fn(&str) -> String> = Row {
    name: "memcpy_limit",
    role: Role::Limit,
    complexity: "O(n)",
    idea: "copy the finished bytes once: one allocation, one memcpy",
    max_param: None,
    f: lesson::memcpy_limit,
};

/// The shape every CSV renderer shares (the exercise's too).
pub type CsvFn = fn(&[Deployment]) -> String;

/// The CSV renderers: the exercise's baseline and a growing one. The
/// exercise's solution is judged by `check strings`, not listed here.
pub const CSV: &[Row<CsvFn>] = &[
    Row {
        name: "csv_format_concat",
        role: Role::Baseline,
        complexity: "O(n²)",
        idea: "`format!` the CSV so far and the next row into a new string",
        max_param: Some(20_000),
        f: csv::csv_format_concat,
    },
    Row {
        name: "csv_push_str",
        role: Role::Variant,
        complexity: "O(n)",
        idea: "one String that doubles when full; `write!` for the number",
        max_param: None,
        f: csv::csv_push_str,
    },
];

/// The same sweep for both questions: the article's 10,000 in the middle.
const SWEEP: &[u64] = &[1_000, 2_000, 5_000, 10_000, 20_000, 100_000, 1_000_000];

/// A case that builds a string from `input` with `f`; the answer is the
/// string's digest, so agreeing variants agree byte for byte.
pub fn built<I, O>(input: O, f: fn(&I) -> String) -> Box<dyn super::Case>
where
    I: ?Sized + 'static,
    O: Borrow<I> + 'static,
{
    case(
        input,
        move |i| drop(black_box(f(i.borrow()))),
        move |i| digest(&f(i.borrow())),
    )
}

/// The exercise's budget.
pub const BUDGET: Budget = Budget {
    agrees_with: "csv_format_concat, byte for byte",
    allocations: Some((1, "one call")),
    layout: None,
    peak_heap: None,
    build_bytes: None,
    statements: None,
    speed: Speed::FasterThan {
        times: 50.0,
        baseline: "csv_format_concat",
        at: "at n = 10,000",
    },
};

/// The catalog entry.
pub fn lesson() -> Lesson {
    let mut build: Vec<Variant> = BUILD
        .iter()
        .map(|row| row.variant(|f, n| built(lesson::entries(n as usize), f)))
        .collect();
    build.push(LIMIT.variant(|f, n| {
        let log = lesson::join(&lesson::entries(n as usize));
        built(log, f)
    }));
    Lesson {
        name: "strings",
        title: "Building a log: concatenation vs one allocation",
        article: "7.7 Performance Optimization: String Operations",
        questions: vec![
            Question {
                name: "log",
                about: "n entries `Log entry {i}` joined by newlines into one string",
                concurrent: false,
                threaded: &[],
                plot: crate::catalog::Plot::Time,
                gate: Some(Gate {
                    at: 2_000,
                    min_ratio: 20.0,
                    apart: &[],
                    flat_from: None,
                }),
                param: Param {
                    name: "n",
                    unit: "entries",
                    default: 10_000,
                    sweep: SWEEP,
                    throughput: |n| n,
                    max: Bound {
                        value: 10_000_000,
                        why: "each entry takes about 56 bytes, every builder prepares its own copy, plus the finished log: past 10,000,000 entries a run needs about 3 GiB",
                    },
                },
                variants: build,
            },
            Question {
                name: "csv",
                about: "n deployments (name, replicas, image) rendered as CSV",
                concurrent: false,
                threaded: &[],
                plot: crate::catalog::Plot::Time,
                gate: None,
                param: Param {
                    name: "n",
                    unit: "rows",
                    default: 10_000,
                    sweep: SWEEP,
                    throughput: |n| n,
                    max: Bound {
                        value: 10_000_000,
                        why: "each row takes about 136 bytes, plus up to 120 for the CSV being built, in every variant's own copy: past 10,000,000 rows a run needs about 3 GiB",
                    },
                },
                variants: CSV.iter().map(csv_variant).collect(),
            },
        ],
        exercise: Exercise {
            function: "render_csv",
            budget: BUDGET,
            yours,
            works_as_shipped: false,
        },
    }
}

/// Tables with names and images from their real alphabets (no comma,
/// quote or newline), empty fields, and replica counts across every digit
/// count, `u32::MAX` included.
pub fn deployments_strategy() -> impl Strategy<Value = Vec<Deployment>> {
    let replicas = prop_oneof![0..20u32, any::<u32>(), Just(u32::MAX), Just(9), Just(10)];
    let row =
        ("[a-z0-9-]{0,12}", replicas, "[a-z0-9./:@-]{0,30}").prop_map(|(name, replicas, image)| {
            Deployment {
                name,
                replicas,
                image,
            }
        });
    prop::collection::vec(row, 0..60)
}

/// A `csv` row as a variant: the lesson's deployments, rendered a run.
fn csv_variant(row: &Row<CsvFn>) -> super::Variant {
    row.variant(|f, n| built(csv::deployments(n as usize), f))
}

/// The learner's `render_csv`, as a row of `csv`.
fn yours() -> (&'static str, super::Variant) {
    (
        "csv",
        csv_variant(&super::yours_row(strings_exercise::render_csv as CsvFn)),
    )
}
