//! `cargo bench --bench strings`: groups `log` and `csv`
//! over their sweeps, every variant in the catalog.

use criterion::{Criterion, criterion_group, criterion_main};

mod common;

fn strings(c: &mut Criterion) {
    common::bench_lesson(c, "strings");
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = strings
}
criterion_main!(benches);
