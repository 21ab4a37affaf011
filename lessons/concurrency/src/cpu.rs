//! The CPU-bound question: one batch of jobs, the same results, six ways
//! of spreading it over the cores.
//!
//! A batch is the article's two CPU-bound jobs, alternating:
//! `process_deployment` (a sum of squares below 1,000,000) and
//! `analyze_logs` (count the ERROR and WARNING lines of one log file).

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use rayon::prelude::*;
use tokio::runtime::Runtime;
use tokio::time::Instant;

// ANCHOR: setup
/// One unit of CPU-bound work.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Job {
    /// The article's `process_deployment`: squares of `0..below`, summed.
    SumSquares {
        /// The exclusive bound (the article's 1,000,000).
        below: u64,
    },
    /// The article's `analyze_logs`: count the level of every line.
    CountLevels {
        /// The log file to read.
        log: PathBuf,
    },
}

/// What a job computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// A [`Job::SumSquares`] result.
    Sum(u64),
    /// A [`Job::CountLevels`] result.
    Levels {
        /// Lines containing `ERROR`.
        errors: u64,
        /// Other lines containing `WARNING`.
        warnings: u64,
    },
}

/// The article's bound for `sum(i**2 for i in range(1000000))`.
pub const BELOW: u64 = 1_000_000;
/// Lines per generated log file: one log job costs about what one sum does.
pub const LOG_LINES: usize = 20_000;

/// `jobs` jobs alternating sum, log, sum, …; each log job gets its own
/// file of [`LOG_LINES`] lines, written into `dir`.
pub fn batch(jobs: usize, dir: &Path) -> io::Result<Vec<Job>> {
    (0..jobs)
        .map(|i| {
            if i % 2 == 0 {
                return Ok(Job::SumSquares { below: BELOW });
            }
            let log = dir.join(format!("app-{i}.log"));
            std::fs::write(&log, log_text(i, LOG_LINES))?;
            Ok(Job::CountLevels { log })
        })
        .collect()
}

/// A directory of generated logs, removed with everything in it when
/// dropped: the logs are not kept.
pub struct LogDir(PathBuf);

impl LogDir {
    /// A new empty directory under the system's temporary directory.
    pub fn new() -> io::Result<LogDir> {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let unique = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!(
            "workbench-concurrency-{}-{unique}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir)?;
        Ok(LogDir(dir))
    }

    /// Where the logs go.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for LogDir {
    fn drop(&mut self) {
        // Best effort: a leftover temporary directory harms nothing.
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A log of `lines` lines: one in 20 is an ERROR, two in 20 a WARNING,
/// shifted by `seed` so files differ.
pub fn log_text(seed: usize, lines: usize) -> String {
    let mut text = String::with_capacity(lines * 64);
    for i in 0..lines {
        let level = match (i + seed) % 20 {
            0 => "ERROR",
            1 | 2 => "WARNING",
            _ => "INFO",
        };
        let service = (i * 7 + seed) % 50;
        text.push_str(&format!(
            "2024-05-01T12:{:02}:{:02}Z {level} service-{service} request {i} handled\n",
            i / 60 % 60,
            i % 60
        ));
    }
    text
}
// ANCHOR_END: setup

// ANCHOR: execute
/// Run one job, on whatever thread or process calls it.
pub fn execute(job: &Job) -> io::Result<Outcome> {
    match job {
        Job::SumSquares { below } => Ok(Outcome::Sum(sum_squares(*below))),
        Job::CountLevels { log } => {
            let text = std::fs::read_to_string(log)?;
            let (errors, warnings) = count_levels(&text);
            Ok(Outcome::Levels { errors, warnings })
        }
    }
}

/// A prime: the running total is kept below it.
pub const MODULUS: u64 = 1_000_000_007;

/// `sum(i**2 for i in range(below))`, modulo [`MODULUS`].
///
/// Why the modulus: without it the compiler sees a polynomial and replaces
/// the whole loop by the closed form n(n-1)(2n-1)/6, one multiplication
/// (checked in the release build: 2 ns whatever `below` is), and there
/// would be nothing left to parallelise. The remainder in every step keeps
/// the million iterations that the article's Python performs.
pub fn sum_squares(below: u64) -> u64 {
    let mut total = 0;
    for i in 0..below {
        total = (total + i * i % MODULUS) % MODULUS;
    }
    total
}

/// The article's `analyze_logs` loop: `ERROR` lines, then other lines
/// with `WARNING`.
pub fn count_levels(text: &str) -> (u64, u64) {
    let (mut errors, mut warnings) = (0, 0);
    for line in text.lines() {
        if line.contains("ERROR") {
            errors += 1;
        } else if line.contains("WARNING") {
            warnings += 1;
        }
    }
    (errors, warnings)
}
// ANCHOR_END: execute

/// How many threads or processes "one per core" means here.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

// ANCHOR: sequential
/// One job after another on the calling thread: the baseline.
///
/// Time: the sum of every job's time. One allocation, the output, sized
/// up front (collecting into `io::Result<Vec<_>>` cannot know the length,
/// and grows it by doubling instead).
pub fn sequential(jobs: &[Job]) -> io::Result<Vec<Outcome>> {
    let mut outcomes = Vec::with_capacity(jobs.len());
    for job in jobs {
        outcomes.push(execute(job)?);
    }
    Ok(outcomes)
}
// ANCHOR_END: sequential

// ANCHOR: std_threads
/// One scoped thread per core, each taking a contiguous share of the jobs.
///
/// Rust has no GIL: threads run Python's "CPU-bound → processes" advice
/// without processes. `thread::scope` lets threads borrow `jobs`, and
/// joins them all before returning, so no thread outlives the call.
pub fn std_threads(jobs: &[Job]) -> io::Result<Vec<Outcome>> {
    let share = jobs.len().div_ceil(cores()).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = jobs
            .chunks(share)
            .map(|chunk| s.spawn(move || sequential(chunk)))
            .collect();
        let mut outcomes = Vec::with_capacity(jobs.len());
        for handle in handles {
            // A panic in a job is a bug in this lesson, not an input error:
            // pass it on unchanged.
            let part = handle
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            outcomes.extend(part?);
        }
        Ok(outcomes)
    })
}
// ANCHOR_END: std_threads

// ANCHOR: rayon
/// `par_iter`: rayon's pool (one thread per core, started once) splits the
/// jobs and steals work from busy threads.
///
/// Same speedup as [`std_threads`] when jobs are equal; better when they
/// are not, because an idle thread takes work from a busy one.
pub fn rayon(jobs: &[Job]) -> io::Result<Vec<Outcome>> {
    jobs.par_iter().map(execute).collect()
}
// ANCHOR_END: rayon

// ANCHOR: tokio_tasks
/// Each job as an async task on a multi-threaded tokio runtime, beside a
/// timer that wants to tick every millisecond.
///
/// The jobs finish as fast as with threads, but a task that computes never
/// reaches an `.await`, so it never gives its worker thread back: while
/// every worker computes, no other task (here the timer, in a server every
/// request) runs. Returns the outcomes and the worst lateness of the timer.
pub fn tokio_tasks(rt: &Runtime, jobs: &[Job]) -> io::Result<(Vec<Outcome>, Duration)> {
    beside_a_timer(rt, jobs, |job| tokio::spawn(async move { execute(&job) }))
}
// ANCHOR_END: tokio_tasks

// ANCHOR: tokio_spawn_blocking
/// Each job on tokio's blocking pool, the async form of the article's
/// `run_in_executor`: the runtime's workers stay free, so the timer keeps
/// time.
pub fn tokio_spawn_blocking(rt: &Runtime, jobs: &[Job]) -> io::Result<(Vec<Outcome>, Duration)> {
    beside_a_timer(rt, jobs, |job| {
        tokio::task::spawn_blocking(move || execute(&job))
    })
}
// ANCHOR_END: tokio_spawn_blocking

/// How often the timer wants to run.
pub const TICK: Duration = Duration::from_millis(1);

/// Start a 1 ms timer task, start every job with `start`, await them in
/// order, then stop the timer and return its worst lateness.
fn beside_a_timer(
    rt: &Runtime,
    jobs: &[Job],
    start: impl Fn(Job) -> tokio::task::JoinHandle<io::Result<Outcome>>,
) -> io::Result<(Vec<Outcome>, Duration)> {
    rt.block_on(async {
        let done = Arc::new(AtomicBool::new(false));
        let timer = tokio::spawn(worst_lateness(done.clone()));
        let handles: Vec<_> = jobs.iter().cloned().map(start).collect();
        let mut outcomes = Vec::with_capacity(jobs.len());
        for handle in handles {
            outcomes.push(handle.await.map_err(io::Error::other)??);
        }
        done.store(true, Ordering::Relaxed);
        let late = timer.await.map_err(io::Error::other)?;
        Ok((outcomes, late))
    })
}

/// Sleep [`TICK`] at a time until `done`; return how late the worst wake-up
/// was. The loop ends when the jobs do.
async fn worst_lateness(done: Arc<AtomicBool>) -> Duration {
    let mut worst = Duration::ZERO;
    while !done.load(Ordering::Relaxed) {
        let due = Instant::now() + TICK;
        tokio::time::sleep_until(due).await;
        worst = worst.max(Instant::now() - due);
    }
    worst
}
