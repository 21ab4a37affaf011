//! Lesson: profiling (article 7.7). Finding the hot spot in a log
//! summarizer with a flame graph and a heap profile; what the compiler
//! does to the article's cost loop (build profiles, bounds checks, `f32`);
//! and which structure takes the minimum fast (a list, a sorted list, a
//! heap, an ordered set).
#![deny(missing_docs)]

pub use profiling_api as api;

pub mod builds;
pub mod cost;
pub mod drain;
pub mod hotspot;

pub use builds::{debug, native, release, release_lto};
pub use cost::{dicts, f32_total, indexed, iterators, unchecked};
pub use drain::{binary_heap, btree_set, list_min_remove, sort_once};
pub use hotspot::{fast, fix_lowercase, fix_queue, slow};
