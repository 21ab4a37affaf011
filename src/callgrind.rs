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

/// A call that executes at least this many instructions is counted once,
/// on one preparation: it does enough hashing to average out its own
/// random seeds (under 0.005% apart between runs at n = 1,000,000).
pub const LONG_CALL: u64 = 4_000_000;

/// About how many instructions of counted calls a shorter call gets per
/// preparation of its case.
pub const PER_PREPARATION: u64 = 200_000;

/// About how many instructions a shorter call's count covers in all:
/// what averages out the hash seeds it meets. A hash set built once with
/// a random seed and then queried (duplicates' `membership/hash_set`)
/// keeps its seed's probe lengths over every call: with four seeds its
/// count moved by 0.47% between runs at n = 100, where a probe more or
/// less weighs most. Spread over this many instructions, on up to
/// [`MAX_PREPARATIONS`] seeds, it moves by under 0.1%.
pub const TOTAL: u64 = 1 << 25;

/// About how many instructions one counting child may execute in all,
/// preparing included, before it makes fewer preparations (never fewer
/// than [`MIN_PREPARATIONS`]): under Callgrind a few seconds.
pub const WORK: u64 = 1 << 28;

/// The fewest and the most preparations of a shorter call's case.
pub const MIN_PREPARATIONS: u64 = 4;
/// See [`MIN_PREPARATIONS`].
pub const MAX_PREPARATIONS: u64 = 128;

/// How to count a call that executed `one_call` instructions on its own,
/// on a case whose preparation executed `prepare`: `(calls per
/// preparation, preparations)`.
///
/// Both come from instruction counts, not from a clock, so the same
/// command makes the same calls on the same heap every time: where the
/// allocator's history changes a call's cost (`+=` on a `String` grows in
/// place or copies, depending on what the earlier calls left free), a
/// plan chosen by timing made a different history and a count 0.96% away.
/// Both are rounded to a power of two, so a count that moves a little
/// with a hash seed does not move the plan.
pub fn plan(one_call: u64, prepare: u64) -> (u64, u64) {
    if one_call >= LONG_CALL {
        return (1, 1);
    }
    let one_call = one_call.max(1);
    let calls = PER_PREPARATION
        .div_ceil(one_call)
        .next_power_of_two()
        .min(1 << 14);
    let wanted = TOTAL.div_ceil(calls * one_call).next_power_of_two();
    // What one preparation costs the child: preparing, the warming call
    // and the counted ones.
    let each = prepare + (calls + 1) * one_call;
    let affordable = (WORK / each.max(1)).max(1);
    let affordable = 1 << affordable.ilog2();
    let preparations = wanted
        .min(affordable)
        .clamp(MIN_PREPARATIONS, MAX_PREPARATIONS);
    (calls, preparations)
}

#[cfg(test)]
mod plan_tests {
    use super::*;

    /// A long call is counted once; a short one gets calls that fill about
    /// [`PER_PREPARATION`] and preparations that fill about [`TOTAL`].
    #[test]
    fn the_plan_follows_the_count_of_one_call() {
        assert_eq!(plan(LONG_CALL, 0), (1, 1));
        assert_eq!(plan(30_000, 10_000), (8, 128));
        assert_eq!(plan(1_000_000, 0), (1, 64));
        assert_eq!(plan(3_000_000, 0), (1, 16));
        assert_eq!(plan(0, 0), (1 << 14, 128));
        // A preparation that costs more than its calls: fewer of them,
        // never fewer than four.
        assert_eq!(plan(30_000, 10_000_000), (8, 16));
        assert_eq!(plan(1_000_000, 500_000_000), (1, 4));
    }
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
/// Why a row has no instruction count: valgrind stopped the program at an
/// instruction it cannot run (`SIGILL`), as valgrind 3.19 does at the
/// AVX-512 that `-C target-cpu=native` emits on a CPU that has it.
pub const UNDECODABLE: &str = "n/a: valgrind cannot run its instructions";

/// A count, or why there is none ([`TOO_SLOW`], [`UNDECODABLE`]): not an
/// error, a row without a count.
pub type Outcome<T> = Result<T, &'static str>;

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

/// The preparation of one case. Never inlined, so that a first child can
/// count it alone (with this name given to `--toggle-collect`), and the
/// plan knows what each preparation costs.
#[inline(never)]
pub fn prepare_case(v: &crate::catalog::Variant, value: u64) -> Box<dyn Case> {
    (v.prepare)(value)
}

/// The child side, under Callgrind: prepare `variant` of `question` at
/// `value`, warm it with one call, and make `calls` counted calls; all
/// that `preparations` times. Prints the CPU features seen and how many
/// preparations it made.
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
    // The learner's row (`run --with-exercise`) is not in the catalog's
    // table: the exercise makes it, already judged by the parent.
    let yours = (variant == crate::catalog::YOURS).then(|| (lesson.exercise.yours)());
    let v = match &yours {
        Some((in_question, v)) if *in_question == question => v,
        _ => q
            .variants
            .iter()
            .find(|v| v.name == variant)
            .ok_or_else(|| format!("{}/{question} has no variant {variant}", lesson.name))?,
    };
    let mut made = 0;
    while made < preparations {
        let mut case = prepare_case(v, value);
        case.run();
        instructions_of_calls(case.as_mut(), calls);
        made += 1;
    }
    println!("features: {}", cpu_features().join(" "));
    println!("preparations: {made}");
    Ok(())
}

/// Count the instructions of one call of `variant` of `question` at
/// `value`, in children under Callgrind: a first child counts one call;
/// where that call is short ([`LONG_CALL`]), a second counts one
/// preparation of its case, and a third the mean over as many calls and
/// preparations as [`plan`] makes of the two. With the CPU features the child saw.
/// `Ok(Err(note))` when a child did not finish within its time limit
/// ([`TOO_SLOW`]) or ran an instruction valgrind cannot ([`UNDECODABLE`]),
/// which are not errors.
pub fn count(
    lesson: &str,
    question: &str,
    variant: &str,
    value: u64,
) -> Result<Outcome<(u64, Vec<String>)>, String> {
    let what = Row {
        lesson,
        question,
        variant,
        value,
    };
    if let Some(program) = program_of(lesson, question, variant, value)? {
        // A program of its own counts its one call itself, warmed first;
        // the CPU it runs on is this process's.
        return Ok(what
            .under_callgrind(PROGRAM_CALL, program)?
            .map(|(total, _)| {
                (
                    total,
                    cpu_features().into_iter().map(str::to_owned).collect(),
                )
            }));
    }
    let (one_call, features) = match what.child(CALLS, 1, 1)? {
        Ok(counted) => counted,
        Err(note) => return Ok(Err(note)),
    };
    if one_call >= LONG_CALL {
        return Ok(Ok((one_call, features)));
    }
    let (prepare, _) = match what.child(PREPARE, 1, 1)? {
        Ok(counted) => counted,
        Err(note) => return Ok(Err(note)),
    };
    let (calls, preparations) = plan(one_call, prepare);
    let (total, features) = match what.child(CALLS, calls, preparations)? {
        Ok(counted) => counted,
        Err(note) => return Ok(Err(note)),
    };
    let counted = calls * preparations;
    Ok(Ok((
        (total as f64 / counted as f64).round() as u64,
        features,
    )))
}

/// The pattern that counts the calls: [`instructions_of_calls`].
const CALLS: &str = "*instructions_of_calls*";
/// The pattern that counts the preparations: [`prepare_case`].
const PREPARE: &str = "*prepare_case*";

/// The row a counting child counts.
struct Row<'a> {
    lesson: &'a str,
    question: &'a str,
    variant: &'a str,
    value: u64,
}

impl std::fmt::Display for Row<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Row {
            lesson,
            question,
            variant,
            value,
        } = self;
        write!(f, "{lesson}/{question}/{variant} at {value}")
    }
}

impl Row<'_> {
    /// Run one child under Callgrind that makes `calls` calls on each of
    /// `preparations` preparations, counting inside the functions that
    /// `toggle` matches ([`CALLS`] or [`PREPARE`]): the instructions
    /// counted and the CPU features it saw, or why there are none.
    fn child(
        &self,
        toggle: &str,
        calls: u64,
        preparations: u64,
    ) -> Result<Outcome<(u64, Vec<String>)>, String> {
        let Row {
            lesson,
            question,
            variant,
            value,
        } = *self;
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let mut program = Command::new(exe);
        program
            .args([SUBCOMMAND, lesson, question, variant])
            .args([value, calls, preparations].map(|n| n.to_string()));
        let (total, printed) = match self.under_callgrind(toggle, program)? {
            Ok(counted) => counted,
            Err(note) => return Ok(Err(note)),
        };
        let features = printed
            .lines()
            .find_map(|l| l.strip_prefix("features: "))
            .map(|f| f.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default();
        let made = printed
            .lines()
            .find_map(|l| l.strip_prefix("preparations: "))
            .and_then(|n| n.trim().parse::<u64>().ok());
        if made != Some(preparations) {
            return Err(format!(
                "{self}: the counting run made {} preparations, not {preparations}",
                made.map_or("an unknown number of".to_owned(), |n| n.to_string())
            ));
        }
        Ok(Ok((total, features)))
    }

    /// Run `program` under Callgrind, counting inside the functions that
    /// `toggle` matches: the total and what it printed, or why there is
    /// none: [`TOO_SLOW`] past [`LIMIT`], [`UNDECODABLE`].
    fn under_callgrind(
        &self,
        toggle: &str,
        program: Command,
    ) -> Result<Outcome<(u64, String)>, String> {
        let Row {
            lesson,
            question,
            variant,
            value,
        } = *self;
        let name = format!(
            "workbench-callgrind-{}-{lesson}-{question}-{variant}-{value}",
            std::process::id()
        );
        let out = std::env::temp_dir().join(format!("{name}.out"));
        let stdout = std::env::temp_dir().join(format!("{name}.txt"));
        let file = std::fs::File::create(&stdout).map_err(|e| e.to_string())?;
        let mut child = Command::new("valgrind")
            .arg("--tool=callgrind")
            .arg("--collect-atstart=no")
            .arg(format!("--toggle-collect={toggle}"))
            .arg(format!("--callgrind-out-file={}", out.display()))
            .arg(program.get_program())
            .args(program.get_args())
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
        match status {
            None => return Ok(Err(TOO_SLOW)),
            Some(s) if undecodable(s) => return Ok(Err(UNDECODABLE)),
            Some(s) if !s.success() => {
                return Err(format!(
                    "{self}: the counting run {}",
                    crate::child::describe(s)
                ));
            }
            Some(_) => {}
        }
        let report = report.map_err(|e| format!("{self}: no Callgrind output ({e})"))?;
        let total =
            totals(&report).ok_or_else(|| format!("{self}: no totals in the Callgrind output"))?;
        Ok(Ok((total, printed)))
    }
}

/// Whether valgrind stopped the program at an instruction it cannot run.
#[cfg(unix)]
fn undecodable(status: std::process::ExitStatus) -> bool {
    use std::os::unix::process::ExitStatusExt;
    status.signal() == Some(libc::SIGILL)
}

/// Whether valgrind stopped the program at an instruction it cannot run.
#[cfg(not(unix))]
fn undecodable(_: std::process::ExitStatus) -> bool {
    false
}

/// The command of `variant` where it is a program of its own
/// ([`crate::catalog::Variant::program`]), at `value`.
fn program_of(
    lesson: &str,
    question: &str,
    variant: &str,
    value: u64,
) -> Result<Option<Command>, String> {
    let lessons = crate::catalog::lessons();
    let program = lessons
        .iter()
        .filter(|l| l.name == lesson)
        .flat_map(|l| &l.questions)
        .filter(|q| q.name == question)
        .flat_map(|q| &q.variants)
        .find(|v| v.name == variant)
        .and_then(|v| v.program.as_ref());
    program.map(|p| p(value)).transpose()
}

/// The function a [`crate::catalog::Variant::program`] makes its one
/// counted call in.
pub const PROGRAM_CALL: &str = "*counted_call*";

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
