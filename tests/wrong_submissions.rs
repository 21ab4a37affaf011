//! Every known-wrong submission in `tests/wrong/` is stopped by its
//! lesson's judge, at the stage named for it, and every right answer
//! written unlike the reference solution is not: a judge is a test of
//! other people's code, and this is the test of the judges.
//!
//! Each submission is judged in a child process (this binary, run again
//! with `WORKBENCH_WRONG=<lesson>/<name>`), as `workbench check` judges a
//! learner's crate, so a hang is stopped by the judge's own watchdog and a
//! crash cannot take the other cases down. The parent reads the verdict
//! from the child's report and exit code.
//!
//! Speed verdicts are timed: a debug build skips the submissions that only
//! the speed stage can stop (`cargo test --release --test
//! wrong_submissions` runs them; CI does). Arguments filter by
//! `<lesson>/<name>` substring.

mod wrong;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use workbench::check::{self, Judge, Target};
use wrong::Expect;

// The allocation stages count with the workbench's own allocator.
#[global_allocator]
static ALLOC: workbench::alloc::CountingAlloc = workbench::alloc::CountingAlloc;

const CHILD: &str = "WORKBENCH_WRONG";
/// Past this the child is killed: the judge's watchdog stops a hang at 10 s,
/// so only a judge that failed to would get here.
const CHILD_LIMIT: Duration = Duration::from_secs(240);

/// Children judged at once for the stages that do not time anything
/// (their counts are per process); the speed stages run one at a time.
const AT_ONCE: usize = 3;

fn main() {
    if let Ok(which) = std::env::var(CHILD) {
        std::process::exit(child(&which));
    }
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let mut skipped = 0;
    let (mut untimed, mut timed) = (Vec::new(), Vec::new());
    for (lesson, submissions) in wrong::all() {
        for w in submissions {
            let which = format!("{lesson}/{}", w.name);
            if !filters.is_empty() && !filters.iter().any(|f| which.contains(f.as_str())) {
                continue;
            }
            match w.expect {
                Expect::Speed | Expect::Accepted if cfg!(debug_assertions) => {
                    println!("skip {which}: judged on speed, in release builds only");
                    skipped += 1;
                }
                Expect::Speed | Expect::Accepted | Expect::Racy(_) => timed.push((which, w.expect)),
                _ => untimed.push((which, w.expect)),
            }
        }
    }
    let queue = std::sync::Mutex::new(untimed.into_iter());
    let results = std::sync::Mutex::new(Vec::new());
    let judge_next = || {
        loop {
            let next = queue.lock().expect("no panic holds it").next();
            let Some((which, expect)) = next else { break };
            let started = Instant::now();
            let verdict = judged(&which, expect);
            let line = match &verdict {
                Ok(how) => format!(
                    "ok   {which}: {how} ({:.1} s)",
                    started.elapsed().as_secs_f64()
                ),
                Err(why) => format!("FAIL {which}: {why}"),
            };
            println!("{line}");
            results
                .lock()
                .expect("no panic holds it")
                .push(verdict.is_ok());
        }
    };
    std::thread::scope(|s| {
        for _ in 0..AT_ONCE {
            s.spawn(judge_next);
        }
    });
    *queue.lock().expect("no panic holds it") = timed.into_iter().collect::<Vec<_>>().into_iter();
    judge_next();
    let results = results.into_inner().expect("no panic holds it");
    let passed = results.iter().filter(|ok| **ok).count();
    let failed = results.len() - passed;
    println!("wrong_submissions: {passed} passed, {failed} failed, {skipped} skipped");
    if failed > 0 {
        std::process::exit(1);
    }
}

/// In the child: judge one submission, as `check` does; its exit code.
fn child(which: &str) -> i32 {
    let (lesson, name) = which.split_once('/').expect("<lesson>/<name>");
    let all = wrong::all();
    let Some((lesson, submissions)) = all.into_iter().find(|(l, _)| *l == lesson) else {
        eprintln!("no lesson {lesson}");
        return 2;
    };
    let Some(w) = submissions.iter().find(|w| w.name == name) else {
        eprintln!("no submission {which}");
        return 2;
    };
    check::run::start(format!("(the known-wrong submission {which})"));
    let (_, stages) = check::judge_of(lesson).expect("every lesson here has a judge");
    let mut judge = Judge::new(lesson, Target::Exercise, stages);
    match (w.run)(&mut judge) {
        Ok(()) => check::PASSED,
        Err(_) if judge.inconclusive() => check::INCONCLUSIVE,
        Err(_) => check::FAILED,
    }
}

/// Run the child for `which` and compare its verdict with `expect`; what
/// it said, or why that is not what was expected.
fn judged(which: &str, expect: Expect) -> Result<String, String> {
    let out = std::env::temp_dir().join(format!(
        "wrong-{}-{}.txt",
        std::process::id(),
        which.replace('/', "-")
    ));
    let file = std::fs::File::create(&out).map_err(|e| e.to_string())?;
    let mut child = Command::new(std::env::current_exe().map_err(|e| e.to_string())?)
        .env(CHILD, which)
        .stdin(Stdio::null())
        .stdout(file)
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let status =
        workbench::child::wait_or_kill(&mut child, CHILD_LIMIT).map_err(|e| e.to_string())?;
    let report = std::fs::read_to_string(&out).unwrap_or_default();
    let _ = std::fs::remove_file(&out);
    let Some(status) = status else {
        return Err(format!(
            "the judge did not stop it within {} s:\n{report}",
            CHILD_LIMIT.as_secs()
        ));
    };
    // The stage that stopped it: the last stage line, `[k/n] title.... VERDICT`
    // (the title is padded with dots to 34 characters).
    let stopped = report.lines().rfind(|l| l.starts_with('[')).unwrap_or("");
    let title = stopped.split_once("] ").map_or("", |(_, rest)| rest);
    let verdict = title
        .get(34..)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or("");
    let at = |stage: &str| title.starts_with(stage);
    let code = status.code();
    let shown = || format!("exit {code:?}, report:\n{report}");
    let ok = match expect {
        Expect::Failed(stage) => {
            at(stage) && verdict == "FAILED" && !report.contains("it panicked") && code == Some(1)
        }
        Expect::Panicked(stage) => {
            at(stage)
                && verdict == "FAILED"
                && report.contains("it panicked: ")
                && report.contains(".rs:")
                && code == Some(1)
        }
        Expect::Hangs(stage) => {
            at(stage)
                && report.contains("did not return within")
                && report.contains("on this input: ")
                && code == Some(1)
        }
        Expect::Speed => {
            at("speed")
                && matches!(
                    (verdict, code),
                    ("FAILED", Some(1)) | ("INCONCLUSIVE", Some(3))
                )
        }
        Expect::Racy(later) => {
            (at("agrees") || at(later)) && verdict == "FAILED" && code == Some(1)
        }
        Expect::Accepted => {
            at("speed") && matches!((verdict, code), ("ok", Some(0)) | ("INCONCLUSIVE", Some(3)))
        }
    };
    if ok {
        Ok(format!(
            "{verdict} at \"{}\"",
            title.split('.').next().unwrap_or(title)
        ))
    } else {
        Err(format!("expected {expect:?}; {}", shown()))
    }
}
