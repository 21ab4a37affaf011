//! `cargo bench --bench wrappers`: groups `stack`, `rate`, `shared`, `log`, `auth` and `retry`
//! over their sweeps, every variant in the catalog.

use criterion::{Criterion, criterion_group, criterion_main};

mod common;

fn wrappers(c: &mut Criterion) {
    common::bench_lesson(c, "wrappers");
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = wrappers
}
criterion_main!(benches);
