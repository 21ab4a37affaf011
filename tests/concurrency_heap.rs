//! Allocation counts of the concurrency lesson, exact, under dhat.
//!
//! One test in this file: dhat allows one profiler per process.

use std::hint::black_box;

use concurrency::costs;
use concurrency::cpu::{self, Job};
use workbench::catalog::concurrency::cpu::runtime;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

/// Heap blocks and bytes allocated by a call of `f`: the fewest of three
/// calls, because dhat counts the whole process and the test harness's own
/// thread occasionally allocates meanwhile, which can only add.
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
#[test]
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
    // A thread: at least its shared handle (`Arc<Inner>`), the result
    // packet (`Arc<Packet>`) and the boxed closure it runs. More blocks
    // show up when the exiting thread's thread-local destructors run while
    // the count is open, which depends on scheduling: not exact, so only
    // the floor is asserted. Its 2 MiB stack is mapped memory, not heap:
    // the `idle` question measures what it costs in resident memory.
    let threads = per_100(&|n| _ = black_box(costs::thread_spawn(n)));
    assert!(
        threads.0 >= 300,
        "100 threads: at least 3 blocks each, got {threads:?}"
    );
    // A task: exactly one block holding its header, its future and its
    // output, whatever the scheduling.
    let rt = runtime();
    let tasks = per_100(&|n| _ = black_box(costs::tokio_spawn(&rt, n)));
    assert_eq!(tasks, (100, 12_800), "100 tasks: 1 block, 128 bytes each");
}
