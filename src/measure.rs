//! Timing and counting, by the rules in ARCHITECTURE.md: warm up, interleave the
//! variants (A B C A B C …), take medians, compute every ratio against the
//! baseline of the same run, and count allocations in a separate pass.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use indicatif::ProgressBar;

use crate::alloc::{self, AllocStats};
use crate::callgrind::{self, Counted};
use crate::catalog::{Case, Lesson, Question, Role, Variant};
use crate::machine::Machine;

/// How long and how often to sample.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// Interleaved rounds; the median is taken over them.
    pub rounds: usize,
    /// A sample repeats a fast call until it takes at least this long, so
    /// the clock's resolution and overhead stay below 0.1% of it.
    pub min_sample: Duration,
}

impl Settings {
    /// For `run`, `report` and `check`.
    pub const RUN: Settings = Settings {
        rounds: 7,
        min_sample: Duration::from_millis(5),
    };
    /// For the tour: fewer rounds, same method.
    pub const TOUR: Settings = Settings {
        rounds: 5,
        min_sample: Duration::from_millis(3),
    };
}

/// Median nanoseconds per call of each case, sampled interleaved.
///
/// Each case is called to estimate its cost (twice when fast, since the
/// first call may find cold caches), which sets how many calls make one
/// sample; then every round samples every case once, starting at a
/// different case each round. A sample of several calls begins with one
/// untimed call: the variant before it may have evicted this one's data
/// from the caches, and a fast variant should not be charged for its
/// neighbour's footprint. (A call longer than a sample is timed cold; its
/// own work dwarfs refilling the caches.)
pub fn medians(cases: &mut [Box<dyn Case>], settings: &Settings) -> Vec<f64> {
    spreads(cases, settings)
        .into_iter()
        .map(|s| s.median)
        .collect()
}

/// How one case's per-call time spread over the rounds of a run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    /// The median round, ns per call.
    pub median: f64,
    /// The fastest round.
    pub min: f64,
    /// The slowest round.
    pub max: f64,
}

impl Spread {
    /// Whether two spreads overlap: a ratio between them is not separated
    /// by this run.
    pub fn overlaps(&self, other: &Spread) -> bool {
        self.min <= other.max && other.min <= self.max
    }
}

/// [`medians`], with each case's fastest and slowest round.
pub fn spreads(cases: &mut [Box<dyn Case>], settings: &Settings) -> Vec<Spread> {
    let iters: Vec<u32> = cases
        .iter_mut()
        .map(|case| {
            let mut once = time(case.as_mut(), 1);
            if once < settings.min_sample {
                once = once.min(time(case.as_mut(), 1));
            }
            let wanted = settings.min_sample.as_secs_f64() / once.as_secs_f64().max(1e-9);
            wanted.ceil().clamp(1.0, 1e6) as u32
        })
        .collect();
    let mut samples = vec![Vec::with_capacity(settings.rounds); cases.len()];
    for round in 0..settings.rounds {
        for k in 0..cases.len() {
            let i = (k + round) % cases.len();
            if iters[i] > 1 {
                cases[i].run();
            }
            let elapsed = time(cases[i].as_mut(), iters[i]);
            samples[i].push(elapsed.as_nanos() as f64 / f64::from(iters[i]));
        }
    }
    samples
        .into_iter()
        .map(|xs| Spread {
            min: xs.iter().copied().fold(f64::INFINITY, f64::min),
            max: xs.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            median: median(xs),
        })
        .collect()
}

fn time(case: &mut dyn Case, iters: u32) -> Duration {
    let start = Instant::now();
    for _ in 0..iters {
        case.run();
    }
    start.elapsed()
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let mid = xs.len() / 2;
    match xs.len() {
        0 => f64::NAN,
        len if !len.is_multiple_of(2) => xs[mid],
        _ => (xs[mid - 1] + xs[mid]) / 2.0,
    }
}

/// The slope of the least-squares line through `(ln x, ln y)`: the measured
/// exponent `k` in `time ≈ c · param^k`, over the points whose parameter is
/// positive. `None` below two distinct points.
pub fn loglog_slope(points: &[(f64, f64)]) -> Option<f64> {
    // A parameter of 0 (no layers) has no logarithm: the fit is over the
    // positive values.
    let pts: Vec<(f64, f64)> = points
        .iter()
        .filter(|&&(x, _)| x > 0.0)
        .map(|&(x, y)| (x.ln(), y.ln()))
        .collect();
    let n = pts.len() as f64;
    let mean_x = pts.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = pts.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = pts.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    let sxy: f64 = pts.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    (pts.len() >= 2 && sxx > 0.0).then(|| sxy / sxx)
}

/// One measured (variant, parameter value).
#[derive(Clone, Debug, serde::Serialize)]
pub struct Measurement {
    /// The question's name.
    pub question: &'static str,
    /// The variant's name.
    pub variant: &'static str,
    /// Its role (`baseline`, `optimized`, …).
    pub role: &'static str,
    /// The parameter's name (`n`, `threads`).
    pub param: &'static str,
    /// The parameter's value.
    pub value: u64,
    /// How many units one call processes at this value (the question's
    /// `throughput`), and what a unit is (`entries`, `bytes`).
    pub units: u64,
    /// See [`Measurement::units`].
    pub unit: &'static str,
    /// Median time per call, over the rounds.
    pub median_ns: f64,
    /// The fastest round's time per call.
    pub min_ns: f64,
    /// The slowest round's time per call.
    pub max_ns: f64,
    /// How many rounds the median, the fastest and the slowest are of.
    pub rounds: usize,
    /// Whether this row's spread (fastest to slowest round) overlaps the
    /// baseline's: the ratio is then not separated by this run. `None`
    /// where there is no ratio.
    pub separated: Option<bool>,
    /// Baseline median / this median, from the same interleaved run; `None`
    /// where the baseline does not run at this value, and for a flawed row
    /// (a wrong answer has no speed).
    pub ratio_vs_baseline: Option<f64>,
    /// Allocations in one call (`None` where counting is unavailable).
    pub allocs: Option<u64>,
    /// Bytes allocated in one call.
    pub alloc_bytes: Option<u64>,
    /// Peak heap above the starting point during one call.
    pub peak_bytes: Option<u64>,
    /// Instructions one call executes, counted under Callgrind (`run
    /// --instructions`); `None` where not counted.
    pub instructions: Option<u64>,
    /// Why a row has no count though one was asked for
    /// ([`callgrind::SERIALIZED`], [`callgrind::TOO_SLOW`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instructions_note: Option<&'static str>,
    /// What the case reported besides time and heap ([`Case::metrics`]).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub metrics: BTreeMap<&'static str, f64>,
}

/// A variant that gave a different answer from the reference.
#[derive(Debug)]
pub struct Disagreement {
    /// Question name.
    pub question: &'static str,
    /// The variant that disagrees.
    pub variant: &'static str,
    /// What it was compared with.
    pub reference: &'static str,
    /// Parameter name and value.
    pub param: &'static str,
    /// Parameter value.
    pub value: u64,
}

impl std::fmt::Display for Disagreement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: variant '{}' disagrees with '{}' at {} = {}; not timing a wrong answer",
            self.question, self.variant, self.reference, self.param, self.value
        )
    }
}

impl std::error::Error for Disagreement {}

/// Measure `variants` of `question` (plus its baseline, always) at one
/// parameter value: check they agree, time them interleaved, count their
/// allocations. Rows come back for the `wanted` variants only.
pub fn measure_point(
    question: &Question,
    wanted: &dyn Fn(&Variant) -> bool,
    value: u64,
    settings: &Settings,
) -> Result<Vec<Measurement>, Disagreement> {
    // A question none of whose variants was asked for does not run: its
    // baseline would run at a value only the other questions' bounds
    // were checked against (`Lesson::check_params`).
    if !question.variants.iter().any(wanted) {
        return Ok(Vec::new());
    }
    let chosen: Vec<&Variant> = question
        .variants
        .iter()
        .filter(|v| v.runs_at(value) && (wanted(v) || v.role == Role::Baseline))
        .collect();
    let mut cases: Vec<Box<dyn Case>> = chosen.iter().map(|v| (v.prepare)(value)).collect();

    // Agreement first: a fast wrong answer is not a result. The reference
    // is the baseline where it runs, else the first variant chosen; a
    // flawed variant is shown for its wrong answers and not compared.
    let answers: Vec<u64> = cases.iter_mut().map(|c| c.answer()).collect();
    let reference = chosen
        .iter()
        .position(|v| v.role == Role::Baseline)
        .or_else(|| chosen.iter().position(|v| v.role != Role::Flawed))
        .unwrap_or(0);
    let checked = |i: &usize| chosen[*i].role != Role::Flawed;
    if let Some(bad) = (0..chosen.len())
        .filter(checked)
        .find(|&i| answers[i] != answers[reference])
    {
        return Err(Disagreement {
            question: question.name,
            variant: chosen[bad].name,
            reference: chosen[reference].name,
            param: question.param.name,
            value,
        });
    }

    let times = spreads(&mut cases, settings);
    let baseline = chosen
        .iter()
        .position(|v| v.role == Role::Baseline)
        .map(|i| times[i]);
    // The allocation pass, after all timing: counting is not free.
    let stats: Vec<Option<AllocStats>> = cases
        .iter_mut()
        .map(|c| alloc::count(|| c.run()).1)
        .collect();

    let metrics: Vec<BTreeMap<&'static str, f64>> = cases
        .iter_mut()
        .map(|c| c.metrics().into_iter().collect())
        .collect();

    Ok(chosen
        .iter()
        .zip(times)
        .zip(stats)
        .zip(metrics)
        .filter(|(((v, _), _), _)| wanted(v))
        .map(|(((v, spread), stats), metrics)| Measurement {
            question: question.name,
            variant: v.name,
            role: v.role.as_str(),
            param: question.param.name,
            value,
            units: (question.param.throughput)(value),
            unit: question.param.unit,
            median_ns: spread.median,
            min_ns: spread.min,
            max_ns: spread.max,
            rounds: settings.rounds,
            ratio_vs_baseline: baseline
                .filter(|_| v.role != Role::Flawed)
                .map(|b| b.median / spread.median),
            separated: baseline
                .filter(|_| v.role != Role::Flawed && v.role != Role::Baseline)
                .map(|b| !b.overlaps(&spread)),
            allocs: stats.map(|s| s.allocs),
            alloc_bytes: stats.map(|s| s.bytes),
            peak_bytes: stats.map(|s| s.peak),
            instructions: None,
            instructions_note: None,
            metrics,
        })
        .collect())
}

/// The measured exponent of every variant that ran at two or more values.
pub fn exponents(rows: &[Measurement]) -> BTreeMap<String, f64> {
    let mut points: BTreeMap<&str, Vec<(f64, f64)>> = BTreeMap::new();
    for row in rows {
        points
            .entry(row.variant)
            .or_default()
            .push((row.value as f64, row.median_ns));
    }
    points
        .into_iter()
        .filter_map(|(v, pts)| loglog_slope(&pts).map(|k| (v.to_owned(), k)))
        .collect()
}

/// The measured exponent of every figure a variant reported at two or
/// more values: figure → variant → k (streams' `peak_rss_bytes`: about 1
/// for a reader that holds the file, about 0 for one that streams).
pub fn metric_exponents(rows: &[Measurement]) -> BTreeMap<String, BTreeMap<String, f64>> {
    type Points<'a> = BTreeMap<&'a str, Vec<(f64, f64)>>;
    let mut points: BTreeMap<&str, Points> = BTreeMap::new();
    for row in rows {
        for (&metric, &v) in row.metrics.iter().filter(|(_, v)| **v > 0.0) {
            points
                .entry(metric)
                .or_default()
                .entry(row.variant)
                .or_default()
                .push((row.value as f64, v));
        }
    }
    points
        .into_iter()
        // A figure every variant reports alike at every value (streams'
        // `lines`) is the input's, not a variant's: no exponent.
        .filter(|(_, by_variant)| {
            let mut curves = by_variant.values();
            let first = curves.next();
            by_variant.len() < 2 || !curves.all(|c| Some(c) == first)
        })
        .map(|(metric, by_variant)| {
            let fits = by_variant
                .into_iter()
                .filter_map(|(v, pts)| loglog_slope(&pts).map(|k| (v.to_owned(), k)))
                .collect();
            (metric.to_owned(), fits)
        })
        .filter(|(_, fits): &(String, BTreeMap<String, f64>)| !fits.is_empty())
        .collect()
}

/// The parameter values a question is run at: the user's, or its sweep.
pub fn values_for(question: &Question, given: &[u64]) -> Vec<u64> {
    if given.is_empty() {
        question.param.sweep.to_vec()
    } else {
        given.to_vec()
    }
}

/// How many timed variants a lesson run will take, for the progress bar.
pub fn steps(lesson: &Lesson, wanted: &dyn Fn(&Variant) -> bool, given: &[u64]) -> u64 {
    lesson
        .questions
        .iter()
        .flat_map(|q| {
            values_for(q, given)
                .into_iter()
                .map(move |value| (q, value))
        })
        .map(|(q, value)| {
            q.variants
                .iter()
                .filter(|v| v.runs_at(value) && wanted(v))
                .count() as u64
        })
        .sum()
}

/// One lesson's measured run: the `--json` schema of ARCHITECTURE.md.
#[derive(Debug, serde::Serialize)]
pub struct LessonRun {
    /// Lesson name.
    pub lesson: &'static str,
    /// Where it was measured.
    pub machine: Machine,
    /// One row per (variant, parameter value).
    pub rows: Vec<Measurement>,
    /// Measured log-log exponent per variant swept over two or more values.
    pub exponents: BTreeMap<String, f64>,
    /// The same fit for each figure the variants report (`metrics`):
    /// figure → variant → k in `figure ≈ c · param^k`.
    pub metric_exponents: BTreeMap<String, BTreeMap<String, f64>>,
    /// Claimed complexity per variant, to read beside `exponents`.
    pub claimed: BTreeMap<String, &'static str>,
    /// What the instruction counts were made with; `None` where none were
    /// asked for.
    pub instructions: Option<Counted>,
}

/// Whether Callgrind can count `row`, or why not: a concurrent question
/// ([`callgrind::SERIALIZED`]), a call past [`callgrind::MAX_CALL`]
/// ([`callgrind::TOO_SLOW`]).
pub fn countable(lesson: &Lesson, row: &Measurement) -> Result<(), &'static str> {
    let serialized = lesson
        .questions
        .iter()
        .find(|q| q.name == row.question)
        .is_some_and(|q| q.concurrent || q.threaded.contains(&row.variant));
    if serialized {
        Err(callgrind::SERIALIZED)
    } else if row.median_ns > callgrind::MAX_CALL.as_nanos() as f64 {
        Err(callgrind::TOO_SLOW)
    } else {
        Ok(())
    }
}

/// Give every row of `run` its instruction count, where it can have one:
/// rows of concurrent questions, and rows a question lists as
/// `threaded`, are marked [`callgrind::SERIALIZED`], rows
/// whose median call exceeds [`callgrind::MAX_CALL`], or whose counting
/// overran its time limit, are marked
/// [`callgrind::TOO_SLOW`], and rows valgrind cannot run
/// [`callgrind::UNDECODABLE`]. `progress` is told each row before it is
/// counted.
pub fn count_instructions(
    lesson: &Lesson,
    run: &mut LessonRun,
    progress: &dyn Fn(&Measurement),
) -> Result<(), String> {
    let valgrind = callgrind::valgrind()?;
    let mut features = Vec::new();
    for row in &mut run.rows {
        if let Err(why) = countable(lesson, row) {
            row.instructions_note = Some(why);
        } else {
            progress(row);
            match callgrind::count(lesson.name, row.question, row.variant, row.value)? {
                Ok((n, seen)) => {
                    row.instructions = Some(n);
                    features = seen;
                }
                Err(note) => row.instructions_note = Some(note),
            }
        }
    }
    run.instructions = Some(Counted {
        valgrind,
        cpu_features: features,
    });
    Ok(())
}

/// Run a lesson: every question at each of `given` values (or its sweep),
/// the `wanted` variants plus each baseline; advance `progress` per
/// variant timed.
pub fn run_lesson(
    lesson: &Lesson,
    wanted: &dyn Fn(&Variant) -> bool,
    given: &[u64],
    settings: &Settings,
    progress: &ProgressBar,
) -> Result<LessonRun, Disagreement> {
    let mut rows = Vec::new();
    for question in &lesson.questions {
        for value in values_for(question, given) {
            progress.set_message(format!(
                "{}/{} {} = {value}",
                lesson.name, question.name, question.param.name
            ));
            let point = measure_point(question, wanted, value, settings)?;
            progress.inc(point.len() as u64);
            rows.extend(point);
        }
    }
    Ok(LessonRun {
        lesson: lesson.name,
        machine: Machine::detect(),
        exponents: exponents(&rows),
        metric_exponents: metric_exponents(&rows),
        claimed: lesson
            .variants()
            .filter(|v| wanted(v))
            .map(|v| (v.name.to_owned(), v.complexity))
            .collect(),
        rows,
        instructions: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fit recovers the exponent of an exact power law.
    #[test]
    fn loglog_slope_recovers_a_power_law() {
        let pts: Vec<(f64, f64)> = [1e3, 1e4, 1e5].iter().map(|&n| (n, 3.0 * n * n)).collect();
        assert!((loglog_slope(&pts).unwrap() - 2.0).abs() < 1e-9);
        assert_eq!(loglog_slope(&[(10.0, 1.0)]), None);
    }

    /// The median of an even count is the mean of the middle two.
    #[test]
    fn median_of_even_and_odd_counts() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), 2.5);
    }
}
