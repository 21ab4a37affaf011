//! Instructions per call, counted under Callgrind.
//!
//! Time on a shared machine moves between runs; the instructions one call
//! executes do not, for the same binary, input and CPU features. The
//! workbench re-launches itself under `valgrind --tool=callgrind` for one
//! variant at one parameter value (the hidden subcommand
//! [`SUBCOMMAND`]). The child prepares the case and calls it once to warm
//! it (lazy statics, CPU-feature detection); collection is on only inside
//! [`instructions_of_calls`], which holds nothing but the counted calls.
//!
//! Callgrind runs one thread at a time: it cannot see contention, false
//! sharing or waiting, so questions marked `concurrent` in the catalog get
//! no count. memchr and std pick SIMD paths at run time, so a count
//! reproduces on the same binary and CPU features, not on "any x86-64":
//! [`Counted`] records both.

use std::process::{Command, Stdio};
use std::time::Duration;

use crate::catalog::{Case, Lesson};

/// The hidden subcommand the workbench runs under Callgrind.
pub const SUBCOMMAND: &str = "__instructions";

/// Callgrind runs code some 50 to 100 times slower than natively, and code
/// that copies large blocks far slower still (`csv_format_concat` at
/// 20,000 rows, 0.37 s natively, was not done in 300 s); a row whose median
/// call takes longer than this is not counted.
pub const MAX_CALL: Duration = Duration::from_millis(150);

/// How much native time of calls one count covers. Where a variant hashes
/// with a random seed (std's `RandomState`, a new one per call), one
/// call's count moved by up to 0.5% between runs; the mean over calls
/// that fill 2 ms moves by under 0.1%.
pub const SAMPLE: Duration = Duration::from_millis(2);

/// How many times, at least, the child prepares the case, each time
/// counting `calls` calls. A hash set built once with a random seed and
/// then queried (duplicates' `membership/hash_set`) keeps its seed's probe
/// lengths over every call: with four seeds its count moved by 0.47%
/// between runs at n = 100, where a probe more or less weighs most. So a
/// short call's case is prepared at least four times, and more, up to
/// [`MAX_PREPARATIONS`], while preparing is cheap ([`PREPARING`]). A call
/// longer than [`SAMPLE`] does enough hashing to average out within itself
/// (under 0.005% apart at n = 1,000,000) and is prepared once.
pub fn preparations_for(median_ns: f64) -> u64 {
    if median_ns < SAMPLE.as_nanos() as f64 {
        4
    } else {
        1
    }
}

/// The most preparations a child makes.
pub const MAX_PREPARATIONS: u64 = 256;

/// Past this much time spent (under Callgrind) the child prepares no more
/// than its minimum.
pub const PREPARING: Duration = Duration::from_secs(3);

/// How many calls one count averages per preparation, for a call of
/// `median_ns`: calls that fill [`SAMPLE`] for a case prepared once, a
/// sixteenth of it for one prepared many times (the seeds, not the calls
/// on one seed, are what average out).
pub fn calls_for(median_ns: f64) -> u64 {
    let sample = SAMPLE.as_nanos() as f64;
    let fill = if preparations_for(median_ns) > 1 {
        sample / 16.0
    } else {
        sample
    };
    (fill / median_ns.max(1.0)).ceil().clamp(1.0, 10_000.0) as u64
}

/// How long one counting run may take before it is stopped, and its row
/// marked [`TOO_SLOW`].
const LIMIT: Duration = Duration::from_secs(180);

/// What the counts of a run were made with: a count reproduces only for
/// the same valgrind, compiler and CPU features.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Counted {
    /// `valgrind --version`.
    pub valgrind: String,
    /// The CPU features that the lessons' crates choose code paths by, as
    /// the program saw them under valgrind (which emulates the CPU).
    pub cpu_features: Vec<String>,
}

/// Why a row has no instruction count.
pub const SERIALIZED: &str = "n/a: serialized";
/// Why a row has no instruction count.
pub const TOO_SLOW: &str = "n/a: too slow to count";

/// The version of valgrind on the path, or how to install it.
pub fn valgrind() -> Result<String, String> {
    match Command::new("valgrind").arg("--version").output() {
        Ok(out) if out.status.success() => {
            Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
        }
        _ => Err(
            "valgrind is not installed; install it (Debian/Ubuntu: `sudo apt-get install valgrind`; \
             Fedora: `sudo dnf install valgrind`; macOS: not supported) to count instructions"
                .to_owned(),
        ),
    }
}

/// The CPU features that decide which code paths run, as this process
/// sees them.
pub fn cpu_features() -> Vec<&'static str> {
    #[cfg(target_arch = "x86_64")]
    {
        let mut seen = Vec::new();
        macro_rules! probe {
            ($($f:tt),*) => {$(
                if std::arch::is_x86_feature_detected!($f) {
                    seen.push($f);
                }
            )*};
        }
        probe!(
            "sse2", "sse4.2", "popcnt", "avx", "avx2", "bmi1", "bmi2", "avx512f"
        );
        seen
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        Vec::new()
    }
}

/// The calls that are counted. Never inlined, so Callgrind can switch
/// collection on at its entry and off at its exit; its name is the
/// pattern given to `--toggle-collect`.
#[inline(never)]
pub fn instructions_of_calls(case: &mut dyn Case, calls: u64) {
    for _ in 0..calls {
        case.run();
    }
}

/// The child side, under Callgrind: prepare `variant` of `question` at
/// `value`, warm it with one call, and make `calls` counted calls; all
/// that at least `preparations` times, and, where that was one of
/// several, on up to [`MAX_PREPARATIONS`] while [`PREPARING`] lasts.
/// Prints the CPU features seen and how many preparations it made.
pub fn count_here(
    lesson: &Lesson,
    question: &str,
    variant: &str,
    value: u64,
    calls: u64,
    preparations: u64,
) -> Result<(), String> {
    let q = lesson
        .questions
        .iter()
        .find(|q| q.name == question)
        .ok_or_else(|| format!("{} has no question {question}", lesson.name))?;
    let v = q
        .variants
        .iter()
        .find(|v| v.name == variant)
        .ok_or_else(|| format!("{}/{question} has no variant {variant}", lesson.name))?;
    let start = std::time::Instant::now();
    let mut made = 0;
    while made < preparations
        || (preparations > 1 && made < MAX_PREPARATIONS && start.elapsed() < PREPARING)
    {
        let mut case = (v.prepare)(value);
        case.run();
        instructions_of_calls(case.as_mut(), calls);
        made += 1;
    }
    println!("features: {}", cpu_features().join(" "));
    println!("preparations: {made}");
    Ok(())
}

/// Count the instructions of one call of `variant` of `question` at
/// `value` (the mean over `calls` calls on each of the child's
/// preparations, at least `preparations`), in a child under Callgrind;
/// with the CPU features it saw. `Ok(None)` when the run did not finish
/// within its time limit: too slow to count, which is not an error.
pub fn count(
    lesson: &str,
    question: &str,
    variant: &str,
    value: u64,
    (calls, preparations): (u64, u64),
) -> Result<Option<(u64, Vec<String>)>, String> {
    let out = std::env::temp_dir().join(format!(
        "workbench-callgrind-{}-{lesson}-{question}-{variant}-{value}.out",
        std::process::id()
    ));
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let stdout = std::env::temp_dir().join(format!(
        "workbench-callgrind-{}-{variant}.txt",
        std::process::id()
    ));
    let file = std::fs::File::create(&stdout).map_err(|e| e.to_string())?;
    let mut child = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg("--collect-atstart=no")
        .arg("--toggle-collect=*instructions_of_calls*")
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(exe)
        .args([SUBCOMMAND, lesson, question, variant])
        .args([value, calls, preparations].map(|n| n.to_string()))
        .stdin(Stdio::null())
        .stdout(file)
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("could not start valgrind: {e}"))?;
    let status = crate::child::wait_or_kill(&mut child, LIMIT).map_err(|e| e.to_string())?;
    let printed = std::fs::read_to_string(&stdout).unwrap_or_default();
    let report = std::fs::read_to_string(&out);
    let _ = std::fs::remove_file(&stdout);
    let _ = std::fs::remove_file(&out);
    let what = format!("{lesson}/{question}/{variant} at {value}");
    match status {
        None => return Ok(None),
        Some(s) if !s.success() => {
            return Err(format!(
                "{what}: the counting run {}",
                crate::child::describe(s)
            ));
        }
        Some(_) => {}
    }
    let report = report.map_err(|e| format!("{what}: no Callgrind output ({e})"))?;
    let total =
        totals(&report).ok_or_else(|| format!("{what}: no totals in the Callgrind output"))?;
    let features = printed
        .lines()
        .find_map(|l| l.strip_prefix("features: "))
        .map(|f| f.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default();
    let made = printed
        .lines()
        .find_map(|l| l.strip_prefix("preparations: "))
        .and_then(|n| n.trim().parse::<u64>().ok())
        .ok_or_else(|| format!("{what}: the counting run did not say how often it prepared"))?;
    let counted = calls * made.max(1);
    Ok(Some((
        (total as f64 / counted as f64).round() as u64,
        features,
    )))
}

/// The instruction total of a Callgrind output file: its `totals:` line,
/// or `summary:` where there is none.
pub fn totals(report: &str) -> Option<u64> {
    let line = |key: &str| {
        report
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
    };
    line("totals:").or_else(|| line("summary:"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_are_read_from_the_totals_line() {
        let report = "version: 1\nevents: Ir\nsummary: 1234\nfn=main\n0 5\ntotals: 1234\n";
        assert_eq!(totals(report), Some(1234));
        assert_eq!(totals("events: Ir\nsummary: 99\n"), Some(99));
        assert_eq!(totals("events: Ir\n"), None);
    }
}
