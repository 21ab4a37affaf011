//! The exercise's question: render a table of deployments as CSV.
//!
//! The contract: the header `name,replicas,image`, then one line per
//! deployment, every line ending in `\n`. Fields are written as they are:
//! deployment names (DNS labels) and image references cannot hold a comma,
//! a quote or a newline, so nothing needs quoting.

use std::fmt::Write;

pub use strings_api::{Deployment, HEADER};

// ANCHOR: csv_setup
/// `n` deployments of a few services, with replica counts from 1 to 12 and
/// versioned images; rendered, each line is about 60 bytes.
///
/// ```
/// let table = strings::csv::deployments(3);
/// assert_eq!(
///     strings::csv::csv_format_concat(&table).lines().nth(1),
///     Some("payments-api-0,1,registry.example.com/payments-api:1.0.0"),
/// );
/// ```
pub fn deployments(n: usize) -> Vec<Deployment> {
    const SERVICES: [&str; 4] = ["payments-api", "auth-gateway", "ledger-worker", "web"];
    (0..n)
        .map(|i| {
            let service = SERVICES[i % SERVICES.len()];
            Deployment {
                name: format!("{service}-{i}"),
                replicas: (i % 12) as u32 + 1,
                image: format!("registry.example.com/{service}:1.{}.{}", i % 7, i % 3),
            }
        })
        .collect()
}
// ANCHOR_END: csv_setup

// ANCHOR: csv_format_concat
/// The exercise's baseline: [`crate::format_concat`] with a CSV line per
/// deployment. A new string per row, O(n²) bytes copied.
pub fn csv_format_concat(deployments: &[Deployment]) -> String {
    let mut csv = HEADER.to_owned();
    for d in deployments {
        csv = format!("{csv}{},{},{}\n", d.name, d.replicas, d.image);
    }
    csv
}
// ANCHOR_END: csv_format_concat

// ANCHOR: csv_push_str
/// One `String` that grows by doubling; the replica count written in place
/// with `write!`. O(n) amortized, and about log2(bytes) allocations.
pub fn csv_push_str(deployments: &[Deployment]) -> String {
    let mut csv = HEADER.to_owned();
    for d in deployments {
        csv.push_str(&d.name);
        // `fmt::Write for String` never returns an error: it only appends.
        write!(csv, ",{},", d.replicas).expect("writing to a String cannot fail");
        csv.push_str(&d.image);
        csv.push('\n');
    }
    csv
}
// ANCHOR_END: csv_push_str
