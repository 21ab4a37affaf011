//! The memo variants compute the same thing: Fibonacci numbers against a
//! known table, LRU caches against a reference model, cached deployment
//! configs against uncached ones.

use std::collections::{HashSet, VecDeque};

use memo::cache::{self, CrateLru, LinkedLru, Lru, VecScanLru};
use memo::{CacheInfo, config};
use proptest::prelude::*;
use workbench::catalog::memo::model::{Model, Op, ops_strategy, trace};
use workbench::catalog::memo::{CONFIG, FIB, LRU, requests};
use workbench::check::memo::agrees_with_model;

/// fib(0) … fib(20), then landmarks: the article's fib(30), the issue's
/// fib(90), the largest that fits a u64 (93) and the largest for a u128.
const KNOWN: &[(u32, u128)] = &[
    (30, 832_040),
    (50, 12_586_269_025),
    (90, 2_880_067_194_370_816_120),
    (93, 12_200_160_415_121_876_738),
    (186, 332_825_110_087_067_562_321_196_029_789_634_457_848),
];
const FIRST: [u128; 21] = [
    0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181, 6765,
];

/// Every Fibonacci variant gives the known values, each where it runs (the
/// exponential one up to its catalog limit).
#[test]
fn every_fib_variant_matches_the_known_table() {
    let table = FIRST.iter().zip(0..).map(|(&f, n)| (n, f));
    for (n, expected) in table.chain(KNOWN.iter().copied()) {
        for row in FIB {
            if row.max_param.is_none_or(|max| u64::from(n) <= max) {
                assert_eq!((row.f)(n), expected, "{} at n = {n}", row.name);
            }
        }
    }
}

/// The O(n) and O(log n) variants agree at every n up to the u128 limit,
/// so the doubling identities hold at every bit pattern, including the
/// last step that must not compute fib(187).
#[test]
fn the_fast_variants_agree_at_every_n_up_to_186() {
    for n in 0..=memo::MAX_N {
        let expected = memo::iterative(n);
        assert_eq!(memo::fast_doubling(n), expected, "n = {n}");
        assert_eq!(memo::memo_hashmap(n), expected, "n = {n}");
        assert_eq!(memo::memoize(n), expected, "n = {n}");
    }
}

/// The memoizing wrapper counts like Python's `lru_cache`: fib(30) from an
/// empty cache is 31 misses (0 … 30) and 28 hits; a second call is one
/// hit; `cache_clear` forgets everything.
#[test]
fn the_memoized_fib_counts_like_pythons_cache_info() {
    let fib = memo::fib_memoized();
    assert_eq!(fib.call(30), 832_040);
    let info = fib.cache_info();
    assert_eq!((info.hits, info.misses, fib.len()), (28, 31, 31));
    fib.call(30);
    assert_eq!(fib.cache_info().hits, 29);
    fib.cache_clear();
    assert_eq!((fib.cache_info(), fib.len()), (CacheInfo::default(), 0));
}

/// A cache that evicts the *first inserted* entry and ignores use: a wrong
/// LRU that the model must catch, or the agreement tests prove nothing.
struct Fifo {
    entries: VecDeque<(u64, u64)>,
    capacity: usize,
    info: CacheInfo,
}

impl Lru<u64, u64> for Fifo {
    fn new(capacity: usize) -> Self {
        Fifo {
            entries: VecDeque::new(),
            capacity,
            info: CacheInfo::default(),
        }
    }
    fn get(&mut self, key: &u64) -> Option<&u64> {
        let found = self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v);
        match found {
            Some(_) => self.info.hits += 1,
            None => self.info.misses += 1,
        }
        found
    }
    fn put(&mut self, key: u64, value: u64) {
        if let Some(entry) = self.entries.iter_mut().find(|(k, _)| *k == key) {
            entry.1 = value;
            return;
        }
        if self.entries.len() == self.capacity {
            self.entries.pop_front();
            self.info.evictions += 1;
        }
        self.entries.push_back((key, value));
    }
    fn len(&self) -> usize {
        self.entries.len()
    }
    fn stats(&self) -> CacheInfo {
        self.info
    }
}

/// FIFO and LRU differ as soon as a get refreshes an old entry: put 1, put
/// 2, get 1, put 3 evicts 2 under LRU but 1 under FIFO.
#[test]
fn the_model_tells_lru_from_fifo() {
    let ops = [
        Op::Put(1, 10),
        Op::Put(2, 20),
        Op::Get(1),
        Op::Put(3, 30),
        Op::Get(1),
        Op::Get(2),
    ];
    let lru = trace::<Model>(2, &ops);
    assert_eq!(lru.gets, [Some(10), Some(10), None]);
    assert_eq!(
        lru.info,
        CacheInfo {
            hits: 2,
            misses: 1,
            evictions: 1
        }
    );
    assert_eq!(trace::<LinkedLru<u64, u64>>(2, &ops), lru);
    assert!(agrees_with_model::<Fifo>(2, &ops).is_err());

    // The same trap at every capacity: fill, refresh the oldest, add one.
    for capacity in 2..=6u64 {
        let ops: Vec<Op> = (0..capacity)
            .map(|k| Op::Put(k, k))
            .chain([Op::Get(0), Op::Put(99, 0), Op::Get(0)])
            .collect();
        assert!(agrees_with_model::<Fifo>(capacity as usize, &ops).is_err());
        assert!(agrees_with_model::<LinkedLru<u64, u64>>(capacity as usize, &ops).is_ok());
    }
}

/// Capacity 1: every new key evicts the previous one; an update does not.
#[test]
fn a_cache_of_one_keeps_the_last_key() {
    let ops = [
        Op::Put(1, 1),
        Op::Put(1, 2),
        Op::Get(1),
        Op::Put(2, 3),
        Op::Get(1),
    ];
    let expected = trace::<Model>(1, &ops);
    assert_eq!(expected.gets, [Some(2), None]);
    assert_eq!(expected.info.evictions, 1);
    assert_eq!(expected.lens, [1, 1, 1, 1, 1]);
    assert_eq!(trace::<VecScanLru<u64, u64>>(1, &ops), expected);
    assert_eq!(trace::<LinkedLru<u64, u64>>(1, &ops), expected);
    assert_eq!(trace::<CrateLru<u64, u64>>(1, &ops), expected);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Every LRU variant returns the model's values and lengths, and ends
    /// with its hits, misses and evictions, on any sequence of operations.
    #[test]
    fn every_lru_agrees_with_the_model((capacity, ops) in ops_strategy()) {
        let check = [
            agrees_with_model::<VecScanLru<u64, u64>>,
            agrees_with_model::<LinkedLru<u64, u64>>,
            agrees_with_model::<CrateLru<u64, u64>>,
        ];
        for (agrees, name) in check.iter().zip(["lru_vec_scan", "lru_linked", "lru_crate"]) {
            prop_assert!(agrees(capacity, &ops).is_ok(), "{}: {:?}", name, agrees(capacity, &ops));
        }
    }
}

/// On the lesson's request stream, every LRU variant serves the same
/// values with the same counters, and a bigger cache hits more often.
#[test]
fn every_lru_variant_replays_the_stream_identically() {
    let keys = requests();
    assert_eq!(keys.len(), cache::REQUESTS);
    let mut last_rate = 0.0;
    for capacity in [128, 1_000] {
        let expected = cache::lru_vec_scan(capacity, &keys);
        for row in LRU {
            assert_eq!(
                (row.f)(capacity, &keys),
                expected,
                "{} at {capacity}",
                row.name
            );
        }
        let info = expected.info;
        assert_eq!(info.hits + info.misses, cache::REQUESTS as u64);
        assert_eq!(
            info.misses - info.evictions,
            capacity as u64,
            "full once, then one eviction per miss"
        );
        assert!(info.hit_rate() > last_rate);
        last_rate = info.hit_rate();
    }
}

/// The stream is skewed: a few keys take a large share of the requests.
#[test]
fn the_request_stream_is_skewed() {
    let keys = requests();
    let mut counts = std::collections::HashMap::new();
    for key in &keys {
        *counts.entry(key).or_insert(0u32) += 1;
    }
    let mut by_count: Vec<u32> = counts.into_values().collect();
    by_count.sort_unstable_by(|a, b| b.cmp(a));
    let top_100: u32 = by_count[..100].iter().sum();
    // Log-uniform ranks: P(rank < 100) = ln 101 / ln 1,000,001 ≈ 1/3.
    assert!(
        (30_000..37_000).contains(&top_100),
        "top 100 keys: {top_100}"
    );
    assert!(
        by_count.len() > 30_000,
        "most keys are rare: {}",
        by_count.len()
    );
}

/// Cached or not, every caller reads the same configs; the caches do one
/// lookup per environment, the uncached version one per call.
#[test]
fn cached_configs_equal_uncached_ones_with_one_lookup_per_environment() {
    for count in [1, 4, 10, 100] {
        let calls = config::calls(count);
        let (expected, info) = config::config_uncached(&calls);
        assert_eq!(info.misses, count as u64);
        for row in CONFIG {
            let (checksum, info) = (row.f)(&calls);
            assert_eq!(checksum, expected, "{} at {count}", row.name);
            if row.name != "config_uncached" {
                let environments = calls.iter().collect::<HashSet<_>>().len() as u64;
                assert_eq!(info.misses, environments, "{} at {count}", row.name);
                assert_eq!(
                    info.hits,
                    count as u64 - environments,
                    "{} at {count}",
                    row.name
                );
            }
        }
    }
    assert_eq!(
        config::fetch_deployment_config("production").image,
        "myapp:production"
    );
}
