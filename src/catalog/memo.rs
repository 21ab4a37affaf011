//! Catalog entry: `lessons/memo`.

use std::hint::black_box;

use memo::cache::{self, Lru, Replayed};
use memo::{CacheInfo, config};

use super::{Case, Lesson, Param, Question, Role, Row, case, digest};
use crate::check::{self, Exercise, Fail, Judge, Target};

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
fn counted<I: 'static>(input: I, f: impl Fn(&I) -> (u64, CacheInfo) + 'static) -> Box<dyn Case> {
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
                param: Param {
                    name: "n",
                    unit: "n",
                    default: 30,
                    sweep: &[10, 15, 20, 25, 30, 35, 50, 90, 186],
                    throughput: |n| n,
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
                param: Param {
                    name: "capacity",
                    unit: "requests",
                    default: 128,
                    sweep: &[128, 1_000, 10_000, 100_000],
                    throughput: |_| cache::REQUESTS as u64,
                },
                variants: LRU
                    .iter()
                    .map(|row| {
                        row.variant(|f, capacity| {
                            counted(requests(), move |keys| {
                                let replayed = f(capacity as usize, keys);
                                (digest(&replayed), replayed.info)
                            })
                        })
                    })
                    .collect(),
            },
            Question {
                name: "config",
                about: "get_deployment_config for 4 environments, called this many times",
                param: Param {
                    name: "calls",
                    unit: "calls",
                    default: 100,
                    sweep: &[1, 10, 100, 1_000, 10_000],
                    throughput: |calls| calls,
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
            function: "get",
            budget: "LruCache (new, get, put, len, stats) agrees with the LRU model; get allocates nothing; replaying the requests at least 20x faster than lru_vec_scan at capacity 10,000",
            judge,
        },
    }
}

const MIN_SPEEDUP: f64 = 20.0;

fn judge(judge: &mut Judge, target: Target) -> Result<(), check::Failed> {
    match target {
        Target::Exercise => judge_cache::<memo::exercise::LruCache<u64, u64>>(judge),
        Target::Solution => judge_cache::<memo::solution::LruCache<u64, u64>>(judge),
    }
}

fn judge_cache<C: Lru<u64, u64> + 'static>(judge: &mut Judge) -> Result<(), check::Failed> {
    judge.stage("started", "replace the todo!()s with your code", || {
        check::attempt(|| {
            let mut cache = C::new(2);
            cache.put(1, 10);
            _ = cache.get(&1).copied();
            (cache.len(), cache.stats())
        })
        .map(|_| "new, put, get, len and stats return".into())
    })?;
    judge.stage(
        "agrees with the LRU model",
        "a get or a put makes its key the newest; a put of a new key into a full cache first evicts the oldest",
        || {
            // Random sequences first: a failure shrinks to a short one.
            check::agree_on_random(model::ops_strategy(), 256, |(capacity, ops)| {
                check::attempt(|| model::agrees_with_model::<C>(capacity, &ops))
                    .map_err(|_| "it panicked on this input".to_owned())?
            })?;
            let keys = requests();
            let got = check::attempt(|| cache::replay(&mut C::new(1_000), &keys))?;
            check::same(&cache::lru_vec_scan(1_000, &keys), &got).map_err(|e| {
                Fail::Because(format!("replaying the requests at capacity 1,000:\n{e}"))
            })?;
            Ok(format!(
                "256 random operation sequences; hit rate {:.3} on the requests at capacity 1,000",
                got.info.hit_rate()
            ))
        },
    )?;
    judge.stage(
        "allocation budget: get makes 0",
        "size everything in new(); get only reads the map and rewrites indices",
        || {
            let keys = requests();
            let mut cache = check::attempt(|| {
                let mut cache = C::new(1_000);
                cache::replay(&mut cache, &keys);
                cache
            })?;
            // The stream's first 10,000 keys: hits and misses alike.
            let allocs = check::allocations(|| {
                for key in &keys[..10_000] {
                    black_box(cache.get(key));
                }
            })?;
            if allocs > 0 {
                return Err(Fail::Because(format!(
                    "{allocs} allocations in 10,000 gets; the budget is 0"
                )));
            }
            Ok("0 allocations in 10,000 gets on a full cache".into())
        },
    )?;
    judge.stage(
        "speed: 20x lru_vec_scan",
        "a hash map finds the entry in O(1); linking entries by index makes moving one to the front O(1)",
        || {
            let capacity = 10_000;
            let baseline = counted(requests(), move |keys| {
                (0, cache::lru_vec_scan(capacity, keys).info)
            });
            let mine = counted(requests(), move |keys| {
                (0, cache::replay(&mut C::new(capacity), keys).info)
            });
            check::faster_than("lru_vec_scan", baseline, mine, MIN_SPEEDUP, "at capacity 10,000")
        },
    )
}
