//! Exercise: find the duplicate deployments, fast.
//!
//! Write [`find_duplicates`] so that it keeps the lesson's contract and
//! meets its budget, then judge it:
//!
//! ```text
//! cargo run --release -- check duplicates
//! ```
//!
//! This crate is yours: `lessons/duplicates/exercise/`. It may use the
//! standard library and `foldhash` (a fast hasher), and nothing else: no
//! variant of the lesson, no other crate (the judge rejects a changed
//! dependency list, `unsafe`, `include!` and `#[path]`).
//!
//! The budget, checked in this order:
//!
//! 1. it returns what `naive_pairs` returns, on the article's input and on
//!    random inputs;
//! 2. it makes at most 2 heap allocations, whatever the length of the input;
//! 3. it is at least 100x faster than `naive_pairs` at n = 10,000.

// ANCHOR: exercise
/// Return every name that repeats an earlier name, in input order.
///
/// `["a", "b", "a", "a"]` gives `["a", "a"]`: the second and third `a`.
#[allow(unused_variables)] // `names` is yours to use: remove this line when you start.
pub fn find_duplicates(names: &[String]) -> Vec<&str> {
    // TODO: keep the names seen so far in a set that is big enough from the
    // start, so it never grows (growing allocates).
    // TODO: collect every name that was seen before into an output vector
    // that is also big enough from the start.
    todo!("find_duplicates")
}
// ANCHOR_END: exercise
