//! Question 2: rate limiting at scale.
//!
//! The article's `RateLimiter` keeps a list of the times of the calls it
//! admitted and rebuilds it, filtered, on every call: O(k) per call for a
//! rate of k calls per period. The other limiters here decide in O(1):
//!
//! | limiter | contract | state |
//! | --- | --- | --- |
//! | [`SlidingLog`] (the article's) | at most `calls` in any window of `period` | the admitted times, up to `calls` |
//! | [`Ring`] | the same window | the last `calls` admitted times, in a ring |
//! | [`TokenBucket`] | GCRA: `calls` per `period`, bursts of `burst` | tokens and the last time |
//! | [`Gcra`] | GCRA | one `AtomicU64`, shared by threads |
//! | [`Governor`] | GCRA | the `governor` crate's |
//!
//! The two contracts differ by design, and [`window_model`] and
//! [`gcra_model`] say how: a window of `period` never holds more than
//! `calls` calls, while GCRA spaces calls `interval` apart and lets
//! `burst` of them through at once after a quiet spell. On the lesson's
//! steady input, calls exactly one interval apart, every limiter admits
//! every call.
//!
//! No limiter reads a clock: each call is told its time in nanoseconds,
//! so tests drive them with any sequence of times.

use std::cell::Cell;
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::Clock;
use governor::middleware::NoOpMiddleware;
use governor::nanos::Nanos as GovernorNanos;
use governor::state::{InMemoryState, NotKeyed};

use crate::api::sync::atomic::{AtomicU64, Ordering::Relaxed};
use crate::api::{Limiter, Nanos, Rate, RateError};

/// A limiter one thread owns.
pub trait Sequential: Sized {
    /// A limiter for `rate`, or why the rate cannot be kept.
    fn new(rate: Rate) -> Result<Self, RateError>;
    /// Whether a call at `now` is admitted; an admitted call is counted.
    fn admit(&mut self, now: Nanos) -> bool;
}

/// Every shared limiter is a sequential one too.
impl<L: Limiter> Sequential for Shared<L> {
    fn new(rate: Rate) -> Result<Self, RateError> {
        L::new(rate).map(Shared)
    }
    fn admit(&mut self, now: Nanos) -> bool {
        self.0.admit(now)
    }
}

/// A shared limiter used by one thread.
pub struct Shared<L>(pub L);

// ANCHOR: sliding_log
/// The article's `RateLimiter`, translated line for line: a map from the
/// function's name to the list of its admitted call times (Python's
/// `defaultdict(list)`), rebuilt on every call from the times still
/// inside the period.
pub struct SlidingLog {
    max_calls: u64,
    period: Nanos,
    calls: HashMap<&'static str, Vec<Nanos>>,
}

/// The name the article keys its lists by (`func.__name__`).
pub const KEY: &str = "create_deployment";

impl Sequential for SlidingLog {
    fn new(rate: Rate) -> Result<Self, RateError> {
        rate.interval()?;
        Ok(SlidingLog {
            max_calls: rate.calls,
            period: rate.period_ns,
            calls: HashMap::new(),
        })
    }

    fn admit(&mut self, now: Nanos) -> bool {
        let period = self.period;
        let calls = self.calls.entry(KEY).or_default();
        // Remove old calls: a new list of the ones inside the period.
        // (`saturating_sub`: a call from a clock that went back counts as
        // inside the period.)
        *calls = calls
            .iter()
            .copied()
            .filter(|&call_time| now.saturating_sub(call_time) < period)
            .collect();
        // Check rate limit: the article raises here.
        if calls.len() as u64 >= self.max_calls {
            return false;
        }
        // Record call.
        calls.push(now);
        true
    }
}
// ANCHOR_END: sliding_log

impl SlidingLog {
    /// The log as `calls` admitted calls at `times` would leave it, built
    /// in O(k): filling the article's list one call at a time costs O(k²),
    /// seconds at k = 100,000, before anything is measured.
    /// `tests/wrappers_agree.rs` checks it against calls made one by one.
    pub fn with_log(rate: Rate, times: Vec<Nanos>) -> Result<Self, RateError> {
        let mut log = <SlidingLog as Sequential>::new(rate)?;
        log.calls.insert(KEY, times);
        Ok(log)
    }
}

// ANCHOR: ring
/// The same window in O(1): the last `calls` admitted times in a ring. A
/// call is admitted when the oldest of them is a whole period old.
pub struct Ring {
    period: Nanos,
    times: Box<[Nanos]>,
    /// How many slots are filled (at most `times.len()`).
    filled: usize,
    /// The slot of the oldest time, once the ring is full.
    oldest: usize,
}

impl Sequential for Ring {
    fn new(rate: Rate) -> Result<Self, RateError> {
        rate.interval()?;
        let slots = usize::try_from(rate.calls).map_err(|_| RateError::Overflow)?;
        Ok(Ring {
            period: rate.period_ns,
            times: vec![0; slots].into_boxed_slice(),
            filled: 0,
            oldest: 0,
        })
    }

    fn admit(&mut self, now: Nanos) -> bool {
        if self.filled < self.times.len() {
            self.times[self.filled] = now;
            self.filled += 1;
            return true;
        }
        if now.saturating_sub(self.times[self.oldest]) < self.period {
            return false;
        }
        self.times[self.oldest] = now;
        self.oldest = (self.oldest + 1) % self.times.len();
        true
    }
}
// ANCHOR_END: ring

// ANCHOR: token_bucket
/// A token bucket that keeps GCRA's contract exactly: its tokens are
/// counted in nanoseconds of credit, one token being one interval, so no
/// fraction of a token is lost to rounding; it holds `burst` tokens at
/// most.
pub struct TokenBucket {
    interval: Nanos,
    capacity: Nanos,
    credit: Nanos,
    last: Nanos,
}

impl Sequential for TokenBucket {
    fn new(rate: Rate) -> Result<Self, RateError> {
        let interval = rate.interval()?;
        let capacity = interval * rate.burst;
        Ok(TokenBucket {
            interval,
            capacity,
            credit: capacity,
            last: 0,
        })
    }

    fn admit(&mut self, now: Nanos) -> bool {
        // Refill by the time passed (none if the clock went back), up to
        // the capacity: a sum, never a product, so a long idle cannot
        // overflow.
        let earned = now.saturating_sub(self.last);
        self.credit = self.credit.saturating_add(earned).min(self.capacity);
        self.last = self.last.max(now);
        if self.credit < self.interval {
            return false;
        }
        self.credit -= self.interval;
        true
    }
}
// ANCHOR_END: token_bucket

// ANCHOR: gcra
/// GCRA in one `AtomicU64`: the theoretical arrival time of the next call
/// (`tat`). A call is admitted when it is no more than the tolerance
/// early, and moves `tat` one interval on with a compare-and-swap, so
/// threads share it without a lock.
pub struct Gcra {
    tat: AtomicU64,
    interval: Nanos,
    tolerance: Nanos,
}

impl Limiter for Gcra {
    fn new(rate: Rate) -> Result<Self, RateError> {
        Ok(Gcra {
            tat: AtomicU64::new(0),
            interval: rate.interval()?,
            tolerance: rate.tolerance()?,
        })
    }

    fn admit(&self, now: Nanos) -> bool {
        let mut tat = self.tat.load(Relaxed);
        loop {
            // `now` is at most 2^63 and `Rate::interval` keeps `burst ×
            // interval` under 2^63, so neither sum can overflow; past
            // 2^63 they saturate.
            if now.saturating_add(self.tolerance) < tat {
                return false;
            }
            let next = tat.max(now).saturating_add(self.interval);
            // Relaxed: the one value shared is `tat` itself, and the
            // compare-and-swap orders every update of it.
            match self.tat.compare_exchange_weak(tat, next, Relaxed, Relaxed) {
                Ok(_) => return true,
                Err(seen) => tat = seen,
            }
        }
    }
}
// ANCHOR_END: gcra

thread_local! {
    /// The time [`Governor`]'s clock reads: set by each call, per thread.
    static NOW: Cell<u64> = const { Cell::new(0) };
}

/// A clock for `governor` that reads the time the caller was given.
#[derive(Clone, Copy, Debug, Default)]
pub struct CallerClock;

impl Clock for CallerClock {
    type Instant = GovernorNanos;
    fn now(&self) -> GovernorNanos {
        GovernorNanos::new(NOW.with(Cell::get))
    }
}

/// The peer: `governor`'s direct GCRA limiter, on a clock that reads the
/// time each call is given.
pub struct Governor(
    governor::RateLimiter<NotKeyed, InMemoryState, CallerClock, NoOpMiddleware<GovernorNanos>>,
);

impl Limiter for Governor {
    fn new(rate: Rate) -> Result<Self, RateError> {
        let interval = rate.interval()?;
        let burst = u32::try_from(rate.burst)
            .ok()
            .and_then(NonZeroU32::new)
            .ok_or(RateError::Overflow)?;
        let quota = governor::Quota::with_period(Duration::from_nanos(interval))
            .ok_or(RateError::ZeroPeriod)?
            .allow_burst(burst);
        // governor counts time from its clock's reading when it is built.
        NOW.with(|now| now.set(0));
        Ok(Governor(governor::RateLimiter::direct_with_clock(
            quota,
            CallerClock,
        )))
    }

    fn admit(&self, now: Nanos) -> bool {
        NOW.with(|cell| cell.set(now));
        self.0.check().is_ok()
    }
}

// ANCHOR: models
/// What a window limiter admits of `times`: a call when fewer than
/// `calls` admitted calls lie in the `period` before it (`now - t <
/// period`). Quadratic and obvious: the model the fast ones are held to.
pub fn window_model(rate: Rate, times: &[Nanos]) -> Vec<bool> {
    let mut admitted: Vec<Nanos> = Vec::new();
    times
        .iter()
        .map(|&now| {
            let inside = admitted
                .iter()
                .filter(|&&t| now.saturating_sub(t) < rate.period_ns)
                .count() as u64;
            let admit = inside < rate.calls;
            if admit {
                admitted.push(now);
            }
            admit
        })
        .collect()
}

/// What GCRA admits of `times`, in 128-bit arithmetic, which no time up to
/// `2^64` can overflow.
pub fn gcra_model(rate: Rate, times: &[Nanos]) -> Result<Vec<bool>, RateError> {
    let interval = u128::from(rate.interval()?);
    let tolerance = u128::from(rate.tolerance()?);
    let mut tat: u128 = 0;
    Ok(times
        .iter()
        .map(|&now| {
            let now = u128::from(now);
            let admit = now + tolerance >= tat;
            if admit {
                tat = tat.max(now) + interval;
            }
            admit
        })
        .collect())
}
// ANCHOR_END: models

/// Every decision of `L` on `times`, one call after another.
pub fn decisions<L: Sequential>(rate: Rate, times: &[Nanos]) -> Result<Vec<bool>, RateError> {
    let mut limiter = L::new(rate)?;
    Ok(times.iter().map(|&now| limiter.admit(now)).collect())
}

/// The lesson's rate at k: k calls per `k` microseconds, one per
/// microsecond, bursts of k.
pub fn lesson_rate(k: u64) -> Rate {
    Rate::new(k, k * STEADY_INTERVAL, k)
}

/// The interval of the lesson's rate: 1 µs.
pub const STEADY_INTERVAL: Nanos = 1_000;

/// Calls per measured step.
pub const CALLS: u64 = 256;

/// A limiter on the lesson's steady input: calls exactly one interval
/// apart, after `k` calls that fill its window, so the article's list
/// holds k times on every call. Every limiter admits every call.
pub struct Steady<L> {
    limiter: L,
    now: Nanos,
}

/// What the catalog times: [`CALLS`] more calls of the steady input.
pub trait Step {
    /// Make [`CALLS`] calls; how many were admitted.
    fn step(&mut self) -> u64;
}

impl<L: Sequential> Step for Steady<L> {
    fn step(&mut self) -> u64 {
        let mut admitted = 0;
        for _ in 0..CALLS {
            admitted += u64::from(self.limiter.admit(std::hint::black_box(self.now)));
            self.now += STEADY_INTERVAL;
        }
        admitted
    }
}

/// The steady input for `L` at k, its window filled by k calls.
pub fn steady<L: Sequential + 'static>(k: u64) -> Result<Box<dyn Step>, RateError> {
    let mut limiter = L::new(lesson_rate(k))?;
    let mut now = 0;
    for _ in 0..k {
        limiter.admit(now);
        now += STEADY_INTERVAL;
    }
    Ok(Box::new(Steady { limiter, now }))
}

/// Run `threads` threads, each making `per_thread` calls on one shared
/// limiter at its own times (thread i's j-th call at `(j × threads + i)`
/// intervals, so together they call at the steady rate); how many calls
/// were admitted.
pub fn shared_calls<L: Limiter>(limiter: &L, threads: u64, per_thread: u64) -> u64 {
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|i| {
                s.spawn(move || {
                    (0..per_thread)
                        .filter(|j| limiter.admit((j * threads + i) * STEADY_INTERVAL))
                        .count() as u64
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .sum()
    })
}

/// A sequential limiter behind a `Mutex`, shared by threads: the article's
/// list, the ring and the bucket as threads would share them.
pub struct Locked<L>(crate::api::sync::Mutex<L>);

impl<L: Sequential + Send> Limiter for Locked<L> {
    fn new(rate: Rate) -> Result<Self, RateError> {
        L::new(rate).map(|l| Locked(crate::api::sync::Mutex::new(l)))
    }
    fn admit(&self, now: Nanos) -> bool {
        // A panic while admitting leaves no half-done update: the state
        // is still a limiter's.
        self.0.lock().unwrap_or_else(|e| e.into_inner()).admit(now)
    }
}

/// The article's list on the steady input at k, its window filled in
/// O(k) by [`SlidingLog::with_log`].
pub fn sliding_log(k: u64) -> Result<Box<dyn Step>, RateError> {
    let times = (0..k).map(|i| i * STEADY_INTERVAL).collect();
    Ok(Box::new(Steady {
        limiter: SlidingLog::with_log(lesson_rate(k), times)?,
        now: k * STEADY_INTERVAL,
    }))
}

/// The ring on the steady input at k.
pub fn ring(k: u64) -> Result<Box<dyn Step>, RateError> {
    steady::<Ring>(k)
}

/// The token bucket on the steady input at k.
pub fn token_bucket(k: u64) -> Result<Box<dyn Step>, RateError> {
    steady::<TokenBucket>(k)
}

/// The atomic GCRA on the steady input at k.
pub fn gcra(k: u64) -> Result<Box<dyn Step>, RateError> {
    steady::<Shared<Gcra>>(k)
}

/// `governor` on the steady input at k.
pub fn governor(k: u64) -> Result<Box<dyn Step>, RateError> {
    steady::<Shared<Governor>>(k)
}

/// Calls each thread makes in the shared scenario.
pub const PER_THREAD: u64 = 10_000;
/// The rate of the shared scenario: k = 1,000.
pub const SHARED_K: u64 = 1_000;

/// The shared scenario on a fresh `L`: `threads` threads making
/// [`PER_THREAD`] calls each at the steady rate; how many were admitted.
pub fn shared<L: Limiter>(threads: u64) -> Result<u64, RateError> {
    let limiter = L::new(lesson_rate(SHARED_K))?;
    Ok(shared_calls(&limiter, threads, PER_THREAD))
}

/// The article's list behind a `Mutex`, shared.
pub fn locked_sliding_log(threads: u64) -> Result<u64, RateError> {
    shared::<Locked<SlidingLog>>(threads)
}

/// The token bucket behind a `Mutex`, shared.
pub fn locked_token_bucket(threads: u64) -> Result<u64, RateError> {
    shared::<Locked<TokenBucket>>(threads)
}

/// GCRA in one `AtomicU64`, shared.
pub fn atomic_gcra(threads: u64) -> Result<u64, RateError> {
    shared::<Gcra>(threads)
}

/// `governor`, shared.
pub fn shared_governor(threads: u64) -> Result<u64, RateError> {
    shared::<Governor>(threads)
}
