//! The judge of `lessons/strings`' exercise, `render_csv`.

use std::hint::black_box;

use strings::csv;

use super::{self as check, Fail, Failed, Judge, Target};
use crate::catalog::strings::{CsvFn, built, deployments_strategy};
use crate::fmt::count;

const ALLOC_SIZES: [u64; 4] = [0, 1_000, 10_000, 100_000];
const MIN_SPEEDUP: f64 = 50.0;

/// Run the stages.
pub fn judge(judge: &mut Judge, target: Target) -> Result<(), Failed> {
    let candidate: CsvFn = match target {
        Target::Exercise => strings_exercise::render_csv,
        Target::Solution => strings_solution::render_csv,
    };
    judge.stage("started", "replace the todo!() with your code", || {
        let table = csv::deployments(10);
        check::attempt(|| drop(candidate(&table))).map(|()| "it returns".into())
    })?;
    judge.stage(
        "agrees with csv_format_concat",
        "the header line first; then name,replicas,image per deployment; every line ends in \\n",
        || {
            let table = csv::deployments(10_000);
            let got = check::attempt(|| candidate(&table))?;
            check::same(&csv::csv_format_concat(&table), &got).map_err(|e| {
                Fail::Because(format!("on 10,000 deployments (the default size):\n{e}"))
            })?;
            check::agree_on_random(deployments_strategy(), 256, |table| {
                let got = check::attempt(|| candidate(&table))
                    .map_err(|_| "it panicked on this input".to_owned())?;
                check::same(&csv::csv_format_concat(&table), &got)
            })?;
            Ok(format!(
                "{} bytes at n = 10,000; 256 random tables",
                count(got.len() as u64)
            ))
        },
    )?;
    judge.stage(
        "allocation budget: at most 1",
        "sum the bytes of every line first (digits of replicas included), then String::with_capacity once; no format!",
        || {
            check::within_budget(&ALLOC_SIZES, 1, |n| format!("at n = {}", count(n)), |n| {
                let table = csv::deployments(n as usize);
                check::allocations(|| drop(black_box(candidate(&table))))
            })
        },
    )?;
    judge.stage(
        "speed: 50x csv_format_concat",
        "append into one String; format! per row copies the whole CSV every time",
        || {
            let cases = [
                csv::csv_format_concat as CsvFn,
                strings_solution::render_csv,
                candidate,
            ]
            .map(|f| built(csv::deployments(10_000), f));
            check::faster_than("csv_format_concat", cases, MIN_SPEEDUP, "at n = 10,000")
        },
    )
}
