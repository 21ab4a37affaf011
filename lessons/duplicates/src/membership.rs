//! The second question: "is this name deployed?" (the article's "Data
//! Structure Selection" table), asked of four collections as they grow.
//!
//! Each variant answers the same batch of queries against a collection
//! built beforehand and returns how many were found. Building is not part
//! of the question: `is_deployed` is asked far more often than the list
//! changes.

use std::collections::{BTreeSet, HashSet};

// ANCHOR: setup
/// `n` deployed names, `app-0` … `app-{n-1}` (the article's list).
pub fn deployed(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("app-{i}")).collect()
}

/// `count` queries against [`deployed`]`(n)`: the even ones name a deployed
/// app spread over the whole list, the odd ones an app that is not there
/// (same shape, so a miss costs as much to compare as a hit).
pub fn queries(n: usize, count: usize) -> Vec<String> {
    (0..count)
        .map(|i| match i % 2 {
            // 7919 is prime, so the hits walk the whole list in a scattered order.
            0 => format!("app-{}", (i * 7919) % n.max(1)),
            _ => format!("app-{}", n + i),
        })
        .collect()
}
// ANCHOR_END: setup

// ANCHOR: vec_contains
/// `name in deployment_names` on a list: a linear scan per query, O(n).
/// A miss reads the whole list.
pub fn vec_contains(deployed: &[String], queries: &[String]) -> usize {
    queries.iter().filter(|&q| deployed.contains(q)).count()
}
// ANCHOR_END: vec_contains

// ANCHOR: binary_search
/// The list sorted once, then halved per comparison: O(log n) per query
/// (the article's "sorted list or bisect"). No extra memory beyond the list.
pub fn binary_search(sorted: &[String], queries: &[String]) -> usize {
    queries
        .iter()
        .filter(|&q| sorted.binary_search(q).is_ok())
        .count()
}
// ANCHOR_END: binary_search

// ANCHOR: hash_set
/// A `HashSet`: hash the query, probe one group of slots, O(1) expected.
/// The constant is the hash of the string plus, once the table outgrows
/// the cache, one cache miss.
pub fn hash_set(set: &HashSet<String>, queries: &[String]) -> usize {
    queries.iter().filter(|&q| set.contains(q)).count()
}
// ANCHOR_END: hash_set

// ANCHOR: btree_set
/// A `BTreeSet`: ordered like the sorted list, O(log n) per query, but
/// each node holds up to 11 keys, so a lookup touches a few nodes rather
/// than log2(n) scattered slots. Pays off when order is needed too.
pub fn btree_set(set: &BTreeSet<String>, queries: &[String]) -> usize {
    queries.iter().filter(|&q| set.contains(q)).count()
}
// ANCHOR_END: btree_set
