//! The judge of `lessons/strings`' exercise, `render_csv`.

use std::hint::black_box;

use strings::csv::{self, Deployment};

use super::{self as check, Fail, Failed, Judge, Target};
use crate::catalog::strings::{BUDGET, CsvFn, built, deployments_strategy};
use crate::fmt::count;

const ALLOC_SIZES: [u64; 4] = [0, 1_000, 10_000, 100_000];
/// The budget's figures, from the catalog's one [`BUDGET`].
const MIN_SPEEDUP: f64 = BUDGET.min_speedup();
const AT: &str = BUDGET.speed_at();
const MAX_ALLOCS: u64 = BUDGET.max_allocs();

/// How many stages [`judge`] runs.
pub const STAGES: usize = 4;

/// Run the stages on the exercise or the reference solution.
pub fn judge(judge: &mut Judge, target: Target) -> Result<(), Failed> {
    judge_fn(
        judge,
        match target {
            Target::Exercise => strings_exercise::render_csv,
            Target::Solution => strings_solution::render_csv,
        },
    )
}

/// `n` rows of one shape.
fn rows(n: usize, row: impl Fn(usize) -> Deployment) -> Vec<Deployment> {
    (0..n).map(row).collect()
}

/// Tables where a guess about the fields breaks the budget: the widest
/// replica counts, every digit count from 1 to 10, empty fields, and
/// names and images that are not ASCII (more bytes than characters).
fn adversarial(n: usize) -> Vec<(String, Vec<Deployment>)> {
    let at = |what: &str| format!("on {} rows {what}", count(n as u64));
    vec![
        (
            at("with replicas = u32::MAX"),
            rows(n, |i| Deployment {
                name: format!("svc-{i}"),
                replicas: u32::MAX,
                image: "img:1".into(),
            }),
        ),
        (
            at("with replicas of every digit count (9, 10, 99, 100, …)"),
            rows(n, |i| Deployment {
                name: format!("svc-{i}"),
                replicas: 10u32.saturating_pow(i as u32 % 10) - u32::from(i % 2 == 0),
                image: "img:1".into(),
            }),
        ),
        (
            at("with empty names and images"),
            rows(n, |i| Deployment {
                name: String::new(),
                replicas: i as u32,
                image: String::new(),
            }),
        ),
        (
            at("with non-ASCII names and images"),
            rows(n, |i| Deployment {
                name: format!("zahlungs-dienst-ü-{i}"),
                replicas: 3,
                image: format!("registry.例え.jp/サービス:{i}"),
            }),
        ),
    ]
}

/// Run the stages on any implementation of the exercise's contract (the
/// known-wrong submissions in `tests/wrong/` come in here).
pub fn judge_fn(judge: &mut Judge, candidate: CsvFn) -> Result<(), Failed> {
    judge.stage("started", "replace the todo!() with your code", || {
        let table = csv::deployments(10);
        check::attempt("10 deployments", || drop(candidate(&table))).map(|()| "it returns".into())
    })?;
    judge.stage(
        "agrees with csv_format_concat",
        "the header line first; then name,replicas,image per deployment; every line ends in \\n",
        || {
            let table = csv::deployments(10_000);
            let at = "10,000 deployments (the default size)";
            let got = check::attempt(at, || candidate(&table))?;
            check::same(&csv::csv_format_concat(&table), &got)
                .map_err(|e| Fail::Because(format!("on {at}:\n{e}")))?;
            check::agree_on_random(deployments_strategy(), 256, |table| {
                check::same(&csv::csv_format_concat(&table), &candidate(&table))
            })?;
            for (at, table) in adversarial(100) {
                let got = check::attempt(&at, || candidate(&table))?;
                check::same(&csv::csv_format_concat(&table), &got)
                    .map_err(|e| Fail::Because(format!("{at}:\n{e}")))?;
            }
            Ok(format!(
                "{} bytes at n = 10,000; 256 random tables; widest, empty and non-ASCII fields",
                count(got.len() as u64)
            ))
        },
    )?;
    judge.stage(
        &format!("allocation budget: at most {MAX_ALLOCS}"),
        "sum the bytes of every line first (String::len counts bytes; every digit of replicas), then String::with_capacity once; no format!",
        || {
            let mut inputs: Vec<(String, Vec<Deployment>)> = ALLOC_SIZES
                .iter()
                .map(|&n| (format!("at n = {}", count(n)), csv::deployments(n as usize)))
                .collect();
            inputs.extend(adversarial(1_000));
            check::within_budget(MAX_ALLOCS, inputs, |table| drop(black_box(candidate(table))))
        },
    )?;
    judge.stage(
        &format!("speed: {MIN_SPEEDUP}x csv_format_concat"),
        "append into one String; format! per row copies the whole CSV every time",
        || {
            let cases = [
                csv::csv_format_concat as CsvFn,
                strings_solution::render_csv,
                candidate,
            ]
            .map(|f| built(csv::deployments(10_000), f));
            check::faster_than("csv_format_concat", cases, Vec::new(), MIN_SPEEDUP, AT)
        },
    )
}
