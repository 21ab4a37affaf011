//! `cargo bench --bench profiling`: groups `hotspot`, `cost`, `builds` and
//! `drain` over their sweeps, every variant in the catalog (`builds` runs
//! its four programs, built once under `target/profiling-builds/`).

use criterion::{Criterion, criterion_group, criterion_main};

mod common;

fn profiling(c: &mut Criterion) {
    common::bench_lesson(c, "profiling");
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = profiling
}
criterion_main!(benches);
