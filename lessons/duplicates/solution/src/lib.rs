//! The reference solution to the exercise in `lessons/duplicates/exercise/`. Try the exercise first:
//! `cargo run --release -- check duplicates` tells you what is missing.

use std::collections::HashSet;

// ANCHOR: solution
/// Return every name that repeats an earlier name, in input order.
pub fn find_duplicates(names: &[String]) -> Vec<&str> {
    // The set holds at most `names.len()` distinct names, so sizing it for
    // that many means it never rehashes: allocation one. `&str` keys borrow
    // from `names`, so no name is copied.
    let mut seen =
        HashSet::with_capacity_and_hasher(names.len(), foldhash::fast::RandomState::default());
    // At most `names.len() - 1` names can be repeats: allocation two, and
    // `push` never has to grow it.
    let mut repeats = Vec::with_capacity(names.len());
    for name in names {
        // `insert` hashes once and reports whether the name was new; a
        // separate `contains` then `insert` would hash twice.
        if !seen.insert(name.as_str()) {
            repeats.push(name.as_str());
        }
    }
    repeats
}
// ANCHOR_END: solution
