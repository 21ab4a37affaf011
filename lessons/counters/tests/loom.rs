//! Model checking with loom: every interleaving of two threads that the
//! memory model allows, explored one by one. Only built with `--cfg loom`:
//!
//! ```text
//! RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom \
//!     cargo test --release -p counters --test loom
//! ```
//!
//! (A target directory of its own, so the normal build is not rebuilt.)
//! The counts are tiny on purpose: two threads adding twice each already
//! give loom hundreds of executions to explore, and a lost update needs
//! only one add per thread.
#![cfg(loom)]

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};

use counters::{AtomicCounter, Counter, LoadStoreCounter, MutexCounter, PaddedSlots};
use loom::sync::Arc;
use loom::thread;

/// `threads` loom threads each `add` `per_thread` times to one `C`; the
/// sum once all are joined. (loom 0.7 has no scoped threads, hence `Arc`.)
fn total<C: Counter + Send + 'static>(threads: usize, per_thread: u64) -> u64 {
    let counter = Arc::new(C::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || {
                for _ in 0..per_thread {
                    counter.add(t);
                }
            })
        })
        .collect();
    for handle in handles {
        // A join fails only if the thread panicked; `add` does not.
        handle.join().expect("an adding thread does not panic");
    }
    counter.sum()
}

/// Every interleaving of two threads adding twice each counts exactly 4.
fn never_loses_an_update<C: Counter + Send + 'static>() {
    loom::model(|| assert_eq!(total::<C>(2, 2), 4));
}

/// loom finds the article's race: in some interleaving both threads load
/// 0 before either stores, and one of the two adds is lost. It also finds
/// interleavings that count right, which is why the bug hides in testing.
#[test]
fn racy_load_store_loses_an_update_in_some_interleaving() {
    static EXECUTIONS: AtomicUsize = AtomicUsize::new(0);
    static LOST: AtomicBool = AtomicBool::new(false);
    static EXACT: AtomicBool = AtomicBool::new(false);
    loom::model(|| {
        EXECUTIONS.fetch_add(1, SeqCst);
        match total::<LoadStoreCounter>(2, 1) {
            2 => EXACT.store(true, SeqCst),
            1 => LOST.store(true, SeqCst),
            other => panic!("two adds counted {other}"),
        }
    });
    assert!(
        EXECUTIONS.load(SeqCst) > 1,
        "loom explored one execution only"
    );
    assert!(LOST.load(SeqCst), "no interleaving lost an update");
    assert!(EXACT.load(SeqCst), "no interleaving counted both adds");
}

/// The mutex makes read-add-write one step in every interleaving.
#[test]
fn mutex_never_loses_an_update() {
    never_loses_an_update::<MutexCounter>();
}

/// `fetch_add(Relaxed)` is indivisible: no interleaving loses an add,
/// even with the weakest ordering.
#[test]
fn atomic_fetch_add_never_loses_an_update() {
    never_loses_an_update::<AtomicCounter>();
}

/// Per-thread padded slots, summed after the joins, count every add.
#[test]
fn sharded_padded_never_loses_an_update() {
    never_loses_an_update::<PaddedSlots>();
}

/// The exercise's reference solution passes the same model check.
#[test]
fn the_solution_never_loses_an_update() {
    never_loses_an_update::<counters_solution::ShardedCounter>();
}

/// Your exercise under the same model check. Ignored by default (the
/// untouched stub panics); run it with `-- --ignored exercise`.
#[test]
#[ignore = "the learner's exercise: run with `-- --ignored exercise`"]
fn the_exercise_never_loses_an_update() {
    never_loses_an_update::<counters_exercise::ShardedCounter>();
}
