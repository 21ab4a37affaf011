//! Allocation counts of the concurrency lesson, exact, under dhat.
//!
//! One test in this file: dhat allows one profiler per process. It runs
//! without the test harness (`harness = false` in Cargo.toml): dhat counts
//! every thread of the process, and the harness's own thread and its
//! output capture allocate at moments the scheduler decides, which under
//! load fall inside a counted call.

use std::hint::black_box;

use concurrency::costs;
use concurrency::cpu::{self, Job};
use workbench::catalog::concurrency::cpu::runtime;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

/// Heap blocks and bytes allocated by a call of `f`: the fewest of three
/// calls. Without the harness nothing else runs in the process, so the
/// three agree; the minimum is kept as a guard for a runtime's worker
/// thread that wakes (and allocates) during a count, which can only add.
fn heap(f: impl Fn()) -> (u64, u64) {
    (0..3)
        .map(|_| {
            let before = dhat::HeapStats::get();
            f();
            let after = dhat::HeapStats::get();
            (
                after.total_blocks - before.total_blocks,
                after.total_bytes - before.total_bytes,
            )
        })
        .min()
        .expect("three calls")
}

/// The sequential CPU batch allocates its output and nothing per job;
/// a thread and a tokio task each cost a fixed number of heap blocks.
fn sequential_allocates_once_and_spawns_cost_fixed_blocks() {
    let _profiler = dhat::Profiler::builder().testing().build();

    for n in [1, 10, 100] {
        let jobs = vec![Job::SumSquares { below: 1_000 }; n];
        let (blocks, _) = heap(|| drop(black_box(cpu::sequential(&jobs))));
        assert_eq!(blocks, 1, "sequential at {n} jobs: the output only");
    }

    // Per unit: the difference between 200 and 100 units, after a warm-up
    // call that pays the one-time allocations (the runtime's queues, the
    // thread machinery's first use).
    let per_100 = |f: &dyn Fn(u64)| {
        f(10);
        let (b100, by100) = heap(|| f(100));
        let (b200, by200) = heap(|| f(200));
        (b200 - b100, by200 - by100)
    };
    // A thread: the same whole number of blocks each (with Rust 1.95: the
    // result packet, the boxed closure it runs, the new thread's init
    // record; std's choice, so not a literal here). Its 2 MiB stack is
    // mapped memory, not heap: the `idle` question measures what it costs
    // in resident memory.
    let threads = per_100(&|n| _ = black_box(costs::thread_spawn(n)));
    assert!(
        threads.0 >= 100 && threads.0 % 100 == 0,
        "100 threads: the same whole number of blocks each, got {threads:?}"
    );
    // A task: exactly one block holding its header, its future and its
    // output, whatever the scheduling. Its size is tokio's (128 bytes on
    // x86-64, where the header is cache-line aligned; other targets align
    // differently), so only "the same for every task" is asserted.
    let rt = runtime();
    let tasks = per_100(&|n| _ = black_box(costs::tokio_spawn(&rt, n)));
    assert!(
        tasks.0 == 100 && tasks.1 > 0 && tasks.1 % 100 == 0,
        "100 tasks: 1 block each, all of one size; got {tasks:?}"
    );
}

fn main() {
    println!("running sequential_allocates_once_and_spawns_cost_fixed_blocks");
    sequential_allocates_once_and_spawns_cost_fixed_blocks();
    println!(
        "test sequential_allocates_once_and_spawns_cost_fixed_blocks ... ok\nconcurrency_heap: 1 passed, 0 failed"
    );
}
