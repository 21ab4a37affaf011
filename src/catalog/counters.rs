//! Catalog entry: `lessons/counters`.

use std::hint::black_box;

use counters as lesson;
use counters::exercise::ShardedCounter as Exercised;
use counters::solution::ShardedCounter as Solved;
use counters::spacing::SPACING_INCREMENTS;
use counters::{Counter, INCREMENTS, per_thread};
use proptest::prelude::*;

use super::{Case, Lesson, Param, Question, Role, Row, case};
use crate::check::{self, Exercise, Fail, Judge, Target};
use crate::output::count;

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
                param: Param {
                    name: "threads",
                    unit: "increments",
                    default: 8,
                    sweep: &[1, 2, 4, 8],
                    throughput: |_| INCREMENTS,
                },
                variants: CONTENTION
                    .iter()
                    .map(|row| {
                        row.variant(|f, threads| {
                            let (threads, n) = (threads as usize, per_thread(threads as usize));
                            tally(threads, n, move || f(black_box(threads), black_box(n)))
                        })
                    })
                    .collect(),
            },
            Question {
                name: "false_sharing",
                about: "2 threads, 10,000,000 increments, each thread on its own slot: how far apart?",
                param: Param {
                    name: "spacing",
                    unit: "increments",
                    default: 8,
                    sweep: &[8, 16, 32, 64, 128, 256],
                    throughput: |_| SPACING_INCREMENTS,
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
            budget: "exact counts at 1 to 8 threads; add allocates nothing; at least 3x faster than mutex at 2 threads",
            judge,
        },
    }
}

/// Thread counts and events per thread for random agreement runs.
pub fn runs_strategy() -> impl Strategy<Value = (usize, u64)> {
    (1..=8usize, 0..20_000u64)
}

const RUNS_PER_THREAD_COUNT: usize = 16;
const MIN_SPEEDUP: f64 = 3.0;

fn judge(judge: &mut Judge, target: Target) -> Result<(), check::Failed> {
    match target {
        Target::Exercise => judge_counter::<Exercised>(judge),
        Target::Solution => judge_counter::<Solved>(judge),
    }
}

fn judge_counter<C: Counter>(judge: &mut Judge) -> Result<(), check::Failed> {
    judge.stage("started", "replace the todo!()s with your code", || {
        check::attempt(|| {
            let c = C::new(2);
            c.add(0);
            c.add(1);
            c.sum()
        })
        .map(|_| "it counts".into())
    })?;
    judge.stage(
        "agrees: exact at 1 to 8 threads",
        "a plain load then store loses updates; fetch_add adds in one indivisible step; sum must read every slot",
        || {
            let n = 10_000;
            for threads in 1..=8 {
                for _ in 0..RUNS_PER_THREAD_COUNT {
                    let got = check::attempt(|| lesson::count::<C>(threads, n))?;
                    let want = threads as u64 * n;
                    if got != want {
                        return Err(Fail::Because(format!(
                            "{threads} threads x {n} adds counted {got}, expected {want} ({} lost)",
                            want.saturating_sub(got)
                        )));
                    }
                }
            }
            check::agree_on_random(runs_strategy(), 64, |(threads, n)| {
                let got = check::attempt(|| lesson::count::<C>(threads, n))
                    .map_err(|_| "it panicked on this input".to_owned())?;
                check::same(&(threads as u64 * n), &got)
            })?;
            Ok(format!(
                "{} runs of 10,000 adds per thread at 1 to 8 threads; 64 random runs",
                8 * RUNS_PER_THREAD_COUNT
            ))
        },
    )?;
    judge.stage(
        "allocation budget: none per add",
        "allocate every slot in new(); add must only touch memory that already exists",
        || {
            let counter = check::attempt(|| C::new(8))?;
            let adds = check::within_budget(
                &[1_000, 100_000],
                0,
                |n| format!("for {} adds", count(n)),
                |n| {
                    check::allocations(|| {
                        for i in 0..n {
                            counter.add(black_box(i as usize % 8));
                        }
                    })
                },
            )?;
            let built = check::allocations(|| drop(black_box(C::new(8))))?;
            Ok(format!("{adds}; {built} to build"))
        },
    )?;
    judge.stage(
        "speed: 3x mutex at 2 threads",
        "each thread must write only its own cache lines: pad every slot (CachePadded)",
        || {
            let n = per_thread(2);
            let baseline = case((), move |_| _ = black_box(lesson::mutex(2, n)), |_| 0);
            let mine = case((), move |_| _ = black_box(lesson::count::<C>(2, n)), |_| 0);
            check::faster_than(
                "mutex",
                baseline,
                mine,
                MIN_SPEEDUP,
                "at 2 threads, 1,000,000 adds",
            )
        },
    )
}
