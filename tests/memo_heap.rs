//! Allocation counts of the memo variants, exact, under dhat.
//!
//! One test in this file: dhat allows one profiler per process. It runs
//! without the test harness (`harness = false` in Cargo.toml): dhat counts
//! every thread of the process, and the harness's own thread and its
//! output capture allocate at moments the scheduler decides, which under
//! load fall inside a counted call.

use std::hint::black_box;

use memo::cache::{self, CrateLru, LinkedLru, VecScanLru};
use memo::config;
use workbench::catalog::memo::{FIB, requests};

mod heap;
use heap::blocks;

/// The loop and the doubling allocate nothing at any n; the memo tables
/// grow with n; an O(1) LRU `get` allocates nothing, hit or miss. The
/// counts were measured with this test and are exact: they change only
/// if a variant or a library's growth policy does.
fn fib_without_a_table_and_lru_get_allocate_nothing() {
    let _profiler = dhat::Profiler::builder().testing().build();

    // Fibonacci: no heap for the recursion, the loop or the doubling; a
    // HashMap of answers that doubles as it fills for the memo variants.
    for n in [0, 1, 2, 10, 30, 90, 186] {
        for name in ["iterative", "fast_doubling"] {
            let row = FIB.iter().find(|r| r.name == name).expect("row exists");
            assert_eq!(
                blocks(|| _ = black_box((row.f)(black_box(n)))),
                0,
                "{name} at {n}"
            );
        }
    }
    assert_eq!(blocks(|| _ = black_box(memo::recursive(black_box(20)))), 0);
    // n + 1 - 2 = n - 1 entries (fib(0) and fib(1) are never stored): the
    // table is allocated at 3 entries and reallocated at each doubling of
    // its bucket count (4, 8, 16, 32, … buckets hold 3, 7, 14, 28, … keys).
    // The wrapper's table hashes with foldhash, which draws its random seed
    // once per process from the address of a fresh box: draw it here.
    _ = black_box(memo::memoize(2));
    for (n, tables) in [(2, 1), (10, 3), (30, 5), (90, 6), (186, 7)] {
        assert_eq!(
            blocks(|| _ = black_box(memo::memo_hashmap(n))),
            tables,
            "memo_hashmap at {n}"
        );
        // The wrapper's table grows the same way; nothing else allocates.
        assert_eq!(
            blocks(|| _ = black_box(memo::memoize(n))),
            tables,
            "memoize at {n}"
        );
    }

    // The O(1) LRU: its map (foldhash with a fixed seed, so no seed is
    // drawn) and its slots.
    let keys = requests();
    let first = blocks(|| drop(black_box(LinkedLru::<u64, u64>::new(10))));
    assert_eq!(first, 2, "map + slots");
    let mut linked = LinkedLru::new(1_000);
    let mut vec_scan = VecScanLru::new(1_000);
    let mut crate_lru = CrateLru::new(1_000);
    // Filling and then evicting: the slots never grow; the map rehashes
    // its table once when removals have used up its spare room (hashbrown
    // marks some removed slots as tombstones, and a table more than half
    // full is rebuilt at twice the size rather than in place).
    assert_eq!(
        blocks(|| _ = cache::replay(&mut linked, &keys)),
        1,
        "linked: 100,000 requests"
    );
    // The Vec is allocated in `new` and never grows.
    assert_eq!(
        blocks(|| _ = cache::replay(&mut vec_scan, &keys)),
        0,
        "vec_scan: 100,000 requests"
    );
    // The crate boxes one node per entry until full, then reuses the
    // evicted node: 1,000 nodes, plus the same one rebuild of its map.
    assert_eq!(
        blocks(|| _ = cache::replay(&mut crate_lru, &keys)),
        1_000 + 1,
        "crate: 100,000 requests"
    );

    // `get` on a full cache, hits and misses alike: nothing, in all three.
    let gets = |cache: &mut dyn FnMut(&u64)| {
        blocks(|| {
            for key in &keys {
                cache(key);
            }
        })
    };
    assert_eq!(
        gets(&mut |k| _ = black_box(linked.get(k))),
        0,
        "lru_linked get"
    );
    assert_eq!(
        gets(&mut |k| _ = black_box(vec_scan.get(k))),
        0,
        "lru_vec_scan get"
    );
    assert_eq!(
        gets(&mut |k| _ = black_box(crate_lru.get(k))),
        0,
        "lru_crate get"
    );
    assert_eq!(linked.len(), 1_000);

    // Deployment configs: each lookup allocates its two strings, and
    // `format!` sizes the image name at twice its literal part ("myapp:",
    // 12 bytes), so every name but "qa" grows it once: 7 of every 8 calls. The caches
    // do 4 lookups (3 blocks each, 2 for "qa": 11) and add their own:
    // 4 `Rc` boxes and a map allocated at 3 entries, grown once for the
    // 4th (17); or the LRU's map and slots (13).
    let calls = config::calls(1_000);
    assert_eq!(
        blocks(|| _ = black_box(config::config_uncached(&calls))),
        2_000 + 875
    );
    assert_eq!(
        blocks(|| _ = black_box(config::config_memoized(&calls))),
        17
    );
    assert_eq!(blocks(|| _ = black_box(config::config_lru(&calls))), 13);
}

fn main() {
    println!("running fib_without_a_table_and_lru_get_allocate_nothing");
    fib_without_a_table_and_lru_get_allocate_nothing();
    println!(
        "test fib_without_a_table_and_lru_get_allocate_nothing ... ok\nmemo_heap: 1 passed, 0 failed"
    );
}
