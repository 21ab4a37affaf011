//! What the counters lesson's exercise shares with the lesson: the
//! `Counter` trait and the `sync` shim that loom replaces. No variant lives
//! here, so an exercise that depends on this crate alone cannot call one.
#![deny(missing_docs)]

pub mod sync;

// ANCHOR: counter
/// A count shared by threads: thread `thread` (numbered from 0) calls
/// `add(thread)` once per event, and `sum` is read after they finished.
pub trait Counter: Sync {
    /// A zero count for `threads` threads.
    fn new(threads: usize) -> Self;
    /// Count one event on thread `thread`.
    fn add(&self, thread: usize);
    /// The count, once every thread has finished.
    fn sum(&self) -> u64;
}
// ANCHOR_END: counter
