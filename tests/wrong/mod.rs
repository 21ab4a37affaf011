//! Known-wrong submissions to every exercise, and the stage of the judge
//! that must stop each; and right answers unlike the reference solution,
//! which the judge must let through. They live here, under `tests/`, not in the lesson
//! crates, where a learner reads.

use workbench::check::{Failed, Judge};

pub mod concurrency;
pub mod counters;
pub mod duplicates;
pub mod memo;
pub mod objects;
pub mod profiling;
pub mod resources;
pub mod streams;
pub mod strings;
pub mod wrappers;

/// Where and how the judge must stop a submission. A stage is named by
/// the start of its title (`agrees`, `allocation`, …).
#[derive(Clone, Copy, Debug)]
pub enum Expect {
    /// That stage fails it.
    Failed(&'static str),
    /// That stage fails it with the panic's message and location.
    Panicked(&'static str),
    /// That stage stops it as a hang, naming the input.
    Hangs(&'static str),
    /// The speed stage fails it, or, on a machine too busy to tell it from
    /// the reference solution, reports inconclusive: never a pass.
    Speed,
    /// Racy code: the agreement stage fails it when a run lost an update.
    /// On a machine that never ran two of its threads at once no update is
    /// lost, and the later stage named here must fail it.
    Racy(&'static str),
    /// Not wrong: a right answer written unlike the reference solution,
    /// which no stage may fail; it passes, or, on a machine too busy to
    /// time it, is inconclusive at the speed stage.
    Accepted,
}

/// One known-wrong submission to a lesson's exercise.
pub struct Wrong {
    /// Its name, unique within the lesson.
    pub name: &'static str,
    /// Where the judge must stop it.
    pub expect: Expect,
    /// The lesson's judge, run on it.
    pub run: fn(&mut Judge) -> Result<(), Failed>,
}

/// Every lesson's known-wrong submissions.
pub fn all() -> Vec<(&'static str, &'static [Wrong])> {
    vec![
        ("duplicates", duplicates::WRONG),
        ("strings", strings::WRONG),
        ("memo", memo::WRONG),
        ("counters", counters::WRONG),
        ("concurrency", concurrency::WRONG),
        ("streams", streams::WRONG),
        ("wrappers", wrappers::WRONG),
        ("objects", objects::WRONG),
        ("resources", resources::WRONG),
        ("profiling", profiling::WRONG),
    ]
}
