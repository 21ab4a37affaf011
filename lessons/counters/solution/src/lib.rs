//! The reference solution to the exercise in `lessons/counters/exercise/`. Try the exercise first:
//! `cargo run --release -- check counters` tells you what is missing.

use crossbeam_utils::CachePadded;

use counters_api::Counter;
use counters_api::sync::atomic::{AtomicU64, Ordering::Relaxed};

// ANCHOR: solution
/// A count shared by threads, with one slot per thread (a "shard").
pub struct ShardedCounter {
    // A boxed slice: one allocation when the counter is built, none after.
    // `CachePadded` aligns each slot to 128 bytes on x86-64, so no two
    // threads' slots share a cache line, nor the line pair the CPU
    // prefetches together. `AtomicU64` comes from `counters_api::sync`, so the
    // loom test can swap in its model-checked twin.
    slots: Box<[CachePadded<AtomicU64>]>,
}

impl Counter for ShardedCounter {
    fn new(threads: usize) -> Self {
        Self {
            slots: (0..threads)
                .map(|_| CachePadded::new(AtomicU64::new(0)))
                .collect(),
        }
    }

    fn add(&self, thread: usize) {
        // `fetch_add` is the read-add-write as one indivisible step, so no
        // update is lost even if two threads shared a slot. Relaxed is
        // enough: the count orders nothing else, and the join before `sum`
        // makes every add visible.
        self.slots[thread].fetch_add(1, Relaxed);
    }

    fn sum(&self) -> u64 {
        // Read once all threads are joined, this is exact; read while they
        // run, it is a snapshot that may miss adds still in flight.
        self.slots.iter().map(|slot| slot.load(Relaxed)).sum()
    }
}
// ANCHOR_END: solution
