//! Allocation counts of the duplicate finders, exact, under dhat.
//!
//! One test in this file: dhat allows one profiler per process. It runs
//! without the test harness (`harness = false` in Cargo.toml): dhat counts
//! every thread of the process, and the harness's own thread and its
//! output capture allocate at moments the scheduler decides, which under
//! load fall inside a counted call.

use std::hint::black_box;

use duplicates::deployments;
use workbench::catalog::duplicates::{FIND, LIMIT, repeat_positions};

mod heap;
use heap::blocks;

/// `hashed` allocates twice whatever n is (the set and the output, both
/// sized up front), while the growing variants allocate more as n grows.
/// The counts below were measured with this test and are exact: they
/// change only if a variant or the standard library's growth policy does.
fn hashed_allocates_twice_whatever_n_and_the_others_grow() {
    let _profiler = dhat::Profiler::builder().testing().build();

    // The first foldhash set in a process draws its random seed, mixing in
    // the address of a fresh `Box::new(0u8)`: one allocation, once.
    let names = deployments(10);
    let first = blocks(|| drop(black_box(duplicates::hashed(&names))));
    assert_eq!(
        first, 3,
        "hashed's first call: set + output + foldhash's one-time seed"
    );

    for n in [10, 1_000, 10_000, 100_000] {
        let names = deployments(n);
        let count = blocks(|| drop(black_box(duplicates::hashed(&names))));
        assert_eq!(count, 2, "hashed at n = {n}");
        let count = blocks(|| drop(black_box(duplicates_solution::find_duplicates(&names))));
        assert_eq!(count, 2, "the exercise's solution at n = {n}");
    }

    // At the article's size: one row per variant, measured.
    let names = deployments(10_000);
    let expected = [
        // marks array + output grown by doubling to 9,000 entries
        ("naive_pairs", 14),
        // output grown by doubling: 4, 8, …, 16,384 capacity
        ("naive_scan", 13),
        // (name, index) pairs + marks + grown output
        ("sorted", 15),
        // the set rehashes as it doubles to 1,000 names, and the output grows
        ("hashed_std", 23),
        ("hashed", 2),
        // marks + itertools' HashMap growing + grown output
        ("itertools_unique_by", 24),
    ];
    for (name, want) in expected {
        let row = FIND.iter().find(|r| r.name == name).expect("row exists");
        let got = blocks(|| drop(black_box((row.f)(&names))));
        assert_eq!(got, want, "{name} at n = 10,000");
    }
    assert_eq!(
        expected.len(),
        FIND.len(),
        "every variant has a measured count"
    );
    // The floor writes its output once, sized exactly: one allocation.
    let repeats = repeat_positions(&names);
    let floor = blocks(|| drop(black_box((LIMIT.f)(&names, &repeats))));
    assert_eq!(floor, 1, "{}: one allocation of the final size", LIMIT.name);

    // hashed_std grows with n: more names, more rehashes and output growth.
    let small = deployments(1_000);
    let big = deployments(100_000);
    let at_1k = blocks(|| drop(black_box(duplicates::hashed_std(&small))));
    let at_100k = blocks(|| drop(black_box(duplicates::hashed_std(&big))));
    assert_eq!((at_1k, at_100k), (15, 29));
}

fn main() {
    println!("running hashed_allocates_twice_whatever_n_and_the_others_grow");
    hashed_allocates_twice_whatever_n_and_the_others_grow();
    println!(
        "test hashed_allocates_twice_whatever_n_and_the_others_grow ... ok\nduplicates_heap: 1 passed, 0 failed"
    );
}
