//! # A counter shared by threads: locks, atomics, sharding
//!
//! The question (article section 7.5, "Thread Safety"): several threads
//! count events into one shared counter. The article's `UnsafeCounter`
//! reads the count, adds one and writes it back, and loses updates when two
//! threads interleave; its `SafeCounter` takes a lock around the three
//! steps. What does each way of making the count correct cost, and how
//! does the cost change with the number of threads?
//!
//! Every variant has one contract: **`threads` threads each count
//! `per_thread` events; return the final count**, which must be exactly
//! `threads × per_thread`. The catalog keeps the total fixed at
//! [`INCREMENTS`] and varies the thread count.
//!
//! In Rust the article's unsafe version does not compile: a plain `u64`
//! cannot be mutated from several threads. What does compile:
//!
//! - [`racy_load_store`]: an atomic read with `load` and written with
//!   `store`. No undefined behaviour, and still the article's bug: the
//!   read-add-write is three steps, and updates are lost. Shown, measured,
//!   never a baseline.
//! - [`mutex`]: the article's `SafeCounter`, a `Mutex<u64>` (the baseline).
//! - [`rwlock_write`]: a `RwLock`, only ever locked for writing.
//! - [`parking_lot_mutex`]: the `parking_lot` crate's mutex (the peer).
//! - [`atomic_fetch_add`]: one atomic instruction per event, no lock.
//! - [`sharded_false_sharing`]: one atomic slot per thread, side by side.
//! - [`sharded_padded`]: one slot per thread, each on its own cache lines.
//! - [`thread_local_merge`]: each thread counts locally and reports once at
//!   the end: no sharing at all, the floor.
//!
//! A second question, in [`spacing`]: how far apart must two threads' slots
//! be for false sharing to stop?
//!
//! Every shared counter implements [`Counter`]; [`count`] runs one on
//! scoped threads, and `tests/loom.rs` runs the same types under every
//! interleaving loom can find (see [`sync`]).
//!
//! Left out on purpose: counters read *while* threads are counting (a
//! sharded sum is then a snapshot, not a linearisable value), and process
//! pools (Python's answer to the GIL; Rust threads already run in
//! parallel).
#![deny(missing_docs)]

use std::sync::Barrier;
use std::thread;

use crossbeam_utils::CachePadded;

use sync::atomic::{AtomicU64, Ordering::Relaxed};
use sync::{Mutex, RwLock};

pub mod spacing;

pub use counters_api::{Counter, sync};

// ANCHOR: setup
/// Events counted per call, in total over all threads: large enough that
/// counting, not starting threads, dominates the time. Divisible by 1, 2,
/// 4 and 8, so every swept thread count does the same work.
pub const INCREMENTS: u64 = 1_000_000;

/// The events each of `threads` threads counts so the total is
/// [`INCREMENTS`].
pub fn per_thread(threads: usize) -> u64 {
    INCREMENTS / threads.max(1) as u64
}

/// Start `threads` scoped threads that each `add` `per_thread` events to
/// one `C`, wait for all of them, and return the sum.
///
/// ```
/// use counters::{count, AtomicCounter};
/// assert_eq!(count::<AtomicCounter>(4, 1_000), 4_000);
/// ```
pub fn count<C: Counter>(threads: usize, per_thread: u64) -> u64 {
    let counter = C::new(threads);
    on_threads(threads, |t| {
        for _ in 0..per_thread {
            counter.add(t);
        }
    });
    // Every thread was joined, and a join orders everything the thread did
    // before whatever follows it: `sum` sees every `add`.
    counter.sum()
}

/// Run `work(t)` on `threads` scoped threads, `t` numbering them from 0,
/// and return what each returned, in order.
///
/// The threads wait for each other before they start: otherwise a fast
/// thread can finish before the next one is even created, and a counter
/// that is never contended looks better than it is.
pub fn on_threads<R: Send>(threads: usize, work: impl Fn(usize) -> R + Sync) -> Vec<R> {
    let start = Barrier::new(threads);
    thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (start, work) = (&start, &work);
                s.spawn(move || {
                    start.wait();
                    work(t)
                })
            })
            .collect();
        handles
            .into_iter()
            // A thread's panic is passed on as it was, message and all.
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}
// ANCHOR_END: setup

// ANCHOR: racy_load_store
/// The article's `UnsafeCounter`: read the count, add one, write it back.
pub struct LoadStoreCounter(AtomicU64);

impl Counter for LoadStoreCounter {
    fn new(_threads: usize) -> Self {
        Self(AtomicU64::new(0))
    }
    fn add(&self, _thread: usize) {
        // Each step is atomic, the three together are not: another thread
        // can store between this load and this store, and its update is
        // overwritten.
        let seen = self.0.load(Relaxed);
        self.0.store(seen + 1, Relaxed);
    }
    fn sum(&self) -> u64 {
        self.0.load(Relaxed)
    }
}

/// Count with [`LoadStoreCounter`]: **loses updates** with two threads or
/// more. Compiles and is free of undefined behaviour (every access is
/// atomic), which is all the type system promises; it is wrong anyway.
/// O(1) per event, no waiting.
pub fn racy_load_store(threads: usize, per_thread: u64) -> u64 {
    count::<LoadStoreCounter>(threads, per_thread)
}
// ANCHOR_END: racy_load_store

// ANCHOR: mutex
/// The article's `SafeCounter`: the count behind a lock.
pub struct MutexCounter(Mutex<u64>);

impl Counter for MutexCounter {
    fn new(_threads: usize) -> Self {
        Self(Mutex::new(0))
    }
    fn add(&self, _thread: usize) {
        // Poisoned only if a thread panicked while holding the lock, and
        // `+= 1` on a count below 2^64 cannot panic.
        *self.0.lock().expect("no thread panics holding the lock") += 1;
    }
    fn sum(&self) -> u64 {
        *self.0.lock().expect("no thread panics holding the lock")
    }
}

/// Count with [`MutexCounter`]. Correct: the lock makes read-add-write one
/// step. Each event is a lock and an unlock; under contention a thread
/// that finds the lock taken spins briefly, then sleeps in the kernel
/// until the owner wakes it.
pub fn mutex(threads: usize, per_thread: u64) -> u64 {
    count::<MutexCounter>(threads, per_thread)
}
// ANCHOR_END: mutex

// ANCHOR: rwlock_write
/// A reader-writer lock used only for writing.
pub struct RwLockCounter(RwLock<u64>);

impl Counter for RwLockCounter {
    fn new(_threads: usize) -> Self {
        Self(RwLock::new(0))
    }
    fn add(&self, _thread: usize) {
        // As for the mutex: poisoned only by a panic inside the lock.
        *self.0.write().expect("no thread panics holding the lock") += 1;
    }
    fn sum(&self) -> u64 {
        *self.0.read().expect("no thread panics holding the lock")
    }
}

/// Count with [`RwLockCounter`]. Correct, and the wrong tool: a `RwLock`
/// lets many readers in at once, which a counter that is only written
/// never uses, and its state (reader count, writer bit, waiters) is more
/// work to update than a mutex's.
pub fn rwlock_write(threads: usize, per_thread: u64) -> u64 {
    count::<RwLockCounter>(threads, per_thread)
}
// ANCHOR_END: rwlock_write

// ANCHOR: parking_lot_mutex
/// The count behind `parking_lot`'s mutex: one byte of lock state, no
/// poisoning.
pub struct ParkingLotCounter(parking_lot::Mutex<u64>);

impl Counter for ParkingLotCounter {
    fn new(_threads: usize) -> Self {
        Self(parking_lot::Mutex::new(0))
    }
    fn add(&self, _thread: usize) {
        *self.0.lock() += 1;
    }
    fn sum(&self) -> u64 {
        *self.0.lock()
    }
}

/// Count with [`ParkingLotCounter`]. Correct; the same design as [`mutex`]
/// with a different spin-then-park policy and eventual fairness.
pub fn parking_lot_mutex(threads: usize, per_thread: u64) -> u64 {
    count::<ParkingLotCounter>(threads, per_thread)
}
// ANCHOR_END: parking_lot_mutex

// ANCHOR: atomic_fetch_add
/// One atomic integer, incremented in one instruction.
pub struct AtomicCounter(AtomicU64);

impl Counter for AtomicCounter {
    fn new(_threads: usize) -> Self {
        Self(AtomicU64::new(0))
    }
    fn add(&self, _thread: usize) {
        // Relaxed is enough: every fetch_add is one indivisible
        // read-modify-write on this one location, so none is lost whatever
        // the ordering. Relaxed only gives up ordering *other* memory
        // around it, which a counter read after the join does not need.
        self.0.fetch_add(1, Relaxed);
    }
    fn sum(&self) -> u64 {
        self.0.load(Relaxed)
    }
}

/// Count with [`AtomicCounter`]. Correct: `fetch_add` is the read-add-write
/// as one instruction (`lock xadd` on x86), so there is no lock to take and
/// no thread ever sleeps. Every thread still writes the same cache line,
/// which must travel between cores for every event.
pub fn atomic_fetch_add(threads: usize, per_thread: u64) -> u64 {
    count::<AtomicCounter>(threads, per_thread)
}
// ANCHOR_END: atomic_fetch_add

// ANCHOR: sharded_false_sharing
/// One atomic slot per thread, in a plain array: 8 bytes apart.
pub struct PackedSlots(spacing::SpacedSlots);

impl Counter for PackedSlots {
    fn new(threads: usize) -> Self {
        Self(spacing::SpacedSlots::new(threads, 8))
    }
    fn add(&self, thread: usize) {
        self.0.add(thread);
    }
    fn sum(&self) -> u64 {
        self.0.sum()
    }
}

/// Count with [`PackedSlots`]. Correct, and no slot is written by two
/// threads, yet up to eight slots share one 64-byte cache line: the cores
/// still pass that line back and forth for every event (false sharing),
/// as if they shared one counter.
pub fn sharded_false_sharing(threads: usize, per_thread: u64) -> u64 {
    count::<PackedSlots>(threads, per_thread)
}
// ANCHOR_END: sharded_false_sharing

// ANCHOR: sharded_padded
/// One atomic slot per thread, each padded to its own cache lines.
pub struct PaddedSlots(Box<[CachePadded<AtomicU64>]>);

impl Counter for PaddedSlots {
    fn new(threads: usize) -> Self {
        Self(
            (0..threads)
                .map(|_| CachePadded::new(AtomicU64::new(0)))
                .collect(),
        )
    }
    fn add(&self, thread: usize) {
        // Relaxed, as for `AtomicCounter`; and this slot is only ever
        // written by this thread, so its line stays in this core's cache.
        self.0[thread].fetch_add(1, Relaxed);
    }
    fn sum(&self) -> u64 {
        self.0.iter().map(|slot| slot.load(Relaxed)).sum()
    }
}

/// Count with [`PaddedSlots`]. Correct; each thread writes only its own
/// slot, and `CachePadded` aligns each slot to 128 bytes on x86-64 (two
/// cache lines, because the CPU prefetches lines in pairs), so no line is
/// shared and no event waits for another core. The price: 128 bytes per
/// thread, and a read that sums every slot.
pub fn sharded_padded(threads: usize, per_thread: u64) -> u64 {
    count::<PaddedSlots>(threads, per_thread)
}
// ANCHOR_END: sharded_padded

// ANCHOR: thread_local_merge
/// Each thread counts in a local variable and hands its count back when it
/// finishes; the sum of the hand-backs is the count.
///
/// Correct with no shared state at all: the floor for any counter, and
/// what to do when nobody needs the count before the work is done. Each
/// event is one register addition.
pub fn thread_local_merge(threads: usize, per_thread: u64) -> u64 {
    let counts = on_threads(threads, |_| {
        let mut local = 0u64;
        for _ in 0..per_thread {
            // `black_box` stands for the work that produces each event;
            // without it the loop folds into one addition, and nothing
            // would be counted, only computed.
            local += std::hint::black_box(1);
        }
        local
    });
    counts.iter().sum()
}
// ANCHOR_END: thread_local_merge
