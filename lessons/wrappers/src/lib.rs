//! Lesson: decorators as wrappers (article 7.1). What a layer of wrapping
//! costs per call, how a rate limiter scales with its rate, and how
//! clients that retry together make a storm.
#![deny(missing_docs)]

pub use wrappers_api as api;

pub mod auth;
pub mod log;
pub mod rate;
pub mod retry;
pub mod stack;
