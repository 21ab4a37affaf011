//! The learner's progress: each lesson's best verdict and figures, and the
//! hints revealed, in `.workbench/progress.json` at the workspace root
//! (ignored by git). Written after every check of an exercise; read by
//! `workbench progress`, the tour's footer, `check --hint` and watch mode.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::check::verdict::Verdict;

/// Where the progress file is.
pub fn path(root: &Path) -> PathBuf {
    root.join(".workbench").join("progress.json")
}

/// Every lesson's record, by name.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// By lesson name.
    pub lessons: BTreeMap<String, LessonProgress>,
}

/// One lesson's record.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LessonProgress {
    /// The best verdict so far: `passed`, `inconclusive`, `failed` or
    /// `not_started`.
    pub best: String,
    /// Stages passed in that best check, and how many there are.
    pub stages_passed: usize,
    /// The judge's stage count.
    pub stage_count: usize,
    /// The best speed ratio a passing check measured (`12.3` for 12.3x).
    pub best_ratio: Option<f64>,
    /// The last check's verdict.
    pub last: String,
    /// The stage the last check stopped at, if any.
    pub stopped_at: Option<String>,
    /// Hints revealed past the first, by stage title.
    pub hints: BTreeMap<String, usize>,
    /// The best check's stages, each title with what it measured.
    pub figures: Vec<(String, String)>,
}

/// How good a verdict is, for "best".
fn rank(verdict: &str) -> u8 {
    match verdict {
        "passed" => 3,
        "inconclusive" => 2,
        "failed" => 1,
        _ => 0,
    }
}

impl Progress {
    /// Read it; a missing file is no progress yet. A file that does not
    /// parse is an error that names it (it is never overwritten blindly).
    pub fn load(root: &Path) -> anyhow::Result<Progress> {
        let path = path(root);
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| {
                anyhow::anyhow!(
                    "{} is not a progress file ({e}); move it away to start afresh",
                    path.display()
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Progress::default()),
            Err(e) => Err(anyhow::anyhow!("cannot read {}: {e}", path.display())),
        }
    }

    /// Write it, atomically.
    pub fn save(&self, root: &Path) -> anyhow::Result<()> {
        let path = path(root);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, serde_json::to_string_pretty(self)?)?;
        std::fs::rename(&tmp, &path)?;
        Ok(())
    }

    /// Record a check of a lesson's exercise.
    pub fn record(&mut self, v: &Verdict) {
        let entry = self.lessons.entry(v.lesson.clone()).or_default();
        let passed = v
            .stages
            .iter()
            .filter(|s| s.status == crate::check::verdict::StageStatus::Ok)
            .count();
        entry.last = v.verdict.clone();
        entry.stopped_at = v.stopped_at().map(|s| s.title.clone());
        entry.stage_count = v.stage_count;
        let better = (rank(&v.verdict), passed) > (rank(&entry.best), entry.stages_passed)
            || entry.best.is_empty();
        if better {
            entry.best = v.verdict.clone();
            entry.stages_passed = passed;
            entry.figures = v
                .stages
                .iter()
                .map(|s| (s.title.clone(), s.detail.clone()))
                .collect();
        }
        if let Some(ratio) = v.speed_ratio() {
            entry.best_ratio = Some(entry.best_ratio.map_or(ratio, |r: f64| r.max(ratio)));
        }
    }

    /// Hints revealed past the first for `lesson`'s stage `title`.
    pub fn hints(&self, lesson: &str, title: &str) -> usize {
        self.lessons
            .get(lesson)
            .and_then(|l| l.hints.get(title))
            .copied()
            .unwrap_or(0)
    }

    /// Reveal one more hint of the stage `lesson` last stopped at; returns
    /// that stage's title, or `None` when the last check stopped nowhere.
    pub fn reveal(&mut self, lesson: &str) -> Option<String> {
        let entry = self.lessons.get_mut(lesson)?;
        let title = entry.stopped_at.clone()?;
        *entry.hints.entry(title.clone()).or_default() += 1;
        Some(title)
    }

    /// The first lesson of `names` whose exercise has not passed.
    pub fn next_unpassed<'a>(&self, names: &[&'a str]) -> Option<&'a str> {
        names
            .iter()
            .copied()
            .find(|n| self.lessons.get(*n).is_none_or(|l| l.best != "passed"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::verdict::{StageRecord, StageStatus};

    fn verdict(word: &str, statuses: &[StageStatus], speed: Option<&str>) -> Verdict {
        Verdict {
            schema: 1,
            lesson: "memo".into(),
            target: "exercise".into(),
            file: "lessons/memo/exercise/src/lib.rs".into(),
            budget: String::new(),
            verdict: word.into(),
            stage_count: 5,
            stages: statuses
                .iter()
                .enumerate()
                .map(|(i, &status)| StageRecord {
                    number: i + 1,
                    title: if i == 4 {
                        "speed".into()
                    } else {
                        format!("stage {i}")
                    },
                    status,
                    detail: speed.filter(|_| i == 4).unwrap_or("").to_owned(),
                    hints: Vec::new(),
                })
                .collect(),
            hints_shown: Vec::new(),
            solution: None,
        }
    }

    /// The best verdict stays the best; the last is the last; the best
    /// ratio is the largest a passing check measured.
    #[test]
    fn the_best_verdict_and_ratio_are_kept() {
        use StageStatus::*;
        let mut p = Progress::default();
        p.record(&verdict("failed", &[Ok, Failed], None));
        assert_eq!(p.lessons["memo"].best, "failed");
        assert_eq!(p.reveal("memo").as_deref(), Some("stage 1"));
        assert_eq!(p.hints("memo", "stage 1"), 1);
        p.record(&verdict(
            "passed",
            &[Ok, Ok, Ok, Ok, Ok],
            Some("41.5x faster than x"),
        ));
        p.record(&verdict(
            "passed",
            &[Ok, Ok, Ok, Ok, Ok],
            Some("1,020x faster than x"),
        ));
        p.record(&verdict("failed", &[Ok, Ok, Failed], None));
        let memo = &p.lessons["memo"];
        assert_eq!(
            (memo.best.as_str(), memo.last.as_str()),
            ("passed", "failed")
        );
        assert_eq!(memo.best_ratio, Some(1020.0));
        assert_eq!(memo.stopped_at.as_deref(), Some("stage 2"));
        assert_eq!(p.next_unpassed(&["memo", "strings"]), Some("strings"));
    }
}
