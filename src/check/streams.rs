//! The judge of `lessons/streams`' exercise, `summarize`.

use std::io;
use std::path::Path;

use super::{self as check, Fail, Failed, Judge, Target};
use crate::catalog::streams::{
    BUDGET, LogFile, MIB, SummarizeFn, contract_cases, file_case, log_of, log_strategy,
};
use crate::fmt::{bytes, count};

/// The budget's figures, from the catalog's one [`BUDGET`].
const MIN_SPEEDUP: f64 = BUDGET.min_speedup();
const AT: &str = BUDGET.speed_at();
const MAX_ALLOCS: u64 = BUDGET.max_allocs();
const MAX_PEAK: u64 = match BUDGET.peak_heap {
    Some((bytes, _)) => bytes,
    None => panic!("the streams budget has a peak-heap limit"),
};
/// The speed stage's log, as [`AT`] says.
const SPEED_MIB: u64 = 16;
/// The sizes the allocation stage reads: a budget that holds at every one
/// does not grow with the file.
const ALLOC_MIB: [u64; 3] = [1, 4, 16];

/// How many stages [`judge`] runs.
pub const STAGES: usize = 4;

/// Run the stages on the exercise or the reference solution.
pub fn judge(judge: &mut Judge, target: Target) -> Result<(), Failed> {
    judge_fn(
        judge,
        match target {
            Target::Exercise => streams_exercise::summarize,
            Target::Solution => streams_solution::summarize,
        },
    )
}

/// What `read_all` and the candidate say of `content`, written to a file.
fn compare(candidate: SummarizeFn, what: &str, content: &[u8]) -> Result<(), Fail> {
    let file = LogFile::with_content(content)
        .map_err(|e| Fail::Because(format!("could not write the test log: {e}")))?;
    let want = streams::read_all(file.path())
        .map_err(|e| Fail::Because(format!("read_all failed on {what}: {e}")))?;
    match check::attempt(what, || candidate(file.path()))? {
        Ok(got) => check::same(&want, &got).map_err(|e| Fail::Because(format!("on {what}:\n{e}"))),
        Err(e) => Err(Fail::Because(format!(
            "on {what}: returned the error \"{e}\""
        ))),
    }
}

/// The candidate on a path that is not a readable log: it must return an
/// error of `kind` (any error where `kind` is `None`), not panic.
fn refuses(
    candidate: SummarizeFn,
    what: &str,
    path: &Path,
    kind: Option<io::ErrorKind>,
) -> Result<(), Fail> {
    match check::attempt(what, || candidate(path))? {
        Err(e) if kind.is_none_or(|k| e.kind() == k) => Ok(()),
        Err(e) => Err(Fail::Because(format!(
            "on {what}: the error \"{e}\", not {kind:?}"
        ))),
        Ok(summary) => Err(Fail::Because(format!(
            "on {what}: returned a summary of {} lines instead of an error",
            summary.lines
        ))),
    }
}

/// Run the stages on any implementation of the exercise's contract (the
/// known-wrong submissions in `tests/wrong/` come in here).
pub fn judge_fn(judge: &mut Judge, candidate: SummarizeFn) -> Result<(), Failed> {
    judge.stage("started", "replace the todo!() with your code", || {
        let file = LogFile::with_content(b"t ERROR api a\n")
            .map_err(|e| Fail::Because(format!("could not write the test log: {e}")))?;
        check::attempt("a one-line log", || drop(candidate(file.path())))
            .map(|()| "it returns".into())
    })?;
    judge.stage(
        "agrees with read_all",
        "hand every whole line, ending included, to Tally::line; at the end of the file the bytes left are a line too; grow the buffer when one line fills it",
        || {
            let log = streams::log::log(4 * MIB);
            compare(candidate, "the lesson's log of 4 MiB", &log)?;
            for (what, content) in contract_cases() {
                compare(candidate, what, &content)?;
            }
            check::agree_on_random(log_strategy(), 128, |content| {
                compare(candidate, "a random log", &content).map_err(|fail| match fail {
                    Fail::Because(why) => why,
                    other => format!("{other:?}"),
                })
            })?;
            let dir = crate::catalog::streams::log_dir();
            let missing = dir.join("no-such-log.log");
            refuses(candidate, "a missing file", &missing, Some(io::ErrorKind::NotFound))?;
            refuses(candidate, "a directory", &dir, None)?;
            Ok(format!(
                "the lesson's log ({} bytes); {} cases of the contract; 128 random logs; a missing file and a directory are errors",
                count(log.len() as u64),
                contract_cases().len()
            ))
        },
    )?;
    judge.stage(
        &format!("memory: {MAX_ALLOCS} allocs, {}", bytes(MAX_PEAK)),
        "one buffer of a fixed size for the whole file, no String per line; Tally::line takes the bytes as they are",
        || {
            let mut seen = Vec::new();
            for mib in ALLOC_MIB {
                let log = log_of(mib);
                let at = format!("on a log of {mib} MiB");
                let stats = check::attempt(&at, || crate::alloc::count(|| drop(candidate(log.path()))))?
                    .1
                    .ok_or_else(|| Fail::Because("allocation counting is unavailable in this process".into()))?;
                if stats.allocs > MAX_ALLOCS {
                    return Err(Fail::Because(format!(
                        "{} allocations {at}; the budget is {MAX_ALLOCS}, whatever the file's size",
                        count(stats.allocs)
                    )));
                }
                if stats.peak > MAX_PEAK {
                    return Err(Fail::Because(format!(
                        "{} of heap at once {at}; the budget is {}, whatever the file's size",
                        bytes(stats.peak),
                        bytes(MAX_PEAK)
                    )));
                }
                seen.push(format!("{} allocations, {} peak {at}", count(stats.allocs), bytes(stats.peak)));
            }
            Ok(seen.join("; "))
        },
    )?;
    judge.stage(
        &format!("speed: {MIN_SPEEDUP}x read_all"),
        "read into one buffer and find newlines with memchr; no String per line",
        || {
            let log = log_of(SPEED_MIB);
            let case = |name, f: SummarizeFn| file_case(name, Box::new(f), log.clone(), false);
            let cases = [
                case("read_all", streams::read_all),
                case("solution", streams_solution::summarize),
                case("yours", candidate),
            ];
            // No trap here: the tempting answers (a `String` per line, the
            // whole file) already failed the memory stage.
            check::faster_than("read_all", cases, Vec::new(), MIN_SPEEDUP, AT)
        },
    )
}
