//! Known-wrong answers to the wrappers exercise (`RateLimiter`), each the
//! way a learner writes it, and where the judge must stop it; and one
//! right answer unlike the reference solution.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use workbench::check::wrappers::judge_type;
use wrappers::api::{Limiter, Nanos, Rate, RateError};

use super::{Expect, Wrong};

/// The article's `RateLimiter`, shared behind a lock: the list of admitted
/// times, filtered on every call. It keeps a window's contract, not
/// GCRA's: a burst that GCRA spreads out, it refuses.
struct ArticlesList {
    max_calls: u64,
    period: Nanos,
    calls: Mutex<Vec<Nanos>>,
}

impl Limiter for ArticlesList {
    fn new(rate: Rate) -> Result<Self, RateError> {
        rate.interval()?;
        Ok(ArticlesList {
            max_calls: rate.calls,
            period: rate.period_ns,
            calls: Mutex::new(Vec::new()),
        })
    }
    fn admit(&self, now: Nanos) -> bool {
        let mut calls = self.calls.lock().unwrap_or_else(|e| e.into_inner());
        calls.retain(|&t| now.saturating_sub(t) < self.period);
        if calls.len() as u64 >= self.max_calls {
            return false;
        }
        calls.push(now);
        true
    }
}

/// GCRA kept right, in a locked `VecDeque` of the scheduled times of the
/// calls still inside the tolerance, made with room for a whole burst:
/// right, but it allocates the burst up front.
struct LockedDeque {
    interval: Nanos,
    tolerance: Nanos,
    scheduled: Mutex<VecDeque<Nanos>>,
}

impl Limiter for LockedDeque {
    fn new(rate: Rate) -> Result<Self, RateError> {
        Ok(LockedDeque {
            interval: rate.interval()?,
            tolerance: rate.tolerance()?,
            scheduled: Mutex::new(VecDeque::with_capacity(rate.burst as usize)),
        })
    }
    fn admit(&self, now: Nanos) -> bool {
        let mut scheduled = self.scheduled.lock().unwrap_or_else(|e| e.into_inner());
        while scheduled.front().is_some_and(|&t| t <= now) {
            scheduled.pop_front();
        }
        let tat = scheduled.back().copied().unwrap_or(0);
        if now.saturating_add(self.tolerance) < tat {
            return false;
        }
        scheduled.push_back(tat.max(now) + self.interval);
        true
    }
}

/// A counter per fixed window of one period, reset when a new window
/// starts: `calls` at the end of one window and `calls` more at the start
/// of the next, far more than the rate allows across the boundary.
struct FixedWindow {
    calls: u64,
    period: Nanos,
    /// The window's number and its count, packed: high and low 32 bits.
    state: Mutex<(u64, u64)>,
}

impl Limiter for FixedWindow {
    fn new(rate: Rate) -> Result<Self, RateError> {
        rate.interval()?;
        Ok(FixedWindow {
            calls: rate.calls,
            period: rate.period_ns,
            state: Mutex::new((0, 0)),
        })
    }
    fn admit(&self, now: Nanos) -> bool {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let window = now / self.period;
        if window != state.0 {
            *state = (window, 0);
        }
        if state.1 >= self.calls {
            return false;
        }
        state.1 += 1;
        true
    }
}

/// GCRA with its comparison off by one: it refuses only when the call is
/// more than one nanosecond early, so a call one nanosecond before the
/// boundary gets in.
struct EarlyByOne {
    tat: AtomicU64,
    interval: Nanos,
    tolerance: Nanos,
}

impl Limiter for EarlyByOne {
    fn new(rate: Rate) -> Result<Self, RateError> {
        Ok(EarlyByOne {
            tat: AtomicU64::new(0),
            interval: rate.interval()?,
            tolerance: rate.tolerance()?,
        })
    }
    fn admit(&self, now: Nanos) -> bool {
        let mut tat = self.tat.load(Relaxed);
        loop {
            if now + self.tolerance + 1 < tat {
                return false;
            }
            let next = tat.max(now) + self.interval;
            match self.tat.compare_exchange_weak(tat, next, Relaxed, Relaxed) {
                Ok(_) => return true,
                Err(seen) => tat = seen,
            }
        }
    }
}

/// GCRA in picoseconds, "for precision": every time multiplied by 1,000,
/// which wraps once a time passes 2^64 ps, 213 days.
struct Picoseconds {
    tat: AtomicU64,
    interval: u64,
    tolerance: u64,
}

impl Limiter for Picoseconds {
    fn new(rate: Rate) -> Result<Self, RateError> {
        Ok(Picoseconds {
            tat: AtomicU64::new(0),
            interval: rate.interval()?.wrapping_mul(1_000),
            tolerance: rate.tolerance()?.wrapping_mul(1_000),
        })
    }
    fn admit(&self, now: Nanos) -> bool {
        let now = now.wrapping_mul(1_000);
        let mut tat = self.tat.load(Relaxed);
        loop {
            if now.wrapping_add(self.tolerance) < tat {
                return false;
            }
            let next = tat.max(now).wrapping_add(self.interval);
            match self.tat.compare_exchange_weak(tat, next, Relaxed, Relaxed) {
                Ok(_) => return true,
                Err(seen) => tat = seen,
            }
        }
    }
}

/// GCRA's number behind a `Mutex<u64>`: right, nothing on the heap, and a
/// lock per call is still far faster than the list. Accepted.
struct LockedGcra {
    tat: Mutex<u64>,
    interval: Nanos,
    tolerance: Nanos,
}

impl Limiter for LockedGcra {
    fn new(rate: Rate) -> Result<Self, RateError> {
        Ok(LockedGcra {
            tat: Mutex::new(0),
            interval: rate.interval()?,
            tolerance: rate.tolerance()?,
        })
    }
    fn admit(&self, now: Nanos) -> bool {
        let mut tat = self.tat.lock().unwrap_or_else(|e| e.into_inner());
        if now.saturating_add(self.tolerance) < *tat {
            return false;
        }
        *tat = (*tat).max(now).saturating_add(self.interval);
        true
    }
}

/// `new` unwraps the rate's interval, as a first draft does.
struct Panics;

impl Limiter for Panics {
    fn new(rate: Rate) -> Result<Self, RateError> {
        assert!(rate.calls > 1, "a rate of one call is not supported yet");
        Ok(Panics)
    }
    fn admit(&self, _: Nanos) -> bool {
        true
    }
}

/// Waits for the call's time to come round, on a clock that is never
/// read: it spins forever.
struct Hangs(AtomicU64);

impl Limiter for Hangs {
    fn new(_: Rate) -> Result<Self, RateError> {
        Ok(Hangs(AtomicU64::new(0)))
    }
    fn admit(&self, now: Nanos) -> bool {
        while self.0.load(Relaxed) <= now {
            std::hint::spin_loop();
        }
        true
    }
}

/// The submissions.
pub const WRONG: &[Wrong] = &[
    Wrong {
        name: "articles_list",
        expect: Expect::Failed("agrees"),
        run: judge_type::<ArticlesList>,
    },
    Wrong {
        name: "locked_deque",
        expect: Expect::Failed("memory"),
        run: judge_type::<LockedDeque>,
    },
    Wrong {
        name: "fixed_window",
        expect: Expect::Failed("agrees"),
        run: judge_type::<FixedWindow>,
    },
    Wrong {
        name: "early_by_one",
        expect: Expect::Failed("agrees"),
        run: judge_type::<EarlyByOne>,
    },
    Wrong {
        name: "picoseconds",
        expect: Expect::Failed("agrees"),
        run: judge_type::<Picoseconds>,
    },
    Wrong {
        name: "locked_gcra",
        expect: Expect::Accepted,
        run: judge_type::<LockedGcra>,
    },
    Wrong {
        name: "panics",
        expect: Expect::Panicked("started"),
        run: judge_type::<Panics>,
    },
    Wrong {
        name: "hangs",
        expect: Expect::Hangs("started"),
        run: judge_type::<Hangs>,
    },
];
