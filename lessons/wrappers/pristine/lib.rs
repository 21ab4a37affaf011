//! Exercise: a rate limiter threads can share, with no lock and no
//! allocation per call.
//!
//! Fill in [`RateLimiter`] so that it keeps the contract of
//! [`wrappers_api::Limiter`] and meets its budget, then judge it:
//!
//! ```text
//! cargo run --release -- check wrappers
//! ```
//!
//! This crate is yours: `lessons/wrappers/exercise/`. It may use the
//! standard library and `wrappers_api` (the `Limiter` trait, `Rate` and its
//! `interval()` and `tolerance()`, and the `sync` shim), and nothing else:
//! no variant of the lesson, no other crate (the judge rejects a changed
//! dependency list, `unsafe`, `include!` and `#[path]`).
//!
//! The budget, checked in this order:
//!
//! 1. it agrees with GCRA on random call times under a fake clock (a
//!    token bucket of the same rate and burst agrees too, on times that do not
//!    go back), on a call
//!    exactly at the boundary, after a long idle (up to 2^63 ns), and a
//!    bad rate is an error from `new`, not a panic;
//! 2. it allocates nothing per call, and built for k = 100,000 calls per
//!    period it holds at most 64 bytes of heap;
//! 3. shared by 2 to 8 threads calling at one instant, it admits exactly
//!    the burst;
//! 4. at k = 10,000 it is at least 20x faster than the article's sliding
//!    log.
//!
//! `check` cannot prove that no interleaving admits a call twice; loom
//! can. Build your atomic from `wrappers_api::sync` (not `std::sync`) so
//! loom can replace it, then run the model checker on your code:
//!
//! ```text
//! RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom \
//!     cargo test --release -p wrappers --test loom -- --ignored exercise
//! ```

use wrappers_api::{Limiter, Nanos, Rate, RateError};

// ANCHOR: exercise
/// A rate limiter shared by threads.
pub struct RateLimiter {
    // TODO: the state of GCRA is one number, the theoretical arrival time
    // of the next call. Keep it in an `AtomicU64` from
    // `wrappers_api::sync::atomic`, with the interval and tolerance the
    // rate gives.
}

impl Limiter for RateLimiter {
    #[allow(unused_variables)] // `rate` is yours to use: remove this line when you start.
    fn new(rate: Rate) -> Result<Self, RateError> {
        // TODO: `rate.interval()?` and `rate.tolerance()?` check the rate
        // for you; start the arrival time at 0.
        todo!("RateLimiter::new")
    }

    #[allow(unused_variables)] // `now` is yours to use: remove this line when you start.
    fn admit(&self, now: Nanos) -> bool {
        // TODO: refuse when `now + tolerance < tat`; else move `tat` to
        // `max(tat, now) + interval` with one compare-and-swap, and try
        // again if another thread moved it first. Mind the sums: a time
        // times anything overflows after a long idle.
        todo!("RateLimiter::admit")
    }
}
// ANCHOR_END: exercise
