//! `cargo bench --bench streams`: groups `read` and `memory`
//! over their sweeps, every variant in the catalog.

use criterion::{Criterion, criterion_group, criterion_main};

mod common;

fn streams(c: &mut Criterion) {
    common::bench_lesson(c, "streams");
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = streams
}
criterion_main!(benches);
