//! `cargo bench --bench memo`: groups `fib`, `lru` and `config`
//! over their sweeps, every variant in the catalog.

use criterion::{Criterion, criterion_group, criterion_main};

mod common;

fn memo(c: &mut Criterion) {
    common::bench_lesson(c, "memo");
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = memo
}
criterion_main!(benches);
