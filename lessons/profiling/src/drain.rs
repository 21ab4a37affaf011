//! Take the most urgent deployment, again and again, until none is left:
//! the article's list (`min` then `remove`), a list sorted once, a binary
//! heap (Python's `heapq`) and an ordered set. Each returns the ids in
//! the order taken.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};

use crate::api::Pending;

// ANCHOR: list_min_remove
/// The article's list: `min` scans every deployment left, `remove`
/// shifts every one after it. O(n) per take, O(n²) to drain.
pub fn list_min_remove(pending: &[Pending]) -> Vec<u32> {
    let mut left = pending.to_vec();
    let mut order = Vec::with_capacity(left.len());
    while let Some(most_urgent) = left.iter().min().copied() {
        let at = left
            .iter()
            .position(|p| *p == most_urgent)
            .expect("the minimum is in the list");
        left.remove(at);
        order.push(most_urgent.id);
    }
    order
}
// ANCHOR_END: list_min_remove

// ANCHOR: sort_once
/// Sort once, most urgent last, then pop: O(n log n), and O(1) per take.
/// Only for a set that does not change: a deployment added later would
/// need the sort again.
pub fn sort_once(pending: &[Pending]) -> Vec<u32> {
    let mut left = pending.to_vec();
    left.sort_unstable_by(|a, b| b.cmp(a));
    let mut order = Vec::with_capacity(left.len());
    while let Some(p) = left.pop() {
        order.push(p.id);
    }
    order
}
// ANCHOR_END: sort_once

// ANCHOR: binary_heap
/// `heapq`: a binary heap in one `Vec`. Built in O(n); each take is
/// O(log n), and so is each push of a new deployment.
pub fn binary_heap(pending: &[Pending]) -> Vec<u32> {
    // `BinaryHeap` pops the largest: `Reverse` makes it the most urgent.
    // Urgency and id packed in one `u64`, in that order, compare as the
    // pair does, in one comparison.
    let key = |p: &Pending| u64::from(p.urgency) << 32 | u64::from(p.id);
    let mut heap: BinaryHeap<Reverse<u64>> = pending.iter().map(key).map(Reverse).collect();
    let mut order = Vec::with_capacity(heap.len());
    while let Some(Reverse(k)) = heap.pop() {
        order.push(k as u32);
    }
    order
}
// ANCHOR_END: binary_heap

// ANCHOR: btree_set
/// An ordered set: O(log n) per take, per insert, and per delete of any
/// deployment (a cancelled one), which a heap cannot do.
pub fn btree_set(pending: &[Pending]) -> Vec<u32> {
    let mut left: BTreeSet<Pending> = pending.iter().copied().collect();
    let mut order = Vec::with_capacity(left.len());
    while let Some(p) = left.pop_first() {
        order.push(p.id);
    }
    order
}
// ANCHOR_END: btree_set
