//! Catalog entry: `lessons/memo`.

use std::hint::black_box;

use memo::cache::{self, Replayed};
use memo::{CacheInfo, config};

use super::{
    Bound, Budget, Case, Exercise, Gate, Lesson, Param, Question, Role, Row, Speed, case, digest,
};

pub mod model;

/// The shape every Fibonacci variant shares.
pub type FibFn = fn(u32) -> u128;

/// The Fibonacci variants, slowest first.
pub const FIB: &[Row<FibFn>] = &[
    Row {
        name: "recursive",
        role: Role::Baseline,
        complexity: "O(φⁿ)",
        idea: "the article's fibonacci_slow: both branches recompute everything below",
        max_param: Some(35),
        f: memo::recursive,
    },
    Row {
        name: "memo_hashmap",
        role: Role::Variant,
        complexity: "O(n)",
        idea: "the same recursion with a HashMap of answers passed down by hand",
        max_param: Some(memo::MAX_N as u64),
        f: memo::memo_hashmap,
    },
    Row {
        name: "memoize",
        role: Role::Variant,
        complexity: "O(n)",
        idea: "a generic memoizing wrapper; the body recurses through it (@lru_cache)",
        max_param: Some(memo::MAX_N as u64),
        f: memo::memoize,
    },
    Row {
        name: "iterative",
        role: Role::Optimized,
        complexity: "O(n)",
        idea: "keep only the last two numbers: no table, no heap, no recursion",
        max_param: Some(memo::MAX_N as u64),
        f: memo::iterative,
    },
    Row {
        name: "fast_doubling",
        role: Role::Optimized,
        complexity: "O(log n)",
        idea: "fib(2k) and fib(2k+1) from fib(k) and fib(k+1): one step per bit of n",
        max_param: Some(memo::MAX_N as u64),
        f: memo::fast_doubling,
    },
];

/// The shape every LRU variant shares: replay requests through a cache of
/// the given capacity.
pub type LruFn = fn(usize, &[u64]) -> Replayed;

/// The bounded-cache variants.
pub const LRU: &[Row<LruFn>] = &[
    Row {
        name: "lru_vec_scan",
        role: Role::Baseline,
        complexity: "O(capacity) per miss",
        idea: "a Vec in recency order: search it, rotate the hit to the front",
        max_param: Some(10_000),
        f: cache::lru_vec_scan,
    },
    Row {
        name: "lru_linked",
        role: Role::Optimized,
        complexity: "O(1) per request",
        idea: "hash map to slot index, slots linked by index in recency order",
        max_param: None,
        f: cache::lru_linked,
    },
    Row {
        name: "lru_crate",
        role: Role::Peer,
        complexity: "O(1) per request",
        idea: "the lru crate (pointer-linked nodes), wrapped with counters",
        max_param: None,
        f: cache::lru_crate,
    },
];

/// The shape of the deployment-config variants: serve the calls, return a
/// checksum of what was read and the cache's counters.
pub type ConfigFn = fn(&[&'static str]) -> (u64, CacheInfo);

/// The `get_deployment_config` variants.
pub const CONFIG: &[Row<ConfigFn>] = &[
    Row {
        name: "config_uncached",
        role: Role::Baseline,
        complexity: "O(calls) lookups",
        idea: "every call does the expensive lookup",
        // 25 µs a call: beyond 10,000 calls a run takes seconds.
        max_param: Some(10_000),
        f: config::config_uncached,
    },
    Row {
        name: "config_memoized",
        role: Role::Optimized,
        complexity: "O(environments) lookups",
        idea: "@lru_cache(maxsize=None): the Memoized wrapper, Rc values",
        max_param: None,
        f: config::config_memoized,
    },
    Row {
        name: "config_lru",
        role: Role::Variant,
        complexity: "O(environments) lookups",
        idea: "@lru_cache(maxsize=128): the O(1) LRU cache",
        max_param: None,
        f: config::config_lru,
    },
];

/// Seed of the request stream, everywhere (Python's reference too).
pub const SEED: u64 = 42;

/// The lesson's request stream.
pub fn requests() -> Vec<u64> {
    cache::requests(cache::REQUESTS, cache::KEYS, SEED)
}

/// A case whose every run also yields cache counters: `f` returns a digest
/// of the answer and the counters, which the rows report as metrics.
pub fn counted<I: 'static>(
    input: I,
    f: impl Fn(&I) -> (u64, CacheInfo) + 'static,
) -> Box<dyn Case> {
    struct Counted<I, F> {
        input: I,
        f: F,
        last: Option<CacheInfo>,
    }
    impl<I, F: Fn(&I) -> (u64, CacheInfo)> Case for Counted<I, F> {
        fn run(&mut self) {
            let (_, info) = black_box((self.f)(black_box(&self.input)));
            self.last = Some(info);
        }
        fn answer(&mut self) -> u64 {
            let (answer, info) = (self.f)(&self.input);
            self.last = Some(info);
            answer
        }
        fn metrics(&mut self) -> Vec<(&'static str, f64)> {
            // Every run serves the same input the same way, so the last
            // run's counters are every run's.
            let info = *self.last.get_or_insert_with(|| (self.f)(&self.input).1);
            vec![
                ("hits", info.hits as f64),
                ("misses", info.misses as f64),
                ("evictions", info.evictions as f64),
                ("hit_rate", info.hit_rate()),
            ]
        }
    }
    Box::new(Counted {
        input,
        f,
        last: None,
    })
}

/// The exercise's budget.
pub const BUDGET: Budget = Budget {
    agrees_with: "the LRU model (new, get, put, len, stats)",
    allocations: Some((0, "get")),
    layout: None,
    peak_heap: None,
    build_bytes: None,
    statements: None,
    speed: Speed::FasterThan {
        times: 20.0,
        baseline: "lru_vec_scan",
        at: "replaying the requests at capacity 10,000",
    },
};

/// The catalog entry.
pub fn lesson() -> Lesson {
    Lesson {
        name: "memo",
        title: "Memoization: from exponential Fibonacci to an O(1) LRU cache",
        article: "7.1 Decorators: caching decorator; 7.7 Performance Optimization: Caching and Memoization",
        questions: vec![
            Question {
                name: "fib",
                about: "fib(n) as a u128, by recursion, memo table, loop or doubling",
                concurrent: false,
                threaded: &[],
                plot: crate::catalog::Plot::Time,
                gate: Some(Gate {
                    at: 25,
                    min_ratio: 10_000.0,
                    apart: &[],
                    flat_from: None,
                }),
                param: Param {
                    name: "n",
                    unit: "n",
                    default: 30,
                    sweep: &[10, 15, 20, 25, 30, 35, 50, 90, 186],
                    throughput: |n| n,
                    max: Bound {
                        value: 186,
                        why: "fib(187) does not fit in the 128 bits every variant returns",
                    },
                },
                variants: FIB
                    .iter()
                    .map(|row| {
                        row.variant(|f, n| {
                            let n = n as u32;
                            case(n, move |&n| _ = black_box(f(n)), move |&n| digest(&f(n)))
                        })
                    })
                    .collect(),
            },
            Question {
                name: "lru",
                about: "100,000 Zipf-like requests over 1,000,000 keys through an LRU cache of this capacity",
                concurrent: false,
                threaded: &[],
                plot: crate::catalog::Plot::Time,
                gate: Some(Gate {
                    at: 128,
                    min_ratio: 4.0,
                    apart: &[],
                    flat_from: None,
                }),
                param: Param {
                    name: "capacity",
                    unit: "requests",
                    default: 128,
                    sweep: &[128, 1_000, 10_000, 100_000],
                    throughput: |_| cache::REQUESTS as u64,
                    max: Bound {
                        value: 10_000_000,
                        why: "each unit of capacity is allocated up front, about 71 bytes a slot: past 10,000,000 one cache needs about 700 MiB, and the 100,000 requests touch only 38,564 keys anyway",
                    },
                },
                variants: LRU.iter().map(lru_variant).collect(),
            },
            Question {
                name: "config",
                about: "get_deployment_config for 4 environments, called this many times",
                concurrent: false,
                threaded: &[],
                plot: crate::catalog::Plot::Time,
                gate: Some(Gate {
                    at: 100,
                    min_ratio: 15.0,
                    apart: &[],
                    flat_from: None,
                }),
                param: Param {
                    name: "calls",
                    unit: "calls",
                    default: 100,
                    sweep: &[1, 10, 100, 1_000, 10_000],
                    throughput: |calls| calls,
                    max: Bound {
                        value: 10_000_000,
                        why: "each call is a 16-byte entry in every variant's own list, and a memoized call takes about 15 ns: past 10,000,000 calls a run takes minutes",
                    },
                },
                variants: CONFIG
                    .iter()
                    .map(|row| {
                        row.variant(|f, calls| {
                            counted(config::calls(calls as usize), move |calls| {
                                let (checksum, info) = f(calls);
                                (digest(&checksum), info)
                            })
                        })
                    })
                    .collect(),
            },
        ],
        exercise: Exercise {
            function: "LruCache",
            budget: BUDGET,
            yours,
            works_as_shipped: false,
        },
    }
}

/// An `lru` row as a variant: the lesson's requests, replayed a run.
fn lru_variant(row: &Row<LruFn>) -> super::Variant {
    row.variant(|f, capacity| {
        counted(requests(), move |keys| {
            let replayed = f(capacity as usize, keys);
            (digest(&replayed), replayed.info)
        })
    })
}

/// The learner's `LruCache`, as a row of `lru`.
fn yours() -> (&'static str, super::Variant) {
    let f: LruFn =
        |capacity, keys| cache::replay(&mut memo_exercise::LruCache::new(capacity), keys);
    ("lru", lru_variant(&super::yours_row(f)))
}
