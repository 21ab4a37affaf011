//! The judge of `lessons/counters`' exercise, the `ShardedCounter`.

use std::hint::black_box;

use counters as lesson;
use counters::{Counter, per_thread};
use counters_exercise::ShardedCounter as Exercised;
use counters_solution::ShardedCounter as Solved;

use super::{self as check, Fail, Failed, Judge, Target};
use crate::catalog::case;
use crate::catalog::counters::{BUDGET, runs_strategy};
use crate::fmt::count;

const RUNS_PER_THREAD_COUNT: usize = 16;
/// The budget's figures, from the catalog's one [`BUDGET`].
const MIN_SPEEDUP: f64 = BUDGET.min_speedup();
const AT: &str = BUDGET.speed_at();
const MAX_ALLOCS: u64 = BUDGET.max_allocs();

/// Run the stages.
pub fn judge(judge: &mut Judge, target: Target) -> Result<(), Failed> {
    match target {
        Target::Exercise => judge_counter::<Exercised>(judge),
        Target::Solution => judge_counter::<Solved>(judge),
    }
}

/// A timed run that checks its own answer: every call must count exactly
/// `threads × per_thread`; the calls that did not are reported as
/// `wrong_runs`, so a counter that is right on small counts but wraps on the
/// timed workload fails.
struct Checked<C> {
    threads: usize,
    per_thread: u64,
    wrong: u64,
    counter: std::marker::PhantomData<C>,
}

impl<C: Counter> crate::catalog::Case for Checked<C> {
    fn run(&mut self) {
        let got = lesson::count::<C>(self.threads, black_box(self.per_thread));
        self.wrong += u64::from(got != self.threads as u64 * self.per_thread);
    }
    fn answer(&mut self) -> u64 {
        lesson::count::<C>(self.threads, self.per_thread)
    }
    fn metrics(&mut self) -> Vec<(&'static str, f64)> {
        vec![("wrong_runs", self.wrong as f64)]
    }
}

fn checked<C: Counter + 'static>(threads: usize, per_thread: u64) -> Box<dyn crate::catalog::Case> {
    Box::new(Checked::<C> {
        threads,
        per_thread,
        wrong: 0,
        counter: std::marker::PhantomData,
    })
}

/// Run the stages on any counter (the known-wrong submissions in
/// `tests/wrong/` come in here).
pub fn judge_counter<C: Counter + 'static>(judge: &mut Judge) -> Result<(), Failed> {
    judge.stage("started", "replace the todo!()s with your code", || {
        check::attempt("a counter for 2 threads: add(0), add(1), sum()", || {
            let c = C::new(2);
            c.add(0);
            c.add(1);
            c.sum()
        })
        .map(|_| "it counts".into())
    })?;
    judge.stage(
        "agrees: exact at 1 to 8 threads",
        "a plain load then store loses updates; fetch_add adds in one indivisible step; sum must read every slot; a slot must hold the whole count",
        || {
            let exact = |threads: usize, n: u64| -> Result<(), Fail> {
                let at = format!("{threads} threads x {} adds", count(n));
                let got = check::attempt(&at, || lesson::count::<C>(threads, n))?;
                let want = threads as u64 * n;
                if got != want {
                    return Err(Fail::Because(format!(
                        "{at} counted {}, expected {} ({} lost)",
                        count(got),
                        count(want),
                        count(want.saturating_sub(got))
                    )));
                }
                Ok(())
            };
            for threads in 1..=8 {
                for _ in 0..RUNS_PER_THREAD_COUNT {
                    exact(threads, 10_000)?;
                }
            }
            check::agree_on_random(runs_strategy(), 64, |(threads, n)| {
                check::same(&(threads as u64 * n), &lesson::count::<C>(threads, n))
            })?;
            // The lesson's whole workload, as the speed stage times it:
            // 1,000,000 events, on one thread and spread over 2 and 8.
            for threads in [1, 2, 8] {
                exact(threads, per_thread(threads))?;
            }
            Ok(format!(
                "{} runs of 10,000 adds per thread at 1 to 8 threads; 64 random runs; 1,000,000 adds on 1, 2 and 8 threads",
                8 * RUNS_PER_THREAD_COUNT
            ))
        },
    )?;
    judge.stage(
        &format!("allocation budget: {MAX_ALLOCS} per add"),
        "allocate every slot in new(); add must only touch memory that already exists",
        || {
            let counter = check::attempt("a counter for 8 threads", || C::new(8))?;
            let inputs = [1_000u64, 100_000]
                .map(|n| (format!("for {} adds on 8 slots", count(n)), (n, 8)))
                .into_iter()
                .chain([("for 100,000 adds on one slot".to_owned(), (100_000, 1))])
                .collect();
            let adds = check::within_budget(MAX_ALLOCS, inputs, |&(n, slots)| {
                for i in 0..n {
                    counter.add(black_box(i as usize % slots));
                }
            })?;
            let built =
                check::allocations("a counter for 8 threads", || drop(black_box(C::new(8))))?;
            Ok(format!("{adds}; {built} to build"))
        },
    )?;
    judge.stage(
        &format!("speed: {MIN_SPEEDUP}x mutex at 2 threads"),
        "each thread must write only its own cache lines: pad every slot (CachePadded)",
        || {
            let n = per_thread(2);
            let cases = [
                case(
                    (),
                    move |_| _ = black_box(lesson::mutex(2, n)),
                    move |_| 2 * n,
                ),
                checked::<Solved>(2, n),
                checked::<C>(2, n),
            ];
            // Both count exactly and allocate nothing per add, so only
            // speed tells them from the answer.
            let traps = vec![
                ("one shared atomic", checked::<lesson::AtomicCounter>(2, n)),
                ("unpadded shards", checked::<lesson::PackedSlots>(2, n)),
            ];
            check::faster_than("mutex", cases, traps, MIN_SPEEDUP, AT)
        },
    )
}
