//! Questions `cpu` (one batch of CPU-bound jobs, six ways) and `spawn`
//! (the fixed cost of starting each kind of worker).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use concurrency::cpu::{self, Job, LogDir, Outcome};
use concurrency::tokio::runtime::Runtime;
use concurrency::{costs, worker};

use super::{Observed, observing, or_stop, worker_exe};
use crate::catalog::{Bound, Param, Question, Role, Row, digest};

/// Everything a CPU variant may use, made before timing.
pub struct CpuInput {
    /// The batch.
    pub jobs: Vec<Job>,
    /// A multi-threaded runtime, one worker per core, for the tokio variants.
    pub rt: Runtime,
    /// The workbench binary, for `processes`.
    pub exe: Result<PathBuf, String>,
    /// The batch's log files, removed when the input is dropped.
    pub logs: LogDir,
}

/// A tokio runtime with one worker thread per core.
pub fn runtime() -> Runtime {
    // Building a runtime fails only if the OS refuses threads or timers,
    // which leaves nothing to measure.
    concurrency::tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cpu::cores())
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// The batch of `jobs` jobs with its logs written (not timed).
pub fn cpu_input(jobs: usize) -> CpuInput {
    let logs = or_stop(LogDir::new());
    CpuInput {
        jobs: or_stop(cpu::batch(jobs, logs.path())),
        rt: runtime(),
        exe: worker_exe(),
        logs,
    }
}

/// A CPU variant: the outcomes, and for the tokio variants how late a
/// 1 ms timer beside the jobs was at worst.
pub type CpuFn = fn(&CpuInput) -> (Vec<Outcome>, Option<Duration>);

/// The CPU variants, in the article's order of advice.
pub const CPU: &[Row<CpuFn>] = &[
    Row {
        name: "sequential",
        role: Role::Baseline,
        complexity: "O(jobs)",
        idea: "one job after another on one core",
        max_param: None,
        f: |i| (or_stop(cpu::sequential(&i.jobs)), None),
    },
    Row {
        name: "std_threads",
        role: Role::Optimized,
        complexity: "O(jobs / cores)",
        idea: "thread::scope, one thread per core: no GIL, so threads suffice",
        max_param: None,
        f: |i| (or_stop(cpu::std_threads(&i.jobs)), None),
    },
    Row {
        name: "rayon",
        role: Role::Peer,
        complexity: "O(jobs / cores)",
        idea: "par_iter on rayon's pool: started once, work stealing",
        max_param: None,
        f: |i| (or_stop(cpu::rayon(&i.jobs)), None),
    },
    Row {
        name: "processes",
        role: Role::Variant,
        complexity: "O(jobs / cores)",
        idea: "the article's advice: a worker process per core, jobs over pipes",
        max_param: None,
        f: |i| {
            let exe = or_stop(i.exe.as_deref());
            (or_stop(worker::processes(exe, &i.jobs)), None)
        },
    },
    Row {
        name: "tokio_tasks",
        role: Role::Variant,
        complexity: "O(jobs / cores)",
        idea: "CPU work in async tasks: as fast, but the runtime stops answering",
        max_param: None,
        f: |i| {
            let (out, late) = or_stop(cpu::tokio_tasks(&i.rt, &i.jobs));
            (out, Some(late))
        },
    },
    Row {
        name: "tokio_spawn_blocking",
        role: Role::Variant,
        complexity: "O(jobs / cores)",
        idea: "CPU work on tokio's blocking pool: the runtime stays responsive",
        max_param: None,
        f: |i| {
            let (out, late) = or_stop(cpu::tokio_spawn_blocking(&i.rt, &i.jobs));
            (out, Some(late))
        },
    },
];

/// Question `cpu`.
pub fn cpu() -> Question {
    Question {
        name: "cpu",
        about: "a batch of CPU-bound jobs (sum of squares, log analysis, alternating)",
        concurrent: true,
        threaded: &[],
        plot: crate::catalog::Plot::Speedup,
        gate: None,
        param: Param {
            name: "jobs",
            unit: "jobs",
            default: 10,
            sweep: &[4, 10, 40],
            throughput: |jobs| jobs,
            max: Bound {
                value: 1_000,
                why: "half the jobs write a log of about 1.2 MB to a temporary file, in each of six variants: past 1,000 jobs the files pass 3.5 GB",
            },
        },
        variants: CPU
            .iter()
            .map(|row| {
                row.variant(|f, jobs| {
                    observing(
                        cpu_input(jobs as usize),
                        move |input| {
                            let (outcomes, late) = f(input);
                            Observed {
                                digest: digest(&outcomes),
                                metrics: late
                                    .map(|l| ("timer_late_ms", l.as_secs_f64() * 1e3))
                                    .into_iter()
                                    .collect(),
                            }
                        },
                        None,
                    )
                })
            })
            .collect(),
    }
}

/// Everything a spawn variant may use, made before timing.
pub struct SpawnInput {
    /// How many to start.
    pub n: u64,
    /// A running runtime.
    pub rt: Runtime,
    /// A running rayon pool, one thread per core.
    pub pool: concurrency::rayon::ThreadPool,
    /// The workbench binary.
    pub exe: Result<PathBuf, String>,
}

/// The input for `n` starts.
pub fn spawn_input(n: u64) -> SpawnInput {
    SpawnInput {
        n,
        rt: runtime(),
        // As for the runtime: failing to start threads leaves nothing to measure.
        pool: concurrency::rayon::ThreadPoolBuilder::new()
            .num_threads(cpu::cores())
            .build()
            .expect("a rayon pool"),
        exe: worker_exe(),
    }
}

/// A spawn variant: start `n` empty units one after another; how many ran.
pub type SpawnFn = fn(&SpawnInput) -> u64;

/// The spawn variants.
pub const SPAWN: &[Row<SpawnFn>] = &[
    Row {
        name: "thread_spawn",
        role: Role::Baseline,
        complexity: "O(n)",
        idea: "a new OS thread per unit, joined",
        max_param: None,
        f: |i| costs::thread_spawn(i.n),
    },
    Row {
        name: "rayon_install",
        role: Role::Peer,
        complexity: "O(n)",
        idea: "a job queued on threads that already run (no faster here: waking a pool thread costs what a spawn does)",
        max_param: None,
        f: |i| costs::rayon_install(&i.pool, i.n),
    },
    Row {
        name: "tokio_spawn",
        role: Role::Peer,
        complexity: "O(n)",
        idea: "a task: one heap block, no system call of its own",
        max_param: None,
        f: |i| costs::tokio_spawn(&i.rt, i.n),
    },
    Row {
        name: "process_spawn",
        role: Role::Variant,
        complexity: "O(n)",
        idea: "fork/exec the workbench as a worker, wait for its exit",
        max_param: None,
        f: |i| or_stop(costs::process_spawn(or_stop(i.exe.as_deref()), i.n)),
    },
];

/// Question `spawn`.
pub fn spawn() -> Question {
    Question {
        name: "spawn",
        about: "the fixed cost of starting an empty unit of work and waiting for it",
        concurrent: true,
        threaded: &[],
        plot: crate::catalog::Plot::Time,
        gate: None,
        param: Param {
            name: "spawns",
            unit: "spawns",
            default: 1,
            sweep: &[1, 10, 100],
            throughput: |n| n,
            max: Bound {
                value: 10_000,
                why: "each unit starts a thread, a task or a process and waits for it, one after another; a process takes about 1.3 ms: past 10,000 a call takes over 13 s",
            },
        },
        variants: SPAWN
            .iter()
            .map(|row| {
                row.variant(|f, n| {
                    observing(
                        spawn_input(n),
                        move |input| {
                            let start = Instant::now();
                            let ran = f(input);
                            let each = start.elapsed().as_secs_f64() * 1e6 / input.n as f64;
                            Observed {
                                digest: ran,
                                metrics: vec![("us_each", each)],
                            }
                        },
                        None,
                    )
                })
            })
            .collect(),
    }
}
