//! Allocation counts of the objects lesson, exact, under dhat: what
//! building each layout of the lesson's deployments allocates, and that
//! scanning, reading a lazy value, calling a singleton or dispatching by
//! `enum` allocates nothing.
//!
//! One test in this file: dhat allows one profiler per process. It runs
//! without the test harness (`harness = false` in Cargo.toml), so no
//! harness thread allocates inside a counted call.

use std::hint::black_box;

use objects::api::{self, Store};
use objects::{dispatch, layout, lazy, validate};

mod heap;
use heap::blocks;

fn main() {
    let _profiler = dhat::Profiler::builder().testing().build();
    let n = 1_000u64;
    let deployments = api::deployments(n as usize);

    // The dicts: per deployment, its name and its table, which grows once
    // on the way to four entries; the list; the shared strings (5 versions,
    // 4 statuses) and the list that finds them, grown twice.
    assert_eq!(
        blocks(|| drop(black_box(layout::dict_objects(&deployments)))),
        3 * n + 1 + 9 + 3,
        "dict_objects"
    );
    // Structs: the vector, and a name and a version per deployment.
    assert_eq!(
        blocks(|| drop(black_box(layout::structs(&deployments)))),
        1 + 2 * n
    );
    // Boxed: one box more per deployment.
    assert_eq!(
        blocks(|| drop(black_box(layout::boxed_structs(&deployments)))),
        1 + 3 * n
    );
    // Compact structs: the vector, and a boxed name and version each.
    assert_eq!(
        blocks(|| drop(black_box(layout::compact_structs(&deployments)))),
        1 + 2 * n
    );
    // The lesson's columns and the solution's: four columns of values, two of string ends,
    // each sized once: six blocks, whatever n.
    for n in [1, 1_000, 10_000] {
        let ds = api::deployments(n);
        assert_eq!(
            blocks(|| drop(black_box(objects_solution::ColumnStore::build(&ds)))),
            6,
            "solution at n = {n}"
        );
        assert_eq!(
            blocks(|| drop(black_box(layout::columns(&ds)))),
            6,
            "columns at n = {n}"
        );
    }
    // Scanning allocates nothing, whatever the layout.
    let dicts = layout::dict_objects(&deployments);
    let structs = layout::structs(&deployments);
    let columns = layout::columns(&deployments);
    assert_eq!(blocks(|| _ = black_box(dicts.total_replicas())), 0);
    assert_eq!(blocks(|| _ = black_box(structs.total_replicas())), 0);
    assert_eq!(blocks(|| _ = black_box(columns.total_replicas())), 0);

    // The descriptor shares the small ints, made on its first call, as
    // CPython does: after that, a call allocates its map's table, once.
    validate::descriptor(1).unwrap();
    assert_eq!(
        blocks(|| _ = black_box(validate::descriptor(n))),
        1,
        "descriptor"
    );
    assert_eq!(blocks(|| _ = black_box(validate::newtype(n))), 0);

    // Recomputing formats a String per read; the lazy value is formatted
    // once (its String, plus the config's own environment).
    assert_eq!(blocks(|| _ = black_box(lazy::recompute(n))), 1 + n);
    assert_eq!(blocks(|| _ = black_box(lazy::once_lock(n))), 2);
    // The article's way: the environment, the instance dict's table and the
    // URL stored in it, once.
    assert_eq!(blocks(|| _ = black_box(lazy::dict_cache(n))), 3);
    assert_eq!(blocks(|| _ = black_box(lazy::mutex_option(n))), 2);
    // The singletons exist already after one call: nothing more, ever.
    lazy::mutex_registry(1);
    lazy::once_lock_static(1);
    assert_eq!(blocks(|| _ = black_box(lazy::mutex_registry(n))), 0);
    assert_eq!(blocks(|| _ = black_box(lazy::once_lock_static(n))), 0);

    // The registry makes a boxed object per call (a unit struct's box is
    // no allocation) after building its map once; the enum makes nothing.
    let registry = blocks(|| _ = black_box(dispatch::registry_lookup(n)));
    assert!(
        registry <= 2,
        "registry_lookup: {registry} blocks, its map only"
    );
    assert_eq!(blocks(|| _ = black_box(dispatch::enum_match(n))), 0);

    println!("objects_heap: every count as expected");
}
