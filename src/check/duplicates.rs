//! The judge of `lessons/duplicates`' exercise, `find_duplicates`.

use std::hint::black_box;

use duplicates as lesson;

use super::{self as check, Fail, Failed, Judge, Target};
use crate::catalog::case;
use crate::catalog::duplicates::{BUDGET, FindFn, names_strategy};
use crate::fmt::count;

const ALLOC_SIZES: [u64; 3] = [1_000, 10_000, 100_000];
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
            Target::Exercise => duplicates_exercise::find_duplicates,
            Target::Solution => duplicates_solution::find_duplicates,
        },
    )
}

/// Inputs where a guess about the names breaks a budget: none repeat (the
/// output is empty), all repeat (it is n - 1 long), and none at all.
fn adversarial(n: usize) -> Vec<(String, Vec<String>)> {
    vec![
        (
            format!("on {} distinct names", count(n as u64)),
            (0..n).map(|i| format!("svc-{i}")).collect(),
        ),
        (
            format!("on {} copies of one name", count(n as u64)),
            vec!["payments-api".to_owned(); n],
        ),
        ("on an empty list".to_owned(), Vec::new()),
    ]
}

/// Run the stages on any implementation of the exercise's contract (the
/// known-wrong submissions in `tests/wrong/` come in here).
pub fn judge_fn(judge: &mut Judge, candidate: FindFn) -> Result<(), Failed> {
    judge.stage(
        "started",
        "it must return for every input, without panicking",
        || {
            let names = lesson::deployments(10);
            check::attempt("10 deployments", || drop(candidate(&names)))
                .map(|()| "it returns".into())
        },
    )?;
    judge.stage(
        "agrees with naive_pairs",
        "a name is a repeat if it occurred anywhere before it; return the later occurrences, in input order",
        || {
            // Small random inputs first: a failure there shrinks to a few names.
            check::agree_on_random(names_strategy(), 256, |names| {
                check::same(&lesson::naive_pairs(&names), &candidate(&names))
            })?;
            for (at, names) in adversarial(1_000) {
                let got = check::attempt(&at, || candidate(&names))?;
                check::same_items(&lesson::naive_pairs(&names), &got)
                    .map_err(|e| Fail::Because(format!("{at}: {e}")))?;
            }
            let article = lesson::deployments(10_000);
            let at = "the article's input (n = 10,000)";
            let got = check::attempt(at, || candidate(&article))?;
            check::same_items(&lesson::naive_pairs(&article), &got)
                .map_err(|e| Fail::Because(format!("on {at}: {e}")))?;
            Ok(format!(
                "{} repeats on the article's input; 256 random inputs; none, all and no names repeating",
                count(got.len() as u64)
            ))
        },
    )?;
    judge.stage(
        &format!("allocation budget: at most {MAX_ALLOCS}"),
        "size the set and the output for names.len() up front (with_capacity), so neither grows",
        || {
            let mut inputs: Vec<(String, Vec<String>)> = ALLOC_SIZES
                .iter()
                .map(|&n| {
                    (
                        format!("at n = {}", count(n)),
                        lesson::deployments(n as usize),
                    )
                })
                .collect();
            inputs.extend(adversarial(10_000));
            check::within_budget(MAX_ALLOCS, inputs, |names| {
                drop(black_box(candidate(names)))
            })
        },
    )?;
    judge.stage(
        &format!("speed: {MIN_SPEEDUP}x naive_pairs"),
        "one pass with a hash set is O(n); a fast hasher (foldhash) beats the default SipHash on short names",
        || {
            let cases = [lesson::naive_pairs as FindFn, duplicates_solution::find_duplicates, candidate]
                .map(|f| case(lesson::deployments(10_000), move |v| drop(black_box(f(v))), |_| 0));
            check::faster_than("naive_pairs", cases, Vec::new(), MIN_SPEEDUP, AT)
        },
    )
}
