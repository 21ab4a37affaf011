//! Exercise: a sharded counter that never loses an update.
//!
//! Fill in [`ShardedCounter`] so that it keeps the lesson's contract and
//! meets its budget, then judge it:
//!
//! ```text
//! cargo run --release -- check counters
//! ```
//!
//! This crate is yours: `lessons/counters/exercise/`. It may use the
//! standard library, `crossbeam_utils` (for `CachePadded`) and
//! `counters_api` (the [`Counter`] trait and the `sync` shim), and nothing
//! else: no variant of the lesson, no other crate (the judge rejects a
//! changed dependency list, `unsafe`, `include!` and `#[path]`).
//!
//! The budget, checked in this order:
//!
//! 1. shared by 1 to 8 threads, it counts exactly `threads × per_thread`,
//!    run after run;
//! 2. `add` allocates nothing (building the counter may allocate once);
//! 3. each thread's add writes only its own 128-byte block (a pair of cache
//!    lines): the judge reads the counter's bytes around each `add(t)`, so
//!    one shared count, a lock or unpadded slots fail here, every time;
//! 4. counting 1,000,000 events on 2 threads is at least 3x faster than
//!    the lesson's `mutex`.
//!
//! `check` cannot prove that no interleaving loses an update; loom can.
//! Build your atomics from `counters_api::sync` (not `std::sync`) so loom can
//! replace them, then run the model checker on your code:
//!
//! ```text
//! RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom \
//!     cargo test --release -p counters --test loom -- --ignored exercise
//! ```

use counters_api::Counter;

// ANCHOR: exercise
/// A count shared by threads, with one slot per thread (a "shard").
pub struct ShardedCounter {
    // TODO: one atomic slot per shard. Take `AtomicU64` from
    // `counters_api::sync::atomic`, and give each slot its own cache lines
    // (`crossbeam_utils::CachePadded`), or the threads will fight over a
    // line even though they never touch each other's slot.
}

impl Counter for ShardedCounter {
    #[allow(unused_variables)] // `threads` is yours to use: remove this line when you start.
    fn new(threads: usize) -> Self {
        // TODO: one zeroed slot per thread.
        todo!("ShardedCounter::new")
    }

    #[allow(unused_variables)] // `thread` is yours to use: remove this line when you start.
    fn add(&self, thread: usize) {
        // TODO: add one to this thread's slot in a single atomic step, and
        // decide which memory ordering a counter needs.
        todo!("ShardedCounter::add")
    }

    fn sum(&self) -> u64 {
        // TODO: the count is every slot added up.
        todo!("ShardedCounter::sum")
    }
}
// ANCHOR_END: exercise
