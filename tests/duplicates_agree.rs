//! The duplicate finders and the membership collections compute the same
//! thing: on the article's input, on edge cases and on random inputs.

use std::collections::{BTreeSet, HashSet};

use duplicates::{deployments, membership, naive_pairs};
use itertools::Itertools;
use proptest::prelude::*;
use workbench::catalog::duplicates::{FIND, LIMIT, repeat_positions};

/// The article's input has 1,000 names, each ten times: every variant
/// returns the same 9,000 repeats, in input order.
#[test]
fn every_variant_returns_the_9000_repeats_of_the_articles_input() {
    let names = deployments(10_000);
    let expected = naive_pairs(&names);
    assert_eq!(expected.len(), 9_000);
    assert_eq!(&expected[..2], ["app-0", "app-1"]);
    for row in FIND {
        assert_eq!((row.f)(&names), expected, "{}", row.name);
    }
    let repeats = repeat_positions(&names);
    assert_eq!((LIMIT.f)(&names, &repeats), expected, "{}", LIMIT.name);
}

/// The article's "slow" loop appends the earlier element once per matching
/// pair: 45,000 entries where its "fast" version gives 9,000. An agreement
/// test against the contract catches exactly this.
#[test]
fn the_articles_pair_loop_disagrees_with_its_fast_version() {
    fn article_slow(names: &[String]) -> Vec<&str> {
        let mut found = Vec::new();
        for (i, a) in names.iter().enumerate() {
            for b in &names[i + 1..] {
                if a == b {
                    found.push(a.as_str());
                }
            }
        }
        found
    }
    let names = deployments(10_000);
    let slow = article_slow(&names);
    assert_eq!(
        slow.len(),
        45_000,
        "10 copies of 1,000 names: 1,000 x C(10, 2) pairs"
    );
    assert_ne!(slow, naive_pairs(&names));
}

/// `Itertools::duplicates` yields each repeated name once, which is why
/// the peer variant adapts `unique_by` instead.
#[test]
fn itertools_duplicates_answers_a_different_question() {
    let names = deployments(10_000);
    assert_eq!(names.iter().duplicates().count(), 1_000);
}

/// Lists with repeats (a small alphabet), all equal, all distinct, or empty.
fn name_lists() -> impl Strategy<Value = Vec<String>> {
    prop_oneof![
        workbench::catalog::duplicates::names_strategy(),
        ("[a-z]{0,3}", 0..50usize).prop_map(|(name, n)| vec![name; n]),
        (0..300usize).prop_map(|n| (0..n).map(|i| format!("d{i}")).collect()),
        Just(Vec::new()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Every variant returns exactly the baseline's repeats, on any list.
    #[test]
    fn every_variant_agrees_on_random_inputs(names in name_lists()) {
        let expected = naive_pairs(&names);
        for row in FIND {
            prop_assert_eq!(&(row.f)(&names), &expected, "{}", row.name);
        }
        let repeats = repeat_positions(&names);
        prop_assert_eq!(&(LIMIT.f)(&names, &repeats), &expected, "{}", LIMIT.name);
    }

    /// The four collections find the same queries, hits and misses alike.
    #[test]
    fn every_collection_finds_the_same_queries(
        deployed in prop::collection::vec("[a-d]{1,3}", 0..100),
        queries in prop::collection::vec("[a-d]{1,3}", 0..50),
    ) {
        let expected = membership::vec_contains(&deployed, &queries);
        let mut sorted = deployed.clone();
        sorted.sort_unstable();
        prop_assert_eq!(membership::binary_search(&sorted, &queries), expected);
        let hashed: HashSet<String> = deployed.iter().cloned().collect();
        prop_assert_eq!(membership::hash_set(&hashed, &queries), expected);
        let btree: BTreeSet<String> = deployed.iter().cloned().collect();
        prop_assert_eq!(membership::btree_set(&btree, &queries), expected);
    }
}

/// Half the generated queries are hits, so the membership question measures
/// both paths.
#[test]
fn half_the_membership_queries_hit() {
    let deployed = membership::deployed(10_000);
    let queries = membership::queries(10_000, 1_000);
    assert_eq!(membership::vec_contains(&deployed, &queries), 500);
}
