//! The judge of `lessons/memo`' exercise, the `LruCache`.

use std::hint::black_box;

use memo::cache::{self, Lru};
use memo_solution::LruCache;

/// The reference solution, measured beside the learner's cache.
type Reference = LruCache<u64, u64>;

use super::{self as check, Fail, Failed, Judge, Target};
use crate::catalog::memo::model::{self, Model, trace};
use crate::catalog::memo::{BUDGET, counted, requests};
use crate::fmt::count;

/// Compare `C` with the model on one sequence, describing a difference.
pub fn agrees_with_model<C: Lru<u64, u64>>(
    capacity: usize,
    ops: &[model::Op],
) -> Result<(), String> {
    check::same(&trace::<Model>(capacity, ops), &trace::<C>(capacity, ops))
}

/// The budget's figures, from the catalog's one [`BUDGET`].
const MIN_SPEEDUP: f64 = BUDGET.min_speedup();
const AT: &str = BUDGET.speed_at();
const MAX_ALLOCS: u64 = BUDGET.max_allocs();

/// How many stages [`judge`] runs.
pub const STAGES: usize = 4;

/// Run the stages on the exercise or the reference solution.
pub fn judge(judge: &mut Judge, target: Target) -> Result<(), Failed> {
    match target {
        Target::Exercise => judge_cache::<memo_exercise::LruCache<u64, u64>>(judge),
        Target::Solution => judge_cache::<memo_solution::LruCache<u64, u64>>(judge),
    }
}

/// Run the stages on any cache with the exercise's API (the known-wrong
/// submissions in `tests/wrong/` come in here).
pub fn judge_cache<C: Lru<u64, u64> + 'static>(judge: &mut Judge) -> Result<(), Failed> {
    judge.stage("started", "replace the todo!()s with your code", || {
        check::attempt("a cache of capacity 2: put(1, 10), get(1)", || {
            let mut cache = C::new(2);
            cache.put(1, 10);
            _ = cache.get(&1).copied();
            (cache.len(), cache.stats())
        })
        .map(|_| "new, put, get, len and stats return".into())
    })?;
    judge.stage(
        "agrees with the LRU model",
        "a get or a put makes its key the newest; a put of a new key into a full cache first evicts the oldest",
        || {
            // Random sequences first: a failure shrinks to a short one.
            check::agree_on_random(model::ops_strategy(), 256, |(capacity, ops)| {
                agrees_with_model::<C>(capacity, &ops)
            })?;
            let keys = requests();
            let at = "replaying the requests at capacity 1,000";
            let got = check::attempt(at, || cache::replay(&mut C::new(1_000), &keys))?;
            check::same(&cache::lru_vec_scan(1_000, &keys), &got)
                .map_err(|e| Fail::Because(format!("{at}:\n{e}")))?;
            Ok(format!(
                "256 random operation sequences; hit rate {:.3} on the requests at capacity 1,000",
                got.info.hit_rate()
            ))
        },
    )?;
    judge.stage(
        &format!("allocation budget: get makes {MAX_ALLOCS}"),
        "size everything in new(); get only reads the map and rewrites indices",
        || {
            let keys = requests();
            let at = "filling a cache of capacity 1,000 with the requests";
            let mut cache = check::attempt(at, || {
                let mut cache = C::new(1_000);
                cache::replay(&mut cache, &keys);
                cache
            })?;
            // The requests again, hits and misses alike; then keys never
            // put (every get a miss); then one hot key. 300,000 gets in
            // all, more than the 100,000 that filled the cache, so a
            // structure that grows now and then in `get` (amortized, by
            // doubling) must grow inside a counted window.
            let misses: Vec<u64> = (0..keys.len() as u64).map(|k| u64::MAX - k).collect();
            let n = count(keys.len() as u64);
            let inputs = vec![
                (format!("in {n} gets of the requests"), keys.clone()),
                (format!("in {n} gets of absent keys"), misses),
                (format!("in {n} gets of one key"), vec![keys[0]; keys.len()]),
            ];
            let cache = std::cell::RefCell::new(&mut cache);
            check::within_budget(MAX_ALLOCS, inputs, |keys| {
                let mut cache = cache.borrow_mut();
                for key in keys {
                    black_box(cache.get(key));
                }
            })
        },
    )?;
    judge.stage(
        &format!("speed: {MIN_SPEEDUP}x lru_vec_scan"),
        "a hash map finds the entry in O(1); linking entries by index makes moving one to the front O(1)",
        || {
            let replay = |f: fn(&[u64]) -> cache::Replayed| {
                counted(requests(), move |keys| {
                    let replayed = f(keys);
                    (crate::catalog::digest(&replayed), replayed.info)
                })
            };
            let cases = [
                replay(|keys| cache::lru_vec_scan(10_000, keys)),
                replay(|keys| cache::replay(&mut Reference::new(10_000), keys)),
                replay(|keys| cache::replay(&mut C::new(10_000), keys)),
            ];
            check::faster_than("lru_vec_scan", cases, Vec::new(), MIN_SPEEDUP, AT)
        },
    )
}
