//! What every lesson's bench shares: a criterion config sized for a 2-core
//! machine, a flamegraph profiler (with `--features profile`), and one function that benches a lesson
//! straight from the catalog.

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput};
use workbench::catalog::{self, Case};

/// Ten samples over a short window and a lighter analysis, so a full
/// `cargo bench` stays within minutes on two cores. Command-line flags
/// still override it.
pub fn config() -> Criterion {
    let c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(1))
        // Criterion's default of 100,000 bootstrap resamples spends more
        // time in analysis than in measuring on two cores; 10,000 still
        // gives stable confidence intervals.
        .nresamples(10_000);
    #[cfg(all(unix, feature = "profile"))]
    let c = c.with_profiler(flamegraph::Flamegraph { active: None });
    c.configure_from_args()
}

/// One criterion group per question, `BenchmarkId::new(variant, value)`
/// over the question's sweep, throughput in the parameter's units.
pub fn bench_lesson(c: &mut Criterion, name: &str) {
    let lessons = catalog::lessons();
    // The bench files are named after catalog lessons; `lint` checks both.
    let lesson = catalog::find(&lessons, name).expect("bench names a catalog lesson");
    for q in &lesson.questions {
        let mut group = c.benchmark_group(q.name);
        for &value in q.param.sweep {
            let units = (q.param.throughput)(value);
            group.throughput(if q.param.unit == "bytes" {
                Throughput::Bytes(units)
            } else {
                Throughput::Elements(units)
            });
            for v in q.variants.iter().filter(|v| v.runs_at(value)) {
                // Made on first use: criterion calls this closure once per
                // sample, and a filtered-out bench should build nothing.
                let mut case: Option<Box<dyn Case>> = None;
                group.bench_function(BenchmarkId::new(v.name, value), |b| {
                    let case = case.get_or_insert_with(|| (v.prepare)(value));
                    b.iter(|| case.run());
                });
            }
        }
        group.finish();
    }
}

/// `cargo bench --features profile --bench <lesson> -- --profile-time 5
/// <filter>` writes
/// `target/criterion/<group>/<variant>/<value>/profile/flamegraph.svg`.
///
/// pprof's own `criterion` feature is built for criterion 0.5, so this
/// adapts the workbench's own sampler (`workbench::profile`, the one
/// `workbench flame` uses) to criterion 0.8's trait.
#[cfg(all(unix, feature = "profile"))]
mod flamegraph {
    use std::path::Path;

    use criterion::profiler::Profiler;
    use workbench::profile::Sampler;

    pub struct Flamegraph {
        pub active: Option<Sampler>,
    }

    impl Profiler for Flamegraph {
        fn start_profiling(&mut self, _id: &str, _dir: &Path) {
            match Sampler::start() {
                Ok(sampler) => self.active = Some(sampler),
                Err(e) => eprintln!("flamegraph: {e}"),
            }
        }

        fn stop_profiling(&mut self, id: &str, dir: &Path) {
            let Some(sampler) = self.active.take() else {
                return;
            };
            let path = dir.join("flamegraph.svg");
            let written = sampler.flame_svg(id).and_then(|svg| {
                std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
                std::fs::write(&path, svg).map_err(|e| e.to_string())
            });
            match written {
                Ok(()) => eprintln!("flamegraph of {id}: {}", path.display()),
                Err(e) => eprintln!("flamegraph of {id}: not written: {e}"),
            }
        }
    }
}
