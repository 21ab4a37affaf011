//! The verdict as data: each stage's outcome, what it measured and its
//! hints. The judge (the child process) writes it to the file named by
//! [`VERDICT_ENV`] after every stage, so a check that hangs or aborts
//! still leaves the stages it finished; the parent reads it for `check
//! --json` and for the learner's progress. Its schema is
//! `book/src/check-verdict.schema.json`, documented in
//! `book/src/check-json.md`.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::run::lock;

/// The environment variable that tells the judge where to write its
/// verdict.
pub const VERDICT_ENV: &str = "WORKBENCH_VERDICT";

/// The version of the JSON's shape: a field added keeps it, a field
/// changed or removed raises it.
pub const SCHEMA_VERSION: u32 = 1;

/// How one stage ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageStatus {
    /// Passed.
    Ok,
    /// The stub's `todo!()` is still there.
    NotStarted,
    /// Did not pass.
    Failed,
    /// The learner's code panicked.
    Panicked,
    /// A call did not return within its limit and was stopped.
    Hung,
    /// Speed could not be judged on this machine now.
    Inconclusive,
}

/// One stage's outcome.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageRecord {
    /// 1-based.
    pub number: usize,
    /// The stage's title, e.g. `agrees with naive_pairs`.
    pub title: String,
    /// How it ended.
    pub status: StageStatus,
    /// What it measured when it passed; why it did not, otherwise.
    pub detail: String,
    /// Every hint of the stage, in order (empty when it passed).
    pub hints: Vec<String>,
}

/// The whole verdict, as `check --json` prints it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// [`SCHEMA_VERSION`].
    pub schema: u32,
    /// The lesson.
    pub lesson: String,
    /// `exercise` or `solution`.
    pub target: String,
    /// The file judged, relative to the workspace.
    pub file: String,
    /// The budget in one line.
    pub budget: String,
    /// `passed`, `failed`, `not_started`, `inconclusive`, or `stopped`
    /// (the check ran past `--timeout`, or the process died).
    pub verdict: String,
    /// How many stages the judge has.
    pub stage_count: usize,
    /// The stages that ran, in order; the last is the one that stopped the
    /// check unless it passed.
    pub stages: Vec<StageRecord>,
    /// The hints shown for the stage that stopped the check (the first,
    /// and one more for each `--hint`); empty when it passed.
    pub hints_shown: Vec<String>,
    /// The reference solution's file and its page in the book: only after
    /// a pass, or with `--show-solution`.
    pub solution: Option<Solution>,
}

/// Where the reference solution is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Solution {
    /// Its file, relative to the workspace.
    pub file: String,
    /// Its page in the book, relative to the workspace.
    pub page: String,
}

impl Verdict {
    /// The stage that stopped the check, if one did.
    pub fn stopped_at(&self) -> Option<&StageRecord> {
        self.stages.last().filter(|s| s.status != StageStatus::Ok)
    }

    /// Whether a stage titled like `prefix` passed.
    pub fn passed_stage(&self, prefix: &str) -> bool {
        self.stages
            .iter()
            .any(|s| s.title.starts_with(prefix) && s.status == StageStatus::Ok)
    }

    /// The speed stage's ratio, `12.3` from its figures `12.3x faster
    /// than …`, when it passed.
    pub fn speed_ratio(&self) -> Option<f64> {
        let speed = self
            .stages
            .iter()
            .find(|s| s.title.starts_with("speed") && s.status == StageStatus::Ok)?;
        let first = speed.detail.split_whitespace().next()?;
        first.trim_end_matches('x').replace(',', "").parse().ok()
    }

    /// Read one written by a judge.
    pub fn read(path: &Path) -> anyhow::Result<Verdict> {
        let text = std::fs::read_to_string(path)?;
        Ok(serde_json::from_str(&text)?)
    }
}

/// The verdict being built in this process, and where it is written.
static CURRENT: Mutex<Option<(PathBuf, Verdict)>> = Mutex::new(None);
/// The stage running now: its number and title, for a hang.
static RUNNING_STAGE: Mutex<Option<(usize, String, Vec<String>)>> = Mutex::new(None);

/// Start recording, when the parent asked for a verdict file.
pub fn begin(verdict: Verdict) {
    if let Some(path) = std::env::var_os(VERDICT_ENV) {
        let path = PathBuf::from(path);
        write(&path, &verdict);
        *lock(&CURRENT) = Some((path, verdict));
    }
}

/// A stage begins (a hang inside it is recorded under its name).
pub fn stage_started(number: usize, title: &str, hints: &[String]) {
    *lock(&RUNNING_STAGE) = Some((number, title.to_owned(), hints.to_vec()));
}

/// A stage ended: record it and write the file.
pub fn record(stage: StageRecord) {
    *lock(&RUNNING_STAGE) = None;
    if let Some((path, verdict)) = lock(&CURRENT).as_mut() {
        verdict.stages.push(stage);
        write(path, verdict);
    }
}

/// The check ended: its verdict word, the hints shown, the solution.
pub fn finish(word: &str, hints_shown: Vec<String>, solution: Option<Solution>) {
    if let Some((path, verdict)) = lock(&CURRENT).as_mut() {
        verdict.verdict = word.to_owned();
        verdict.hints_shown = hints_shown;
        verdict.solution = solution;
        write(path, verdict);
    }
}

/// The watchdog stopped a call: the running stage hung on `what`.
pub fn hung(what: &str) {
    let running = lock(&RUNNING_STAGE).take();
    if let (Some((number, title, hints)), Some((path, verdict))) =
        (running, lock(&CURRENT).as_mut())
    {
        verdict.stages.push(StageRecord {
            number,
            title,
            status: StageStatus::Hung,
            detail: format!("it did not return within its limit on {what}"),
            hints: hints.clone(),
        });
        verdict.verdict = "failed".into();
        verdict.hints_shown = hints.into_iter().take(1).collect();
        write(path, verdict);
    }
}

/// Write atomically: a reader never sees half a file.
fn write(path: &Path, verdict: &Verdict) {
    let tmp = path.with_extension("tmp");
    if let Ok(text) = serde_json::to_string_pretty(verdict)
        && std::fs::write(&tmp, text).is_ok()
    {
        let _ = std::fs::rename(&tmp, path);
    }
}
