//! The wrappers lesson's variants compute the same thing: every stack
//! gives the same sums at every depth; every limiter admits exactly what
//! its contract's model admits, on random call times under a fake clock;
//! the loggers write nothing at WARNING; a bad rate is an error from every limiter, never a panic.

use proptest::prelude::*;
use wrappers::api::{Limiter, MAX_NOW, Nanos, Rate, RateError};
use wrappers::auth::{self, Admin, User};
use wrappers::rate::{
    self, Gcra, Governor, Locked, Ring, Sequential, Shared, SlidingLog, TokenBucket, decisions,
    gcra_model, window_model,
};
use wrappers::stack::{self, MAX_LAYERS};

/// Every stack, at every depth, sums `scale` over the calls.
#[test]
fn every_stack_gives_the_same_sum_at_every_depth() {
    let want = stack::expected();
    assert_eq!(want, stack::CALLS * stack::CALLS, "the sum of 2i + 1");
    for layers in 0..=MAX_LAYERS {
        assert_eq!(
            stack::boxed_kwargs(layers).run(),
            Ok(want),
            "boxed_kwargs at {layers}"
        );
        assert_eq!(
            stack::dyn_calls(&stack::dyn_layers(layers)),
            want,
            "dyn_layers at {layers}"
        );
        assert_eq!(stack::generic(layers), Some(want), "generic at {layers}");
        assert_eq!(stack::tower(layers), Some(want), "tower at {layers}");
    }
    assert_eq!(stack::generic(MAX_LAYERS + 1), None);
    assert_eq!(stack::tower(MAX_LAYERS + 1), None);
}

/// The article's dict-based call fails as Python does when the argument
/// is missing: an error, not a panic.
#[test]
fn a_missing_keyword_is_an_error() {
    let f = stack::decorator(stack::py_scale());
    let got = f(&[], stack::Kwargs::default());
    assert!(
        matches!(got, Err(stack::PyError(ref m)) if m.contains("replicas")),
        "{got:?}"
    );
}

/// Rates: every interval from 1 ns, some that do not divide the period.
fn rates() -> impl Strategy<Value = Rate> {
    (1u64..=12, 1u64..=50, 0u64..=3, 1u64..=12).prop_map(|(calls, interval, extra, burst)| {
        Rate::new(calls, calls * interval + extra.min(calls - 1), burst)
    })
}

/// Times that go up, by steps around the intervals above, with idles.
fn rising() -> impl Strategy<Value = Vec<Nanos>> {
    prop::collection::vec(
        prop_oneof![3 => Just(0u64), 8 => 0u64..120, 1 => 1_000u64..1_000_000],
        0..150,
    )
    .prop_map(|steps| {
        steps
            .iter()
            .scan(0u64, |now, step| {
                *now += step;
                Some(*now)
            })
            .collect()
    })
}

/// Times in any order, some of them near 2^63.
fn any_order() -> impl Strategy<Value = Vec<Nanos>> {
    prop::collection::vec(
        prop_oneof![8 => 0u64..2_000, 1 => (MAX_NOW - 5_000)..=MAX_NOW],
        0..100,
    )
}

proptest! {
    /// The article's list and the ring keep the window's contract, call
    /// for call, on rising times.
    #[test]
    fn window_limiters_agree_with_the_window_model(rate in rates(), times in rising()) {
        let want = window_model(rate, &times);
        prop_assert_eq!(&decisions::<SlidingLog>(rate, &times).unwrap(), &want, "sliding_log");
        prop_assert_eq!(&decisions::<Ring>(rate, &times).unwrap(), &want, "ring");
    }

    /// The token bucket, the atomic GCRA, governor and the exercise's
    /// solution keep GCRA's, call for call, on rising times.
    #[test]
    fn gcra_limiters_agree_with_the_gcra_model(rate in rates(), times in rising()) {
        let want = gcra_model(rate, &times).unwrap();
        prop_assert_eq!(&decisions::<TokenBucket>(rate, &times).unwrap(), &want, "token_bucket");
        prop_assert_eq!(&decisions::<Shared<Gcra>>(rate, &times).unwrap(), &want, "gcra");
        prop_assert_eq!(&decisions::<Shared<Governor>>(rate, &times).unwrap(), &want, "governor");
        prop_assert_eq!(
            &decisions::<Shared<wrappers_solution::RateLimiter>>(rate, &times).unwrap(),
            &want,
            "solution"
        );
    }

    /// On times in any order, up to 2^63, the GCRA limiters still give
    /// the model's answer (it judges each call at the time given), and
    /// every limiter answers without a panic.
    #[test]
    fn times_in_any_order_give_a_defined_answer(rate in rates(), times in any_order()) {
        let want = gcra_model(rate, &times).unwrap();
        prop_assert_eq!(&decisions::<Shared<Gcra>>(rate, &times).unwrap(), &want, "gcra");
        prop_assert_eq!(
            &decisions::<Shared<wrappers_solution::RateLimiter>>(rate, &times).unwrap(),
            &want,
            "solution"
        );
        prop_assert_eq!(&decisions::<Shared<Governor>>(rate, &times).unwrap(), &want, "governor");
        for got in [
            decisions::<SlidingLog>(rate, &times),
            decisions::<Ring>(rate, &times),
            decisions::<TokenBucket>(rate, &times),
        ] {
            prop_assert_eq!(got.unwrap().len(), times.len());
        }
    }

    /// `SlidingLog::with_log` leaves the list as the calls would: the
    /// same decisions from then on.
    #[test]
    fn a_log_built_at_once_decides_as_one_built_by_calls(rate in rates(), times in rising()) {
        let (first, rest) = times.split_at(times.len() / 2);
        let mut by_calls = <SlidingLog as Sequential>::new(rate).unwrap();
        let kept: Vec<Nanos> = first.iter().copied().filter(|&t| by_calls.admit(t)).collect();
        let mut at_once = SlidingLog::with_log(rate, kept).unwrap();
        for &t in rest {
            prop_assert_eq!(at_once.admit(t), by_calls.admit(t));
        }
    }
}

/// The window and GCRA differ by design: after a burst of two at 0, GCRA
/// lets a call through one interval later (at 5), while the window waits
/// for the whole period (10).
#[test]
fn the_two_contracts_differ_where_the_lesson_says() {
    let rate = Rate::new(2, 10, 2);
    let times = [0, 0, 5, 10];
    assert_eq!(window_model(rate, &times), [true, true, false, true]);
    assert_eq!(gcra_model(rate, &times).unwrap(), [true, true, true, true]);
}

/// On the lesson's steady input every limiter admits every call, at every
/// k the question sweeps.
#[test]
fn the_steady_input_is_admitted_by_every_limiter() {
    for k in [1, 5, 100, 1_000] {
        for (name, steady) in [
            ("sliding_log", rate::sliding_log(k)),
            ("ring", rate::ring(k)),
            ("token_bucket", rate::token_bucket(k)),
            ("gcra", rate::gcra(k)),
            ("governor", rate::governor(k)),
        ] {
            let mut steady = steady.unwrap();
            for _ in 0..4 {
                assert_eq!(steady.step(), rate::CALLS, "{name} at k = {k}");
            }
        }
    }
}

/// Every rate the contract refuses is an error from every limiter.
#[test]
fn bad_rates_are_errors_from_every_limiter() {
    let bad = [
        (Rate::new(0, 1_000, 1), RateError::ZeroCalls),
        (Rate::new(1, 0, 1), RateError::ZeroPeriod),
        (Rate::new(1, 1_000, 0), RateError::ZeroBurst),
        (Rate::new(2_000, 1_000, 1), RateError::TooFast),
        (Rate::new(1, u64::MAX / 2, 4), RateError::Overflow),
    ];
    for (rate, error) in bad {
        assert_eq!(<SlidingLog as Sequential>::new(rate).err(), Some(error));
        assert_eq!(<Ring as Sequential>::new(rate).err(), Some(error));
        assert_eq!(<TokenBucket as Sequential>::new(rate).err(), Some(error));
        assert_eq!(<Gcra as Limiter>::new(rate).err(), Some(error));
        assert_eq!(<Governor as Limiter>::new(rate).err(), Some(error));
        assert_eq!(
            <wrappers_solution::RateLimiter as Limiter>::new(rate).err(),
            Some(error)
        );
        assert_eq!(gcra_model(rate, &[0]).err(), Some(error));
    }
}

/// Threads calling one shared GCRA at one instant get exactly the burst
/// between them, at every thread count (loom proves it for every
/// interleaving of two; this runs the real atomics).
#[test]
fn shared_limiters_admit_exactly_the_burst_at_one_instant() {
    let rate = Rate::new(1, 1_000, 100);
    for threads in [1, 2, 4, 8] {
        for _ in 0..20 {
            for admitted in [
                instant::<Gcra>(rate, threads),
                instant::<Governor>(rate, threads),
                instant::<Locked<TokenBucket>>(rate, threads),
                instant::<wrappers_solution::RateLimiter>(rate, threads),
            ] {
                assert_eq!(admitted, 100, "{threads} threads");
            }
        }
    }
}

/// `threads` threads each calling 100 times at time 0.
fn instant<L: Limiter>(rate: Rate, threads: u64) -> u64 {
    let limiter = L::new(rate).unwrap();
    let limiter = &limiter;
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| s.spawn(move || (0..100).filter(|_| limiter.admit(0)).count() as u64))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}

/// Every shared scenario makes its calls and admits no more than them.
#[test]
fn the_shared_scenario_admits_at_most_its_calls() {
    for threads in [1, 2, 8] {
        for (name, f) in [
            (
                "locked_sliding_log",
                rate::locked_sliding_log as fn(u64) -> Result<u64, RateError>,
            ),
            ("locked_token_bucket", rate::locked_token_bucket),
            ("atomic_gcra", rate::atomic_gcra),
            ("shared_governor", rate::shared_governor),
        ] {
            let admitted = f(threads).unwrap();
            assert!(
                admitted <= threads * rate::PER_THREAD,
                "{name} at {threads}"
            );
            // One thread calls in order, at exactly the rate: all admitted.
            if threads == 1 {
                assert_eq!(admitted, rate::PER_THREAD, "{name} on one thread");
            }
        }
    }
}

/// At WARNING nothing is written and every logger returns the same sums;
/// the article's user is let through and others are refused, with the
/// article's messages.
#[test]
fn loggers_and_permissions_agree() {
    use std::sync::atomic::Ordering::Relaxed;
    use wrappers::log;
    log::install_subscriber();
    let before = log::LOGGER.written();
    let traced = log::TRACED.load(Relaxed);
    let sums: Vec<u64> = [log::eager, log::lazy, log::tracing]
        .iter()
        .map(|&f| log::calls(f, 1_000))
        .collect();
    assert_eq!(sums, vec![stack::expected(); 3]);
    assert_eq!(log::LOGGER.written(), before, "nothing written at WARNING");
    assert_eq!(
        log::TRACED.load(Relaxed),
        traced,
        "no event reaches the subscriber at WARNING"
    );

    let alice = std::rc::Rc::new(auth::lesson_user(16));
    let bob = std::rc::Rc::new(User::new("bob", &["deployments.read"]));
    let want: u64 = (0..1_000).sum();
    assert_eq!(auth::kwargs_lookup(&alice, 1_000), Ok(want));
    assert_eq!(auth::checked_each_call(&alice, 1_000), Ok(want));
    assert_eq!(auth::capability(&alice, 1_000), Ok(want));
    assert!(Admin::verify(&bob).is_none());
    for got in [
        auth::kwargs_lookup(&bob, 1),
        auth::checked_each_call(&bob, 1),
        auth::capability(&bob, 1),
    ] {
        assert_eq!(
            got,
            Err(stack::PyError(
                "Permission denied: deployments.delete".into()
            ))
        );
    }
}
