//! The synchronisation primitives the counters are built from: the
//! standard library's, or loom's under `RUSTFLAGS="--cfg loom"`.
//!
//! loom re-implements `Mutex`, `RwLock` and the atomics so that a test can
//! run a closure under every interleaving of its threads that the memory
//! model allows. The counters name their primitives through this module
//! only, so the code that is timed is the code that is model-checked. (The
//! peer, `parking_lot::Mutex`, has no loom twin and is not model-checked.)

// ANCHOR: shim
#[cfg(loom)]
pub use loom::sync::{Mutex, RwLock, atomic};

#[cfg(not(loom))]
pub use std::sync::{Mutex, RwLock, atomic};
// ANCHOR_END: shim
