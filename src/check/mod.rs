//! `workbench check`: judge a learner's exercise in stages, stopping at the
//! first failure with what failed, a hint and the next step.
//!
//! The learner's code runs in a child process (the workbench re-launched
//! with a hidden `__judge` command), so a panic, an abort or a stack
//! overflow is reported as a line rather than a trace, and code that hangs
//! is killed when the time limit runs out.

use std::io::Write;
use std::process::Command;
use std::time::Duration;

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};

use crate::catalog::{Case, Lesson};
use crate::measure::{self, Settings};

pub mod concurrency;
pub mod counters;
pub mod duplicates;
pub mod guard;
pub mod run;
pub mod verdict;

pub use run::{attempt, attempt_for, shown};
pub mod memo;
pub mod objects;
pub mod profiling;
pub mod resources;
pub mod streams;
pub mod strings;
pub mod wrappers;

/// Runs a lesson's stages against the exercise or the reference solution.
pub type JudgeFn = fn(&mut Judge, Target) -> Result<(), Failed>;

/// Every lesson's judge, by lesson name. `tests/catalog.rs` proves every
/// catalog lesson has one; `workbench lint` reports a lesson without one.
pub const JUDGES: &[(&str, JudgeFn, usize)] = &[
    ("duplicates", duplicates::judge, duplicates::STAGES),
    ("strings", strings::judge, strings::STAGES),
    ("memo", memo::judge, memo::STAGES),
    ("counters", counters::judge, counters::STAGES),
    ("concurrency", concurrency::judge, concurrency::STAGES),
    ("streams", streams::judge, streams::STAGES),
    ("wrappers", wrappers::judge, wrappers::STAGES),
    ("objects", objects::judge, objects::STAGES),
    ("resources", resources::judge, resources::STAGES),
    ("profiling", profiling::judge, profiling::STAGES),
];

/// The judge of the lesson named `lesson`, and how many stages it runs.
pub fn judge_of(lesson: &str) -> Option<(JudgeFn, usize)> {
    JUDGES
        .iter()
        .find(|(name, ..)| *name == lesson)
        .map(|&(_, f, stages)| (f, stages))
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
    /// Its crate's directory, relative to the lesson directory.
    pub fn dir(self) -> &'static str {
        match self {
            Target::Exercise => "exercise",
            Target::Solution => "solution",
        }
    }

    /// What to do after a verdict: edit the file, check again.
    pub fn next_step(self, lesson: &str) -> String {
        let solution = if self == Target::Solution {
            " --solution"
        } else {
            ""
        };
        format!(
            "next: edit lessons/{lesson}/{}, then run `cargo run --release -- check {lesson}{solution}`",
            self.file()
        )
    }

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
    /// The learner's code panicked: the message and where.
    Panicked(String),
    /// A speed stage that this run could not decide: the reference solution
    /// itself missed the budget, so the machine is too busy to tell.
    Inconclusive(String),
}

/// How a panic's text starts when a [`Fail`] is written out.
const PANICKED: &str = "it panicked: ";

impl std::fmt::Display for Fail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fail::NotStarted => write!(f, "not started: the code still ends in todo!()"),
            Fail::Because(why) | Fail::Inconclusive(why) => write!(f, "{why}"),
            Fail::Panicked(why) => write!(f, "{PANICKED}{why}"),
        }
    }
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

/// A stage's hints, in the order they are revealed: one `&str`, or an
/// array of them, most general first.
pub trait Hints {
    /// The hints, in order.
    fn steps(&self) -> Vec<String>;
}

impl Hints for &str {
    fn steps(&self) -> Vec<String> {
        vec![(*self).to_owned()]
    }
}

impl<const N: usize> Hints for [&str; N] {
    fn steps(&self) -> Vec<String> {
        self.iter().map(|h| (*h).to_owned()).collect()
    }
}

/// The environment variable that says how many hints past the first to
/// show, and for which stage: `<count>:<stage title>` (`check --hint`
/// raises the count; the learner's progress keeps it).
pub const HINTS_ENV: &str = "WORKBENCH_HINTS";
/// The environment variable that ends a check after this many stages
/// (`run --with-exercise` needs only the agreement stage).
pub const STOP_AFTER_ENV: &str = "WORKBENCH_STOP_AFTER";
/// The environment variable that asks for the solution's path whatever
/// the verdict (`check --show-solution`).
pub const SHOW_SOLUTION_ENV: &str = "WORKBENCH_SHOW_SOLUTION";

/// Runs the stages and prints each as it goes.
pub struct Judge {
    lesson: &'static str,
    target: Target,
    stage: usize,
    stages: usize,
    inconclusive: bool,
    /// Hints past the first to show on a failure, and of which stage.
    extra_hints: Option<(usize, String)>,
    /// The hints shown for the stage that stopped the check.
    shown: Vec<String>,
    /// Whether the check stopped at a `todo!()`.
    not_started: bool,
    /// Run no stage past this one.
    stop_after: Option<usize>,
}

impl Judge {
    /// A judge for `lesson`'s exercise (or its solution), numbering
    /// `stages` stages; it prints each as it runs.
    pub fn new(lesson: &'static str, target: Target, stages: usize) -> Judge {
        let extra_hints = std::env::var(HINTS_ENV).ok().and_then(|v| {
            let (count, title) = v.split_once(':')?;
            Some((count.parse().ok()?, title.to_owned()))
        });
        Judge {
            lesson,
            target,
            stage: 0,
            stages,
            inconclusive: false,
            extra_hints,
            shown: Vec::new(),
            not_started: false,
            stop_after: std::env::var(STOP_AFTER_ENV)
                .ok()
                .and_then(|v| v.parse().ok()),
        }
    }

    /// Whether the stage that stopped the check was inconclusive.
    pub fn inconclusive(&self) -> bool {
        self.inconclusive
    }

    /// The hints of a stage: its own, then where the lesson explains the
    /// idea.
    fn all_hints(&self, hints: &impl Hints) -> Vec<String> {
        let mut steps = hints.steps();
        steps.push(format!(
            "the idea is in the chapter, book/src/{}.md, and the lesson's optimized variant in lessons/{}/src/ shows it at full size",
            self.lesson, self.lesson
        ));
        steps
    }

    /// Print the hints this failure shows: the first, and one more per
    /// `--hint`; remember them for the verdict.
    fn show_hints(&mut self, title: &str, hints: &[String]) {
        let extra = match &self.extra_hints {
            Some((count, stage)) if stage == title => *count,
            _ => 0,
        };
        let shown = hints.len().min(1 + extra);
        for (i, hint) in hints[..shown].iter().enumerate() {
            if i == 0 {
                println!("  hint: {hint}");
            } else {
                println!("  hint {}: {hint}", i + 1);
            }
        }
        if shown < hints.len() {
            println!(
                "  ({} more: `cargo run --release -- check {} --hint`)",
                hints.len() - shown,
                self.lesson
            );
        }
        self.shown = hints[..shown].to_vec();
    }

    /// Run one stage: print its title, run `body`, print `ok` with what it
    /// measured, or the failure with its first hint and the next step.
    pub fn stage(
        &mut self,
        title: &str,
        hints: impl Hints,
        body: impl FnOnce() -> Result<String, Fail>,
    ) -> Result<(), Failed> {
        use verdict::{StageRecord, StageStatus};
        self.stage += 1;
        if self.stop_after.is_some_and(|last| self.stage > last) {
            // Asked to stop here: the stages so far are the verdict.
            return Err(Failed);
        }
        debug_assert!(
            self.stage <= self.stages,
            "the judge of {} runs more stages than its STAGES",
            self.lesson
        );
        let hints = self.all_hints(&hints);
        verdict::stage_started(self.stage, title, &hints);
        print!("[{}/{}] {title:.<34} ", self.stage, self.stages);
        // A stage that hangs must show which one it was before it is killed.
        let _ = std::io::stdout().flush();
        let number = self.stage;
        let record = |status, detail: String, hints: Vec<String>| StageRecord {
            number,
            title: title.to_owned(),
            status,
            detail,
            hints,
        };
        match body() {
            Ok(figures) => {
                println!("ok ({figures})");
                verdict::record(record(StageStatus::Ok, figures, Vec::new()));
                Ok(())
            }
            Err(fail) => {
                let file = format!("lessons/{}/{}", self.lesson, self.target.file());
                match fail {
                    Fail::NotStarted => {
                        println!("not started");
                        self.not_started = true;
                        println!(
                            "  the function still ends in todo!(): open {file}, follow its // TODO: lines"
                        );
                        verdict::record(record(
                            StageStatus::NotStarted,
                            "the code still ends in todo!()".into(),
                            hints,
                        ));
                    }
                    Fail::Because(why) => {
                        println!("FAILED");
                        for line in why.lines() {
                            println!("  {line}");
                        }
                        self.show_hints(title, &hints);
                        verdict::record(record(StageStatus::Failed, why, hints));
                    }
                    Fail::Panicked(why) => {
                        println!("FAILED");
                        for line in format!("{PANICKED}{why}").lines() {
                            println!("  {line}");
                        }
                        let mut hints = hints;
                        hints.insert(
                            0,
                            "a panic is a bug on some input: read the message and the line it names, \
                             and look for indexing past the end, an unwrap of None or an overflow on that input"
                                .into(),
                        );
                        self.show_hints(title, &hints);
                        verdict::record(record(StageStatus::Panicked, why, hints));
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
                        verdict::record(record(StageStatus::Inconclusive, why, Vec::new()));
                        self.inconclusive = true;
                        return Err(Failed);
                    }
                }
                println!("  {}", self.target.next_step(self.lesson));
                Err(Failed)
            }
        }
    }
}

/// Whether the learner's exercise file is still the shipped stub (its
/// pristine copy, which `reset` restores).
fn untouched(lesson: &str) -> bool {
    let at = |rel: String| std::fs::read(crate::catalog::root().join(rel)).ok();
    let shipped = at(format!("lessons/{lesson}/pristine/lib.rs"));
    shipped.is_some() && shipped == at(format!("lessons/{lesson}/{}", Target::Exercise.file()))
}

/// The judging stages themselves, in the child process. Returns the exit
/// code: [`PASSED`], [`FAILED`] or [`INCONCLUSIVE`].
pub fn judge_here(lesson: &Lesson, target: Target) -> i32 {
    run::start(target.next_step(lesson.name));
    let ex = &lesson.exercise;
    println!(
        "checking {}: {} in lessons/{}/{}",
        lesson.name,
        ex.function,
        lesson.name,
        target.file()
    );
    println!("budget: {}", ex.budget.line());
    if ex.works_as_shipped && matches!(target, Target::Exercise) && untouched(lesson.name) {
        println!(
            "the exercise works as shipped, slowly: profile it first (`cargo run --release --features profile -- flame --lesson {} --with-exercise`), then make it meet the budget",
            lesson.name
        );
    }
    let count = judge_of(lesson.name).map_or(0, |(_, n)| n);
    verdict::begin(verdict::Verdict {
        schema: verdict::SCHEMA_VERSION,
        lesson: lesson.name.to_owned(),
        target: target.dir().to_owned(),
        file: format!("lessons/{}/{}", lesson.name, target.file()),
        budget: ex.budget.line(),
        verdict: "stopped".into(),
        stage_count: 1 + count,
        stages: Vec::new(),
        hints_shown: Vec::new(),
        solution: None,
    });
    if cfg!(debug_assertions) {
        println!(
            "note: a debug build; speed is judged as a ratio, but use --release for real figures"
        );
    }
    let Some((stages, count)) = judge_of(lesson.name) else {
        println!(
            "{} has no judge yet (see ARCHITECTURE.md: src/check/<lesson>.rs)",
            lesson.name
        );
        return FAILED;
    };
    // The lesson's stages, after the one below.
    let mut judge = Judge::new(lesson.name, target, 1 + count);
    let dir = crate::catalog::root().join("lessons").join(lesson.name);
    let own_work = judge.stage(
        "your own work",
        "the exercise crate may use only what its stub lists: no variant, no solution, no other crate",
        || {
            let mine = dir.join(target.dir());
            let problems = guard::problems(&mine, &dir.join("solution"));
            if problems.is_empty() {
                Ok("only the dependencies the stub lists; no unsafe, include! or #[path]".into())
            } else {
                Err(Fail::Because(problems.join("\n")))
            }
        },
    );
    let outcome = own_work.and_then(|()| stages(&mut judge, target));
    let solution = verdict::Solution {
        file: format!("lessons/{}/{}", lesson.name, Target::Solution.file()),
        page: format!("book/src/{}-solution.md", lesson.name),
    };
    let show_solution = std::env::var_os(SHOW_SOLUTION_ENV).is_some();
    let (code, word) = match outcome {
        Ok(()) => {
            debug_assert_eq!(
                judge.stage, judge.stages,
                "a judge's STAGES is its stage count"
            );
            println!(
                "passed. The reference solution is {}; its page in the book: {}",
                solution.file, solution.page
            );
            (PASSED, "passed")
        }
        Err(Failed) if judge.inconclusive => (INCONCLUSIVE, "inconclusive"),
        Err(Failed) => {
            if show_solution {
                println!(
                    "the reference solution (--show-solution): {}; its page in the book: {}",
                    solution.file, solution.page
                );
            }
            (
                FAILED,
                if judge.not_started {
                    "not_started"
                } else {
                    "failed"
                },
            )
        }
    };
    let shown_solution = (code == PASSED || show_solution).then_some(solution);
    verdict::finish(word, std::mem::take(&mut judge.shown), shown_solution);
    code
}

/// Run `test` on `cases` random inputs from `strategy` (a fixed seed, so the
/// same code always gets the same inputs); on failure, report the smallest
/// failing input proptest can shrink to. Each call runs as an [`attempt`] on
/// that input: a panic is a failure with its message, a hang names the
/// input.
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
    let outcome = runner.run(&strategy, |input| {
        let what = shown(&input);
        match attempt(&what, || test(input)) {
            Ok(verdict) => verdict.map_err(TestCaseError::fail),
            Err(fail) => Err(TestCaseError::fail(fail.to_string())),
        }
    });
    match outcome {
        Ok(()) => Ok(()),
        Err(TestError::Fail(reason, input)) => {
            let input = shown(&input);
            Err(match reason.message().strip_prefix(PANICKED) {
                Some(msg) => {
                    Fail::Panicked(format!("{msg}\nthe smallest input that panics: {input}"))
                }
                None => Fail::Because(format!(
                    "smallest failing input: {input}\n{}",
                    reason.message()
                )),
            })
        }
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
        shown(expected),
        shown(got)
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

/// The allocations one call of `f` makes on the input described by
/// `what` (run as an [`attempt`]); an error where this process cannot count
/// (only the `workbench` binary and the judge's tests install the counter).
pub fn allocations(what: &str, f: impl FnOnce()) -> Result<u64, Fail> {
    match attempt(what, || crate::alloc::count(f))? {
        (_, Some(stats)) => Ok(stats.allocs),
        (_, None) => Err(Fail::Because(
            "allocation counting is unavailable in this process".into(),
        )),
    }
}

/// The allocation stage: one call of `run` on each input (named by where
/// it is, e.g. `at n = 10,000` or `on 10,000 copies of one name`) makes at
/// most `budget` allocations, whatever the input.
pub fn within_budget<I>(
    budget: u64,
    inputs: Vec<(String, I)>,
    run: impl Fn(&I),
) -> Result<String, Fail> {
    let mut seen = Vec::new();
    for (at, input) in &inputs {
        let allocs = allocations(at, || run(input))?;
        if allocs > budget {
            return Err(Fail::Because(format!(
                "{} allocations {at}; the budget is {budget}, whatever the input",
                crate::fmt::count(allocs),
            )));
        }
        seen.push(format!("{} {at}", crate::fmt::count(allocs)));
    }
    Ok(format!("allocations: {}", seen.join("; ")))
}

/// How long one measurement of a speed stage may take before it counts as
/// a hang: it times the slow baseline many times over.
pub const SPEED_LIMIT: std::time::Duration = std::time::Duration::from_secs(300);

/// How many times a speed stage measures before it says inconclusive. Six,
/// not four: a mutex measured against a mutex on 2 cores is bimodal (the
/// threads either contend or never run together), so a trap built on one
/// needed more runs to show two clear misses on an idle machine.
pub const SPEED_ATTEMPTS: usize = 6;

/// How many times the reference's time the learner's code may take before
/// a run counts against it even where the reference missed its own budget.
/// The same code measured twice in one run has differed by up to 1.9x on a
/// busy machine, and the counters solution, judged while two builds and a
/// Callgrind run shared its 2 cores, once missed twice at 3x; the speed
/// traps the judges keep are 9x to 190x behind.
pub const FAR_BEHIND: f64 = 5.0;

/// How many times the reference's time the learner's code must take, in a
/// run where the reference met its budget, for that run to count against
/// it: more than the 1.9x that the same code measured twice in one busy
/// run has differed by. Between [`NEAR_REFERENCE`] and this, the run
/// decides nothing.
pub const CLEARLY_BEHIND: f64 = 2.0;

/// How many runs of one kind (passed, or missed) decide a speed stage.
pub const VERDICT_RUNS: usize = 2;

/// How much slower than the reference solution, measured in the same run,
/// the learner's code may be and still pass: the same code measured twice
/// interleaved differs by a few percent idle and by more under load.
pub const NEAR_REFERENCE: f64 = 1.25;

/// One measurement of a speed stage.
#[derive(Clone)]
pub struct SpeedRun {
    /// Whether the reference solution met the budget in this run.
    pub reference_ok: bool,
    /// Whether the learner's code met it.
    pub candidate_ok: bool,
    /// Whether the learner's code was within [`NEAR_REFERENCE`] of the
    /// reference's time.
    pub near_reference: bool,
    /// The learner's time over the reference's, in this run (infinite
    /// where a timed run gave a wrong answer).
    pub behind: f64,
    /// What was measured, one line.
    pub figures: String,
}

/// Judge speed against what the reference solution achieves in the same
/// run, so a busy machine is never a false verdict:
///
/// - a run passes when the learner's code meets the budget, or comes within
///   [`NEAR_REFERENCE`] of a reference that met it;
/// - a run is a miss when the reference met the budget and the learner's
///   code, [`CLEARLY_BEHIND`] it, did not; or when the learner's code took
///   [`FAR_BEHIND`] times the reference's time, more than a busy machine
///   makes of the same code, whatever the reference's own figures (a
///   timed run with a wrong answer is infinitely behind);
/// - a run where the reference itself missed the budget decides nothing.
///
/// [`VERDICT_RUNS`] runs of one kind decide; after [`SPEED_ATTEMPTS`] runs
/// without that, the verdict is inconclusive. Asking for two runs that
/// agree, not one, keeps a lucky run from passing a trap: on a busy
/// machine the same code measured twice in one run has differed by 1.9x.
pub fn judge_speed(mut measure: impl FnMut() -> Result<SpeedRun, Fail>) -> Result<String, Fail> {
    let (mut passes, mut misses, mut unclear) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..SPEED_ATTEMPTS {
        let run = measure()?;
        if run.candidate_ok || (run.reference_ok && run.near_reference) {
            passes.push(run.figures);
            if passes.len() == VERDICT_RUNS {
                let last = passes.pop().unwrap_or_default();
                return Ok(format!("{last}; {VERDICT_RUNS} runs agree"));
            }
        } else if (run.reference_ok && run.behind >= CLEARLY_BEHIND) || run.behind >= FAR_BEHIND {
            misses.push(run.figures);
            if misses.len() == VERDICT_RUNS {
                return Err(Fail::Because(misses.join("\n")));
            }
        } else {
            unclear.push(run.figures);
        }
    }
    Err(Fail::Inconclusive(format!(
        "in {SPEED_ATTEMPTS} runs: {} passed, {} missed the budget, and in {} the reference solution itself missed it:\n{}",
        passes.len(),
        misses.len(),
        unclear.len(),
        passes
            .into_iter()
            .chain(misses)
            .chain(unclear)
            .collect::<Vec<_>>()
            .join("\n")
    )))
}

/// How much faster than each trap the learner's code must be, in the same
/// run: a trap passes every earlier stage (a single shared atomic counts
/// exactly), so only clearly beating it shows the lesson was learned.
pub const TRAP_MARGIN: f64 = 2.0;

/// The speed stage for single-call cases: `[baseline, reference,
/// candidate]`, the candidate at least `min` times faster than the baseline
/// (named `baseline_name`) and [`TRAP_MARGIN`] times faster than each of
/// the lesson's `traps`, with the reference solution measured beside it;
/// all interleaved in this process by the same method as `workbench run`.
/// A run where the reference misses its own budget (against the baseline or
/// a trap) decides nothing; see [`judge_speed`]. `at` says where, e.g.
/// `at n = 10,000`. The candidate's answer must equal the reference's.
pub fn faster_than(
    baseline_name: &str,
    cases: [Box<dyn Case>; 3],
    traps: Vec<(&str, Box<dyn Case>)>,
    min: f64,
    at: &str,
) -> Result<String, Fail> {
    let names: Vec<&str> = traps.iter().map(|(name, _)| *name).collect();
    let mut all: Vec<Box<dyn Case>> = cases
        .into_iter()
        .chain(traps.into_iter().map(|(_, c)| c))
        .collect();
    judge_speed(|| {
        let what = format!("the timed runs {at}");
        let t = attempt_for(&what, SPEED_LIMIT, || {
            measure::medians(&mut all, &Settings::RUN)
        })?;
        // The timed runs must still be right: a case that checks each of
        // its calls reports the wrong ones as `wrong_runs`; and one more
        // call of each gives the same answer as the reference solution's.
        let wrong = attempt_for(&what, SPEED_LIMIT, || all[2].metrics())?
            .into_iter()
            .find(|&(name, value)| name == "wrong_runs" && value > 0.0);
        if let Some((_, runs)) = wrong {
            return Err(Fail::Because(format!(
                "{runs} of the timed runs {at} gave a wrong answer (the earlier stages used fewer events)"
            )));
        }
        let reference_answer = all[1].answer();
        if attempt_for(&what, SPEED_LIMIT, || all[2].answer())? != reference_answer {
            return Err(Fail::Because(format!(
                "the answer of a timed run {at} differs from the reference solution's"
            )));
        }
        let (reference, candidate) = (t[0] / t[1], t[0] / t[2]);
        // Against each trap: how many times faster the reference and the
        // candidate were than it.
        let vs_traps: Vec<(&str, f64, f64)> = names
            .iter()
            .zip(&t[3..])
            .map(|(name, trap)| (*name, trap / t[1], trap / t[2]))
            .collect();
        let ahead = |i: usize| vs_traps.iter().all(|v| [v.1, v.2][i] >= TRAP_MARGIN);
        let mut figures = format!(
            "{} faster than {baseline_name} {at}; the reference solution {}; the budget {min:.0}x",
            crate::fmt::ratio(candidate),
            crate::fmt::ratio(reference),
        );
        for (name, r, c) in &vs_traps {
            figures.push_str(&format!(
                "; {} faster than the trap {name} (the reference solution {}, the budget {TRAP_MARGIN:.0}x)",
                crate::fmt::ratio(*c),
                crate::fmt::ratio(*r)
            ));
        }
        Ok(SpeedRun {
            reference_ok: reference >= min && ahead(0),
            candidate_ok: candidate >= min && ahead(1),
            near_reference: t[2] <= NEAR_REFERENCE * t[1],
            behind: t[2] / t[1],
            figures,
        })
    })
}

/// How the parent runs a check.
#[derive(Clone, Debug, Default)]
pub struct CheckOptions {
    /// Print the verdict as JSON instead of the stages as they run.
    pub json: bool,
    /// Hints past the first to show, and for which stage title.
    pub hints: Option<(usize, String)>,
    /// Show the solution's path whatever the verdict.
    pub show_solution: bool,
    /// Run no stage past this one.
    pub stop_after: Option<usize>,
}

/// The parent side of `check`: re-launch this binary as the judge, stream
/// its report (or keep it quiet for `--json`), stop it after `limit`.
/// Returns the exit code and the verdict the judge wrote, which has every
/// stage that finished even when the judge was stopped.
pub fn run_judge(
    lesson: &Lesson,
    target: Target,
    limit: Duration,
    options: &CheckOptions,
) -> anyhow::Result<(i32, Option<verdict::Verdict>)> {
    let exe = std::env::current_exe()?;
    let mut cmd = Command::new(exe);
    cmd.arg(JUDGE_SUBCOMMAND).arg(lesson.name);
    if target == Target::Solution {
        cmd.arg("--solution");
    }
    let dir = crate::catalog::root()
        .join("target")
        .join("workbench-verdicts");
    let file = std::fs::create_dir_all(&dir)
        .ok()
        .map(|()| dir.join(format!("{}.json", std::process::id())));
    if let Some(file) = &file {
        let _ = std::fs::remove_file(file);
        cmd.env(verdict::VERDICT_ENV, file);
    }
    if let Some((count, title)) = &options.hints {
        cmd.env(HINTS_ENV, format!("{count}:{title}"));
    }
    if options.show_solution {
        cmd.env(SHOW_SOLUTION_ENV, "1");
    }
    if let Some(last) = options.stop_after {
        cmd.env(STOP_AFTER_ENV, last.to_string());
    }
    if options.json {
        cmd.stdout(std::process::Stdio::null());
    }
    let mut child = cmd.spawn()?;
    let waited = crate::child::wait_or_kill(&mut child, limit)?;
    let verdict = file.as_ref().and_then(|f| {
        let v = verdict::Verdict::read(f).ok();
        let _ = std::fs::remove_file(f);
        v
    });
    let Some(status) = waited else {
        if !options.json {
            println!();
            eprintln!(
                "error: {} did not finish within {} s and was stopped (an endless loop? a very slow stage?); \
                 raise the limit with --timeout",
                lesson.exercise.function,
                limit.as_secs()
            );
        }
        return Ok((1, verdict));
    };
    let code = match status.code() {
        Some(code) => code,
        None => {
            if !options.json {
                println!();
                eprintln!(
                    "error: {} stopped the judge: it {} (a stack overflow or an abort?)",
                    lesson.exercise.function,
                    crate::child::describe(status)
                );
            }
            1
        }
    };
    Ok((code, verdict))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A failing stage shows its first hint; one more per revealed level,
    /// for that stage only; the chapter's pointer comes last.
    #[test]
    fn hints_are_revealed_one_at_a_time() {
        let fail = || Err(Fail::Because("wrong".into()));
        for (extra, stage, want) in [
            (None, "s", 1),
            (Some((1, "s")), "s", 2),
            (Some((1, "other")), "s", 1),
            (Some((9, "s")), "s", 3),
        ] {
            let mut judge = Judge::new("memo", Target::Exercise, 1);
            judge.extra_hints = extra.map(|(n, t): (usize, &str)| (n, t.to_owned()));
            assert!(judge.stage(stage, ["first", "second"], fail).is_err());
            assert_eq!(judge.shown.len(), want, "{extra:?}");
            assert_eq!(judge.shown[0], "first");
            if want == 3 {
                assert!(judge.shown[2].contains("book/src/memo.md"));
            }
        }
    }

    fn run(reference_ok: bool, candidate_ok: bool, near_reference: bool) -> SpeedRun {
        SpeedRun {
            reference_ok,
            candidate_ok,
            near_reference,
            behind: if near_reference { 1.0 } else { CLEARLY_BEHIND },
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

    /// Two runs that meet the budget, or match a reference that met it,
    /// pass; the runs in between that decided nothing do not matter.
    #[test]
    fn two_passing_runs_pass() {
        let (asked, v) = verdict(vec![run(false, true, false), run(true, false, true)]);
        assert_eq!(asked, 2);
        assert!(v.is_ok());
        let (asked, v) = verdict(vec![
            run(false, false, true),
            run(false, true, false),
            run(false, true, false),
        ]);
        assert_eq!(asked, 3);
        assert!(v.is_ok());
    }

    /// One lucky run is not enough to pass, nor one miss to fail.
    #[test]
    fn one_run_decides_nothing() {
        let (asked, v) = verdict(vec![
            run(true, false, false),
            run(false, true, false),
            run(true, false, false),
        ]);
        assert_eq!(asked, 3);
        assert!(matches!(v, Err(Fail::Because(_))), "{v:?}");
    }

    /// Behind a reference that met its budget, but within what a busy
    /// machine makes of the same code, decides nothing.
    #[test]
    fn a_little_behind_decides_nothing() {
        let close = SpeedRun {
            behind: CLEARLY_BEHIND * 0.9,
            ..run(true, false, false)
        };
        let (asked, v) = verdict((0..SPEED_ATTEMPTS).map(|_| close.clone()).collect());
        assert_eq!(asked, SPEED_ATTEMPTS);
        assert!(matches!(v, Err(Fail::Inconclusive(_))), "{v:?}");
    }

    /// Far behind the reference counts as a miss even in a run where the
    /// reference missed its own budget.
    #[test]
    fn far_behind_the_reference_is_a_miss() {
        let far = |behind| SpeedRun {
            behind,
            ..run(false, false, false)
        };
        let (asked, v) = verdict(vec![far(FAR_BEHIND), far(10.0)]);
        assert_eq!(asked, 2);
        assert!(matches!(v, Err(Fail::Because(_))), "{v:?}");
        let (_, v) = verdict((0..SPEED_ATTEMPTS).map(|_| far(FAR_BEHIND * 0.9)).collect());
        assert!(matches!(v, Err(Fail::Inconclusive(_))), "{v:?}");
    }

    /// Runs where the reference itself missed the budget decide nothing:
    /// after every attempt is spent, the verdict is inconclusive, never a
    /// failure, even with one clear miss and one pass among them.
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
            run(false, true, false),
            run(false, false, false),
            run(false, false, false),
            run(false, false, false),
        ]);
        assert_eq!(asked, SPEED_ATTEMPTS);
        assert!(
            matches!(v, Err(Fail::Inconclusive(ref why)) if why.contains("1 passed, 1 missed")),
            "{v:?}"
        );
    }
}
