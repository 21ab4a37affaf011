//! Every correct counter counts exactly `threads × per_thread`, run after
//! run, at 1 to 8 threads; the racy one never counts more than that and
//! is exact on one thread. (That it *loses* updates is proved by loom in
//! `lessons/counters/tests/loom.rs`: real threads may happen not to
//! overlap, so a test here could not fail honestly.)

use counters::spacing::spaced_slots;
use counters::{Counter, count, racy_load_store};
use proptest::prelude::*;
use workbench::catalog::Role;
use workbench::catalog::counters::{CONTENTION, runs_strategy};

/// Every counter but the flawed one, by name.
fn correct() -> impl Iterator<Item = (&'static str, fn(usize, u64) -> u64)> {
    CONTENTION
        .iter()
        .filter(|row| row.role != Role::Flawed)
        .map(|row| (row.name, row.f))
}

/// At every thread count from 1 to 8, twenty runs each: not one update is
/// lost by any correct counter.
#[test]
fn every_correct_counter_is_exact_over_many_runs() {
    for threads in 1..=8 {
        for _ in 0..20 {
            for (name, f) in correct() {
                assert_eq!(
                    f(threads, 5_000),
                    threads as u64 * 5_000,
                    "{name} at {threads} threads"
                );
            }
        }
    }
}

/// The edge cases: no events, one event, one thread.
#[test]
fn every_counter_handles_no_events_and_one_thread() {
    for row in CONTENTION {
        assert_eq!((row.f)(4, 0), 0, "{} with no events", row.name);
        assert_eq!((row.f)(1, 1), 1, "{} with one event", row.name);
        // One thread cannot race with itself: even the flawed one is exact.
        assert_eq!((row.f)(1, 10_000), 10_000, "{} on one thread", row.name);
    }
}

/// The racy counter can lose updates but never invent one.
#[test]
fn racy_load_store_never_counts_more_than_happened() {
    for threads in [2, 4, 8] {
        for _ in 0..20 {
            assert!(racy_load_store(threads, 20_000) <= threads as u64 * 20_000);
        }
    }
}

/// The two-thread spacing question counts exactly at every spacing, from
/// one slot apart to far beyond a cache line pair.
#[test]
fn spaced_slots_are_exact_at_every_spacing() {
    for spacing in [0, 1, 8, 16, 32, 64, 100, 128, 256, 4_096] {
        for threads in [1, 2, 8] {
            assert_eq!(
                spaced_slots(threads, 3_000, spacing),
                threads as u64 * 3_000,
                "spacing {spacing}"
            );
        }
    }
}

/// The exercise's reference solution counts exactly, like the variants.
#[test]
fn the_solution_is_exact_at_every_thread_count() {
    for threads in 1..=8 {
        assert_eq!(
            count::<counters_solution::ShardedCounter>(threads, 10_000),
            threads as u64 * 10_000
        );
    }
    let counter = counters_solution::ShardedCounter::new(3);
    assert_eq!(counter.sum(), 0, "a new counter starts at zero");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any thread count and event count: every correct counter is exact.
    #[test]
    fn every_correct_counter_agrees_on_random_runs((threads, n) in runs_strategy()) {
        for (name, f) in correct() {
            prop_assert_eq!(f(threads, n), threads as u64 * n, "{}", name);
        }
    }
}
