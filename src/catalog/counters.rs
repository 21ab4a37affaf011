//! Catalog entry: `lessons/counters`.

use std::hint::black_box;

use counters as lesson;
use counters::spacing::SPACING_INCREMENTS;
use counters::{INCREMENTS, per_thread};
use proptest::prelude::*;

use super::{Bound, Budget, Case, Exercise, Lesson, Param, Question, Role, Row, Speed};

/// The shape every counter variant shares: `(threads, per_thread)` to the
/// final count.
pub type CountFn = fn(usize, u64) -> u64;

/// The counters, the flawed one first, then roughly slowest to fastest.
pub const CONTENTION: &[Row<CountFn>] = &[
    Row {
        name: "racy_load_store",
        role: Role::Flawed,
        complexity: "O(1) per add",
        idea: "the article's UnsafeCounter: atomic load, then store: loses updates",
        max_param: None,
        f: lesson::racy_load_store,
    },
    Row {
        name: "mutex",
        role: Role::Baseline,
        complexity: "O(1) per add, serial",
        idea: "the article's SafeCounter: std's Mutex<u64> around the read-add-write",
        max_param: None,
        f: lesson::mutex,
    },
    Row {
        name: "rwlock_write",
        role: Role::Variant,
        complexity: "O(1) per add, serial",
        idea: "std's RwLock, only ever locked for writing: the wrong tool",
        max_param: None,
        f: lesson::rwlock_write,
    },
    Row {
        name: "parking_lot_mutex",
        role: Role::Peer,
        complexity: "O(1) per add, serial",
        idea: "parking_lot's one-byte mutex",
        max_param: None,
        f: lesson::parking_lot_mutex,
    },
    Row {
        name: "atomic_fetch_add",
        role: Role::Variant,
        complexity: "O(1) per add, serial",
        idea: "one lock-free fetch_add(Relaxed) on one shared atomic",
        max_param: None,
        f: lesson::atomic_fetch_add,
    },
    Row {
        name: "sharded_false_sharing",
        role: Role::Variant,
        complexity: "O(1) per add",
        idea: "an atomic slot per thread, 8 bytes apart: slots share cache lines",
        max_param: None,
        f: lesson::sharded_false_sharing,
    },
    Row {
        name: "sharded_padded",
        role: Role::Optimized,
        complexity: "O(1) per add",
        idea: "an atomic slot per thread in CachePadded: no line is shared",
        max_param: None,
        f: lesson::sharded_padded,
    },
    Row {
        name: "thread_local_merge",
        role: Role::Limit,
        complexity: "O(1) per add",
        idea: "count in a local, hand it back at the end: nothing shared",
        max_param: None,
        f: lesson::thread_local_merge,
    },
];

/// The spacing question's one variant: `(threads, per_thread, spacing)`.
pub type SpacedFn = fn(usize, u64, usize) -> u64;

/// Threads in the spacing question: one per core of a 2-core machine.
pub const SPACING_THREADS: usize = 2;

/// The spacing question's variant.
pub const SPACING: &[Row<SpacedFn>] = &[Row {
    name: "spaced_slots",
    role: Role::Baseline,
    complexity: "O(1) per add",
    idea: "2 threads, a slot each, `spacing` bytes apart",
    max_param: None,
    f: lesson::spacing::spaced_slots,
}];

/// A counter run as a [`Case`]: every call's count is checked against
/// `threads × per_thread`, and the shortfall reported as lost updates.
struct Tally<F> {
    count: F,
    expected: u64,
    calls: u64,
    lost: u64,
    worst: u64,
}

impl<F: FnMut() -> u64> Tally<F> {
    fn tally(&mut self) -> u64 {
        let got = (self.count)();
        let lost = self.expected.saturating_sub(got);
        self.calls += 1;
        self.lost += lost;
        self.worst = self.worst.max(lost);
        got
    }
}

impl<F: FnMut() -> u64> Case for Tally<F> {
    fn run(&mut self) {
        black_box(self.tally());
    }
    fn answer(&mut self) -> u64 {
        self.tally()
    }
    fn metrics(&mut self) -> Vec<(&'static str, f64)> {
        vec![
            ("expected", self.expected as f64),
            ("calls", self.calls as f64),
            (
                "lost_updates",
                (self.lost as f64 / self.calls.max(1) as f64).round(),
            ),
            ("lost_max", self.worst as f64),
        ]
    }
}

fn tally(threads: usize, per_thread: u64, count: impl FnMut() -> u64 + 'static) -> Box<dyn Case> {
    Box::new(Tally {
        count,
        expected: threads as u64 * per_thread,
        calls: 0,
        lost: 0,
        worst: 0,
    })
}

/// The exercise's budget.
pub const BUDGET: Budget = Budget {
    agrees_with: "threads × per_thread, exactly, at 1 to 8 threads",
    allocations: Some((0, "add")),
    layout: Some("each thread's add writes only its own 128-byte block"),
    peak_heap: None,
    build_bytes: None,
    statements: None,
    speed: Speed::FasterThan {
        times: 3.0,
        baseline: "mutex",
        at: "at 2 threads, 1,000,000 adds",
    },
};

/// The catalog entry.
pub fn lesson() -> Lesson {
    Lesson {
        name: "counters",
        title: "A counter shared by threads: locks, atomics, sharding",
        article: "7.5 Concurrency with Threading and Multiprocessing: Thread Safety",
        questions: vec![
            Question {
                name: "contention",
                about: "1,000,000 increments of one count, spread over the threads",
                concurrent: true,
                threaded: &[],
                plot: crate::catalog::Plot::Time,
                gate: None,
                param: Param {
                    name: "threads",
                    unit: "increments",
                    default: 8,
                    sweep: &[1, 2, 4, 8],
                    throughput: |_| INCREMENTS,
                    max: Bound {
                        value: 1_024,
                        why: "every variant starts one OS thread per unit, all alive at once, for 1,000,000 increments in all: past 1,024 threads a run measures thread start-up rather than contention, and nears the system's thread limits",
                    },
                },
                variants: CONTENTION.iter().map(contention_variant).collect(),
            },
            Question {
                name: "false_sharing",
                about: "2 threads, 10,000,000 increments, each thread on its own slot: how far apart?",
                concurrent: true,
                threaded: &[],
                plot: crate::catalog::Plot::Spacing,
                gate: None,
                param: Param {
                    name: "spacing",
                    unit: "increments",
                    default: 8,
                    sweep: &[8, 16, 32, 64, 128, 256],
                    throughput: |_| SPACING_INCREMENTS,
                    max: Bound {
                        value: 4_096,
                        why: "the two slots sit `spacing` bytes apart in one array: a page (4,096 bytes) already separates them completely, so a larger spacing only grows the array",
                    },
                },
                variants: SPACING
                    .iter()
                    .map(|row| {
                        row.variant(|f, spacing| {
                            let threads = SPACING_THREADS;
                            let n = SPACING_INCREMENTS / threads as u64;
                            let spacing = spacing as usize;
                            tally(threads, n, move || f(threads, black_box(n), spacing))
                        })
                    })
                    .collect(),
            },
        ],
        exercise: Exercise {
            function: "ShardedCounter",
            budget: BUDGET,
            yours,
            works_as_shipped: false,
        },
    }
}

/// Thread counts and events per thread for random agreement runs.
pub fn runs_strategy() -> impl Strategy<Value = (usize, u64)> {
    (1..=8usize, 0..20_000u64)
}

/// A `contention` row as a variant.
fn contention_variant(row: &Row<CountFn>) -> super::Variant {
    row.variant(|f, threads| {
        let (threads, n) = (threads as usize, per_thread(threads as usize));
        tally(threads, n, move || f(black_box(threads), black_box(n)))
    })
}

/// The learner's `ShardedCounter`, as a row of `contention`.
fn yours() -> (&'static str, super::Variant) {
    let f: CountFn = lesson::count::<counters_exercise::ShardedCounter>;
    ("contention", contention_variant(&super::yours_row(f)))
}
