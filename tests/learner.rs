//! The learner's loop, driven as a learner would without a terminal:
//! `check --json` against its documented schema, progress that survives a
//! restart, `reset` from the pristine stub, hints revealed one by one, and
//! watch mode re-judging after a save and stopping on Ctrl-C.
//!
//! The commands run the test build of the workbench
//! (`CARGO_BIN_EXE_workbench`). Watch mode is told to skip its rebuild
//! (`WORKBENCH_WATCH_BUILD=true`): a cargo build inside a test would wait
//! on the lock of the build running the test. Every test that touches
//! `.workbench/` or an exercise file holds [`one_at_a_time`].

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn one_at_a_time() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

fn workbench(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_workbench"))
        .args(args)
        .output()
        .unwrap()
}

/// The subset of JSON Schema the verdict's schema uses: `type` (one or a
/// list), `const`, `enum`, `minimum`, `required`, `properties`,
/// `additionalProperties: false`, `items`. Every violation, with its path.
fn violations(schema: &Value, value: &Value, at: &str, out: &mut Vec<String>) {
    if let Some(types) = schema.get("type") {
        let names: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let fits = |t: &str| match t {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_u64() || value.is_i64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "null" => value.is_null(),
            _ => false,
        };
        if !names.iter().any(|t| fits(t)) {
            out.push(format!("{at}: {value} is not of type {types}"));
            return;
        }
    }
    if let Some(c) = schema.get("const")
        && c != value
    {
        out.push(format!("{at}: {value} is not {c}"));
    }
    if let Some(Value::Array(options)) = schema.get("enum")
        && !options.contains(value)
    {
        out.push(format!("{at}: {value} is not one of {options:?}"));
    }
    if let (Some(min), Some(v)) = (
        schema.get("minimum").and_then(Value::as_f64),
        value.as_f64(),
    ) && v < min
    {
        out.push(format!("{at}: {v} is below {min}"));
    }
    if let Value::Object(fields) = value {
        for name in schema["required"].as_array().into_iter().flatten() {
            let name = name.as_str().unwrap();
            if !fields.contains_key(name) {
                out.push(format!("{at}: no field {name}"));
            }
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        for (name, field) in fields {
            match properties.and_then(|p| p.get(name)) {
                Some(sub) => violations(sub, field, &format!("{at}.{name}"), out),
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    out.push(format!("{at}: field {name} is not in the schema"))
                }
                None => {}
            }
        }
    }
    if let (Value::Array(items), Some(item)) = (value, schema.get("items")) {
        for (i, v) in items.iter().enumerate() {
            violations(item, v, &format!("{at}[{i}]"), out);
        }
    }
}

fn schema() -> Value {
    let text = std::fs::read_to_string(root().join("book/src/check-verdict.schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn assert_valid(verdict: &Value) {
    let mut out = Vec::new();
    violations(&schema(), verdict, "$", &mut out);
    assert!(out.is_empty(), "{}", out.join("\n"));
}

/// The validator is not a rubber stamp: a verdict with a wrong field
/// fails it.
#[test]
fn the_schema_check_rejects_what_the_schema_forbids() {
    let mut out = Vec::new();
    let bad = serde_json::json!({"schema": 2, "lesson": "memo", "verdict": "maybe", "extra": 1});
    violations(&schema(), &bad, "$", &mut out);
    assert!(out.iter().any(|v| v.contains("$.schema")), "{out:?}");
    assert!(out.iter().any(|v| v.contains("$.verdict")), "{out:?}");
    assert!(out.iter().any(|v| v.contains("field extra")), "{out:?}");
    assert!(out.iter().any(|v| v.contains("no field stages")), "{out:?}");
}

/// Every lesson's stub is its pristine copy, byte for byte: `reset`
/// restores exactly what ships.
#[test]
fn every_stub_is_its_pristine_copy() {
    // The reset test edits a stub for a moment.
    let _one = one_at_a_time();
    for entry in std::fs::read_dir(root().join("lessons")).unwrap() {
        let dir = entry.unwrap().path();
        let stub = std::fs::read(dir.join("exercise/src/lib.rs")).unwrap();
        let pristine = std::fs::read(dir.join("pristine/lib.rs")).unwrap_or_else(|e| {
            panic!("{}: no pristine copy: {e}", dir.display());
        });
        assert!(
            stub == pristine,
            "{}: exercise/src/lib.rs differs from pristine/lib.rs (working on the exercise? `workbench reset` puts the stub back)",
            dir.display()
        );
    }
}

/// Run `f` with the progress file moved aside, and put it back after.
fn with_fresh_progress(f: impl FnOnce(&Path)) {
    let dir = root().join(".workbench");
    let file = dir.join("progress.json");
    let saved = std::fs::read(&file).ok();
    let _ = std::fs::remove_file(&file);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&file)));
    match saved {
        Some(bytes) => std::fs::write(&file, bytes).unwrap(),
        None => {
            let _ = std::fs::remove_file(&file);
        }
    }
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}

#[test]
fn json_verdicts_follow_the_schema_and_progress_survives_a_restart() {
    let _one = one_at_a_time();
    with_fresh_progress(|file| {
        // The untouched stub: not started, at the "started" stage.
        let out = workbench(&["check", "duplicates", "--json"]);
        assert_eq!(out.status.code(), Some(1));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_valid(&v);
        assert_eq!(v["verdict"], "not_started");
        assert_eq!(v["stages"][1]["status"], "not_started");
        assert_eq!(v["solution"], Value::Null, "no solution path before a pass");
        // --show-solution shows it.
        let out = workbench(&["check", "duplicates", "--json", "--show-solution"]);
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_valid(&v);
        assert_eq!(
            v["solution"]["file"],
            "lessons/duplicates/solution/src/lib.rs"
        );
        // The record is on disk, and a new process reads it.
        let saved: Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
        assert_eq!(saved["lessons"]["duplicates"]["best"], "not_started");
        let out = workbench(&["progress"]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{text}");
        assert!(
            text.contains("duplicates") && text.contains("not started"),
            "{text}"
        );
        assert!(text.contains("exercises: 0 of"), "{text}");
    });
}

/// The solution, judged: a pass with every stage's figures, and the
/// solution's path shown.
#[test]
fn a_passing_verdict_has_every_stage_and_the_solution() {
    let out = workbench(&["check", "wrappers", "--solution", "--json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_valid(&v);
    // A debug build under a busy test run may find speed inconclusive.
    assert!(
        ["passed", "inconclusive"].contains(&v["verdict"].as_str().unwrap()),
        "{v}"
    );
    if v["verdict"] == "passed" {
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(
            v["stages"].as_array().unwrap().len() as u64,
            v["stage_count"].as_u64().unwrap()
        );
        assert_eq!(v["solution"]["page"], "book/src/wrappers-solution.md");
    }
}

/// `reset` refuses without a terminal or `--yes`, restores the stub
/// byte for byte with it, and keeps the learner's version.
#[test]
fn reset_restores_the_stub_and_keeps_a_backup() {
    let _one = one_at_a_time();
    let file = root().join("lessons/strings/exercise/src/lib.rs");
    let original = std::fs::read(&file).unwrap();
    let edited = [original.clone(), b"\n// my work in progress\n".to_vec()].concat();
    std::fs::write(&file, &edited).unwrap();
    let refused = Command::new(env!("CARGO_BIN_EXE_workbench"))
        .args(["reset", "strings"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let still = std::fs::read(&file).unwrap();
    if still != edited {
        std::fs::write(&file, &original).unwrap();
    }
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--yes"));
    assert_eq!(still, edited, "refused means untouched");
    let out = workbench(&["reset", "strings", "--yes"]);
    let restored = std::fs::read(&file).unwrap();
    let pristine = std::fs::read(root().join("lessons/strings/pristine/lib.rs")).unwrap();
    if restored != original {
        std::fs::write(&file, &original).unwrap();
    }
    assert!(out.status.success());
    assert_eq!(restored, pristine);
    let text = String::from_utf8_lossy(&out.stdout);
    let backup = text
        .lines()
        .find_map(|l| l.strip_prefix("your version: "))
        .expect("the backup's path");
    assert_eq!(std::fs::read(backup).unwrap(), edited);
    std::fs::remove_file(backup).unwrap();
}

/// Watch mode: a verdict at start, another after the exercise file is
/// saved, and a clean stop on Ctrl-C (SIGINT) that leaves no judge behind.
#[cfg(unix)]
#[test]
fn watch_rejudges_after_a_save_and_stops_on_ctrl_c() {
    let _one = one_at_a_time();
    let file = root().join("lessons/duplicates/exercise/src/lib.rs");
    let mut child = Command::new(env!("CARGO_BIN_EXE_workbench"))
        .args(["watch", "duplicates", "--timeout", "60"])
        .env("WORKBENCH_WATCH_BUILD", "true")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let verdict_within = |limit: Duration| {
        let until = Instant::now() + limit;
        while let Ok(line) = rx.recv_timeout(until.saturating_duration_since(Instant::now())) {
            if line.contains("[watch] verdict in") {
                return true;
            }
        }
        false
    };
    let first = verdict_within(Duration::from_secs(60));
    // Save the file as an editor does: a new file renamed over it, with
    // the same bytes.
    let bytes = std::fs::read(&file).unwrap();
    let tmp = file.with_extension("rs.swp");
    std::fs::write(&tmp, &bytes).unwrap();
    std::fs::rename(&tmp, &file).unwrap();
    let saved = Instant::now();
    let second = verdict_within(Duration::from_secs(60));
    let took = saved.elapsed();
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let stopped = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if stopped.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(first, "no verdict at start");
    assert!(second, "no verdict after the save");
    println!(
        "a verdict {:.1} s after the save (no rebuild)",
        took.as_secs_f64()
    );
    let status = status.expect("watch did not stop within 10 s of Ctrl-C");
    assert_eq!(status.code(), Some(130));
}

/// Every lesson's exercise joins one of its own questions as `yours`.
#[test]
fn every_exercise_has_a_question_to_join() {
    for lesson in workbench::catalog::lessons() {
        let (question, variant) = (lesson.exercise.yours)();
        assert_eq!(variant.name, workbench::catalog::YOURS, "{}", lesson.name);
        assert!(
            lesson.questions.iter().any(|q| q.name == question),
            "{}: no question {question}",
            lesson.name
        );
    }
}

/// An exercise that has not passed the agreement stage is left out of
/// the table, with the reason; the run goes on without it.
#[test]
fn an_exercise_that_does_not_agree_stays_out_of_the_table() {
    let _one = one_at_a_time();
    with_fresh_progress(|_| {
        let out = workbench(&[
            "run",
            "duplicates",
            "--with-exercise",
            "--param",
            "1000",
            "--json",
        ]);
        assert!(out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("yours is not in the table"), "{err}");
        let run: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(
            run["rows"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["variant"] != "yours")
        );
    });
}
