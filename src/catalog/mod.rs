//! The catalog: one table of every lesson, its questions and their
//! variants. The CLI, the benches, the agreement and heap tests, `lint` and
//! the exercise checker all iterate it, so adding a variant is one function
//! in the lesson crate and one [`Row`] in that lesson's module here.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::hint::black_box;

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

/// The workspace root this binary was built from: `lessons/`, `book/` and
/// `tests/` are below it.
pub fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every lesson, in the book's order.
pub fn lessons() -> Vec<Lesson> {
    vec![
        duplicates::lesson(),
        strings::lesson(),
        memo::lesson(),
        counters::lesson(),
        concurrency::lesson(),
        streams::lesson(),
        wrappers::lesson(),
        objects::lesson(),
        resources::lesson(),
        profiling::lesson(),
    ]
}

/// One lesson: a lesson crate under `lessons/<name>`, a book chapter, a
/// bench file and an exercise.
pub struct Lesson {
    /// Crate, bench, chapter and CLI name.
    pub name: &'static str,
    /// The chapter title.
    pub title: &'static str,
    /// The article section it answers.
    pub article: &'static str,
    /// The questions it measures; the first is the lesson's main one.
    pub questions: Vec<Question>,
    /// The learner's exercise.
    pub exercise: Exercise,
}

/// A lesson's exercise, as data: what the learner writes and the budget it
/// must meet. Its judge is `check::<lesson>::judge`.
pub struct Exercise {
    /// The function (or type) the learner writes.
    pub function: &'static str,
    /// The budget: the one value the judge reads and `workbench lint` holds
    /// the stub's doc comment and the chapter to.
    pub budget: Budget,
    /// The learner's code as one more row, `yours`, and the question it
    /// joins (`run --with-exercise`).
    pub yours: fn() -> (&'static str, Variant),
    /// Whether the stub is working code to make faster (profiling's slow
    /// summarizer, which the learner profiles first) rather than a
    /// `todo!()` to fill in.
    pub works_as_shipped: bool,
}

/// The name of the learner's row in `run --with-exercise`.
pub const YOURS: &str = "yours";

/// The learner's row: what the exercise is, in the catalog's words.
pub fn yours_row<F>(f: F) -> Row<F> {
    Row {
        name: YOURS,
        role: Role::Variant,
        complexity: "yours",
        idea: "your exercise, measured beside the lesson's variants",
        max_param: None,
        f,
    }
}

/// What an exercise must meet, in figures.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    /// What its answers must equal, e.g. `naive_pairs`.
    pub agrees_with: &'static str,
    /// The most heap allocations allowed, and in what (`one call`, `get`).
    pub allocations: Option<(u64, &'static str)>,
    /// A rule on which memory the code writes, as the judge's layout stage
    /// checks it byte by byte (counters: `each thread's add writes only
    /// its own 128-byte block`).
    pub layout: Option<&'static str>,
    /// The most heap held at once, in bytes, and in what (`one call`),
    /// whatever the input's size.
    pub peak_heap: Option<(u64, &'static str)>,
    /// The most heap it may hold once built, in bytes, and for what input
    /// (`for k = 100,000`, `per deployment`).
    pub build_bytes: Option<(u64, &'static str)>,
    /// What it may ask of a database in one call, counted by SQLite's
    /// hooks on the connection (resources: one commit, one prepare).
    pub statements: Option<Statements>,
    /// How fast it must be.
    pub speed: Speed,
}

/// The statements an exercise may run in one call, as SQLite's commit
/// hook and authorizer count them.
#[derive(Clone, Copy, Debug)]
pub struct Statements {
    /// Commits, exactly.
    pub commits: u64,
    /// Statements prepared, at most.
    pub prepares: u64,
}

impl Statements {
    /// The rule in words.
    pub fn line(&self) -> String {
        let s = |n: u64| if n == 1 { "" } else { "s" };
        format!(
            "exactly {} commit{} and at most {} statement{} prepared per call",
            self.commits,
            s(self.commits),
            self.prepares,
            s(self.prepares)
        )
    }
}

/// An exercise's speed budget.
#[derive(Clone, Copy, Debug)]
pub enum Speed {
    /// At least `times` faster than `baseline`, measured `at`.
    FasterThan {
        /// The ratio.
        times: f64,
        /// The variant it is measured against.
        baseline: &'static str,
        /// Where, e.g. `at n = 10,000`.
        at: &'static str,
    },
    /// At most `slack` times the ideal time, which `ideal` describes.
    WithinIdeal {
        /// The ratio to the ideal.
        slack: f64,
        /// How the ideal is computed.
        ideal: &'static str,
    },
}

impl Budget {
    /// The ratio of a [`Speed::FasterThan`] budget (a judge of that shape
    /// reads it in a `const`, so a mismatch fails to compile).
    pub const fn min_speedup(&self) -> f64 {
        match self.speed {
            Speed::FasterThan { times, .. } => times,
            Speed::WithinIdeal { .. } => panic!("not a faster-than budget"),
        }
    }

    /// Where a [`Speed::FasterThan`] budget is measured.
    pub const fn speed_at(&self) -> &'static str {
        match self.speed {
            Speed::FasterThan { at, .. } => at,
            Speed::WithinIdeal { .. } => panic!("not a faster-than budget"),
        }
    }

    /// The slack of a [`Speed::WithinIdeal`] budget.
    pub const fn slack(&self) -> f64 {
        match self.speed {
            Speed::WithinIdeal { slack, .. } => slack,
            Speed::FasterThan { .. } => panic!("not a within-the-ideal budget"),
        }
    }

    /// The allocation limit (a judge with an allocation stage reads it).
    pub const fn max_allocs(&self) -> u64 {
        match self.allocations {
            Some((max, _)) => max,
            None => panic!("no allocation budget"),
        }
    }

    /// The budget in one line, as `check` and `list` print it.
    pub fn line(&self) -> String {
        let mut parts = vec![format!("agrees with {}", self.agrees_with)];
        match self.allocations {
            Some((0, per)) => parts.push(format!("no allocation in {per}")),
            Some((max, per)) => {
                let s = if max == 1 { "" } else { "s" };
                parts.push(format!(
                    "at most {max} allocation{s} in {per}, whatever the input"
                ))
            }
            None => {}
        }
        parts.extend(self.layout.map(String::from));
        parts.extend(self.peak_heap_line());
        parts.extend(
            self.build_bytes.map(|(bytes, what)| {
                format!("built {what}, it holds at most {bytes} bytes of heap")
            }),
        );
        parts.extend(self.statements.map(|s| s.line()));
        parts.push(self.speed_line());
        parts.join("; ")
    }

    /// The peak-heap budget in words, where there is one.
    pub fn peak_heap_line(&self) -> Option<String> {
        self.peak_heap.map(|(bytes, per)| {
            format!(
                "at most {} of heap at once in {per}, whatever the file's size",
                crate::fmt::bytes(bytes)
            )
        })
    }

    /// The speed budget in words.
    pub fn speed_line(&self) -> String {
        match self.speed {
            Speed::FasterThan {
                times,
                baseline,
                at,
            } => format!("at least {times}x faster than {baseline} {at}"),
            Speed::WithinIdeal { slack, ideal } => format!("at most {slack}x the ideal {ideal}"),
        }
    }

    /// Phrases a text that states this budget must contain, each as a
    /// list of ways to say it: `workbench lint` looks for them in the
    /// stub's doc comment and the chapter's exercise section.
    pub fn phrases(&self) -> Vec<Vec<String>> {
        let mut phrases = Vec::new();
        match self.allocations {
            Some((0, _)) => phrases.push(
                ["no allocation", "no heap allocation", "allocates nothing"]
                    .map(String::from)
                    .to_vec(),
            ),
            Some((max, _)) => phrases.push(vec![format!("at most {max}")]),
            None => {}
        }
        if let Some((bytes, _)) = self.peak_heap {
            phrases.push(vec![format!("at most {}", crate::fmt::bytes(bytes))]);
        }
        if let Some((bytes, _)) = self.build_bytes {
            phrases.push(vec![format!("at most {bytes} bytes")]);
        }
        if let Some(s) = self.statements {
            phrases.push(vec![format!("exactly {} commit", s.commits)]);
            phrases.push(vec![format!("at most {} statement", s.prepares)]);
        }
        // The rule's last words name it (`own 128-byte block`).
        if let Some(rule) = self.layout {
            let words: Vec<&str> = rule.split_whitespace().collect();
            phrases.push(vec![words[words.len().saturating_sub(3)..].join(" ")]);
        }
        phrases.push(vec![match self.speed {
            Speed::FasterThan { times, .. } => format!("at least {times}x"),
            Speed::WithinIdeal { slack, .. } => format!("{slack}x the ideal"),
        }]);
        phrases
    }
}

/// What a question's plot shows, against the swept parameter (log scale).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Plot {
    /// Median time per call (log scale): the default.
    Time,
    /// Each variant's speed over the baseline's (`ratio_vs_baseline`), on
    /// a linear scale, under a line at the number of cores: the ceiling of
    /// a parallel speedup.
    Speedup,
    /// A metric the variants report, named, and what it is in words (log
    /// scale).
    Metric(&'static str, &'static str),
    /// Median time per call against a distance in bytes, with this
    /// machine's cache line and line pair marked: where the prose says the
    /// time should drop.
    Spacing,
}

/// One measured question: variants that compute the same answer from the
/// same input, compared over a sweep of one parameter.
pub struct Question {
    /// Criterion group name; unique within the lesson.
    pub name: &'static str,
    /// What is being asked, in one line.
    pub about: &'static str,
    /// Whether its variants run threads at once (or wait on I/O). Callgrind
    /// runs one thread at a time, so it cannot count what such a question
    /// is about (contention, false sharing, waiting): its rows carry no
    /// instruction count, and its gates use exact counts instead.
    pub concurrent: bool,
    /// Rows of a question that is otherwise single-threaded which run a
    /// thread of their own (streams' `tokio_lines` hands each read to
    /// tokio's blocking thread). Callgrind runs their threads one at a
    /// time, and how often each waits depends on the scheduling: two
    /// counts of one differed by 0.20%. `run --instructions` marks them
    /// "n/a: serialized", as it marks every row of a concurrent question.
    pub threaded: &'static [&'static str],
    /// What the book's plot of this question shows against the parameter.
    pub plot: Plot,
    /// The instruction gate CI holds this question to (`workbench gate`);
    /// `None` for concurrent questions, whose tests gate on exact counts.
    pub gate: Option<Gate>,
    /// The swept parameter.
    pub param: Param,
    /// The variants; exactly one has [`Role::Baseline`].
    pub variants: Vec<Variant>,
}

impl Question {
    /// The variants whose flame graphs the book shows (`workbench flame`
    /// profiles a lesson's first question): the baseline and the first
    /// optimized variant.
    pub fn profiled(&self) -> Vec<&Variant> {
        [Role::Baseline, Role::Optimized]
            .iter()
            .filter_map(|role| self.variants.iter().find(|v| v.role == *role))
            .collect()
    }

    /// Whether the tour runs it: not when its variants are programs of
    /// their own, which are built the first time they run.
    pub fn in_tour(&self) -> bool {
        self.variants.iter().all(|v| v.program.is_none())
    }

    /// The variant every ratio is measured against.
    pub fn baseline(&self) -> &Variant {
        // Holds for every question: `tests/catalog.rs` checks exactly one
        // baseline per question.
        self.variants
            .iter()
            .find(|v| v.role == Role::Baseline)
            .expect("every question has a baseline")
    }
}

/// A claim checked on instruction counts, which repeat to within 0.1%
/// whatever else the machine is doing: at parameter value `at`, the
/// baseline executes at least `min_ratio` times the instructions of the
/// best optimized row, and no competing row (baseline, variant, peer)
/// executes fewer than that optimized row.
#[derive(Clone, Copy, Debug)]
pub struct Gate {
    /// The parameter value counted at.
    pub at: u64,
    /// The least baseline / optimized instruction ratio.
    pub min_ratio: f64,
    /// Rows that keep a different contract and so do not compete with the
    /// optimized row, each with why (streams' `mmap`: its resident memory
    /// grows with the file). They are shown and explained, never slowed.
    pub apart: &'static [(&'static str, &'static str)],
    /// A parameter value at which the optimized row must execute its
    /// count at `at` to within [`FLAT`] (wrappers' `stack`: 8 generic
    /// layers cost what none do), or `None`.
    pub flat_from: Option<u64>,
}

/// How close two counts of a row must be for a [`Gate::flat_from`] claim:
/// 1%, ten times what two counts of one call differ by.
pub const FLAT: f64 = 0.01;

/// The parameter a question is swept over.
pub struct Param {
    /// Its name in tables and JSON (`n`, `threads`, …).
    pub name: &'static str,
    /// What one unit of it is, for criterion's throughput (`elements`).
    pub unit: &'static str,
    /// The value the tour runs (the article's own size where it has one).
    pub default: u64,
    /// The values `run` and the benches sweep, ascending.
    pub sweep: &'static [u64],
    /// How many units one call processes at a given value (criterion's
    /// `Throughput::Elements`).
    pub throughput: fn(u64) -> u64,
    /// The largest value a run may ask for, and why: what one run at that
    /// value needs (memory, threads, processes, time). Checked before any
    /// work starts; `tests/cli.rs` feeds `max + 1` to every parameter.
    pub max: Bound,
}

/// A thread-count parameter: 1, 2 and 8 threads (2 by default), at most
/// 64; `throughput` gives the calls one run makes at a thread count.
pub fn threads_param(throughput: fn(u64) -> u64) -> Param {
    Param {
        name: "threads",
        unit: "calls",
        default: 2,
        sweep: &[1, 2, 8],
        throughput,
        max: Bound {
            value: 64,
            why: "each thread is an OS thread: past 64 a run is mostly waiting for the scheduler",
        },
    }
}

/// The largest value of a parameter, with the reason in the words printed
/// to a user who asks for more.
#[derive(Clone, Copy, Debug)]
pub struct Bound {
    /// The largest value accepted.
    pub value: u64,
    /// What a run past it would need, e.g. "each entry holds ~30 bytes in
    /// 3 copies: past 20,000,000 a run needs more than 2 GiB".
    pub why: &'static str,
}

/// A parameter value past its [`Bound`].
#[derive(Debug)]
pub struct OutOfRange {
    /// The lesson and question, e.g. `strings/log`.
    pub question: String,
    /// The parameter's name.
    pub param: &'static str,
    /// What the user asked for.
    pub given: u64,
    /// The bound it is past.
    pub bound: Bound,
}

impl std::fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "--param {} is too large for {} ({} at most {}): {}",
            self.given,
            self.question,
            self.param,
            crate::fmt::count(self.bound.value),
            self.bound.why
        )
    }
}

impl std::error::Error for OutOfRange {}

/// The part a variant plays in a question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The naive version, usually the article's own; ratios are against it.
    Baseline,
    /// A faster version written here.
    Optimized,
    /// Another way, shown for comparison.
    Variant,
    /// A well-known crate doing the same job.
    Peer,
    /// The physical floor (e.g. copying the output bytes once).
    Limit,
    /// Shown for its bug (e.g. a counter that loses updates): it is timed
    /// and its metrics reported, but it is exempt from the agreement check
    /// and never a baseline.
    Flawed,
}

impl Role {
    /// The name used in tables and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Baseline => "baseline",
            Role::Optimized => "optimized",
            Role::Variant => "variant",
            Role::Peer => "peer",
            Role::Limit => "limit",
            Role::Flawed => "flawed",
        }
    }
}

/// A variant's description, generic over how the lesson calls it: `F` is a
/// typed function pointer, so tests can call lesson functions directly.
pub struct Row<F> {
    /// The lesson function's name (snake_case).
    pub name: &'static str,
    /// Its part in the question.
    pub role: Role,
    /// The claimed complexity, e.g. `O(n²)`.
    pub complexity: &'static str,
    /// The one idea that makes it differ from the one before, one line.
    pub idea: &'static str,
    /// Largest parameter value worth running (slow variants stop early).
    pub max_param: Option<u64>,
    /// The lesson function.
    pub f: F,
}

/// A variant with its inputs made for one parameter value, ready to run.
pub trait Case {
    /// Compute the answer once and drop it: the unit that is timed.
    fn run(&mut self);
    /// A digest of the answer, equal for variants that agree.
    fn answer(&mut self) -> u64;
    /// Figures besides time and heap that this case observed over its runs
    /// (e.g. `lost_updates`, `hit_rate`, `max_in_flight`), reported per row.
    fn metrics(&mut self) -> Vec<(&'static str, f64)> {
        Vec::new()
    }
}

/// A catalog variant: a [`Row`] whose function is hidden behind `prepare`.
pub struct Variant {
    /// See [`Row::name`].
    pub name: &'static str,
    /// See [`Row::role`].
    pub role: Role,
    /// See [`Row::complexity`].
    pub complexity: &'static str,
    /// See [`Row::idea`].
    pub idea: &'static str,
    /// See [`Row::max_param`].
    pub max_param: Option<u64>,
    /// Make the input for a parameter value (not timed) and return the case.
    pub prepare: Box<dyn Fn(u64) -> Box<dyn Case>>,
    /// For a variant that is a program of its own (profiling's `builds`),
    /// the command that runs it for one counted call at a parameter value:
    /// Callgrind counts that program's `counted_call`, not this process.
    /// The tour leaves such questions out (their programs are built first).
    pub program: Option<Program>,
}

/// The command of a [`Variant::program`] at a parameter value, or why it
/// could not be made (e.g. the build failed).
pub type Program = Box<dyn Fn(u64) -> Result<std::process::Command, String>>;

impl Variant {
    /// Whether the variant is run at this parameter value.
    pub fn runs_at(&self, value: u64) -> bool {
        self.max_param.is_none_or(|max| value <= max)
    }
}

impl<F: Copy + 'static> Row<F> {
    /// Erase the function's type: `prepare(f, value)` builds the case.
    pub fn variant(&self, prepare: impl Fn(F, u64) -> Box<dyn Case> + 'static) -> Variant {
        let f = self.f;
        Variant {
            name: self.name,
            role: self.role,
            complexity: self.complexity,
            idea: self.idea,
            max_param: self.max_param,
            prepare: Box::new(move |value| prepare(f, value)),
            program: None,
        }
    }
}

/// A [`Case`] from an input and two views of one function: `run` calls it
/// and drops the result; `answer` calls it and digests the result.
pub fn case<I: 'static>(
    input: I,
    run: impl Fn(&I) + 'static,
    answer: impl Fn(&I) -> u64 + 'static,
) -> Box<dyn Case> {
    struct FnCase<I, R, A> {
        input: I,
        run: R,
        answer: A,
    }
    impl<I, R: Fn(&I), A: Fn(&I) -> u64> Case for FnCase<I, R, A> {
        fn run(&mut self) {
            (self.run)(black_box(&self.input));
        }
        fn answer(&mut self) -> u64 {
            (self.answer)(&self.input)
        }
    }
    Box::new(FnCase { input, run, answer })
}

/// A stable digest of a value: equal values, equal digests, in every run.
pub fn digest<T: Hash + ?Sized>(value: &T) -> u64 {
    // `DefaultHasher::new()` uses fixed keys, unlike `RandomState`.
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// A name the user gave that is not in the catalog.
#[derive(Debug)]
pub struct UnknownName {
    /// What was being looked up (`lesson`, `variant`).
    pub kind: &'static str,
    /// What the user typed.
    pub given: String,
    /// The valid names.
    pub valid: Vec<&'static str>,
}

impl std::fmt::Display for UnknownName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown {} '{}'", self.kind, self.given)?;
        if let Some(close) = did_you_mean(&self.given, &self.valid) {
            write!(f, " (did you mean '{close}'?)")?;
        }
        write!(f, "; valid: {}", self.valid.join(", "))
    }
}

impl std::error::Error for UnknownName {}

/// Find a lesson by name.
pub fn find<'a>(lessons: &'a [Lesson], name: &str) -> Result<&'a Lesson, UnknownName> {
    lessons
        .iter()
        .find(|l| l.name == name)
        .ok_or_else(|| UnknownName {
            kind: "lesson",
            given: name.to_owned(),
            valid: lessons.iter().map(|l| l.name).collect(),
        })
}

impl Lesson {
    /// Check that every name is a variant of this lesson.
    pub fn check_variants(&self, names: &[String]) -> Result<(), UnknownName> {
        let valid: Vec<&'static str> = self.variants().map(|v| v.name).collect();
        match names.iter().find(|n| !valid.contains(&n.as_str())) {
            Some(bad) => Err(UnknownName {
                kind: "variant",
                given: bad.clone(),
                valid,
            }),
            None => Ok(()),
        }
    }

    /// Check every value against the bound of every question that runs
    /// (those with a variant in `variants`, or all when it is empty),
    /// before any work starts.
    pub fn check_params(&self, variants: &[String], values: &[u64]) -> Result<(), OutOfRange> {
        let runs = |q: &&Question| {
            variants.is_empty()
                || q.variants
                    .iter()
                    .any(|v| variants.iter().any(|n| n == v.name))
        };
        for q in self.questions.iter().filter(runs) {
            if let Some(&given) = values.iter().find(|&&v| v > q.param.max.value) {
                return Err(OutOfRange {
                    question: format!("{}/{}", self.name, q.name),
                    param: q.param.name,
                    given,
                    bound: q.param.max,
                });
            }
        }
        Ok(())
    }

    /// Every variant of every question.
    pub fn variants(&self) -> impl Iterator<Item = &Variant> {
        self.questions.iter().flat_map(|q| &q.variants)
    }
}

/// The valid name closest to `given`, if it is close enough to be a typo.
fn did_you_mean<'a>(given: &str, valid: &[&'a str]) -> Option<&'a str> {
    valid
        .iter()
        .map(|v| (edit_distance(given, v), *v))
        .filter(|&(d, v)| d <= 2.max(v.len() / 3))
        .min()
        .map(|(_, v)| v)
}

/// Levenshtein distance, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let next = (diagonal + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A typo close to one lesson name is offered as the fix.
    #[test]
    fn a_typo_suggests_the_nearest_name() {
        assert_eq!(
            did_you_mean("duplicate", &["duplicates", "strings"]),
            Some("duplicates")
        );
        assert_eq!(did_you_mean("xyzzy", &["duplicates", "strings"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
