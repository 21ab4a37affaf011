//! # Duplicate search: quadratic vs hashed
//!
//! The question (article section 7.7, "Algorithm Complexity"): given 10,000
//! deployments named `app-{i % 1000}`, which ones are duplicates?
//!
//! Every variant here keeps one contract: **return the names that repeat an
//! earlier name, in input order**. On the article's input that is 9,000
//! names. (The article's own slow version appends one entry per duplicate
//! *pair*, 45,000 on the same input, and so disagrees with its fast version;
//! the agreement tests exist to catch exactly that.)
//!
//! The variants, slowest first:
//!
//! - [`naive_pairs`]: the article's nested loop over every pair, O(n²).
//! - [`naive_scan`]: search the prefix before each name, O(n²) but it stops
//!   at the first match.
//! - [`sorted`]: sort once, repeats become neighbours, O(n log n).
//! - [`hashed_std`]: a `HashSet` with the default hasher, O(n).
//! - [`hashed`]: the same idea with a fast hasher and no growing, O(n).
//! - [`itertools_unique_by`]: what the `itertools` crate offers, adapted.
//! - [`hash_once_limit`]: hash every name once and write a known answer:
//!   the floor for any answer that hashes.
//!
//! A second question, in [`membership`]: which collection answers "is this
//! name deployed?" fastest as the collection grows.
//!
//! Left out on purpose: parallel search (one core is enough to see the
//! complexity classes) and approximate structures such as Bloom filters
//! (they answer a different question: "probably").
#![deny(missing_docs)]

use std::collections::HashSet;
use std::hash::BuildHasher;

use itertools::Itertools;

pub mod membership;

// ANCHOR: setup
/// The article's input scaled to `n`: deployment `i` is named
/// `app-{i % (n / 10)}`, so every name occurs ten times and 90% of the
/// input are duplicates at every size. `deployments(10_000)` is exactly the
/// article's list (`app-0` … `app-999`, ten times over).
///
/// ```
/// let names = duplicates::deployments(10_000);
/// assert_eq!(names[1_000], "app-0");
/// assert_eq!(duplicates::hashed(&names).len(), 9_000);
/// ```
pub fn deployments(n: usize) -> Vec<String> {
    let distinct = (n / 10).max(1);
    (0..n).map(|i| format!("app-{}", i % distinct)).collect()
}
// ANCHOR_END: setup

// ANCHOR: naive_pairs
/// Compare every pair `(i, j)` with `i < j`; a match marks `j` as a repeat.
///
/// This is the article's nested loop, fixed to the contract: the article
/// appended the *earlier* element once per matching pair, so a name seen ten
/// times came out nine + eight + … + one times. Here the *later* element is
/// marked, once. Always n(n-1)/2 comparisons: O(n²) whatever the input.
pub fn naive_pairs(names: &[String]) -> Vec<&str> {
    let mut repeats = vec![false; names.len()];
    for (i, first) in names.iter().enumerate() {
        for (j, second) in names.iter().enumerate().skip(i + 1) {
            if first == second {
                repeats[j] = true;
            }
        }
    }
    flagged(names, &repeats)
}
// ANCHOR_END: naive_pairs

// ANCHOR: naive_scan
/// For each name, search the names before it and stop at the first match.
///
/// Still O(n²), but the early stop and the absence of a marks array make it
/// a constant factor faster than [`naive_pairs`]: on this input a repeat is
/// found after scanning a tenth of the prefix on average.
pub fn naive_scan(names: &[String]) -> Vec<&str> {
    let mut repeats = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if names[..i].contains(name) {
            repeats.push(name.as_str());
        }
    }
    repeats
}
// ANCHOR_END: naive_scan

// ANCHOR: sorted
/// Sort `(name, index)` pairs: equal names become neighbours, ordered by
/// index, so every element of a run but the first is a repeat.
///
/// O(n log n) for the sort plus O(n) to mark and restore the input order.
/// Needs only `Ord`, no hashing, and touches memory sequentially.
pub fn sorted(names: &[String]) -> Vec<&str> {
    let mut order: Vec<(&str, usize)> = names.iter().map(String::as_str).zip(0..).collect();
    // Unstable is fine: the index makes every pair distinct.
    order.sort_unstable();
    let mut repeats = vec![false; names.len()];
    for pair in order.windows(2) {
        if pair[0].0 == pair[1].0 {
            repeats[pair[1].1] = true;
        }
    }
    flagged(names, &repeats)
}
// ANCHOR_END: sorted

// ANCHOR: hashed_std
/// Remember every name seen in a `HashSet`; `insert` returning `false`
/// means "seen before".
///
/// O(n) expected: one hash and one probe per name instead of a scan. The
/// default hasher (SipHash-1-3) is keyed at random per process, which makes
/// it resistant to inputs crafted to collide; the set and the output start
/// empty and grow by doubling.
pub fn hashed_std(names: &[String]) -> Vec<&str> {
    let mut seen = HashSet::new();
    let mut repeats = Vec::new();
    for name in names {
        if !seen.insert(name.as_str()) {
            repeats.push(name.as_str());
        }
    }
    repeats
}
// ANCHOR_END: hashed_std

// ANCHOR: hashed
/// [`hashed_std`] with a faster hasher and nothing that grows.
///
/// foldhash hashes a short string in a few instructions where SipHash needs
/// dozens; sizing the set and the output for `n` up front replaces the
/// rehash-and-copy of growth with two allocations, whatever `n` is. The set
/// borrows `&str` keys, so no name is copied. The price: memory sized for
/// the worst case (all names distinct, all names repeats).
pub fn hashed(names: &[String]) -> Vec<&str> {
    let mut seen =
        HashSet::with_capacity_and_hasher(names.len(), foldhash::fast::RandomState::default());
    let mut repeats = Vec::with_capacity(names.len());
    for name in names {
        if !seen.insert(name.as_str()) {
            repeats.push(name.as_str());
        }
    }
    repeats
}
// ANCHOR_END: hashed

// ANCHOR: itertools_unique_by
/// The crate a user would reach for. `Itertools::duplicates` answers a
/// different question (each repeated name *once*: 1,000 on the article's
/// input), so this adapts `unique_by`: it yields the first occurrence of
/// every name, and everything else is a repeat.
///
/// O(n), but two passes, a marks array and the crate's own `HashMap` with
/// the default hasher.
pub fn itertools_unique_by(names: &[String]) -> Vec<&str> {
    let mut repeats = vec![true; names.len()];
    for (i, _) in names.iter().enumerate().unique_by(|&(_, name)| name) {
        repeats[i] = false;
    }
    flagged(names, &repeats)
}
// ANCHOR_END: itertools_unique_by

// ANCHOR: hash_once_limit
/// Hash every name once, then write out an answer already known: the
/// positions of the repeats, given.
///
/// Not a way to find duplicates (it needs the answer as its input) but the
/// floor every hashing variant is measured against: each must at least
/// hash every name once and write every repeat into its output. What a
/// variant spends above this is its set: probing, comparing, storing.
pub fn hash_once_limit<'a>(names: &'a [String], repeats: &[usize]) -> Vec<&'a str> {
    let hasher = foldhash::fast::FixedState::default();
    let mut mixed = 0u64;
    for name in names {
        mixed ^= hasher.hash_one(name.as_str());
    }
    // The hashes are the work: keep the compiler from dropping them.
    std::hint::black_box(mixed);
    repeats.iter().map(|&i| names[i].as_str()).collect()
}
// ANCHOR_END: hash_once_limit

/// The names whose flag is set, in input order.
fn flagged<'a>(names: &'a [String], repeats: &[bool]) -> Vec<&'a str> {
    names
        .iter()
        .zip(repeats)
        .filter(|&(_, &repeat)| repeat)
        .map(|(name, _)| name.as_str())
        .collect()
}
