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
            Target::Exercise => "exercise/src/lib.rs",
            Target::Solution => "solution/src/lib.rs",
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
    /// A speed stage that this run could not decide: the reference solution
    /// itself missed the budget, so the machine is too busy to tell.
    Inconclusive(String),
}

/// A check that stopped at a stage that did not pass (already reported).
#[derive(Debug)]
pub struct Failed;

/// The judge's exit code when the check passed.
pub const PASSED: i32 = 0;
/// The judge's exit code when a stage failed.
pub const FAILED: i32 = 1;
/// The judge's exit code when every stage but speed passed and speed could
/// not be decided on this machine now. (2 is taken: bad usage.)
pub const INCONCLUSIVE: i32 = 3;

/// Runs the stages and prints each as it goes.
pub struct Judge {
    lesson: &'static str,
    target: Target,
    stage: usize,
    stages: usize,
    inconclusive: bool,
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
                    Fail::Inconclusive(why) => {
                        println!("INCONCLUSIVE");
                        for line in why.lines() {
                            println!("  {line}");
                        }
                        println!(
                            "  every stage before this one passed; speed could not be judged on this machine now"
                        );
                        println!(
                            "  next: run the check again when the machine is idle (close builds and other programs)"
                        );
                        self.inconclusive = true;
                        return Err(Failed);
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
/// code: [`PASSED`], [`FAILED`] or [`INCONCLUSIVE`].
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
        inconclusive: false,
    };
    let Some(stages) = judge_of(lesson.name) else {
        println!(
            "{} has no judge yet (see ARCHITECTURE.md: src/check/<lesson>.rs)",
            lesson.name
        );
        return FAILED;
    };
    match stages(&mut judge, target) {
        Ok(()) => {
            println!(
                "passed. The reference solution is lessons/{}/{}",
                lesson.name,
                Target::Solution.file()
            );
            PASSED
        }
        Err(Failed) if judge.inconclusive => INCONCLUSIVE,
        Err(Failed) => FAILED,
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
                "{} allocations {}; the budget is {budget}, whatever the size",
                crate::fmt::count(allocs),
                at(n)
            )));
        }
        seen.push(format!("{} {}", crate::fmt::count(allocs), at(n)));
    }
    Ok(format!("allocations: {}", seen.join("; ")))
}

/// How many times a speed stage measures before it says inconclusive.
pub const SPEED_ATTEMPTS: usize = 3;

/// How much slower than the reference solution, measured in the same run,
/// the learner's code may be and still pass: the same code measured twice
/// interleaved differs by a few percent idle and by more under load.
pub const NEAR_REFERENCE: f64 = 1.25;

/// One measurement of a speed stage.
pub struct SpeedRun {
    /// Whether the reference solution met the budget in this run.
    pub reference_ok: bool,
    /// Whether the learner's code met it.
    pub candidate_ok: bool,
    /// Whether the learner's code was within [`NEAR_REFERENCE`] of the
    /// reference's time.
    pub near_reference: bool,
    /// What was measured, one line.
    pub figures: String,
}

/// Judge speed against what the reference solution achieves in the same
/// run, so a busy machine is never a false verdict:
///
/// - a run where the reference itself misses the budget cannot judge the
///   learner's code: measure again, and after [`SPEED_ATTEMPTS`] such runs
///   say inconclusive;
/// - a run where the learner's code meets the budget, or comes within
///   [`NEAR_REFERENCE`] of the reference, passes;
/// - the learner's code fails when it missed the budget, well behind the
///   reference, in two runs where the reference met it.
pub fn judge_speed(mut measure: impl FnMut() -> Result<SpeedRun, Fail>) -> Result<String, Fail> {
    let mut misses = Vec::new();
    let mut unclear = Vec::new();
    for _ in 0..SPEED_ATTEMPTS {
        let run = measure()?;
        if run.candidate_ok || (run.reference_ok && run.near_reference) {
            return Ok(run.figures);
        }
        if run.reference_ok {
            misses.push(run.figures);
            if misses.len() == 2 {
                return Err(Fail::Because(misses.join("\n")));
            }
        } else {
            unclear.push(run.figures);
        }
    }
    // At most one clear miss, the other runs unclear: too little to fail on.
    let missed_by_reference = unclear.len();
    unclear.extend(misses);
    Err(Fail::Inconclusive(format!(
        "the reference solution itself missed the budget in {missed_by_reference} of {SPEED_ATTEMPTS} runs:\n{}",
        unclear.join("\n")
    )))
}

/// The speed stage for single-call cases: `candidate` at least `min` times
/// faster than `baseline` (named `baseline_name`), with the reference
/// solution measured beside it; all three interleaved in this process by the
/// same method as `workbench run`. `at` says where, e.g. `at n = 10,000`.
pub fn faster_than(
    baseline_name: &str,
    mut cases: [Box<dyn Case>; 3],
    min: f64,
    at: &str,
) -> Result<String, Fail> {
    judge_speed(|| {
        let t = attempt(|| measure::medians(&mut cases, &Settings::RUN))?;
        let (reference, candidate) = (t[0] / t[1], t[0] / t[2]);
        Ok(SpeedRun {
            reference_ok: reference >= min,
            candidate_ok: candidate >= min,
            near_reference: t[2] <= NEAR_REFERENCE * t[1],
            figures: format!(
                "{} faster than {baseline_name} {at}; the reference solution {}; the budget {min:.0}x",
                crate::fmt::ratio(candidate),
                crate::fmt::ratio(reference),
            ),
        })
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn run(reference_ok: bool, candidate_ok: bool, near_reference: bool) -> SpeedRun {
        SpeedRun {
            reference_ok,
            candidate_ok,
            near_reference,
            figures: format!("ref {reference_ok}, mine {candidate_ok}, near {near_reference}"),
        }
    }

    /// Feed `judge_speed` these runs in turn; how many it asked for, and
    /// its verdict.
    fn verdict(runs: Vec<SpeedRun>) -> (usize, Result<String, Fail>) {
        let mut runs = runs.into_iter();
        let mut asked = 0;
        let verdict = judge_speed(|| {
            asked += 1;
            Ok(runs.next().expect("no more runs than given"))
        });
        (asked, verdict)
    }

    /// Code that meets the budget passes at once, whatever the reference
    /// did; code as fast as the reference passes where the reference met
    /// the budget, even if noise put it just under.
    #[test]
    fn meeting_the_budget_or_matching_the_reference_passes() {
        assert!(matches!(verdict(vec![run(false, true, false)]), (1, Ok(_))));
        assert!(matches!(verdict(vec![run(true, false, true)]), (1, Ok(_))));
    }

    /// Missing the budget well behind a reference that met it, twice, is a
    /// failure; once, followed by a pass, is a pass.
    #[test]
    fn two_clear_misses_fail_and_one_is_not_enough() {
        let (asked, v) = verdict(vec![run(true, false, false), run(true, false, false)]);
        assert_eq!(asked, 2);
        assert!(matches!(v, Err(Fail::Because(_))));
        let (asked, v) = verdict(vec![run(true, false, false), run(true, false, true)]);
        assert_eq!(asked, 2);
        assert!(v.is_ok());
    }

    /// Runs where the reference itself missed the budget decide nothing:
    /// after every attempt is spent, the verdict is inconclusive, never a
    /// failure, even with one clear miss among them.
    #[test]
    fn a_busy_machine_is_inconclusive_never_a_failure() {
        let (asked, v) = verdict(
            (0..SPEED_ATTEMPTS)
                .map(|_| run(false, false, true))
                .collect(),
        );
        assert_eq!(asked, SPEED_ATTEMPTS);
        assert!(matches!(v, Err(Fail::Inconclusive(_))));
        let (asked, v) = verdict(vec![
            run(false, false, false),
            run(true, false, false),
            run(false, false, false),
        ]);
        assert_eq!(asked, 3);
        assert!(
            matches!(v, Err(Fail::Inconclusive(ref why)) if why.contains("2 of 3")),
            "{v:?}"
        );
    }
}
