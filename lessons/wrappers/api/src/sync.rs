//! The atomics the rate limiters are built from: the standard library's,
//! or loom's under `RUSTFLAGS="--cfg loom"`, so the code that is timed is
//! the code that is model-checked.

// ANCHOR: shim
#[cfg(loom)]
pub use loom::sync::{Mutex, atomic};

#[cfg(not(loom))]
pub use std::sync::{Mutex, atomic};
// ANCHOR_END: shim
