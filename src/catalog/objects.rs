//! Catalog entry: `lessons/objects`.

use std::hint::black_box;

use objects::api::{self, Deployment, Store};
use objects::{dispatch, layout, lazy, validate};

use super::{
    Bound, Budget, Case, Exercise, Gate, Lesson, Param, Plot, Question, Role, Row, Speed, case,
    digest,
};

/// A store built from the deployments, boxed behind the contract's scan.
pub type BuildFn = fn(&[Deployment]) -> Box<dyn Scan>;

/// What the `scan` question times: the sum, and what a test compares.
pub trait Scan {
    /// The replicas added up.
    fn total(&self) -> u64;
    /// Every deployment, in order.
    fn rows(&self) -> Vec<Deployment>;
}

impl<S: Store> Scan for S {
    fn total(&self) -> u64 {
        self.total_replicas()
    }
    fn rows(&self) -> Vec<Deployment> {
        self.to_vec()
    }
}

/// The layouts.
pub const LAYOUTS: &[Row<BuildFn>] = &[
    Row {
        name: "dict_objects",
        role: Role::Baseline,
        complexity: "O(n), a hash lookup each",
        idea: "the article's objects: a __dict__ per deployment, replicas looked up by name",
        max_param: None,
        f: |d| Box::new(layout::dict_objects(d)),
    },
    Row {
        name: "structs",
        role: Role::Variant,
        complexity: "O(n)",
        idea: "what __slots__ approaches: owned fields in place, a Vec of structs",
        max_param: None,
        f: |d| Box::new(layout::structs(d)),
    },
    Row {
        name: "boxed_structs",
        role: Role::Variant,
        complexity: "O(n), a pointer each",
        idea: "the same structs, each in a box: a pointer to follow per deployment, as a list of objects has",
        max_param: None,
        f: |d| Box::new(layout::boxed_structs(d)),
    },
    Row {
        name: "compact_structs",
        role: Role::Variant,
        complexity: "O(n)",
        idea: "compact fields: Box<str> strings, u16 replicas, a one-byte status; 40 bytes in place",
        max_param: None,
        f: |d| Box::new(layout::compact_structs(d)),
    },
    Row {
        name: "columns",
        role: Role::Optimized,
        complexity: "O(n), 32 per cache line",
        idea: "one column per field, strings back to back in one buffer: the scan reads a packed Vec<u16>",
        max_param: None,
        f: |d| Box::new(layout::columns(d)),
    },
];

/// A store of the lesson's deployments, and what building it left on the
/// heap.
struct ScanCase {
    store: Box<dyn Scan>,
    n: u64,
    held: Option<u64>,
}

impl Case for ScanCase {
    fn run(&mut self) {
        black_box(self.store.total());
    }
    fn answer(&mut self) -> u64 {
        digest(&self.store.total())
    }
    fn metrics(&mut self) -> Vec<(&'static str, f64)> {
        // The heap the store holds, and the store's own inline bytes
        // (a `Box<dyn Scan>` points at it), per deployment.
        self.held
            .map(|held| vec![("bytes_per_object", held as f64 / self.n.max(1) as f64)])
            .unwrap_or_default()
    }
}

/// The `scan` case of `build` on the lesson's `n` deployments.
pub fn scan_case(build: BuildFn, n: u64) -> Box<dyn Case> {
    let deployments = api::deployments(n as usize);
    let (store, stats) = crate::alloc::count(|| build(&deployments));
    Box::new(ScanCase {
        store,
        n,
        held: stats.map(|s| s.held),
    })
}

/// Calls of a question measured in calls, `n` of them; the answer.
pub type CallsFn<T> = fn(u64) -> T;

/// The exercise's budget.
pub const BUDGET: Budget = Budget {
    agrees_with: "dict_objects",
    allocations: None,
    layout: None,
    peak_heap: None,
    build_bytes: Some((48, "from the lesson's 100,000 deployments, per deployment")),
    statements: None,
    speed: Speed::FasterThan {
        times: 50.0,
        baseline: "dict_objects",
        at: "at n = 100,000",
    },
};

/// A question of `n` calls of each row's function, its answer digested.
fn calls_question<T: std::hash::Hash + 'static>(rows: &[Row<CallsFn<T>>]) -> Vec<super::Variant> {
    rows.iter()
        .map(|row| {
            row.variant(|f, n| {
                case(
                    n,
                    move |&n| {
                        black_box(f(n));
                    },
                    move |&n| digest(&f(n)),
                )
            })
        })
        .collect()
}

/// Sets through a descriptor or a type.
pub const VALIDATE: &[Row<CallsFn<Result<i64, validate::SetError>>>] = &[
    Row {
        name: "descriptor",
        role: Role::Baseline,
        complexity: "O(1) per set: a box, a type check, a map insert",
        idea: "the article's TypedProperty: each value boxed as Any, its type checked at run time, stored in a map",
        max_param: None,
        f: validate::descriptor,
    },
    Row {
        name: "newtype",
        role: Role::Optimized,
        complexity: "O(1) per set: a range check",
        idea: "Replicas::new checks the range once; the type is the compiler's to check, so a set is a store",
        max_param: None,
        f: validate::newtype,
    },
];

/// Reads of a value computed once.
pub const LAZY: &[Row<CallsFn<usize>>] = &[
    Row {
        name: "dict_cache",
        role: Role::Baseline,
        complexity: "O(1) per read: a hash lookup",
        idea: "the article's LazyProperty: computed on the first read into the instance's dict, looked up there on every read",
        max_param: None,
        f: lazy::dict_cache,
    },
    Row {
        name: "recompute",
        role: Role::Variant,
        complexity: "O(1) per read: a format! each",
        idea: "a plain @property: the URL formatted again on every read",
        max_param: None,
        f: lazy::recompute,
    },
    Row {
        name: "mutex_option",
        role: Role::Variant,
        complexity: "O(1) per read: a lock each",
        idea: "computed once into a Mutex<Option<String>>, locked on every read",
        max_param: None,
        f: lazy::mutex_option,
    },
    Row {
        name: "once_lock",
        role: Role::Optimized,
        complexity: "O(1) per read: one load",
        idea: "the article's LazyProperty as OnceLock: set once, then read without a lock",
        max_param: None,
        f: lazy::once_lock,
    },
];

/// Calls of a singleton's constructor.
pub const SINGLETON: &[Row<CallsFn<u64>>] = &[
    Row {
        name: "mutex_registry",
        role: Role::Baseline,
        complexity: "O(1) per call: a lock and a hash",
        idea: "the article's SingletonMeta: a dict of instances by class, behind a lock, every call",
        max_param: None,
        f: lazy::mutex_registry,
    },
    Row {
        name: "once_lock_static",
        role: Role::Optimized,
        complexity: "O(1) per call: one load",
        idea: "a static OnceLock: made by the first call, read without a lock by every other",
        max_param: None,
        f: lazy::once_lock_static,
    },
];

/// The singleton shared by threads.
pub const SINGLETON_THREADS: &[Row<CallsFn<u64>>] = &[
    Row {
        name: "mutex_registry_threads",
        role: Role::Baseline,
        complexity: "one lock, shared",
        idea: "the article's SingletonMeta on every thread: they queue for its lock",
        max_param: None,
        f: lazy::mutex_registry_threads,
    },
    Row {
        name: "once_lock_threads",
        role: Role::Optimized,
        complexity: "no lock",
        idea: "the static OnceLock on every thread: a load each, nothing shared is written",
        max_param: None,
        f: lazy::once_lock_threads,
    },
];

/// Factory calls by kind.
pub const DISPATCH: &[Row<CallsFn<Result<u64, String>>>] = &[
    Row {
        name: "registry_lookup",
        role: Role::Baseline,
        complexity: "O(1) per call: a hash of the name and a box",
        idea: "the article's RegistryMeta and create_deployment: the class found by name, an object made, every call",
        max_param: None,
        f: dispatch::registry_lookup,
    },
    Row {
        name: "trait_object",
        role: Role::Variant,
        complexity: "O(1) per call: an indirect call",
        idea: "an open set: a Box<dyn Deploy> per kind, made once, called through its vtable",
        max_param: None,
        f: dispatch::trait_object,
    },
    Row {
        name: "enum_match",
        role: Role::Optimized,
        complexity: "O(1) per call: a jump",
        idea: "a closed set: an enum and a match the compiler checks is complete",
        max_param: None,
        f: dispatch::enum_match,
    },
];

/// A `calls` parameter: n calls, 1,000 to 100,000.
fn calls(what: &'static str, max_why: &'static str) -> Param {
    Param {
        name: "n",
        unit: what,
        default: 1_000,
        sweep: &[1_000, 100_000],
        throughput: |n| n,
        max: Bound {
            value: 100_000_000,
            why: max_why,
        },
    }
}

/// The catalog entry.
pub fn lesson() -> Lesson {
    Lesson {
        name: "objects",
        title: "What an object costs: dicts, structs and columns; descriptors, lazy values, singletons",
        article: "7.6 Metaclasses and Descriptors; 7.7 __slots__",
        questions: vec![
            Question {
                name: "scan",
                about: "add up the replicas of n deployments, held four ways; and the heap each way holds per deployment",
                concurrent: false,
                threaded: &[],
                plot: Plot::Time,
                gate: Some(Gate {
                    at: 100_000,
                    min_ratio: 5.0,
                    apart: &[],
                    flat_from: None,
                }),
                param: Param {
                    name: "n",
                    unit: "deployments",
                    default: 100_000,
                    sweep: &[1_000, 10_000, 100_000, 1_000_000],
                    throughput: |n| n,
                    max: Bound {
                        value: 10_000_000,
                        why: "a deployment as a dict holds about 300 bytes: past 10,000,000 the dicts alone need over 3 GB",
                    },
                },
                variants: LAYOUTS
                    .iter()
                    .map(|row| row.variant(|f, n| scan_case(f, n)))
                    .collect(),
            },
            Question {
                name: "validate",
                about: "n sets of a deployment's replicas, each value checked",
                concurrent: false,
                threaded: &[],
                plot: Plot::Time,
                gate: Some(Gate {
                    at: 1_000,
                    min_ratio: 5.0,
                    apart: &[],
                    flat_from: None,
                }),
                param: calls(
                    "sets",
                    "past 100,000,000 sets one call of the descriptor takes seconds",
                ),
                variants: calls_question(VALIDATE),
            },
            Question {
                name: "lazy",
                about: "n reads of a value that is computed once (the article's database URL)",
                concurrent: false,
                threaded: &[],
                plot: Plot::Time,
                gate: Some(Gate {
                    at: 1_000,
                    min_ratio: 5.0,
                    apart: &[],
                    flat_from: None,
                }),
                param: calls(
                    "reads",
                    "past 100,000,000 reads one call of recompute takes seconds",
                ),
                variants: calls_question(LAZY),
            },
            Question {
                name: "singleton",
                about: "n calls for the one DatabaseConnection, on one thread",
                concurrent: false,
                threaded: &[],
                plot: Plot::Time,
                gate: Some(Gate {
                    at: 1_000,
                    min_ratio: 10.0,
                    apart: &[],
                    flat_from: None,
                }),
                param: calls(
                    "calls",
                    "past 100,000,000 calls one call of the registry takes seconds",
                ),
                variants: calls_question(SINGLETON),
            },
            Question {
                name: "singleton_threads",
                about: "this many threads each make 100,000 calls for the one DatabaseConnection",
                concurrent: true,
                threaded: &[],
                plot: Plot::Time,
                gate: None,
                param: super::threads_param(|threads| threads * lazy::PER_THREAD),
                variants: calls_question(SINGLETON_THREADS),
            },
            Question {
                name: "dispatch",
                about: "n deployments made and deployed by kind, the kinds in turn",
                concurrent: false,
                threaded: &[],
                plot: Plot::Time,
                gate: Some(Gate {
                    at: 1_000,
                    min_ratio: 3.0,
                    apart: &[],
                    flat_from: None,
                }),
                param: calls(
                    "calls",
                    "past 100,000,000 calls one call of the registry takes seconds",
                ),
                variants: calls_question(DISPATCH),
            },
        ],
        exercise: Exercise {
            function: "ColumnStore",
            budget: BUDGET,
            yours,
            works_as_shipped: false,
        },
    }
}

/// The learner's `ColumnStore`, as a row of `scan`.
fn yours() -> (&'static str, super::Variant) {
    let f: BuildFn = |d| Box::new(objects_exercise::ColumnStore::build(d));
    ("scan", super::yours_row(f).variant(|f, n| scan_case(f, n)))
}
