//! Catalog entry: `lessons/wrappers`.

use std::hint::black_box;
use std::rc::Rc;
use std::time::Duration;

use wrappers::api::RateError;
use wrappers::rate::{self, Step};
use wrappers::retry::{self, Policy, Storm};
use wrappers::{auth, log, stack};

use super::{
    Bound, Budget, Case, Exercise, Gate, Lesson, Param, Plot, Question, Role, Row, Speed, case,
    digest,
};

/// A stack of `layers` wrappers, making [`stack::CALLS`] calls; `None`
/// past [`stack::MAX_LAYERS`].
pub type StackFn = fn(u64) -> Box<dyn Fn() -> Option<u64>>;

/// The ways to wrap a function.
pub const STACK: &[Row<StackFn>] = &[
    Row {
        name: "boxed_kwargs",
        role: Role::Baseline,
        complexity: "O(layers)",
        idea: "the article's skeleton: each layer a boxed closure taking *args and a fresh **kwargs dict",
        max_param: None,
        f: |layers| {
            let stack = stack::boxed_kwargs(layers);
            Box::new(move || stack.run().ok())
        },
    },
    Row {
        name: "dyn_layers",
        role: Role::Variant,
        complexity: "O(layers)",
        idea: "typed arguments, each layer a Box<dyn Fn>: one indirect call per layer",
        max_param: None,
        f: |layers| {
            let f = stack::dyn_layers(layers);
            Box::new(move || Some(stack::dyn_calls(&f)))
        },
    },
    Row {
        name: "generic",
        role: Role::Optimized,
        complexity: "O(1)",
        idea: "each layer a generic type that knows what it wraps: inlined away",
        max_param: None,
        f: |layers| Box::new(move || stack::generic(layers)),
    },
    Row {
        name: "tower",
        role: Role::Peer,
        complexity: "O(1)",
        idea: "tower's Layer and Service, built with ServiceBuilder, each future ready at once",
        max_param: None,
        f: |layers| Box::new(move || stack::tower(layers)),
    },
];

/// A limiter on the steady input at k, or why the rate is refused.
pub type SteadyFn = fn(u64) -> Result<Box<dyn Step>, RateError>;

/// The limiters, one thread each.
pub const RATE: &[Row<SteadyFn>] = &[
    Row {
        name: "sliding_log",
        role: Role::Baseline,
        complexity: "O(k) per call",
        idea: "the article's RateLimiter: the list of admitted times rebuilt, filtered, on every call",
        max_param: None,
        f: rate::sliding_log,
    },
    Row {
        name: "ring",
        role: Role::Variant,
        complexity: "O(1) per call",
        idea: "the same window: the last k admitted times in a ring, the oldest compared",
        max_param: None,
        f: rate::ring,
    },
    Row {
        name: "token_bucket",
        role: Role::Variant,
        complexity: "O(1) per call",
        idea: "GCRA's contract as tokens of credit in nanoseconds: a sum and a min per call",
        max_param: None,
        f: rate::token_bucket,
    },
    Row {
        name: "gcra",
        role: Role::Optimized,
        complexity: "O(1) per call",
        idea: "GCRA's one number in an AtomicU64, moved by compare-and-swap: shareable, no lock",
        max_param: None,
        f: rate::gcra,
    },
    Row {
        name: "governor",
        role: Role::Peer,
        complexity: "O(1) per call",
        idea: "the governor crate's GCRA, its clock reading the time each call is given",
        max_param: None,
        f: rate::governor,
    },
];

/// A shared limiter, `threads` threads calling it
/// [`rate::PER_THREAD`] times each; how many calls it admitted.
pub type SharedFn = fn(u64) -> Result<u64, RateError>;

/// The limiters, shared by threads.
pub const SHARED: &[Row<SharedFn>] = &[
    Row {
        name: "locked_sliding_log",
        role: Role::Baseline,
        complexity: "O(k) per call, one lock",
        idea: "the article's list behind a Mutex",
        max_param: None,
        f: rate::locked_sliding_log,
    },
    Row {
        name: "locked_token_bucket",
        role: Role::Variant,
        complexity: "O(1) per call, one lock",
        idea: "the token bucket behind a Mutex",
        max_param: None,
        f: rate::locked_token_bucket,
    },
    Row {
        name: "atomic_gcra",
        role: Role::Optimized,
        complexity: "O(1) per call, one CAS",
        idea: "GCRA in one AtomicU64: a load and a compare-and-swap, no lock",
        max_param: None,
        f: rate::atomic_gcra,
    },
    Row {
        name: "shared_governor",
        role: Role::Peer,
        complexity: "O(1) per call, one CAS",
        idea: "governor's GCRA, shared the same way",
        max_param: None,
        f: rate::shared_governor,
    },
];

/// One logged call of `scale`.
pub type LogFn = fn(u64) -> u64;

/// The ways to log at a level that is off.
pub const LOG: &[Row<LogFn>] = &[
    Row {
        name: "eager",
        role: Role::Baseline,
        complexity: "O(n)",
        idea: "the article's log_execution: both f-strings and extra dicts built, then dropped by the level",
        max_param: None,
        f: log::eager,
    },
    Row {
        name: "lazy",
        role: Role::Optimized,
        complexity: "O(n)",
        idea: "the level checked first; format_args! builds nothing unless it is written",
        max_param: None,
        f: log::lazy,
    },
    Row {
        name: "tracing",
        role: Role::Peer,
        complexity: "O(n)",
        idea: "tracing::info! with a subscriber at WARN: the macro checks the level first",
        max_param: None,
        f: log::tracing,
    },
];

/// Calls per measured step of the `auth` question.
pub const AUTH_CALLS: u64 = 1_000;

/// [`AUTH_CALLS`] calls as a user holding `permissions` permissions.
pub type AuthFn = fn(&Rc<auth::User>) -> Option<u64>;

/// The ways to require a permission.
pub const AUTH: &[Row<AuthFn>] = &[
    Row {
        name: "kwargs_lookup",
        role: Role::Baseline,
        complexity: "O(1) per call",
        idea: "the article's require_permission: the user found in **kwargs and asked, every call",
        max_param: None,
        f: |user| auth::kwargs_lookup(user, AUTH_CALLS).ok(),
    },
    Row {
        name: "checked_each_call",
        role: Role::Variant,
        complexity: "O(1) per call",
        idea: "typed arguments, the permission still looked up in the user's set every call",
        max_param: None,
        f: |user| auth::checked_each_call(user, AUTH_CALLS).ok(),
    },
    Row {
        name: "capability",
        role: Role::Optimized,
        complexity: "O(1) once",
        idea: "an Admin token made by the one check; a function that needs it cannot be called without",
        max_param: None,
        f: |user| auth::capability(user, AUTH_CALLS).ok(),
    },
];

/// The retry policies.
pub const RETRY: &[Row<Policy>] = &[
    Row {
        name: "fixed",
        role: Role::Baseline,
        complexity: "every client in lockstep",
        idea: "the article's retry: the same delay after every failure",
        max_param: None,
        f: retry::FIXED,
    },
    Row {
        name: "exponential",
        role: Role::Variant,
        complexity: "lockstep, spaced out",
        idea: "the delay doubles after each failure, up to a cap",
        max_param: None,
        f: retry::EXPONENTIAL,
    },
    Row {
        name: "full_jitter",
        role: Role::Optimized,
        complexity: "clients spread out",
        idea: "a random delay up to the doubling one: clients that failed together retry apart",
        max_param: None,
        f: retry::FULL_JITTER,
    },
];

/// The exercise's budget.
pub const BUDGET: Budget = Budget {
    agrees_with: "gcra_model",
    allocations: Some((0, "admit")),
    layout: None,
    peak_heap: None,
    build_bytes: Some((64, "for k = 100,000")),
    statements: None,
    speed: Speed::FasterThan {
        times: 20.0,
        baseline: "sliding_log",
        at: "at k = 10,000",
    },
};

/// Building a limiter for k = 100,000 may allocate at most this many
/// bytes (the judge's construction stage).
pub const MAX_BUILD_BYTES: u64 = match BUDGET.build_bytes {
    Some((bytes, _)) => bytes,
    None => panic!("the wrappers budget has a construction limit"),
};

/// A case that fails with the rate's error: the lesson's rates are all
/// valid, so a refusal is a bug worth stopping the run for.
fn or_stop<T>(what: &str, result: Result<T, RateError>) -> T {
    result.unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// The steady case of a rate row at k: each run [`rate::CALLS`] more calls.
pub fn steady_case(name: &'static str, f: SteadyFn, k: u64) -> Box<dyn Case> {
    struct Steady {
        name: &'static str,
        f: SteadyFn,
        k: u64,
        limiter: Box<dyn Step>,
    }
    impl Case for Steady {
        fn run(&mut self) {
            black_box(self.limiter.step());
        }
        fn answer(&mut self) -> u64 {
            // A fresh limiter, so the answer is the same however often it
            // ran: four steps of the steady input, every call admitted.
            let mut fresh = or_stop(self.name, (self.f)(self.k));
            digest(&(0..4).map(|_| fresh.step()).collect::<Vec<_>>())
        }
    }
    Box::new(Steady {
        name,
        f,
        k,
        limiter: or_stop(name, f(k)),
    })
}

/// The storm of one policy, run each time; its figures kept for the row.
struct StormCase {
    policy: Policy,
    outage: Duration,
    last: Option<Storm>,
}

impl Case for StormCase {
    fn run(&mut self) {
        black_box(retry::storm(
            self.policy,
            &retry::lesson_scenario(self.outage),
        ));
    }
    fn answer(&mut self) -> u64 {
        let storm = retry::storm(self.policy, &retry::lesson_scenario(self.outage));
        // What every policy must do: bring every client through.
        let answer = digest(&(storm.gave_up, storm.requests >= u64::from(CLIENTS)));
        self.last = Some(storm);
        answer
    }
    fn metrics(&mut self) -> Vec<(&'static str, f64)> {
        self.last
            .as_ref()
            .map(|s| {
                vec![
                    ("retry_peak", s.retry_peak as f64),
                    ("peak_after_outage", s.peak as f64),
                    ("requests", s.requests as f64),
                    ("mean_time_to_success_ns", s.mean_time_to_success_ns as f64),
                    ("max_time_to_success_ns", s.max_time_to_success_ns as f64),
                ]
            })
            .unwrap_or_default()
    }
}

/// The clients of the storm.
pub const CLIENTS: u32 = 100;

/// The catalog entry.
pub fn lesson() -> Lesson {
    Lesson {
        name: "wrappers",
        title: "Decorators as wrappers: what a layer costs, rate limits and retries",
        article: "7.1 Decorators",
        questions: vec![
            Question {
                name: "stack",
                about: "1,000 calls of a trivial function through this many layers of the article's decorator skeleton",
                concurrent: false,
                threaded: &[],
                plot: Plot::Time,
                gate: Some(Gate {
                    at: 8,
                    min_ratio: 50.0,
                    apart: &[],
                    flat_from: Some(0),
                }),
                param: Param {
                    name: "layers",
                    unit: "calls",
                    default: 3,
                    sweep: &[0, 1, 2, 3, 4, 8],
                    throughput: |_| stack::CALLS,
                    max: Bound {
                        value: stack::MAX_LAYERS,
                        why: "each depth of a generic or tower stack is its own type, compiled in: the lesson builds depths 0 to 8",
                    },
                },
                variants: STACK
                    .iter()
                    .map(|row| {
                        row.variant(|f, layers| {
                            let calls = f(layers);
                            let answer = f(layers);
                            case(
                                (),
                                move |()| {
                                    black_box(calls());
                                },
                                move |()| digest(&answer()),
                            )
                        })
                    })
                    .collect(),
            },
            Question {
                name: "rate",
                about: "256 calls on a limiter of k calls per k µs whose window is full, the calls 1 µs apart: every one admitted",
                concurrent: false,
                threaded: &[],
                plot: Plot::Time,
                gate: Some(Gate {
                    at: 10_000,
                    min_ratio: 100.0,
                    apart: &[
                        (
                            "ring",
                            "one thread's: shared by threads it needs a lock, so it does not keep the optimized row's contract of a limiter threads share",
                        ),
                        (
                            "token_bucket",
                            "one thread's: its credit and its last time are two numbers, which threads can only update together under a lock",
                        ),
                    ],
                    flat_from: None,
                }),
                param: Param {
                    name: "k",
                    unit: "calls",
                    default: 10_000,
                    sweep: &[100, 1_000, 10_000, 100_000],
                    throughput: |_| rate::CALLS,
                    max: Bound {
                        value: 1_000_000,
                        why: "the article's list copies k times per call: past 1,000,000 one measured step copies 2 GB",
                    },
                },
                variants: RATE.iter().map(rate_variant).collect(),
            },
            Question {
                name: "shared",
                about: "this many threads share one limiter of 1,000 calls per ms, each making 10,000 calls at its own times",
                concurrent: true,
                threaded: &[],
                plot: Plot::Time,
                gate: None,
                param: super::threads_param(|threads| threads * rate::PER_THREAD),
                variants: SHARED
                    .iter()
                    .map(|row| {
                        let name = row.name;
                        row.variant(move |f, threads| {
                            case(
                                threads,
                                move |&t| {
                                    black_box(or_stop(name, f(t)));
                                },
                                // Every call is made; how many are admitted
                                // depends on the order threads arrive in,
                                // and is the admitted metric's business.
                                move |&t| {
                                    digest(&(
                                        t * rate::PER_THREAD,
                                        or_stop(name, f(t)) <= t * rate::PER_THREAD,
                                    ))
                                },
                            )
                        })
                    })
                    .collect(),
            },
            Question {
                name: "log",
                about: "n calls of a function logged at INFO on the way in and out, the logger at WARNING",
                concurrent: false,
                threaded: &[],
                plot: Plot::Time,
                gate: Some(Gate {
                    at: 1_000,
                    min_ratio: 10.0,
                    apart: &[],
                    flat_from: None,
                }),
                param: Param {
                    name: "n",
                    unit: "calls",
                    default: 1_000,
                    sweep: &[100, 1_000, 10_000],
                    throughput: |n| n,
                    max: Bound {
                        value: 10_000_000,
                        why: "the eager row builds four heap objects per call: past 10,000,000 calls one run takes seconds",
                    },
                },
                variants: LOG
                    .iter()
                    .map(|row| {
                        row.variant(|f, n| {
                            log::install_subscriber();
                            case(
                                n,
                                move |&n| {
                                    black_box(log::calls(f, n));
                                },
                                move |&n| digest(&(log::calls(f, n), log::LOGGER.written())),
                            )
                        })
                    })
                    .collect(),
            },
            Question {
                name: "auth",
                about: "1,000 calls of delete_deployment that require a permission, by a user who holds this many",
                concurrent: false,
                threaded: &[],
                plot: Plot::Time,
                gate: Some(Gate {
                    at: 16,
                    min_ratio: 5.0,
                    apart: &[],
                    flat_from: None,
                }),
                param: Param {
                    name: "permissions",
                    unit: "calls",
                    default: 16,
                    sweep: &[1, 16, 256],
                    throughput: |_| AUTH_CALLS,
                    max: Bound {
                        value: 1_000_000,
                        why: "the user's permissions are strings in a set: past 1,000,000 the user alone takes tens of MB",
                    },
                },
                variants: AUTH
                    .iter()
                    .map(|row| {
                        row.variant(|f, permissions| {
                            let user = Rc::new(auth::lesson_user(permissions as usize));
                            case(
                                user,
                                move |user| {
                                    black_box(f(user));
                                },
                                move |user| digest(&f(user)),
                            )
                        })
                    })
                    .collect(),
            },
            Question {
                name: "retry",
                about: "100 clients retry against a service down for this many seconds, in tokio's paused (virtual) time; the time is the simulation's, the storm is in the figures",
                concurrent: false,
                threaded: &[],
                plot: Plot::Metric(
                    "retry_peak",
                    "the most retries the service saw in one 10 ms window",
                ),
                gate: None,
                param: Param {
                    name: "outage_s",
                    unit: "clients",
                    default: 5,
                    sweep: &[1, 5, 30],
                    throughput: |_| u64::from(CLIENTS),
                    max: Bound {
                        value: 3_600,
                        why: "the fixed delay retries every second: past an hour of outage one run simulates over 360,000 requests",
                    },
                },
                variants: RETRY
                    .iter()
                    .map(|row| {
                        row.variant(|policy, outage| {
                            Box::new(StormCase {
                                policy,
                                outage: Duration::from_secs(outage),
                                last: None,
                            })
                        })
                    })
                    .collect(),
            },
        ],
        exercise: Exercise {
            function: "RateLimiter",
            budget: BUDGET,
            yours,
            works_as_shipped: false,
        },
    }
}

/// A `rate` row as a variant.
fn rate_variant(row: &Row<SteadyFn>) -> super::Variant {
    let name = row.name;
    row.variant(move |f, k| steady_case(name, f, k))
}

/// The learner's `RateLimiter`, as a row of `rate`.
fn yours() -> (&'static str, super::Variant) {
    let f: SteadyFn = rate::steady::<rate::Shared<wrappers_exercise::RateLimiter>>;
    ("rate", rate_variant(&super::yours_row(f)))
}
