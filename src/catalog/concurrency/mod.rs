//! Catalog entry: `lessons/concurrency`. One module per group of
//! questions: [`cpu`] (`cpu`, `spawn`) and [`io`] (`io`, `idle`). The
//! exercise's judge is `check::concurrency`.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::path::PathBuf;

use super::{Budget, Case, Exercise, Lesson, Speed};

pub mod cpu;
pub mod io;

/// The catalog entry.
pub fn lesson() -> Lesson {
    Lesson {
        name: "concurrency",
        title: "Threads vs async vs processes",
        article: "7.4 Async Programming with asyncio; 7.5 Concurrency with Threading and Multiprocessing",
        questions: vec![cpu::cpu(), cpu::spawn(), io::io(), io::idle()],
        exercise: Exercise {
            function: "fetch_all",
            budget: BUDGET,
            yours: io::yours,
            works_as_shipped: false,
        },
    }
}

/// The exercise's budget.
pub const BUDGET: Budget = Budget {
    agrees_with: "every id once, in order, each served by the server",
    allocations: None,
    layout: None,
    peak_heap: None,
    build_bytes: None,
    statements: None,
    speed: Speed::WithinIdeal {
        slack: 1.5,
        ideal: "⌈200 / 10⌉ × 20 ms = 400 ms (200 requests, limit 10, one in twenty failing once)",
    },
};

/// The environment variable that names the workbench binary for the
/// `processes` and `process_spawn` variants.
pub const EXE_VAR: &str = "WORKBENCH_EXE";

/// The `workbench` executable to start as a worker.
///
/// In order: `$WORKBENCH_EXE`; this process, if it is `workbench`; the
/// `workbench` that cargo builds next to a test's or bench's `deps/`
/// directory (`target/<profile>/deps/<test>` → `target/<profile>/workbench`).
/// Anything else is an error that says how to fix it.
pub fn worker_exe() -> Result<PathBuf, String> {
    if let Some(exe) = std::env::var_os(EXE_VAR) {
        return Ok(PathBuf::from(exe));
    }
    let name = format!("workbench{}", std::env::consts::EXE_SUFFIX);
    let me = std::env::current_exe().map_err(|e| format!("cannot find this executable: {e}"))?;
    if me.file_name().is_some_and(|n| *n == *name) {
        return Ok(me);
    }
    let beside_deps = me
        .parent()
        .filter(|dir| dir.ends_with("deps"))
        .and_then(|deps| deps.parent())
        .map(|profile| profile.join(&name))
        .filter(|exe| exe.is_file());
    beside_deps.ok_or_else(|| {
        format!(
            "cannot find the workbench binary to start workers from {}; \
             set {EXE_VAR} to its path (cargo builds it as target/<profile>/workbench)",
            me.display()
        )
    })
}

/// A case cannot return an error: a run that fails (a worker crashed, the
/// server went away) stops `run` with the error's message.
fn or_stop<T, E: Display>(result: Result<T, E>) -> T {
    result.unwrap_or_else(|e| panic!("{e}"))
}

/// What one call of a variant gives back: a digest of its answer and the
/// figures it observed (e.g. `timer_late_ms`).
pub struct Observed {
    /// Equal for agreeing variants.
    pub digest: u64,
    /// Named figures from this call.
    pub metrics: Vec<(&'static str, f64)>,
}

/// Figures measured once, after the timed runs (e.g. memory).
type After<I> = Box<dyn Fn(&I) -> Vec<(&'static str, f64)>>;

/// A case that keeps every figure its calls report and gives their median.
struct Observing<I> {
    input: I,
    call: Box<dyn Fn(&I) -> Observed>,
    after: Option<After<I>>,
    seen: BTreeMap<&'static str, Vec<f64>>,
}

impl<I> Case for Observing<I> {
    fn run(&mut self) {
        let observed = (self.call)(std::hint::black_box(&self.input));
        for (name, value) in observed.metrics {
            self.seen.entry(name).or_default().push(value);
        }
    }

    fn answer(&mut self) -> u64 {
        (self.call)(&self.input).digest
    }

    fn metrics(&mut self) -> Vec<(&'static str, f64)> {
        let mut figures: Vec<(&'static str, f64)> = self
            .seen
            .iter_mut()
            .map(|(name, values)| {
                values.sort_by(f64::total_cmp);
                (*name, values[values.len() / 2])
            })
            .collect();
        if let Some(after) = &self.after {
            figures.extend(after(&self.input));
        }
        figures
    }
}

/// Box an [`Observing`] case.
fn observing<I: 'static>(
    input: I,
    call: impl Fn(&I) -> Observed + 'static,
    after: Option<After<I>>,
) -> Box<dyn Case> {
    Box::new(Observing {
        input,
        call: Box::new(call),
        after,
        seen: BTreeMap::new(),
    })
}
