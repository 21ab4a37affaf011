//! The reference solution to the exercise in `lessons/strings/exercise/`. Try the exercise first:
//! `cargo run --release -- check strings` tells you what is missing.

use std::fmt::Write;

use strings_api::{Deployment, HEADER};

// ANCHOR: solution
/// The header `name,replicas,image`, then `name,replicas,image` for each
/// deployment, every line ending in `\n`.
pub fn render_csv(deployments: &[Deployment]) -> String {
    // The exact length, so one allocation holds it all and no append ever
    // grows it. Reading lengths and counting digits is far cheaper than
    // the copies a reallocation would make.
    let bytes: usize = HEADER.len()
        + deployments
            .iter()
            .map(|d| d.name.len() + digits(d.replicas) + d.image.len() + ",,\n".len())
            .sum::<usize>();
    let mut csv = String::with_capacity(bytes);
    csv.push_str(HEADER);
    for d in deployments {
        // Appends, in place: `format!` here would build a new string per row.
        csv.push_str(&d.name);
        csv.push(',');
        // `write!` formats the number on the stack and appends its digits:
        // no allocation. Writing to a String cannot fail.
        write!(csv, "{}", d.replicas).expect("writing to a String cannot fail");
        csv.push(',');
        csv.push_str(&d.image);
        csv.push('\n');
    }
    debug_assert_eq!(csv.len(), bytes, "the length was counted exactly");
    csv
}

/// Decimal digits of `n`: `0` has one, like `9`; `10` has two.
fn digits(n: u32) -> usize {
    n.checked_ilog10().map_or(1, |log| log as usize + 1)
}
// ANCHOR_END: solution
