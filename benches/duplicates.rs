//! `cargo bench --bench duplicates`: groups `duplicates` and `membership`
//! over their sweeps, every variant in the catalog.

use criterion::{Criterion, criterion_group, criterion_main};

mod common;

fn duplicates(c: &mut Criterion) {
    common::bench_lesson(c, "duplicates");
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = duplicates
}
criterion_main!(benches);
