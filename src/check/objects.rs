//! The judge of `lessons/objects`' exercise, `ColumnStore`.

use objects::api::{self, Deployment, Status, Store};
use objects::layout::DictObjects;
use proptest::prelude::*;

use super::{self as check, Fail, Failed, Judge, Target};
use crate::catalog::objects::{BUDGET, scan_case};
use crate::fmt::count;

/// The budget's figures, from the catalog's one [`BUDGET`].
const MIN_SPEEDUP: f64 = BUDGET.min_speedup();
const AT: &str = BUDGET.speed_at();
const MAX_BYTES: u64 = match BUDGET.build_bytes {
    Some((bytes, _)) => bytes,
    None => panic!("the objects budget has a bytes-per-deployment limit"),
};
/// The deployments the memory and speed stages build from, as [`AT`] says.
const N: usize = 100_000;

/// How many stages [`judge`] runs.
pub const STAGES: usize = 4;

/// Run the stages on the exercise or the reference solution.
pub fn judge(judge: &mut Judge, target: Target) -> Result<(), Failed> {
    match target {
        Target::Exercise => judge_type::<objects_exercise::ColumnStore>(judge),
        Target::Solution => judge_type::<objects_solution::ColumnStore>(judge),
    }
}

/// What the list of dicts and the candidate say of `deployments`, then
/// after removing each of `removals` in turn; where they first differ, in
/// a sentence.
fn agrees<S: Store>(
    deployments: &[Deployment],
    removals: &[String],
    what: &str,
) -> Result<(), String> {
    let mut want = DictObjects::build(deployments);
    let mut got = S::build(deployments);
    let compare = |want: &DictObjects, got: &S, when: &str| -> Result<(), String> {
        if got.len() != want.len() {
            return Err(format!(
                "{what}, {when}: len() is {}, the list holds {}",
                got.len(),
                want.len()
            ));
        }
        if got.total_replicas() != want.total_replicas() {
            return Err(format!(
                "{what}, {when}: total_replicas() is {}, the list's is {}",
                got.total_replicas(),
                want.total_replicas()
            ));
        }
        check::same_items(&want.to_vec(), &got.to_vec())
            .map_err(|e| format!("{what}, {when}: to_vec() {e}"))
    };
    compare(&want, &got, "as built")?;
    for name in removals {
        let (a, b) = (want.remove(name), got.remove(name));
        if a != b {
            return Err(format!(
                "{what}: remove({name:?}) returned {b}, the list's {a}"
            ));
        }
        compare(&want, &got, &format!("after remove({name:?})"))?;
    }
    Ok(())
}

/// Random deployments: names of any UTF-8 (repeats included), versions
/// that may be empty, every replica count and status.
fn deployment() -> impl Strategy<Value = Deployment> {
    (
        prop_oneof!["[a-z]{1,3}", "[a-zé用ログ-]{1,8}", "\\PC{1,5}"],
        prop_oneof![Just(String::new()), "[0-9.]{1,6}", "\\PC{0,4}"],
        1u16..=api::MAX_REPLICAS,
        prop::sample::select(Status::ALL.to_vec()),
    )
        .prop_map(|(name, version, replicas, status)| Deployment {
            name,
            version,
            replicas,
            status,
        })
}

/// A random store and the names to remove from it: some of its own (the
/// first, the last, repeats), some it does not hold.
fn store_and_removals() -> impl Strategy<Value = (Vec<Deployment>, Vec<String>)> {
    prop::collection::vec(deployment(), 0..40).prop_flat_map(|ds| {
        let names: Vec<String> = ds.iter().map(|d| d.name.clone()).collect();
        let pick = if names.is_empty() {
            Just(String::from("absent")).boxed()
        } else {
            prop_oneof![prop::sample::select(names), Just(String::from("absent"))].boxed()
        };
        (Just(ds), prop::collection::vec(pick, 0..6))
    })
}

/// Run the stages on any implementation of the exercise's contract (the
/// known-wrong submissions in `tests/wrong/` come in here).
pub fn judge_type<S: Store + 'static>(judge: &mut Judge) -> Result<(), Failed> {
    judge.stage("started", "replace the todo!()s with your code", || {
        check::attempt("a store of one deployment", || {
            let store = S::build(&api::deployments(1));
            (store.len(), store.total_replicas())
        })
        .map(|_| "it returns".into())
    })?;
    judge.stage(
        "agrees with dict_objects",
        "every column gets one entry per deployment, in order; remove takes the same row out of every column and moves the strings after it down",
        || {
            let lesson = api::deployments(1_000);
            let removals: Vec<String> = [0, 999, 500, 1, 500]
                .iter()
                .map(|&i| lesson[i].name.clone())
                .chain(["absent".to_owned()])
                .collect();
            check::attempt("the lesson's 1,000 deployments", || {
                agrees::<S>(&lesson, &removals, "the lesson's 1,000 deployments")
            })?
            .map_err(Fail::Because)?;
            let empty: Vec<Deployment> = Vec::new();
            check::attempt("an empty store", || agrees::<S>(&empty, &["x".to_owned()], "an empty store"))?
                .map_err(Fail::Because)?;
            check::agree_on_random(store_and_removals(), 256, |(ds, removals)| {
                agrees::<S>(&ds, &removals, "a random store")
            })?;
            Ok(
                "the lesson's 1,000 deployments, with removals (first, last, middle, twice, absent); an empty store; 256 random stores (unicode names, empty versions, repeated names)"
                    .into(),
            )
        },
    )?;
    judge.stage(
        &format!("memory: {MAX_BYTES} B per deployment"),
        "a Vec<String> costs 24 bytes a string and a heap block; keep a field's strings in one String with a Vec<u32> of ends, and size each column once",
        || {
            let deployments = api::deployments(N);
            let what = format!("the lesson's {} deployments", count(N as u64));
            let (store, stats) = check::attempt(&what, || crate::alloc::count(|| S::build(&deployments)))?;
            let stats = stats.ok_or_else(|| Fail::Because("allocation counting is unavailable in this process".into()))?;
            let total = stats.held + std::mem::size_of::<S>() as u64;
            let per = total.div_ceil(N as u64);
            drop(store);
            if total > MAX_BYTES * N as u64 {
                return Err(Fail::Because(format!(
                    "built from {what}, it holds {} bytes of heap, {per} per deployment; the budget is {MAX_BYTES}",
                    count(stats.held)
                )));
            }
            Ok(format!("{per} bytes per deployment held, built from {what}"))
        },
    )?;
    judge.stage(
        &format!("speed: {MIN_SPEEDUP}x dict_objects"),
        "the scan should read one packed array of replicas: no pointer, no lookup, no other field",
        || {
            let cases = [
                scan_case(crate::catalog::objects::LAYOUTS[0].f, N as u64),
                scan_case(
                    |d| Box::new(objects_solution::ColumnStore::build(d)),
                    N as u64,
                ),
                scan_case(|d| Box::new(S::build(d)), N as u64),
            ];
            // No trap here: the tempting layouts (a list of maps, boxed
            // structs, a Vec<String> per field) fail the memory stage first.
            check::faster_than("dict_objects", cases, Vec::new(), MIN_SPEEDUP, AT)
        },
    )
}
