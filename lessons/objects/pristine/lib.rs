//! Exercise: turn a list of dict-like objects into columns.
//!
//! Fill in [`ColumnStore`] so that it keeps the contract of
//! [`objects_api::Store`] and meets its budget, then judge it:
//!
//! ```text
//! cargo run --release -- check objects
//! ```
//!
//! This crate is yours: `lessons/objects/exercise/`. It may use the
//! standard library and `objects_api` (the `Store` trait, `Deployment`
//! and `Status`), and nothing else: no variant of the lesson, no other
//! crate (the judge rejects a changed dependency list, `unsafe`,
//! `include!` and `#[path]`).
//!
//! The budget, checked in this order:
//!
//! 1. it agrees with the lesson's list of dicts on the lesson's
//!    deployments and on random stores (unicode names, empty versions,
//!    repeated names), before and after removals;
//! 2. built from the lesson's 100,000 deployments it holds at most 48 bytes
//!    per deployment on the heap, names and versions included;
//! 3. summing the replicas (`total_replicas`) is at least 50x faster than
//!    the list of dicts at n = 100,000.

use objects_api::{Deployment, Store};

// ANCHOR: exercise
/// Deployments in columns.
pub struct ColumnStore {
    // TODO: one column per field. The replicas and the statuses are small
    // fixed-size values: a `Vec` of each. The names and versions are
    // strings: a `Vec<String>` costs 24 bytes and a heap block apiece,
    // over the budget; keep each field's strings back to back in one
    // `String`, with a `Vec<u32>` of where each one ends.
}

impl Store for ColumnStore {
    #[allow(unused_variables)] // `deployments` is yours to use: remove this line when you start.
    fn build(deployments: &[Deployment]) -> Self {
        // TODO: size every column once (`with_capacity`), then push each
        // deployment's fields into their columns.
        todo!("ColumnStore::build")
    }

    fn len(&self) -> usize {
        // TODO: every column has one entry per deployment.
        todo!("ColumnStore::len")
    }

    fn total_replicas(&self) -> u64 {
        // TODO: add up the replicas column, as `u64`.
        todo!("ColumnStore::total_replicas")
    }

    #[allow(unused_variables)] // `name` is yours to use: remove this line when you start.
    fn remove(&mut self, name: &str) -> bool {
        // TODO: find the first row with this name; remove that row from
        // every column (the strings after it move down by its length).
        todo!("ColumnStore::remove")
    }

    fn to_vec(&self) -> Vec<Deployment> {
        // TODO: rebuild each row as an owned `Deployment`, in order.
        todo!("ColumnStore::to_vec")
    }
}
// ANCHOR_END: exercise
