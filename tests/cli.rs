//! The `workbench` command as a user meets it: errors, JSON, the checker
//! and the lint, run as a child process.

use std::process::{Command, Output};

fn workbench(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_workbench"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the workbench binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// An unknown lesson is one line on stderr with the valid names and a
/// did-you-mean, and exit code 2.
#[test]
fn an_unknown_lesson_lists_the_valid_names_and_exits_2() {
    let out = workbench(&["run", "duplicate"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("unknown lesson 'duplicate'"), "{err}");
    assert!(err.contains("did you mean 'duplicates'"), "{err}");
    assert!(err.contains("valid: duplicates"), "{err}");
}

/// `flame` in a build without the profiler says in one line how to get
/// one, and fails; an unknown lesson is refused before anything else.
#[test]
fn flame_without_the_profile_feature_says_how_to_build_it() {
    let unknown = workbench(&["flame", "--lesson", "nope"]);
    assert_eq!(unknown.status.code(), Some(2));
    if cfg!(feature = "profile") {
        return; // this build has one: it would profile, not refuse
    }
    let out = workbench(&["flame", "--lesson", "duplicates"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("--features profile"), "{err}");
}

/// An unknown variant gets the same treatment as an unknown lesson.
#[test]
fn an_unknown_variant_lists_the_variants_and_exits_2() {
    let out = workbench(&["run", "duplicates", "--variant", "hashd"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("did you mean 'hashed'"), "{err}");
    assert!(err.contains("naive_pairs"), "{err}");
}

/// A bad number names the flag and says what a good one looks like.
#[test]
fn a_bad_number_names_the_flag_and_exits_2() {
    for bad in ["ten", "0", "-5"] {
        let out = workbench(&["run", "duplicates", "--param", bad]);
        assert_eq!(out.status.code(), Some(2), "--param {bad}");
        let err = text(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("--param"), "{err}");
    }
    for bad in ["0", "3601", "abc"] {
        let out = workbench(&["check", "duplicates", "--timeout", bad]);
        assert_eq!(out.status.code(), Some(2), "--timeout {bad}");
        let err = text(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("--timeout"), "{err}");
    }
    let out = workbench(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stderr).lines().count(), 1);
}

/// Every parameter of every lesson in the catalog refuses what it cannot
/// run: a value that is not a whole number of at least 1, one past `u64`,
/// and one past the parameter's bound are each one line on stderr, exit
/// code 2, before any work starts (nothing on stdout, no panic, no
/// backtrace). Iterating the catalog covers lessons added later.
#[test]
fn every_parameter_refuses_bad_and_oversized_values_in_one_line() {
    for lesson in workbench::catalog::lessons() {
        for q in &lesson.questions {
            // A variant of this question only, so this question's bound is
            // the one tested (`run` checks every question it will run).
            let variant = q.variants[0].name;
            let past = (q.param.max.value + 1).to_string();
            for bad in [
                "0",
                "-1",
                "abc",
                "1e3",
                "18446744073709551616",
                "99999999999999",
                &past,
            ] {
                let args = ["run", lesson.name, "--variant", variant, "--param", bad];
                let out = workbench(&args);
                let err = text(&out.stderr);
                let at = format!("{}/{} --param {bad}", lesson.name, q.name);
                assert_eq!(out.status.code(), Some(2), "{at}: {err}");
                assert_eq!(err.lines().count(), 1, "{at}: {err}");
                assert!(
                    !err.contains("panicked") && !err.contains("backtrace"),
                    "{at}: {err}"
                );
                assert!(out.stdout.is_empty(), "{at}: {}", text(&out.stdout));
            }
            let err = text(
                &workbench(&["run", lesson.name, "--variant", variant, "--param", &past]).stderr,
            );
            assert!(
                err.contains(q.param.max.why),
                "{}/{}: {err}",
                lesson.name,
                q.name
            );
        }
    }
}

/// `run --json` follows the schema in ARCHITECTURE.md: a row per variant per value,
/// ratios against the baseline, allocation counts, exponents per variant.
#[test]
fn run_json_has_a_row_per_variant_and_an_exponent_each() {
    let out = workbench(&[
        "run",
        "duplicates",
        "--json",
        "--param",
        "500",
        "--param",
        "1000",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(json["lesson"], "duplicates");
    assert!(json["machine"]["cpu"].is_string());
    let rows = json["rows"].as_array().expect("rows");
    let lessons = workbench::catalog::lessons();
    let variants: Vec<&str> = lessons[0].variants().map(|v| v.name).collect();
    assert_eq!(rows.len(), variants.len() * 2);
    for name in &variants {
        let row = rows
            .iter()
            .find(|r| r["variant"] == *name)
            .expect("a row per variant");
        for key in [
            "role",
            "param",
            "value",
            "median_ns",
            "ratio_vs_baseline",
            "allocs",
            "alloc_bytes",
            "peak_bytes",
        ] {
            assert!(!row[key].is_null(), "{name}: {key} missing");
        }
        assert!(json["exponents"][name].is_f64(), "{name}: no exponent");
    }
    let hashed = rows
        .iter()
        .find(|r| r["variant"] == "hashed")
        .expect("hashed row");
    assert_eq!(hashed["allocs"], 2);
}

/// The reference solution passes every stage, or (on a machine too busy
/// to judge speed, where the reference misses its own budget) stops at the
/// speed stage as inconclusive, exit code 3. Never a failure: the verdict
/// is relative to the reference measured in the same run.
#[test]
fn check_passes_the_reference_solution() {
    // A generous limit: this is the debug binary, and the speed stage
    // measures the O(n²) baseline several times.
    let out = workbench(&["check", "duplicates", "--solution", "--timeout", "900"]);
    let stdout = text(&out.stdout);
    match out.status.code() {
        Some(0) => assert!(
            stdout.contains("[5/5]") && stdout.contains("passed"),
            "{stdout}"
        ),
        Some(3) => assert!(
            stdout.contains("[5/5]") && stdout.contains("INCONCLUSIVE"),
            "{stdout}"
        ),
        other => panic!("exit {other:?}\n{stdout}{}", text(&out.stderr)),
    }
}

/// The untouched stub is reported as not started, without a panic trace.
/// (Once a learner has started the exercise, the check must still end in a
/// verdict, pass or fail, never a crash.)
#[test]
fn check_reports_the_untouched_stub_as_not_started() {
    let stub = include_str!("../lessons/duplicates/exercise/src/lib.rs");
    let out = workbench(&["check", "duplicates"]);
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    assert!(!stderr.contains("panicked at"), "{stderr}");
    if stub.contains("todo!(\"find_duplicates\")") {
        assert_eq!(out.status.code(), Some(1), "{stdout}");
        assert!(stdout.contains("not started"), "{stdout}");
        assert!(
            stdout.contains("next: edit lessons/duplicates/exercise/src/lib.rs"),
            "{stdout}"
        );
    } else {
        assert!(matches!(out.status.code(), Some(0 | 1)), "{stdout}{stderr}");
    }
}

/// Every lesson has every part (catalog row, tests, bench, exercise,
/// solution, chapter with resolving includes, Python reference).
#[test]
fn lint_finds_every_lesson_complete() {
    let out = workbench(&["lint"]);
    assert!(out.status.success(), "{}", text(&out.stdout));
}

/// `list` shows every lesson and variant.
#[test]
fn list_names_every_variant() {
    let out = workbench(&["list"]);
    let stdout = text(&out.stdout);
    for lesson in workbench::catalog::lessons() {
        for v in lesson.variants() {
            assert!(stdout.contains(v.name), "{} missing from list", v.name);
        }
    }
}

/// The concurrency lesson measures idle waiters' resident memory in a fresh
/// `workbench __idle` process: it prints one number of bytes (or `-` where
/// the OS does not report it), and rejects an unknown variant in one line.
#[test]
fn idle_memory_is_measured_in_a_fresh_process() {
    let out = workbench(&["__idle", "idle_tasks", "100"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    let printed = printed.trim();
    assert!(
        printed == "-" || printed.parse::<u64>().is_ok(),
        "{printed}"
    );

    let out = workbench(&["__idle", "idle_fibers", "100"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr).lines().count(),
        1,
        "{}",
        text(&out.stderr)
    );
}

/// Instruction counts repeat: two runs of `run --instructions` give every
/// single-threaded row a count, within 0.1% of each other (std's random
/// hash seeds are what moves them at all); a concurrent question's rows
/// say why they have none. Needs valgrind, which CI installs; without it
/// the run says how to install it and carries on with time alone.
#[test]
fn instruction_counts_repeat_within_a_tenth_of_a_percent() {
    let args = [
        "run",
        "duplicates",
        "--variant",
        "hashed",
        "--variant",
        "hash_set",
        "--param",
        "1000",
        "--instructions",
        "--json",
    ];
    let counts = || -> Option<Vec<(String, u64)>> {
        let out = workbench(&args);
        assert!(out.status.success(), "{}", text(&out.stderr));
        if text(&out.stderr).contains("valgrind is not installed") {
            return None;
        }
        let run: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        let rows = run["rows"].as_array().expect("rows").clone();
        assert!(!run["instructions"]["valgrind"].is_null(), "{run}");
        Some(
            rows.iter()
                .map(|r| {
                    let n = r["instructions"]
                        .as_u64()
                        .unwrap_or_else(|| panic!("a row without a count: {r}"));
                    (r["variant"].as_str().unwrap_or("?").to_owned(), n)
                })
                .collect(),
        )
    };
    let Some(first) = counts() else {
        eprintln!("valgrind is not installed: instruction counts not tested here");
        return;
    };
    let second = counts().expect("valgrind is still there");
    assert_eq!(first.len(), 2, "{first:?}");
    for ((variant, a), (_, b)) in first.iter().zip(&second) {
        let apart = (*a as f64 - *b as f64).abs() / *a as f64;
        assert!(apart < 0.001, "{variant}: {a} then {b}");
    }
    let out = workbench(&[
        "run",
        "counters",
        "--variant",
        "sharded_padded",
        "--param",
        "8",
        "--instructions",
        "--json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let run: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    for r in run["rows"].as_array().expect("rows") {
        assert!(r["instructions"].is_null(), "{r}");
        assert_eq!(r["instructions_note"], "n/a: serialized", "{r}");
    }
}

/// The `builds` rows are programs of their own, and Callgrind counts them
/// there: the debug build executes at least ten times the instructions of
/// the release build (the introduction's claim about debug builds, held on
/// counts), the count is the same on a second run (the loop has no
/// randomness), and a build valgrind cannot run (AVX-512 with
/// `target-cpu=native`, on valgrind before 3.22) is a row with a reason,
/// not an error. Needs valgrind and builds the kernels once under
/// `target/profiling-builds/`.
#[test]
fn a_build_of_the_kernel_is_counted_in_its_own_program() {
    let args = [
        "run",
        "profiling",
        "--variant",
        "debug",
        "--variant",
        "release",
        "--variant",
        "native",
        "--param",
        "100000",
        "--instructions",
        "--json",
    ];
    let counts = || -> Option<Vec<serde_json::Value>> {
        let out = workbench(&args);
        assert!(out.status.success(), "{}", text(&out.stderr));
        if text(&out.stderr).contains("valgrind is not installed") {
            return None;
        }
        let run: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        Some(run["rows"].as_array().expect("rows").clone())
    };
    let Some(first) = counts() else {
        eprintln!("valgrind is not installed: the builds' counts not tested here");
        return;
    };
    let count = |rows: &[serde_json::Value], variant: &str| {
        rows.iter()
            .find(|r| r["variant"] == variant)
            .unwrap_or_else(|| panic!("no {variant} row: {rows:?}"))
            .clone()
    };
    let debug = count(&first, "debug")["instructions"]
        .as_u64()
        .expect("debug counted");
    let release = count(&first, "release")["instructions"]
        .as_u64()
        .expect("release counted");
    assert!(debug >= 10 * release, "debug {debug}, release {release}");
    let native = count(&first, "native");
    assert!(
        native["instructions"].is_u64()
            || native["instructions_note"] == "n/a: valgrind cannot run its instructions",
        "{native}"
    );
    let second = counts().expect("valgrind is still there");
    assert_eq!(
        count(&second, "release")["instructions"],
        release,
        "{second:?}"
    );
}
