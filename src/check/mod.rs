//! `workbench check`: judge a learner's exercise in stages, stopping at the
//! first failure with what failed, a hint and the next step.
//!
//! The learner's code runs in a child process (the workbench re-launched
//! with a hidden `__judge` command), so a panic, an abort or a stack
//! overflow is reported as a line rather than a trace, and code that hangs
//! is killed when the time limit runs out.

use std::io::Write;
use std::panic::{self, AssertUnwindSafe};
use std::process::Command;
use std::time::Duration;

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};

use crate::catalog::{Case, Lesson};
use crate::measure::{self, Settings};

pub mod concurrency;
pub mod counters;
pub mod duplicates;
pub mod memo;
pub mod strings;

/// Runs a lesson's stages against the exercise or the reference solution.
pub type JudgeFn = fn(&mut Judge, Target) -> Result<(), Failed>;

/// Every lesson's judge, by lesson name. `tests/catalog.rs` proves every
/// catalog lesson has one; `workbench lint` reports a lesson without one.
pub const JUDGES: &[(&str, JudgeFn)] = &[
    ("duplicates", duplicates::judge),
    ("strings", strings::judge),
    ("memo", memo::judge),
    ("counters", counters::judge),
    ("concurrency", concurrency::judge),
];

/// The judge of the lesson named `lesson`.
pub fn judge_of(lesson: &str) -> Option<JudgeFn> {
    JUDGES
        .iter()
        .find(|(name, _)| *name == lesson)
        .map(|&(_, f)| f)
}

/// The hidden subcommand `check` re-launches this binary with.
pub const JUDGE_SUBCOMMAND: &str = "__judge";

/// Which implementation to judge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// The learner's `exercise.rs`.
    Exercise,
    /// The reference `solution.rs`.
    Solution,
}

impl Target {
    /// The file it lives in, relative to the lesson directory.
    pub fn file(self) -> &'static str {
        match self {
            Target::Exercise => "src/exercise.rs",
            Target::Solution => "src/solution.rs",
        }
    }
}

/// Why a stage did not pass.
#[derive(Debug)]
pub enum Fail {
    /// The stub's `todo!()` is still there.
    NotStarted,
    /// Anything else, in words (may span lines).
    Because(String),
}

/// A check that stopped at a failed stage (already reported).
#[derive(Debug)]
pub struct Failed;

/// Runs the stages and prints each as it goes.
pub struct Judge {
    lesson: &'static str,
    target: Target,
    stage: usize,
    stages: usize,
}

impl Judge {
    /// Run one stage: print its title, run `body`, print `ok` with what it
    /// measured, or the failure with `hint` and the next step.
    pub fn stage(
        &mut self,
        title: &str,
        hint: &str,
        body: impl FnOnce() -> Result<String, Fail>,
    ) -> Result<(), Failed> {
        self.stage += 1;
        print!("[{}/{}] {title:.<34} ", self.stage, self.stages);
        // A stage that hangs must show which one it was before it is killed.
        let _ = std::io::stdout().flush();
        match body() {
            Ok(figures) => {
                println!("ok ({figures})");
                Ok(())
            }
            Err(fail) => {
                let file = format!("lessons/{}/{}", self.lesson, self.target.file());
                match fail {
                    Fail::NotStarted => {
                        println!("not started");
                        println!(
                            "  the function still ends in todo!(): open {file}, follow its // TODO: lines"
                        );
                    }
                    Fail::Because(why) => {
                        println!("FAILED");
                        for line in why.lines() {
                            println!("  {line}");
                        }
                        println!("  hint: {hint}");
                    }
                }
                let solution = if self.target == Target::Solution {
                    " --solution"
                } else {
                    ""
                };
                println!(
                    "  next: edit {file}, then run `cargo run --release -- check {}{solution}`",
                    self.lesson
                );
                Err(Failed)
            }
        }
    }
}

/// The judging stages themselves, in the child process. Returns the exit
/// code: 0 passed, 1 failed.
pub fn judge_here(lesson: &Lesson, target: Target) -> i32 {
    // Panics in learner code are reported by the stages, one line each.
    panic::set_hook(Box::new(|_| {}));
    let ex = &lesson.exercise;
    println!(
        "checking {}: {} in lessons/{}/{}",
        lesson.name,
        ex.function,
        lesson.name,
        target.file()
    );
    println!("budget: {}", ex.budget);
    if cfg!(debug_assertions) {
        println!(
            "note: a debug build; speed is judged as a ratio, but use --release for real figures"
        );
    }
    let mut judge = Judge {
        lesson: lesson.name,
        target,
        stage: 0,
        stages: 4,
    };
    let Some(stages) = judge_of(lesson.name) else {
        println!(
            "{} has no judge yet (see ARCHITECTURE.md: src/check/<lesson>.rs)",
            lesson.name
        );
        return 1;
    };
    match stages(&mut judge, target) {
        Ok(()) => {
            println!(
                "passed. The reference solution is lessons/{}/{}",
                lesson.name,
                Target::Solution.file()
            );
            0
        }
        Err(Failed) => 1,
    }
}

/// Call learner code, turning a panic into a [`Fail`].
pub fn attempt<R>(f: impl FnOnce() -> R) -> Result<R, Fail> {
    panic::catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let msg = panic_message(payload.as_ref());
        if msg.starts_with("not yet implemented") {
            Fail::NotStarted
        } else {
            Fail::Because(format!("it panicked: {msg}"))
        }
    })
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(a panic without a message)".to_owned())
}

/// Run `test` on `cases` random inputs from `strategy` (a fixed seed, so the
/// same code always gets the same inputs); on failure, report the smallest
/// failing input proptest can shrink to.
pub fn agree_on_random<S>(
    strategy: S,
    cases: u32,
    test: impl Fn(S::Value) -> Result<(), String>,
) -> Result<(), Fail>
where
    S: Strategy,
    S::Value: std::fmt::Debug,
{
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
    let mut runner = TestRunner::new_with_rng(config, rng);
    match runner.run(&strategy, |input| test(input).map_err(TestCaseError::fail)) {
        Ok(()) => Ok(()),
        Err(TestError::Fail(reason, input)) => Err(Fail::Because(format!(
            "smallest failing input: {input:?}\n{}",
            reason.message()
        ))),
        Err(TestError::Abort(reason)) => {
            Err(Fail::Because(format!("random testing stopped: {reason}")))
        }
    }
}

/// Compare `expected` with `got`, describing a difference briefly.
pub fn same<T: PartialEq + std::fmt::Debug>(expected: &T, got: &T) -> Result<(), String> {
    if expected == got {
        return Ok(());
    }
    Err(format!(
        "expected {}\n     got {}",
        shorten(expected),
        shorten(got)
    ))
}

/// Compare two sequences; a difference is told by the lengths and the
/// first position where they differ, readable even for 10,000 items.
pub fn same_items<T: PartialEq + std::fmt::Debug>(expected: &[T], got: &[T]) -> Result<(), String> {
    if expected == got {
        return Ok(());
    }
    let at = expected
        .iter()
        .zip(got)
        .position(|(e, g)| e != g)
        .unwrap_or(expected.len().min(got.len()));
    let item = |items: &[T]| {
        items
            .get(at)
            .map_or("nothing (the list ended)".to_owned(), |x| format!("{x:?}"))
    };
    Err(format!(
        "expected {} items, got {}; first difference at index {at}: expected {}, got {}",
        expected.len(),
        got.len(),
        item(expected),
        item(got)
    ))
}

fn shorten<T: std::fmt::Debug>(v: &T) -> String {
    let s = format!("{v:?}");
    if s.len() > 300 {
        format!("{}… ({} chars)", &s[..s.floor_char_boundary(300)], s.len())
    } else {
        s
    }
}

/// The allocations one call of `f` makes; an error where this process
/// cannot count (only the `workbench` binary installs the counter).
pub fn allocations(f: impl FnOnce()) -> Result<u64, Fail> {
    match crate::alloc::count(f) {
        (_, Some(stats)) => Ok(stats.allocs),
        (_, None) => Err(Fail::Because(
            "allocation counting is unavailable in this process".into(),
        )),
    }
}

/// How many times faster `candidate` is than `baseline`, measured
/// interleaved in this process by the same method as `workbench run`.
pub fn speedup(baseline: Box<dyn Case>, candidate: Box<dyn Case>) -> f64 {
    let mut cases = [baseline, candidate];
    let t = measure::medians(&mut cases, &Settings::RUN);
    t[0] / t[1]
}

/// The allocation stage: `allocs_at(n)` counts the allocations of one
/// call at each size; every count must be within `budget`, whatever the
/// size. `at(n)` says where, e.g. `at n = 10,000`.
pub fn within_budget(
    sizes: &[u64],
    budget: u64,
    at: impl Fn(u64) -> String,
    mut allocs_at: impl FnMut(u64) -> Result<u64, Fail>,
) -> Result<String, Fail> {
    let mut seen = Vec::new();
    for &n in sizes {
        let allocs = allocs_at(n)?;
        if allocs > budget {
            return Err(Fail::Because(format!(
                "{allocs} allocations {}; the budget is {budget}, whatever the size",
                at(n)
            )));
        }
        seen.push(format!("{allocs} {}", at(n)));
    }
    Ok(format!("allocations: {}", seen.join("; ")))
}

/// The speed stage: `candidate` at least `min` times faster than
/// `baseline` (named `baseline_name`), measured interleaved here; `at`
/// says where, e.g. `at n = 10,000`.
pub fn faster_than(
    baseline_name: &str,
    baseline: Box<dyn Case>,
    candidate: Box<dyn Case>,
    min: f64,
    at: &str,
) -> Result<String, Fail> {
    let ratio = attempt(|| speedup(baseline, candidate))?;
    let measured = format!(
        "{} faster than {baseline_name} {at}",
        crate::fmt::ratio(ratio)
    );
    if ratio < min {
        return Err(Fail::Because(format!(
            "{measured}; the budget is {min:.0}x"
        )));
    }
    Ok(measured)
}

/// The parent side of `check`: re-launch this binary as the judge, stream
/// its report, stop it after `limit`. Returns the exit code.
pub fn run_judge(lesson: &Lesson, target: Target, limit: Duration) -> anyhow::Result<i32> {
    let exe = std::env::current_exe()?;
    let mut cmd = Command::new(exe);
    cmd.arg(JUDGE_SUBCOMMAND).arg(lesson.name);
    if target == Target::Solution {
        cmd.arg("--solution");
    }
    let mut child = cmd.spawn()?;
    let Some(status) = crate::child::wait_or_kill(&mut child, limit)? else {
        println!();
        eprintln!(
            "error: {} did not finish within {} s and was stopped (an endless loop? a very slow stage?); \
             raise the limit with --timeout",
            lesson.exercise.function,
            limit.as_secs()
        );
        return Ok(1);
    };
    Ok(match status.code() {
        Some(code) => code,
        None => {
            println!();
            eprintln!(
                "error: {} stopped the judge: it {} (a stack overflow or an abort?)",
                lesson.exercise.function,
                crate::child::describe(status)
            );
            1
        }
    })
}
