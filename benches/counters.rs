//! `cargo bench --bench counters`: groups `contention` (every counter over
//! 1, 2, 4 and 8 threads) and `false_sharing` (two threads' slots over
//! their spacing in bytes), every variant in the catalog.
//!
//! A flamegraph of one point, e.g. the mutex at 2 threads:
//! `cargo bench --bench counters -- --profile-time 5 'contention/mutex/2'`.

use criterion::{Criterion, criterion_group, criterion_main};

mod common;

fn counters(c: &mut Criterion) {
    common::bench_lesson(c, "counters");
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = counters
}
criterion_main!(benches);
