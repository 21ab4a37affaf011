//! The profiling lesson's variants compute the same thing: every
//! summarizer (and the exercise's solution) the shipped one's summary, on
//! the lesson's log, on every case of the contract and on random logs;
//! every cost loop the article's total, to the bit; every drain the same
//! order, on the lesson's deployments and on random ones with repeated
//! urgencies.

use profiling::api::{self, Pending};
use profiling::cost::{self, Columns};
use proptest::prelude::*;
use workbench::catalog::profiling::{contract_cases, log_strategy};

/// Every summarizer says what `slow` says of `log`.
fn summaries_agree(log: &str) -> Result<(), TestCaseError> {
    let want = profiling::slow(log);
    prop_assert_eq!(&profiling::fix_lowercase(log), &want);
    prop_assert_eq!(&profiling::fix_queue(log), &want);
    prop_assert_eq!(&profiling::fast(log), &want);
    prop_assert_eq!(&profiling_solution::summarize(log), &want);
    Ok(())
}

#[test]
fn the_summarizers_agree_on_the_lesson_log_and_the_contract() {
    let log = api::log(20_000);
    summaries_agree(&log).unwrap();
    for (what, log) in contract_cases() {
        summaries_agree(&log).unwrap_or_else(|e| panic!("{what}: {e}"));
    }
}

/// What the lesson's log says, worked out from how it is made: 3 levels
/// in 16 are errors, spelt three ways; cut and empty lines are malformed.
#[test]
fn the_lesson_log_summary_is_what_its_generator_makes() {
    let n = 16_000u64;
    let s = profiling::slow(&api::log(n));
    assert_eq!(s.lines, n);
    let malformed = (0..n)
        .filter(|i| i % 997 == 996 || i % 1009 == 1008)
        .count() as u64;
    assert_eq!(s.malformed, malformed);
    let errors = s.levels.iter().find(|(l, _)| l == "error").map(|(_, c)| *c);
    let expected_errors = (0..n)
        .filter(|i| [6, 11, 14].contains(&(i % 16)) && i % 997 != 996 && i % 1009 != 1008)
        .count() as u64;
    assert_eq!(errors, Some(expected_errors));
    assert_eq!(s.top_errors.len(), api::TOP);
    // The final sigma, the Kelvin sign and İ, lowercased as to_lowercase does.
    let messages: Vec<&str> = s.top_errors.iter().map(|(m, _)| m.as_str()).collect();
    assert!(
        messages.iter().any(|m| m.ends_with("στην οδο\u{3c2}")),
        "{messages:?}"
    );
    assert!(
        messages.contains(&"sensor reads 300 k, above its limit"),
        "{messages:?}"
    );
    // İ comes 11th of 12 here; on its lines alone it is on top.
    let istanbul: String = api::log(n)
        .lines()
        .filter(|l| l.contains('İ') && l.to_lowercase().contains(" error "))
        .map(|l| format!("{l}\n"))
        .collect();
    let s = profiling::slow(&istanbul);
    assert_eq!(s.top_errors[0].0, "i\u{307}stanbul region unreachable");
}

proptest! {
    #[test]
    fn the_summarizers_agree_on_random_logs(log in log_strategy()) {
        summaries_agree(&log)?;
    }

    #[test]
    fn the_drains_agree(urgencies in prop::collection::vec(0u32..20, 0..300)) {
        let pending: Vec<Pending> = urgencies
            .iter()
            .enumerate()
            .map(|(id, &urgency)| Pending { urgency, id: id as u32 })
            .collect();
        let want = profiling::list_min_remove(&pending);
        prop_assert_eq!(profiling::sort_once(&pending), want.clone());
        prop_assert_eq!(profiling::binary_heap(&pending), want.clone());
        prop_assert_eq!(profiling::btree_set(&pending), want.clone());
        // The order is by urgency, then by id.
        let mut sorted = pending.clone();
        sorted.sort();
        prop_assert_eq!(want, sorted.iter().map(|p| p.id).collect::<Vec<_>>());
    }

    /// The exact loops agree to the bit: none of them reorders a sum.
    #[test]
    fn the_cost_loops_agree_to_the_bit(
        rows in prop::collection::vec((0u32..50, 0.0f64..100.0, 0.0f64..1000.0), 0..200)
    ) {
        let deployments: Vec<api::Deployment> = rows
            .iter()
            .map(|&(n, cost, hours)| api::Deployment { instances: f64::from(n), cost_per_instance: cost, hours })
            .collect();
        let want = cost::dicts(&cost::to_dicts(&deployments)).to_bits();
        let c = Columns::new(&deployments);
        prop_assert_eq!(cost::indexed(&c).to_bits(), want);
        prop_assert_eq!(cost::iterators(&c).to_bits(), want);
        prop_assert_eq!(cost::unchecked(&c).to_bits(), want);
    }
}

#[test]
fn the_drains_agree_on_the_lesson_deployments() {
    let pending = api::pending(5_000);
    let want = profiling::list_min_remove(&pending);
    assert_eq!(want.len(), 5_000);
    assert_eq!(profiling::sort_once(&pending), want);
    assert_eq!(profiling::binary_heap(&pending), want);
    assert_eq!(profiling::btree_set(&pending), want);
}

/// The article's total at its sizes, and the Cython's `f32` total's
/// error: past 2²⁴ a float cannot hold the total's units, and it drifts.
#[test]
fn the_cost_loops_agree_and_the_f32_total_drifts() {
    let d = api::deployments(1_000_000);
    let want = cost::dicts(&cost::to_dicts(&d));
    let c = Columns::new(&d);
    assert_eq!(cost::iterators(&c).to_bits(), want.to_bits());
    assert_eq!(cost::indexed(&c).to_bits(), want.to_bits());
    let error = cost::relative_error(cost::f32_total(&c), want);
    assert!(error > 1e-5, "the f32 total is off by {error}");
    // A sum in f64 of a million products, each exact in f64 to half an
    // ulp, is off by far less.
    let exact: f64 = d
        .iter()
        .map(|x| x.instances * x.cost_per_instance * x.hours)
        .sum();
    assert!(cost::relative_error(exact, want) < 1e-12);
}
