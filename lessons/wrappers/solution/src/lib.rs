//! The reference solution to the wrappers exercise: GCRA in one atomic.
//! Same API as `lessons/wrappers/exercise`; `workbench check wrappers
//! --solution` judges it.

use wrappers_api::sync::atomic::{AtomicU64, Ordering::Relaxed};
use wrappers_api::{Limiter, Nanos, Rate, RateError};

// ANCHOR: solution
/// A rate limiter shared by threads: the theoretical arrival time of the
/// next call (`tat`) in one `AtomicU64`.
pub struct RateLimiter {
    tat: AtomicU64,
    interval: Nanos,
    tolerance: Nanos,
}

impl Limiter for RateLimiter {
    fn new(rate: Rate) -> Result<Self, RateError> {
        // Both checked by `Rate`: a rate it cannot keep is an error here,
        // never a panic later.
        Ok(RateLimiter {
            tat: AtomicU64::new(0),
            interval: rate.interval()?,
            tolerance: rate.tolerance()?,
        })
    }

    fn admit(&self, now: Nanos) -> bool {
        let mut tat = self.tat.load(Relaxed);
        loop {
            // Refused when more than the tolerance early. Sums, never a
            // product of a time: `Rate` keeps `burst × interval` under
            // 2^63, so with `now` up to 2^63 neither sum overflows.
            if now.saturating_add(self.tolerance) < tat {
                return false;
            }
            // The next call's time: one interval after this one, or after
            // the last admitted one if this call is early.
            let next = tat.max(now).saturating_add(self.interval);
            // Publish it only if no other thread moved `tat` meanwhile;
            // if one did, decide again on what it wrote. Relaxed is
            // enough: `tat` is the only value shared.
            match self.tat.compare_exchange_weak(tat, next, Relaxed, Relaxed) {
                Ok(_) => return true,
                Err(seen) => tat = seen,
            }
        }
    }
}
// ANCHOR_END: solution
