//! `cargo bench --bench resources`: groups `transactions` and `connections`
//! over their sweeps, every variant in the catalog.

use criterion::{Criterion, criterion_group, criterion_main};

mod common;

fn resources(c: &mut Criterion) {
    common::bench_lesson(c, "resources");
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = resources
}
criterion_main!(benches);
