//! Child processes the workbench starts (the exercise judge, the Python
//! references, measuring processes): none outlives its time limit.
//!
//! One copy of each helper: the concurrency lesson's worker pool needs the
//! same two (its workers are child processes too), and lesson crates sit
//! below the workbench, so they live there and are re-exported here.

pub use concurrency::worker::{describe, wait_or_kill};
