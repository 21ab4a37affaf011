//! The judge of `lessons/counters`' exercise, the `ShardedCounter`.

use std::hint::black_box;

use counters as lesson;
use counters::{Counter, per_thread};
use counters_exercise::ShardedCounter as Exercised;
use counters_solution::ShardedCounter as Solved;

use super::{self as check, Fail, Failed, Judge, Target};
use crate::catalog::case;
use crate::catalog::counters::runs_strategy;
use crate::fmt::count;

const RUNS_PER_THREAD_COUNT: usize = 16;
const MIN_SPEEDUP: f64 = 3.0;

/// Run the stages.
pub fn judge(judge: &mut Judge, target: Target) -> Result<(), Failed> {
    match target {
        Target::Exercise => judge_counter::<Exercised>(judge),
        Target::Solution => judge_counter::<Solved>(judge),
    }
}

fn judge_counter<C: Counter>(judge: &mut Judge) -> Result<(), Failed> {
    judge.stage("started", "replace the todo!()s with your code", || {
        check::attempt(|| {
            let c = C::new(2);
            c.add(0);
            c.add(1);
            c.sum()
        })
        .map(|_| "it counts".into())
    })?;
    judge.stage(
        "agrees: exact at 1 to 8 threads",
        "a plain load then store loses updates; fetch_add adds in one indivisible step; sum must read every slot",
        || {
            let n = 10_000;
            for threads in 1..=8 {
                for _ in 0..RUNS_PER_THREAD_COUNT {
                    let got = check::attempt(|| lesson::count::<C>(threads, n))?;
                    let want = threads as u64 * n;
                    if got != want {
                        return Err(Fail::Because(format!(
                            "{threads} threads x {n} adds counted {got}, expected {want} ({} lost)",
                            want.saturating_sub(got)
                        )));
                    }
                }
            }
            check::agree_on_random(runs_strategy(), 64, |(threads, n)| {
                let got = check::attempt(|| lesson::count::<C>(threads, n))
                    .map_err(|_| "it panicked on this input".to_owned())?;
                check::same(&(threads as u64 * n), &got)
            })?;
            Ok(format!(
                "{} runs of 10,000 adds per thread at 1 to 8 threads; 64 random runs",
                8 * RUNS_PER_THREAD_COUNT
            ))
        },
    )?;
    judge.stage(
        "allocation budget: none per add",
        "allocate every slot in new(); add must only touch memory that already exists",
        || {
            let counter = check::attempt(|| C::new(8))?;
            let adds = check::within_budget(
                &[1_000, 100_000],
                0,
                |n| format!("for {} adds", count(n)),
                |n| {
                    check::allocations(|| {
                        for i in 0..n {
                            counter.add(black_box(i as usize % 8));
                        }
                    })
                },
            )?;
            let built = check::allocations(|| drop(black_box(C::new(8))))?;
            Ok(format!("{adds}; {built} to build"))
        },
    )?;
    judge.stage(
        "speed: 3x mutex at 2 threads",
        "each thread must write only its own cache lines: pad every slot (CachePadded)",
        || {
            let n = per_thread(2);
            let cases = [
                case((), move |_| _ = black_box(lesson::mutex(2, n)), |_| 0),
                case(
                    (),
                    move |_| _ = black_box(lesson::count::<Solved>(2, n)),
                    |_| 0,
                ),
                case((), move |_| _ = black_box(lesson::count::<C>(2, n)), |_| 0),
            ];
            check::faster_than("mutex", cases, MIN_SPEEDUP, "at 2 threads, 1,000,000 adds")
        },
    )
}
