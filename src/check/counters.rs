//! The judge of `lessons/counters`' exercise, the `ShardedCounter`.

use std::hint::black_box;
use std::iter;

use counters as lesson;
use counters::{Counter, per_thread};
use counters_exercise::ShardedCounter as Exercised;
use counters_solution::ShardedCounter as Solved;

use super::{self as check, Fail, Failed, Judge, Target};
use crate::alloc::BlockWatch;
use crate::catalog::case;
use crate::catalog::counters::{BUDGET, runs_strategy};
use crate::fmt::count;

const RUNS_PER_THREAD_COUNT: usize = 16;
/// The budget's figures, from the catalog's one [`BUDGET`].
const MIN_SPEEDUP: f64 = BUDGET.min_speedup();
const AT: &str = BUDGET.speed_at();
const MAX_ALLOCS: u64 = BUDGET.max_allocs();

/// How many stages [`judge`] runs.
pub const STAGES: usize = 5;

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
        "layout: a cache line per thread",
        "each thread must write only its own cache lines: pad every slot (CachePadded)",
        layout::<C>,
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
            // The lesson's traps (one shared atomic, unpadded shards) were
            // stopped by the layout stage, exactly; timing them here only
            // made the verdict wait on how two threads happened to be
            // scheduled.
            check::faster_than("mutex", cases, Vec::new(), MIN_SPEEDUP, AT)
        },
    )
}

/// The threads of the layout stage.
const LAYOUT_THREADS: usize = 4;
/// The block two threads must not both write. x86-64 CPUs fetch cache
/// lines in adjacent pairs (the spatial prefetcher), so two cores writing
/// one 128-byte pair pass it back and forth as they would one line; this is
/// why `CachePadded` aligns to 128 bytes there.
const LINE: usize = 128;

/// Which bytes each thread's `add` writes, found exactly, on one thread:
/// build a counter for [`LAYOUT_THREADS`] threads, then for each `t` read
/// every byte of the counter and of the heap blocks its `new` allocated,
/// call `add(t)`, and read them again. Two threads that write one
/// [`LINE`]-byte block are the lesson's traps: the same bytes (one shared
/// count, a lock) or neighbouring ones (unpadded slots). Timing could only
/// see them when the two threads happened to run at once; this sees them
/// every time.
fn layout<C: Counter>() -> Result<String, Fail> {
    let what = format!("a counter for {LAYOUT_THREADS} threads");
    let (counter, blocks) = check::attempt(&what, || {
        let watch = BlockWatch::start();
        let counter = C::new(LAYOUT_THREADS);
        (counter, watch.map(|w| w.live()))
    })?;
    let blocks = match blocks {
        None => {
            return Err(Fail::Because(
                "this judge needs the workbench's allocator to see the counter's memory".into(),
            ));
        }
        Some(None) => {
            return Err(Fail::Because(format!(
                "{what} made more than 64 heap blocks at once; a counter needs one"
            )));
        }
        Some(Some(blocks)) => blocks,
    };
    // The counter itself, then what it owns on the heap.
    let regions: Vec<(usize, usize)> = iter::once((&raw const counter as usize, size_of::<C>()))
        .chain(blocks)
        .filter(|&(_, len)| len > 0)
        .collect();
    let mut written: Vec<Vec<usize>> = Vec::new();
    for t in 0..LAYOUT_THREADS {
        let before = read(&regions);
        let heap_changed = check::attempt(&format!("add({t}) on {what}"), || {
            let watch = BlockWatch::start();
            counter.add(black_box(t));
            watch.is_some_and(|w| w.events() > 0)
        })?;
        // A block freed by `add` must not be read below.
        if heap_changed {
            return Err(Fail::Because(format!(
                "add({t}) allocated or freed memory: build everything in new()"
            )));
        }
        let after = read(&regions);
        let changed: Vec<usize> = addresses(&regions)
            .zip(before.iter().zip(&after))
            .filter(|(_, (b, a))| b != a)
            .map(|(at, _)| at)
            .collect();
        if changed.is_empty() {
            return Err(Fail::Because(format!(
                "add({t}) changed no byte of the counter, nor of the memory its new() allocated: where does it count?"
            )));
        }
        written.push(changed);
    }
    let lines = |t: usize| written[t].iter().map(|at| at / LINE).collect::<Vec<_>>();
    for a in 0..LAYOUT_THREADS {
        for b in a + 1..LAYOUT_THREADS {
            let Some(&at) = written[a]
                .iter()
                .find(|at| lines(b).contains(&(*at / LINE)))
            else {
                continue;
            };
            let same = written[a].iter().any(|x| written[b].contains(x));
            return Err(Fail::Because(format!(
                "add({a}) and add({b}) both write the {LINE}-byte block (a cache line pair) that holds byte {}: {}",
                place(&regions, at),
                if same {
                    "the very same bytes, so every add waits its turn for one cache line (a shared count, or a lock)"
                } else {
                    "different bytes, but one block: the two cores pass its cache line back and forth (false sharing)"
                }
            )));
        }
    }
    Ok(format!(
        "{LAYOUT_THREADS} threads write {LAYOUT_THREADS} separate {LINE}-byte blocks"
    ))
}

/// Every address of `regions`, in order.
fn addresses(regions: &[(usize, usize)]) -> impl Iterator<Item = usize> + '_ {
    regions.iter().flat_map(|&(at, len)| at..at + len)
}

/// The bytes of `regions` as they are now.
fn read(regions: &[(usize, usize)]) -> Vec<u8> {
    addresses(regions)
        .map(|at| {
            // SAFETY: every region is live: the counter, owned by the
            // caller for the whole stage, or a heap block its `new`
            // allocated and, as the watches showed, no `add` has freed. No other thread runs the
            // counter meanwhile. Read volatile, byte by byte, as a
            // debugger reads memory: padding may never have been written.
            unsafe { std::ptr::read_volatile(std::ptr::with_exposed_provenance::<u8>(at)) }
        })
        .collect()
}

/// Where `at` lies, for the verdict: in the counter, or in a heap block.
fn place(regions: &[(usize, usize)], at: usize) -> String {
    let block = at / LINE * LINE;
    match regions
        .iter()
        .position(|&(start, len)| (start..start + len).contains(&at))
    {
        Some(0) => format!(
            "byte {} of the counter itself",
            block.saturating_sub(regions[0].0)
        ),
        Some(i) => format!(
            "byte {} of the {}-byte block its new() allocated",
            block.saturating_sub(regions[i].0),
            count(regions[i].1 as u64)
        ),
        None => format!("address {at:#x}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_states_the_block_the_layout_stage_checks() {
        let rule = BUDGET.layout.expect("counters has a layout rule");
        assert!(rule.contains(&format!("{LINE}-byte")), "{rule}");
    }
}
