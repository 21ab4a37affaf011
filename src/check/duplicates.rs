//! The judge of `lessons/duplicates`' exercise, `find_duplicates`.

use std::hint::black_box;

use duplicates as lesson;

use super::{self as check, Fail, Failed, Judge, Target};
use crate::catalog::case;
use crate::catalog::duplicates::{FindFn, names_strategy};
use crate::fmt::count;

const ALLOC_SIZES: [u64; 3] = [1_000, 10_000, 100_000];
const MIN_SPEEDUP: f64 = 100.0;

/// Run the stages.
pub fn judge(judge: &mut Judge, target: Target) -> Result<(), Failed> {
    let candidate: FindFn = match target {
        Target::Exercise => duplicates_exercise::find_duplicates,
        Target::Solution => duplicates_solution::find_duplicates,
    };
    judge.stage(
        "started",
        "it must return for every input, without panicking",
        || {
            let names = lesson::deployments(10);
            check::attempt(|| drop(candidate(&names))).map(|()| "it returns".into())
        },
    )?;
    judge.stage(
        "agrees with naive_pairs",
        "a name is a repeat if it occurred anywhere before it; return the later occurrences, in input order",
        || {
            // Small random inputs first: a failure there shrinks to a few names.
            check::agree_on_random(names_strategy(), 256, |names| {
                let got = check::attempt(|| candidate(&names))
                    .map_err(|_| "it panicked on this input".to_owned())?;
                check::same(&lesson::naive_pairs(&names), &got)
            })?;
            let article = lesson::deployments(10_000);
            let got = check::attempt(|| candidate(&article))?;
            check::same_items(&lesson::naive_pairs(&article), &got)
                .map_err(|e| Fail::Because(format!("on the article's input (n = 10,000): {e}")))?;
            Ok(format!("{} repeats on the article's input; 256 random inputs", count(got.len() as u64)))
        },
    )?;
    judge.stage(
        "allocation budget: at most 2",
        "size the set and the output for names.len() up front (with_capacity), so neither grows",
        || {
            check::within_budget(
                &ALLOC_SIZES,
                2,
                |n| format!("at n = {}", count(n)),
                |n| {
                    let names = lesson::deployments(n as usize);
                    check::allocations(|| drop(black_box(candidate(&names))))
                },
            )
        },
    )?;
    judge.stage(
        "speed: 100x naive_pairs",
        "one pass with a hash set is O(n); a fast hasher (foldhash) beats the default SipHash on short names",
        || {
            let cases = [lesson::naive_pairs as FindFn, duplicates_solution::find_duplicates, candidate]
                .map(|f| case(lesson::deployments(10_000), move |v| drop(black_box(f(v))), |_| 0));
            check::faster_than("naive_pairs", cases, MIN_SPEEDUP, "at n = 10,000")
        },
    )
}
