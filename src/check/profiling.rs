//! The judge of `lessons/profiling`' exercise, `summarize`: the shipped
//! slow summarizer, made fast.

use super::{self as check, Fail, Failed, Judge, Target};
use crate::catalog::case;
use crate::catalog::profiling::{BUDGET, SummarizeFn, contract_cases, log_strategy};
use crate::fmt::count;

/// The budget's figures, from the catalog's one [`BUDGET`].
const MIN_SPEEDUP: f64 = BUDGET.min_speedup();
const AT: &str = BUDGET.speed_at();
/// Allocations allowed per [`PER_LINES`] lines.
const MAX_ALLOCS: u64 = BUDGET.max_allocs();
/// The lines the allocation budget is stated per.
const PER_LINES: u64 = 1_000;
/// The speed stage's log, as [`AT`] says.
const SPEED_LINES: u64 = 50_000;
/// The logs the allocation stage reads: a count that holds at both does
/// not grow with the lines.
const ALLOC_LINES: [u64; 2] = [20_000, 50_000];
/// Random logs the agreement stage compares on.
const RANDOM_LOGS: u32 = 256;

/// How many stages [`judge`] runs.
pub const STAGES: usize = 4;

/// Run the stages on the exercise or the reference solution.
pub fn judge(judge: &mut Judge, target: Target) -> Result<(), Failed> {
    judge_fn(
        judge,
        match target {
            Target::Exercise => profiling_exercise::summarize,
            Target::Solution => profiling_solution::summarize,
        },
    )
}

/// What the shipped summarizer and the candidate say of `log`.
fn compare(candidate: SummarizeFn, what: &str, log: &str) -> Result<(), Fail> {
    let want = profiling::slow(log);
    let got = check::attempt(what, || candidate(log))?;
    check::same(&want, &got).map_err(|e| Fail::Because(format!("on {what}:\n{e}")))
}

/// Run the stages on any implementation of the exercise's contract (the
/// known-wrong submissions in `tests/wrong/` come in here).
pub fn judge_fn(judge: &mut Judge, candidate: SummarizeFn) -> Result<(), Failed> {
    judge.stage("started", "summarize must return", || {
        check::attempt("a one-line log", || drop(candidate("t ERROR api a\n")))
            .map(|()| "it returns".into())
    })?;
    judge.stage(
        "agrees with slow",
        [
            "keep every answer the shipped code gives: lowercase as str::to_lowercase does, Unicode included",
            "a field lowercased alone is what it is in the lowercased line (a space stops the final-sigma rule); ASCII can be lowercased in place, anything else through to_lowercase",
            "char::to_lowercase one character at a time turns a word-final Σ into σ where to_lowercase gives ς; to_ascii_lowercase leaves Ü, the Kelvin sign and İ as they are",
        ],
        || {
            let log = profiling::api::log(SPEED_LINES);
            compare(candidate, "the lesson's log of 50,000 lines", &log)?;
            let cases = contract_cases();
            for (what, content) in &cases {
                compare(candidate, what, content)?;
            }
            check::agree_on_random(log_strategy(), RANDOM_LOGS, |log| {
                compare(candidate, "a random log", &log).map_err(|fail| match fail {
                    Fail::Because(why) => why,
                    other => format!("{other:?}"),
                })
            })?;
            Ok(format!(
                "the lesson's log (50,000 lines); {} cases of the contract; {RANDOM_LOGS} random logs",
                cases.len()
            ))
        },
    )?;
    judge.stage(
        &format!("allocations: {MAX_ALLOCS} per {} lines", count(PER_LINES)),
        [
            "a flame graph shows where the time goes; a heap profile (the lesson's dhat example) shows who allocates: one String per line",
            "lowercase only the fields you count, into a String kept from line to line (clear() keeps its capacity)",
            "split the line as it is: lowercasing never moves a space, so the fields are the same",
        ],
        || {
            let mut seen = Vec::new();
            for lines in ALLOC_LINES {
                let log = profiling::api::log(lines);
                let at = format!("on {} lines", count(lines));
                let stats = check::attempt(&at, || crate::alloc::count(|| drop(candidate(&log))))?
                    .1
                    .ok_or_else(|| {
                        Fail::Because("allocation counting is unavailable in this process".into())
                    })?;
                let per = stats.allocs as f64 * PER_LINES as f64 / lines as f64;
                if per > MAX_ALLOCS as f64 {
                    return Err(Fail::Because(format!(
                        "{} allocations {at}: {per:.0} in {} lines; the budget is {MAX_ALLOCS}",
                        count(stats.allocs),
                        count(PER_LINES)
                    )));
                }
                seen.push(format!(
                    "{} allocations {at} ({per:.1} in {} lines)",
                    count(stats.allocs),
                    count(PER_LINES)
                ));
            }
            Ok(seen.join("; "))
        },
    )?;
    judge.stage(
        &format!("speed: {MIN_SPEEDUP}x slow"),
        [
            "profile again: with the allocations gone, what is left at the top of the flame graph?",
            "Vec::remove(0) moves every line still waiting, for every line: n²/2 moves in all (Python's list.pop(0) does the same)",
            "take the lines in the order lines() yields them, or from a VecDeque with pop_front: nothing moves",
        ],
        || {
            let log = std::sync::Arc::new(profiling::api::log(SPEED_LINES));
            let of = |f: SummarizeFn| {
                case(
                    log.clone(),
                    move |log| {
                        std::hint::black_box(f(log));
                    },
                    move |log| crate::catalog::digest(&f(log)),
                )
            };
            let cases = [
                of(profiling::slow),
                of(profiling_solution::summarize),
                of(candidate),
            ];
            // The trap that passes every earlier stage: the allocations
            // fixed and the queue left as it was.
            let traps = vec![("fix_lowercase", of(profiling::fix_lowercase))];
            check::faster_than("slow", cases, traps, MIN_SPEEDUP, AT)
        },
    )
}
