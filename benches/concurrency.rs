//! `cargo bench --bench concurrency`: groups `cpu`, `spawn`, `io` and
//! `idle` over their sweeps, every variant in the catalog. The `processes`
//! variants find the workbench binary next to this bench's directory (see
//! `workbench::catalog::concurrency::worker_exe`).

use criterion::{Criterion, criterion_group, criterion_main};

mod common;

fn concurrency(c: &mut Criterion) {
    common::bench_lesson(c, "concurrency");
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = concurrency
}
criterion_main!(benches);
