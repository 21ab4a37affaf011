//! What the wrappers lesson's exercise shares with the lesson: a rate
//! ([`Rate`]), the errors of a rate that cannot be kept ([`RateError`]),
//! the [`Limiter`] contract and the `sync` shim loom replaces. No limiter
//! lives here, so an exercise that depends on this crate alone cannot call
//! one.
#![deny(missing_docs)]

pub mod sync;

/// Nanoseconds on the caller's clock: a limiter never reads a clock, it is
/// told the time of each call, so a test can drive it with any sequence.
pub type Nanos = u64;

/// The latest time a limiter is asked about: `2^63` ns, 292 years after
/// its clock's zero. Past it a limiter's sums may leave `u64`.
pub const MAX_NOW: Nanos = 1 << 63;

// ANCHOR: rate
/// `calls` calls per `period_ns`, at most `burst` of them at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    /// How many calls one period allows.
    pub calls: u64,
    /// The period, in nanoseconds.
    pub period_ns: Nanos,
    /// How many calls may arrive together after a quiet spell.
    pub burst: u64,
}
// ANCHOR_END: rate

/// Why a [`Rate`] cannot be kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateError {
    /// `calls` is 0: nothing could ever be admitted.
    ZeroCalls,
    /// `period_ns` is 0.
    ZeroPeriod,
    /// `burst` is 0: nothing could ever be admitted.
    ZeroBurst,
    /// More calls than nanoseconds in a period: the interval between two
    /// calls would be under one nanosecond.
    TooFast,
    /// `burst` intervals reach [`MAX_NOW`] (2^63 ns, 292 years).
    Overflow,
}

impl std::fmt::Display for RateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RateError::ZeroCalls => "a rate of 0 calls per period admits nothing",
            RateError::ZeroPeriod => "a period of 0 ns is no period",
            RateError::ZeroBurst => "a burst of 0 admits nothing",
            RateError::TooFast => "more calls than nanoseconds in the period: under 1 ns apart",
            RateError::Overflow => "burst × interval reaches 2^63 ns, 292 years",
        })
    }
}

impl std::error::Error for RateError {}

impl Rate {
    /// `calls` per `period_ns`, bursts of up to `burst`.
    pub const fn new(calls: u64, period_ns: Nanos, burst: u64) -> Rate {
        Rate {
            calls,
            period_ns,
            burst,
        }
    }

    // ANCHOR: interval
    /// The interval between two calls at the steady rate, in whole
    /// nanoseconds, rounded up (so a limiter never admits more than
    /// `calls` per period): `ceil(period_ns / calls)`. An error for a rate
    /// that cannot be kept.
    pub const fn interval(&self) -> Result<Nanos, RateError> {
        if self.calls == 0 {
            return Err(RateError::ZeroCalls);
        }
        if self.period_ns == 0 {
            return Err(RateError::ZeroPeriod);
        }
        if self.burst == 0 {
            return Err(RateError::ZeroBurst);
        }
        if self.calls > self.period_ns {
            return Err(RateError::TooFast);
        }
        let interval = self.period_ns.div_ceil(self.calls);
        // Under `MAX_NOW`, so that no time up to `MAX_NOW` plus a burst's
        // worth of intervals leaves 64 bits.
        match interval.checked_mul(self.burst) {
            Some(room) if room < MAX_NOW => Ok(interval),
            _ => Err(RateError::Overflow),
        }
    }

    /// How far ahead of a call's time the limiter's schedule may run and
    /// still admit it: `(burst - 1) × interval`, the room a burst needs.
    pub const fn tolerance(&self) -> Result<Nanos, RateError> {
        match self.interval() {
            // `interval()` checked that `burst × interval` fits.
            Ok(interval) => Ok((self.burst - 1) * interval),
            Err(e) => Err(e),
        }
    }
    // ANCHOR_END: interval
}

// ANCHOR: limiter
/// A rate limiter shared by threads. Its contract is GCRA's (the generic
/// cell rate algorithm), which a token bucket of the same rate and burst
/// keeps too on times that do not go back:
///
/// - a call at `now` is admitted when `now + tolerance >= tat`, where
///   `tat` (the theoretical arrival time) starts at 0;
/// - an admitted call moves `tat` to `max(tat, now) + interval`; a refused
///   one changes nothing;
/// - times go up to [`MAX_NOW`]; a time earlier than one already seen is
///   judged as given, and must not panic.
pub trait Limiter: Sync + Sized {
    /// A limiter for `rate`, or why the rate cannot be kept.
    fn new(rate: Rate) -> Result<Self, RateError>;
    /// Whether a call at `now` is admitted; an admitted call is counted.
    fn admit(&self, now: Nanos) -> bool;
}
// ANCHOR_END: limiter

#[cfg(test)]
mod tests {
    use super::*;

    /// Each bad rate is its own error; a good one rounds its interval up.
    #[test]
    fn bad_rates_are_errors_and_the_interval_rounds_up() {
        assert_eq!(Rate::new(0, 10, 1).interval(), Err(RateError::ZeroCalls));
        assert_eq!(Rate::new(1, 0, 1).interval(), Err(RateError::ZeroPeriod));
        assert_eq!(Rate::new(1, 10, 0).interval(), Err(RateError::ZeroBurst));
        assert_eq!(Rate::new(11, 10, 1).interval(), Err(RateError::TooFast));
        assert_eq!(
            Rate::new(1, u64::MAX, 2).interval(),
            Err(RateError::Overflow)
        );
        assert_eq!(Rate::new(3, 10, 2).interval(), Ok(4));
        assert_eq!(Rate::new(3, 10, 2).tolerance(), Ok(4));
        assert_eq!(Rate::new(5, 10, 1).tolerance(), Ok(0));
    }
}
