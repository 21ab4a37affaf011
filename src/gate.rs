//! `workbench gate`: the speed claims CI holds the lessons to, on
//! instruction counts instead of time.
//!
//! For every question with a [`Gate`] in the catalog, each competing row
//! (baseline, optimized, variant, peer: not the limit, not a flawed row)
//! is counted under Callgrind at the gate's value. The gate holds when the
//! baseline executes at least `min_ratio` times the best optimized row's
//! instructions, and no competing row executes fewer than that row: an
//! optimized label is earned. Counts repeat to within 0.1%, so the verdict
//! is the same on a busy machine as on an idle one.

use crate::callgrind;
use crate::catalog::{Gate, Lesson, Question, Role, Variant};

/// One counted row of a gate.
pub struct Counted {
    /// The variant.
    pub variant: &'static str,
    /// Its role.
    pub role: Role,
    /// Instructions per call.
    pub instructions: u64,
}

/// One question's gate, counted.
pub struct Verdict {
    /// `lesson/question`.
    pub question: String,
    /// The parameter's name and the value counted at.
    pub at: String,
    /// The rows, as counted.
    pub rows: Vec<Counted>,
    /// The best optimized row's instructions per call.
    pub best: u64,
    /// Baseline over the best optimized row.
    pub ratio: f64,
    /// The least ratio allowed.
    pub min_ratio: f64,
    /// Why it failed, where it did.
    pub problems: Vec<String>,
    /// What the flat claim found, where the gate makes one.
    pub flat: Option<String>,
}

/// Whether a row competes for the answer: not the limit (given the
/// answer), not a flawed row (a wrong answer), not a row the gate sets
/// apart (another contract).
fn competes(v: &Variant, gate: &Gate) -> bool {
    !matches!(v.role, Role::Limit | Role::Flawed)
        && !gate.apart.iter().any(|(name, _)| *name == v.name)
}

/// Count and judge one question's gate; `progress` is told each row.
pub fn judge(
    lesson: &Lesson,
    question: &Question,
    gate: Gate,
    progress: &dyn Fn(&str),
) -> Result<Verdict, String> {
    let mut rows = Vec::new();
    for v in question
        .variants
        .iter()
        .filter(|v| competes(v, &gate) && v.runs_at(gate.at))
    {
        progress(v.name);
        let (instructions, _) = callgrind::count(lesson.name, question.name, v.name, gate.at)?
            .map_err(|note| {
                format!(
                    "{}/{}/{} at {}: {note}; a gated row must count, in seconds",
                    lesson.name, question.name, v.name, gate.at
                )
            })?;
        rows.push(Counted {
            variant: v.name,
            role: v.role,
            instructions,
        });
    }
    let baseline = rows
        .iter()
        .find(|r| r.role == Role::Baseline)
        .ok_or_else(|| {
            format!(
                "{}/{}: the baseline does not run at {}",
                lesson.name, question.name, gate.at
            )
        })?;
    let best = rows
        .iter()
        .filter(|r| r.role == Role::Optimized)
        .min_by_key(|r| r.instructions)
        .ok_or_else(|| {
            format!(
                "{}/{}: a gate needs an optimized row",
                lesson.name, question.name
            )
        })?;
    let best_instructions = best.instructions;
    let ratio = baseline.instructions as f64 / best_instructions as f64;
    let mut problems = Vec::new();
    if ratio < gate.min_ratio {
        problems.push(format!(
            "{} executes {} the instructions of {}; the gate asks at least {}",
            baseline.variant,
            crate::fmt::ratio(ratio),
            best.variant,
            crate::fmt::ratio(gate.min_ratio)
        ));
    }
    for r in rows
        .iter()
        .filter(|r| r.role != Role::Optimized && r.instructions < best.instructions)
    {
        problems.push(format!(
            "{} ({}) executes fewer instructions than the optimized {}: {} against {}",
            r.variant,
            r.role.as_str(),
            best.variant,
            crate::fmt::count(r.instructions),
            crate::fmt::count(best.instructions)
        ));
    }
    let mut flat = None;
    if let Some(from) = gate.flat_from {
        let (there, _) = callgrind::count(lesson.name, question.name, best.variant, from)?
            .map_err(|note| {
                format!(
                    "{}/{}/{} at {from}: {note}",
                    lesson.name, question.name, best.variant
                )
            })?;
        let apart = (best_instructions as f64 - there as f64).abs() / there.max(1) as f64;
        flat = Some(format!(
            "{} executes {} at {} = {from} ({:.2}% apart; the gate allows {:.0}%)",
            best.variant,
            crate::fmt::count(there),
            question.param.name,
            100.0 * apart,
            100.0 * crate::catalog::FLAT
        ));
        if apart > crate::catalog::FLAT {
            problems.push(format!(
                "{} executes {} instructions at {} = {} and {} at {from}: {:.2}% apart, the gate allows {:.0}%",
                best.variant,
                crate::fmt::count(best_instructions),
                question.param.name,
                crate::fmt::count(gate.at),
                crate::fmt::count(there),
                100.0 * apart,
                100.0 * crate::catalog::FLAT
            ));
        }
    }
    Ok(Verdict {
        question: format!("{}/{}", lesson.name, question.name),
        at: format!("{} = {}", question.param.name, crate::fmt::count(gate.at)),
        best: best_instructions,
        ratio,
        min_ratio: gate.min_ratio,
        rows,
        problems,
        flat,
    })
}
