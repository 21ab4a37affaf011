//! The judge of `lessons/wrappers`' exercise, `RateLimiter`.

use proptest::prelude::*;
use wrappers::api::{Limiter, MAX_NOW, Nanos, Rate};
use wrappers::rate::{self, Shared, gcra_model};

use super::{self as check, Fail, Failed, Judge, Target};
use crate::catalog::wrappers::{BUDGET, MAX_BUILD_BYTES, steady_case};
use crate::fmt::count;

/// The budget's figures, from the catalog's one [`BUDGET`].
const MIN_SPEEDUP: f64 = BUDGET.min_speedup();
const AT: &str = BUDGET.speed_at();
/// The speed stage's k, as [`AT`] says.
const SPEED_K: u64 = 10_000;
/// The k the construction stage builds for.
const BUILD_K: u64 = 100_000;
/// Calls the allocation stage makes.
const ALLOC_CALLS: u64 = 10_000;
/// Fresh limiters per thread count in the threads stage.
const ROUNDS: u64 = 200;

/// How many stages [`judge`] runs.
pub const STAGES: usize = 5;

/// Run the stages on the exercise or the reference solution.
pub fn judge(judge: &mut Judge, target: Target) -> Result<(), Failed> {
    match target {
        Target::Exercise => judge_type::<wrappers_exercise::RateLimiter>(judge),
        Target::Solution => judge_type::<wrappers_solution::RateLimiter>(judge),
    }
}

/// A rate, with its parts shown as a learner would write them.
fn shown(rate: Rate) -> String {
    format!(
        "Rate {{ calls: {}, period_ns: {}, burst: {} }}",
        rate.calls, rate.period_ns, rate.burst
    )
}

/// The candidate's decisions on `times` against GCRA's; where the first
/// differs, said in a sentence.
fn agrees<L: Limiter>(rate: Rate, times: &[Nanos], what: &str) -> Result<(), String> {
    let want =
        gcra_model(rate, times).map_err(|e| format!("{what}: the model refuses the rate: {e}"))?;
    let limiter = L::new(rate).map_err(|e| {
        format!(
            "{what}: new({}) returned the error \"{e}\" for a rate it can keep",
            shown(rate)
        )
    })?;
    for (i, (&now, &admit)) in times.iter().zip(&want).enumerate() {
        if limiter.admit(now) != admit {
            let earlier = &times[..i];
            let admitted = want[..i].iter().filter(|a| **a).count();
            return Err(format!(
                "{what}: {}, calls at {earlier:?} ({admitted} admitted), then a call at {now}: you {}, GCRA {}",
                shown(rate),
                if admit { "refused it" } else { "admitted it" },
                if admit { "admits it" } else { "refuses it" },
            ));
        }
    }
    Ok(())
}

/// Random rates: intervals that divide the period and some that do not,
/// bursts from 1.
fn rate_strategy() -> impl Strategy<Value = Rate> {
    (1u64..=20, 1u64..=2_000, 0u64..=3, 1u64..=20).prop_map(|(calls, interval, extra, burst)| {
        Rate::new(calls, calls * interval + extra.min(calls - 1), burst)
    })
}

/// Call times that go up: steps of nothing, of about an interval (one
/// nanosecond either side of the boundary included), and long idles.
fn times_strategy() -> impl Strategy<Value = Vec<u64>> {
    let step = prop_oneof![
        3 => Just(0u64),
        6 => 0u64..4_000,
        2 => prop::sample::select(vec![999u64, 1_000, 1_001, 1_999, 2_000, 2_001]),
        1 => (1u64 << 40)..(1u64 << 61),
    ];
    prop::collection::vec(step, 1..120).prop_map(|steps| {
        steps
            .iter()
            .scan(0u64, |now, step| {
                *now = now.saturating_add(*step).min(MAX_NOW);
                Some(*now)
            })
            .collect()
    })
}

/// Rates the contract refuses, each with what is wrong with it.
const BAD_RATES: &[(&str, Rate)] = &[
    ("0 calls per period", Rate::new(0, 1_000, 1)),
    ("a period of 0 ns", Rate::new(1, 0, 1)),
    ("a burst of 0", Rate::new(1, 1_000, 0)),
    ("more calls than nanoseconds", Rate::new(2_000, 1_000, 1)),
    (
        "burst × interval past 2^63 ns",
        Rate::new(1, u64::MAX / 2, 4),
    ),
];

/// Run the stages on any implementation of the exercise's contract (the
/// known-wrong submissions in `tests/wrong/` come in here).
pub fn judge_type<L: Limiter + 'static>(judge: &mut Judge) -> Result<(), Failed> {
    judge.stage("started", "replace the todo!()s with your code", || {
        check::attempt("new and one call", || {
            let limiter = L::new(Rate::new(1, 1_000, 1)).ok();
            limiter.map(|l| l.admit(0))
        })
        .map(|_| "it returns".into())
    })?;
    judge.stage(
        "agrees with gcra_model",
        "admit when now + tolerance >= tat, then tat = max(tat, now) + interval; sums only, no product of a time; a bad rate is an error from new, from rate.interval()?",
        || {
            for (what, rate) in BAD_RATES {
                match check::attempt(what, || L::new(*rate).is_ok())? {
                    false => {}
                    true => {
                        return Err(Fail::Because(format!(
                            "new({}) accepted a rate it cannot keep ({what}); it must return an error",
                            shown(*rate)
                        )));
                    }
                }
            }
            let edges: [(&str, Rate, Vec<Nanos>); 4] = [
                (
                    "the boundary: calls one interval apart, and one a nanosecond early",
                    Rate::new(1, 1_000, 1),
                    vec![0, 999, 1_000, 1_999, 2_000, 2_000],
                ),
                (
                    "a burst, then the boundary of the burst",
                    Rate::new(10, 10_000, 3),
                    vec![0, 0, 0, 0, 1_000, 1_999, 2_000, 2_000, 5_000, 5_000, 5_000, 5_000],
                ),
                (
                    "a long idle: calls near 2^63 ns after calls near 0",
                    Rate::new(1_000_000, 1_000_000_000, 1_000),
                    [0, 1, 2].into_iter().chain([MAX_NOW - 2_000, MAX_NOW - 1_000, MAX_NOW, MAX_NOW]).collect(),
                ),
                (
                    "a rate whose interval does not divide the period",
                    Rate::new(3, 10, 2),
                    vec![0, 0, 0, 3, 4, 7, 8, 8, 12, 16, 16],
                ),
            ];
            for (what, rate, times) in &edges {
                check::attempt(what, || agrees::<L>(*rate, times, what))?.map_err(Fail::Because)?;
            }
            check::agree_on_random((rate_strategy(), times_strategy()), 256, |(rate, times)| {
                agrees::<L>(rate, &times, "random call times")
            })?;
            // A clock that goes back: no panic, and never more calls than
            // the rate allows over the span of the times.
            let rate = Rate::new(2, 2_000, 3);
            // 40 calls within 3 µs, their times shuffled.
            let times: Vec<Nanos> = (0..40).map(|i| (i * 37 % 40) * 75).collect();
            let admitted = check::attempt("a clock that goes back", || {
                let limiter = L::new(rate).ok()?;
                Some(times.iter().filter(|&&t| limiter.admit(t)).count() as u64)
            })?
            .ok_or_else(|| Fail::Because(format!("new({}) returned an error", shown(rate))))?;
            let span = times.iter().max().unwrap_or(&0) - times.iter().min().unwrap_or(&0);
            let most = rate.burst + span / 1_000;
            if admitted > most {
                return Err(Fail::Because(format!(
                    "a clock that goes back, {}, calls at {times:?}: {admitted} admitted, but a span of {span} ns allows at most {most}",
                    shown(rate)
                )));
            }
            Ok(format!(
                "{} bad rates refused; {} edge cases (the boundary, a long idle to 2^63 ns); 256 random rates and call times; a clock that goes back",
                BAD_RATES.len(),
                edges.len()
            ))
        },
    )?;
    judge.stage(
        &format!("memory: {MAX_BUILD_BYTES} B held, 0 per call"),
        "keep the state in the struct itself, one AtomicU64: no Vec, no VecDeque, no Box",
        || {
            let rate = rate::lesson_rate(BUILD_K);
            let at = format!("building it for k = {}", count(BUILD_K));
            let (built, stats) = check::attempt(&at, || crate::alloc::count(|| L::new(rate).ok()))?;
            let stats = stats.ok_or_else(|| Fail::Because("allocation counting is unavailable in this process".into()))?;
            let limiter = built.ok_or_else(|| Fail::Because(format!("new({}) returned an error", shown(rate))))?;
            if stats.held > MAX_BUILD_BYTES {
                return Err(Fail::Because(format!(
                    "{at} left {} bytes on the heap, in {} allocations; the budget is {MAX_BUILD_BYTES} bytes, whatever k",
                    count(stats.held),
                    count(stats.allocs)
                )));
            }
            let per_call = format!("{} calls at k = {}", count(ALLOC_CALLS), count(BUILD_K));
            let allocs = check::allocations(&per_call, || {
                for i in 0..ALLOC_CALLS {
                    std::hint::black_box(limiter.admit(i * 500));
                }
            })?;
            if allocs > 0 {
                return Err(Fail::Because(format!(
                    "{} allocations in {per_call}; the budget is none",
                    count(allocs)
                )));
            }
            Ok(format!("{} bytes held once built at k = {}; no allocation in {per_call}", count(stats.held), count(BUILD_K)))
        },
    )?;
    judge.stage(
        "threads: exactly the burst",
        "move tat with compare_exchange and decide again on the value it returns; a load then a store lets two threads take the same slot",
        || {
            let burst = 64;
            let rate = Rate::new(1, 1_000, burst);
            for threads in [2u64, 4, 8] {
                for round in 0..ROUNDS {
                    let what = format!("{threads} threads calling at one instant");
                    let admitted = check::attempt(&what, || {
                        let limiter = L::new(rate).ok()?;
                        let limiter = &limiter;
                        // All start together, so their calls overlap as
                        // much as the cores let them.
                        let start = std::sync::Barrier::new(threads as usize);
                        let start = &start;
                        Some(std::thread::scope(|s| {
                            let handles: Vec<_> = (0..threads)
                                .map(|_| {
                                    s.spawn(move || {
                                        start.wait();
                                        (0..burst).filter(|_| limiter.admit(round)).count() as u64
                                    })
                                })
                                .collect();
                            handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).sum::<u64>()
                        }))
                    })?
                    .ok_or_else(|| Fail::Because(format!("new({}) returned an error", shown(rate))))?;
                    if admitted != burst {
                        return Err(Fail::Because(format!(
                            "{what} ({} calls each, {}): {admitted} admitted, GCRA admits exactly the burst, {burst}",
                            burst,
                            shown(rate)
                        )));
                    }
                }
            }
            Ok(format!(
                "2, 4 and 8 threads, {ROUNDS} fresh limiters each, each thread calling {burst} times at one instant: exactly {burst} admitted every time (loom proves it for every interleaving; see the exercise's doc)"
            ))
        },
    )?;
    judge.stage(
        &format!("speed: {MIN_SPEEDUP}x sliding_log"),
        "one load and one compare-and-swap per call; nothing that grows with k",
        || {
            let cases = [
                steady_case("sliding_log", rate::sliding_log, SPEED_K),
                steady_case(
                    "solution",
                    rate::steady::<Shared<wrappers_solution::RateLimiter>>,
                    SPEED_K,
                ),
                steady_case("yours", rate::steady::<Shared<L>>, SPEED_K),
            ];
            // No trap here: the tempting answers (the list, a locked
            // VecDeque) fail the memory stage first.
            check::faster_than("sliding_log", cases, Vec::new(), MIN_SPEEDUP, AT)
        },
    )
}
