//! What a unit of concurrency costs before it does any work: the time to
//! start one and wait for it (question `spawn`), and the memory it holds
//! while it waits (question `idle`).

use std::hint::black_box;
use std::path::Path;
use std::sync::Barrier;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::runtime::Runtime;
use tokio::sync::Semaphore;

use crate::worker::{self, WorkerCommand};

// ANCHOR: thread_spawn
/// Start a thread that does nothing and join it, `n` times: the fixed cost
/// a thread adds to the work it is given (a `clone` system call, a stack
/// mapped, a join). Returns `n`.
pub fn thread_spawn(n: u64) -> u64 {
    (0..n)
        .map(|_| {
            // The empty closure cannot panic.
            std::thread::spawn(|| black_box(1))
                .join()
                .expect("no panic")
        })
        .sum()
}
// ANCHOR_END: thread_spawn

// ANCHOR: rayon_install
/// Hand an empty job to a running rayon pool and wait for it, `n` times:
/// no thread is started, a job is queued and a sleeping worker woken.
pub fn rayon_install(pool: &rayon::ThreadPool, n: u64) -> u64 {
    (0..n).map(|_| pool.install(|| black_box(1))).sum()
}
// ANCHOR_END: rayon_install

// ANCHOR: tokio_spawn
/// Spawn an empty task on a running tokio runtime and await it, `n` times:
/// one heap allocation and a wake-up, no system call for the task itself.
pub fn tokio_spawn(rt: &Runtime, n: u64) -> u64 {
    rt.block_on(async {
        let mut done = 0;
        for _ in 0..n {
            // The empty task cannot panic.
            done += tokio::spawn(async { black_box(1) })
                .await
                .expect("no panic");
        }
        done
    })
}
// ANCHOR_END: tokio_spawn

// ANCHOR: process_spawn
/// Start a worker process with no jobs and wait for it to exit, `n` times:
/// `fork`/`exec`, loading the binary, pipes, exit and reaping.
pub fn process_spawn(exe: &Path, n: u64) -> Result<u64, worker::WorkerError> {
    let command = WorkerCommand::workbench(exe);
    for _ in 0..n {
        worker::run_workers(&command, &[], 1, worker::DEADLINE)?;
    }
    Ok(n)
}
// ANCHOR_END: process_spawn

/// How long waiting for waiters to park may take before it is a bug.
const PARK_LIMIT: Duration = Duration::from_secs(30);

// ANCHOR: idle_threads
/// Start `n` threads that wait, call `while_parked` once all have started,
/// then release and join them. Returns how many ran.
///
/// Each waiting thread holds a kernel thread, its stack (2 MiB of address
/// space, of which the pages it touched are resident) and its
/// thread-local storage.
pub fn idle_threads(n: usize, while_parked: impl FnOnce()) -> usize {
    let ran = AtomicUsize::new(0);
    let started = Barrier::new(n + 1);
    let release = Barrier::new(n + 1);
    std::thread::scope(|s| {
        for _ in 0..n {
            s.spawn(|| {
                started.wait();
                release.wait();
                ran.fetch_add(1, Ordering::Relaxed);
            });
        }
        started.wait();
        while_parked();
        release.wait();
    });
    ran.into_inner()
}
// ANCHOR_END: idle_threads

// ANCHOR: idle_tasks
/// Spawn `n` tasks that wait on a semaphore, call `while_parked` once all
/// are waiting, then release them and await them all. Returns how many ran.
///
/// Each waiting task is one heap block: the future's state machine and the
/// task header. No stack, no kernel object.
pub fn idle_tasks(rt: &Runtime, n: usize, while_parked: impl FnOnce()) -> usize {
    let gate = std::sync::Arc::new(Semaphore::new(0));
    let waiting = std::sync::Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let (gate, waiting) = (gate.clone(), waiting.clone());
            rt.spawn(async move {
                waiting.fetch_add(1, Ordering::Relaxed);
                // Never closed: `acquire` cannot fail.
                drop(gate.acquire().await.expect("semaphore open"));
            })
        })
        .collect();
    let start = Instant::now();
    while waiting.load(Ordering::Relaxed) < n && start.elapsed() < PARK_LIMIT {
        std::thread::sleep(Duration::from_micros(100));
    }
    while_parked();
    gate.add_permits(n);
    rt.block_on(async {
        let mut ran = 0;
        for task in tasks {
            // The tasks cannot panic.
            task.await.expect("no panic");
            ran += 1;
        }
        ran
    })
}
// ANCHOR_END: idle_tasks

/// This process's resident memory in bytes (Linux; `None` elsewhere).
pub fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
