//! Questions `io` (n requests to a loopback server, five ways) and `idle`
//! (what a waiting thread holds against a waiting task).

use std::io;
use std::time::Duration;

use concurrency::io::{self as client, Reply};
use concurrency::tokio::runtime::Runtime;
use concurrency::{Server, ServerConfig, costs};

use super::cpu::runtime;
use super::{Observed, observing, or_stop};
use crate::catalog::{Bound, Param, Question, Role, Row, Variant, digest};

/// How long the server takes per request: the article's 2 s deployment,
/// scaled down so a sweep stays within a minute or so.
pub const LATENCY: Duration = Duration::from_millis(10);
/// The bounded variants' limit: the article's `max_workers=10`.
pub const LIMIT: usize = 10;

/// Everything an I/O variant may use, made before timing.
pub struct IoInput {
    /// How many requests.
    pub n: u64,
    /// The server, on 127.0.0.1, stopped when the input is dropped.
    pub server: Server,
    /// A multi-threaded runtime for the tokio clients.
    pub rt: Runtime,
}

/// A server with [`LATENCY`] and no failures, and a runtime.
pub fn io_input(n: u64) -> IoInput {
    IoInput {
        n,
        server: or_stop(Server::start(ServerConfig {
            latency: LATENCY,
            fail_every: None,
            down_for: None,
        })),
        rt: runtime(),
    }
}

/// An I/O variant: every reply, in id order.
pub type IoFn = fn(&IoInput) -> io::Result<Vec<Reply>>;

/// The I/O variants, the article's order. `max_param` keeps each sweep
/// within seconds: ⌈n / 10⌉ × 10 ms for the bounded ones, n × 10 ms for the
/// sequential one.
pub const IO: &[Row<IoFn>] = &[
    Row {
        name: "sequential_blocking",
        role: Role::Baseline,
        complexity: "O(n) latencies",
        idea: "one request after another: the thread waits n times",
        max_param: Some(100),
        f: |i| client::sequential_blocking(i.server.addr(), i.n),
    },
    Row {
        name: "thread_per_request",
        role: Role::Variant,
        complexity: "O(1) latencies",
        idea: "n threads wait at once: a stack and a thread each",
        max_param: None,
        f: |i| client::thread_per_request(i.server.addr(), i.n),
    },
    Row {
        name: "thread_pool",
        role: Role::Variant,
        complexity: "O(n / k) latencies",
        idea: "k = 10 threads take the next id: ThreadPoolExecutor(max_workers=10)",
        max_param: Some(1_000),
        f: |i| client::thread_pool(i.server.addr(), i.n, LIMIT),
    },
    Row {
        name: "tokio_join_all",
        role: Role::Optimized,
        complexity: "O(1) latencies",
        idea: "a task per request, all awaited: asyncio.gather",
        max_param: None,
        f: |i| i.rt.block_on(client::tokio_join_all(i.server.addr(), i.n)),
    },
    Row {
        name: "tokio_semaphore",
        role: Role::Variant,
        complexity: "O(n / k) latencies",
        idea: "a task per request, k = 10 past a semaphore: deploy_with_limit",
        max_param: Some(1_000),
        f: |i| {
            i.rt.block_on(client::tokio_semaphore(i.server.addr(), i.n, LIMIT))
        },
    },
];

/// The unbounded variants hold every request open at once: each costs a
/// descriptor on the client's end and one on the server's, in this one
/// process. They stop where the descriptor limit would (with a margin for
/// everything else the process has open).
fn descriptor_bound(mut variant: Variant) -> Variant {
    if variant.max_param.is_none() {
        let limit = client::raise_descriptor_limit();
        variant.max_param = Some(limit.saturating_sub(256) / 2);
    }
    variant
}

/// Question `io`.
pub fn io() -> Question {
    Question {
        name: "io",
        about: "n requests to a loopback server that answers each after 10 ms",
        concurrent: true,
        threaded: &[],
        plot: crate::catalog::Plot::Time,
        gate: None,
        param: Param {
            name: "n",
            unit: "requests",
            default: 10,
            sweep: &[10, 100, 1_000, 5_000, 10_000],
            throughput: |n| n,
            max: Bound {
                value: 10_000,
                why: "the unbounded variants hold every request open at once: two descriptors each and, for thread_per_request, an OS thread with its stack: past 10,000 the process nears its thread and memory-mapping limits",
            },
        },
        variants: IO.iter().map(io_variant).collect(),
    }
}

/// Everything an idle variant may use.
pub struct IdleInput {
    /// How many waiters.
    pub n: usize,
    /// A runtime for the tasks.
    pub rt: Runtime,
}

/// An idle variant: start `n` waiters, call the closure while all wait,
/// release them; how many ran.
pub type IdleFn = fn(&IdleInput, &mut dyn FnMut()) -> usize;

/// The idle variants.
pub const IDLE: &[Row<IdleFn>] = &[
    Row {
        name: "idle_threads",
        role: Role::Baseline,
        complexity: "O(n)",
        idea: "n OS threads blocked on a barrier",
        max_param: None,
        f: |i, parked| costs::idle_threads(i.n, parked),
    },
    Row {
        name: "idle_tasks",
        role: Role::Optimized,
        complexity: "O(n)",
        idea: "n tokio tasks waiting on a semaphore",
        max_param: None,
        f: |i, parked| costs::idle_tasks(&i.rt, i.n, parked),
    },
];

/// Question `idle`.
pub fn idle() -> Question {
    Question {
        name: "idle",
        about: "start n waiters, hold them all waiting, release them: time and memory",
        concurrent: true,
        threaded: &[],
        plot: crate::catalog::Plot::Metric("rss_bytes_each", "resident memory per waiter"),
        gate: None,
        param: Param {
            name: "n",
            unit: "waiters",
            default: 1_000,
            sweep: &[100, 1_000, 10_000],
            throughput: |n| n,
            max: Bound {
                value: 10_000,
                why: "idle_threads keeps n OS threads alive at once, each with a 2 MiB stack and its own memory mappings, in this process and again in the child that measures memory: past 10,000 the system's mapping limit (65,530) is near",
            },
        },
        variants: IDLE
            .iter()
            .map(|row| {
                let name = row.name;
                row.variant(move |f, n| {
                    let input = IdleInput {
                        n: n as usize,
                        rt: runtime(),
                    };
                    let run = move |i: &IdleInput| Observed {
                        digest: f(i, &mut || ()) as u64,
                        metrics: Vec::new(),
                    };
                    observing(input, run, Some(Box::new(move |i| memory(f, name, i))))
                })
            })
            .collect(),
    }
}

/// The hidden subcommand that measures resident memory in a fresh process.
pub const IDLE_SUBCOMMAND: &str = "__idle";

/// One more run, measured: resident memory and heap per waiter while all
/// `n` wait. Heap is the counting allocator's peak in this process (the
/// `workbench` binary only). Resident memory is measured in a fresh child
/// process (`workbench __idle <variant> <n>`, Linux only): in this one,
/// pages freed by the timed runs are reused, and the growth it shows is the
/// allocator's history rather than the waiters'.
fn memory(f: IdleFn, variant: &str, input: &IdleInput) -> Vec<(&'static str, f64)> {
    let n = input.n as f64;
    let (_, heap) = crate::alloc::count(|| f(input, &mut || ()));
    let mut figures = Vec::new();
    match resident_in_child(variant, input.n) {
        Ok(Some(bytes)) => figures.push(("rss_bytes_each", bytes as f64 / n)),
        Ok(None) => {}
        Err(why) => eprintln!("note: {variant}: resident memory not measured: {why}"),
    }
    if let Some(heap) = heap {
        figures.push(("heap_bytes_each", heap.peak as f64 / n));
    }
    figures
}

/// In the child: how much this fresh process's resident memory grows while
/// `n` waiters of `variant` wait, or `None` where the OS does not say.
pub fn resident_growth(variant: &str, n: usize) -> Result<Option<u64>, String> {
    let row = IDLE
        .iter()
        .find(|r| r.name == variant)
        .ok_or_else(|| format!("no idle variant '{variant}'"))?;
    let input = IdleInput { n, rt: runtime() };
    let before = costs::resident_bytes();
    let mut during = None;
    (row.f)(&input, &mut || during = costs::resident_bytes());
    Ok(before.zip(during).map(|(b, d)| d.saturating_sub(b)))
}

/// In the parent: run `workbench __idle <variant> <n>` and read the growth
/// it prints (a number of bytes, or `-` where the OS does not say).
fn resident_in_child(variant: &str, n: usize) -> Result<Option<u64>, String> {
    let exe = super::worker_exe()?;
    let args = [IDLE_SUBCOMMAND, variant, &n.to_string()];
    crate::child::number_from(&exe, &args, Duration::from_secs(60))
}

/// An `io` row as a variant.
fn io_variant(row: &Row<IoFn>) -> Variant {
    descriptor_bound(row.variant(|f, n| {
        observing(
            io_input(n),
            move |input| {
                input.server.reset();
                let replies = or_stop(f(input));
                Observed {
                    digest: digest(&replies),
                    metrics: vec![("max_in_flight", input.server.max_in_flight() as f64)],
                }
            },
            None,
        )
    }))
}

/// How long the learner's `fetch_all` waits for a reply in `run
/// --with-exercise`: the server here never drops one, so only a patient
/// limit that no healthy reply reaches.
const YOURS_TIMEOUT: Duration = Duration::from_secs(5);

/// The learner's `fetch_all`, as a row of `io`, at the lesson's limit.
pub fn yours() -> (&'static str, Variant) {
    let f: IoFn = |i| {
        i.rt.block_on(concurrency_exercise::fetch_all(
            i.server.addr(),
            i.n,
            LIMIT,
            YOURS_TIMEOUT,
        ))
    };
    ("io", io_variant(&crate::catalog::yours_row(f)))
}
