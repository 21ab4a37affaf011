//! `cargo bench --bench objects`: groups `scan`, `validate`, `lazy`, `singleton`, `singleton_threads` and `dispatch`
//! over their sweeps, every variant in the catalog.

use criterion::{Criterion, criterion_group, criterion_main};

mod common;

fn objects(c: &mut Criterion) {
    common::bench_lesson(c, "objects");
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = objects
}
criterion_main!(benches);
