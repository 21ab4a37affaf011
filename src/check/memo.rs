//! The judge of `lessons/memo`' exercise, the `LruCache`.

use std::hint::black_box;

use memo::cache::{self, Lru};
use memo_solution::LruCache;

/// The reference solution, measured beside the learner's cache.
type Reference = LruCache<u64, u64>;

use super::{self as check, Fail, Failed, Judge, Target};
use crate::catalog::memo::model::{self, Model, trace};
use crate::catalog::memo::{counted, requests};

/// Compare `C` with the model on one sequence, describing a difference.
pub fn agrees_with_model<C: Lru<u64, u64>>(
    capacity: usize,
    ops: &[model::Op],
) -> Result<(), String> {
    check::same(&trace::<Model>(capacity, ops), &trace::<C>(capacity, ops))
}

const MIN_SPEEDUP: f64 = 20.0;

/// Run the stages.
pub fn judge(judge: &mut Judge, target: Target) -> Result<(), Failed> {
    match target {
        Target::Exercise => judge_cache::<memo_exercise::LruCache<u64, u64>>(judge),
        Target::Solution => judge_cache::<memo_solution::LruCache<u64, u64>>(judge),
    }
}

fn judge_cache<C: Lru<u64, u64> + 'static>(judge: &mut Judge) -> Result<(), Failed> {
    judge.stage("started", "replace the todo!()s with your code", || {
        check::attempt(|| {
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
                check::attempt(|| agrees_with_model::<C>(capacity, &ops))
                    .map_err(|_| "it panicked on this input".to_owned())?
            })?;
            let keys = requests();
            let got = check::attempt(|| cache::replay(&mut C::new(1_000), &keys))?;
            check::same(&cache::lru_vec_scan(1_000, &keys), &got).map_err(|e| {
                Fail::Because(format!("replaying the requests at capacity 1,000:\n{e}"))
            })?;
            Ok(format!(
                "256 random operation sequences; hit rate {:.3} on the requests at capacity 1,000",
                got.info.hit_rate()
            ))
        },
    )?;
    judge.stage(
        "allocation budget: get makes 0",
        "size everything in new(); get only reads the map and rewrites indices",
        || {
            let keys = requests();
            let mut cache = check::attempt(|| {
                let mut cache = C::new(1_000);
                cache::replay(&mut cache, &keys);
                cache
            })?;
            // The stream's first 10,000 keys: hits and misses alike.
            let allocs = check::allocations(|| {
                for key in &keys[..10_000] {
                    black_box(cache.get(key));
                }
            })?;
            if allocs > 0 {
                return Err(Fail::Because(format!(
                    "{} allocations in 10,000 gets; the budget is 0",
                    crate::fmt::count(allocs)
                )));
            }
            Ok("0 allocations in 10,000 gets on a full cache".into())
        },
    )?;
    judge.stage(
        "speed: 20x lru_vec_scan",
        "a hash map finds the entry in O(1); linking entries by index makes moving one to the front O(1)",
        || {
            let capacity = 10_000;
            let cases = [
                counted(requests(), move |keys| (0, cache::lru_vec_scan(capacity, keys).info)),
                counted(requests(), move |keys| {
                    (0, cache::replay(&mut Reference::new(capacity), keys).info)
                }),
                counted(requests(), move |keys| (0, cache::replay(&mut C::new(capacity), keys).info)),
            ];
            check::faster_than("lru_vec_scan", cases, MIN_SPEEDUP, "at capacity 10,000")
        },
    )
}
