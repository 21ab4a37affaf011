//! Exercise: render the deployments table as CSV, in one allocation.
//!
//! Write [`render_csv`] so that it keeps the lesson's CSV contract and
//! meets its budget, then judge it:
//!
//! ```text
//! cargo run --release -- check strings
//! ```
//!
//! This crate is yours: `lessons/strings/exercise/`. It may use the
//! standard library and `strings_api` (the [`Deployment`] row), and nothing
//! else: no variant of the lesson, no other crate (the judge rejects a
//! changed dependency list, `unsafe`, `include!` and `#[path]`).
//!
//! The budget, checked in this order:
//!
//! 1. it returns what `csv_format_concat` returns, byte for byte, on 10,000
//!    deployments and on random tables;
//! 2. it makes at most 1 heap allocation, whatever the number of rows;
//! 3. it is at least 50x faster than `csv_format_concat` at n = 10,000.

use strings_api::Deployment;

// ANCHOR: exercise
/// The header `name,replicas,image`, then `name,replicas,image` for each
/// deployment, every line ending in `\n`.
#[allow(unused_variables)] // `deployments` is yours to use: remove this line when you start.
pub fn render_csv(deployments: &[Deployment]) -> String {
    // TODO: count the bytes of the whole output first: the header, and per
    // row the name, the image, the digits of `replicas`, two commas and a
    // newline. (`u32::checked_ilog10` tells you how many digits.)
    // TODO: allocate a `String` of exactly that capacity, once.
    // TODO: append each field with `push_str`/`push`; `write!` writes the
    // number without allocating. No `format!`: it allocates a new string.
    todo!("render_csv")
}
// ANCHOR_END: exercise
