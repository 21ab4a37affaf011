//! The reference model of an LRU cache with counters, and the operation
//! sequences that compare a cache against it (agreement tests and the
//! exercise's judge, `check::memo`).

use std::collections::HashMap;

use memo::CacheInfo;
use memo::cache::Lru;
use proptest::prelude::*;

/// One call on a cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `get(key)`.
    Get(u64),
    /// `put(key, value)`.
    Put(u64, u64),
}

/// Everything a caller can observe over a sequence of operations.
#[derive(Debug, PartialEq, Eq)]
pub struct Trace {
    /// What each `get` returned, in order.
    pub gets: Vec<Option<u64>>,
    /// `len()` after each operation.
    pub lens: Vec<usize>,
    /// The counters at the end.
    pub info: CacheInfo,
}

/// LRU by its definition, with nothing clever: every entry carries the
/// time of its last use, and a full cache evicts the entry whose time is
/// oldest. O(capacity) per eviction; obviously right.
pub struct Model {
    capacity: usize,
    /// key → (value, last use)
    entries: HashMap<u64, (u64, u64)>,
    clock: u64,
    info: CacheInfo,
}

impl Lru<u64, u64> for Model {
    fn new(capacity: usize) -> Self {
        Model {
            capacity,
            entries: HashMap::new(),
            clock: 0,
            info: CacheInfo::default(),
        }
    }

    fn get(&mut self, key: &u64) -> Option<&u64> {
        self.clock += 1;
        match self.entries.get_mut(key) {
            Some((value, used)) => {
                *used = self.clock;
                self.info.hits += 1;
                Some(value)
            }
            None => {
                self.info.misses += 1;
                None
            }
        }
    }

    fn put(&mut self, key: u64, value: u64) {
        self.clock += 1;
        if !self.entries.contains_key(&key) && self.entries.len() == self.capacity {
            let oldest = self
                .entries
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(&k, _)| k);
            // A full cache with a capacity of at least 1 has an oldest entry.
            let oldest = oldest.expect("a full cache is not empty");
            self.entries.remove(&oldest);
            self.info.evictions += 1;
        }
        self.entries.insert(key, (value, self.clock));
    }

    fn len(&self) -> usize {
        self.entries.len()
    }

    fn stats(&self) -> CacheInfo {
        self.info
    }
}

/// Run `ops` on a fresh `C` of `capacity` (the model included).
pub fn trace<C: Lru<u64, u64>>(capacity: usize, ops: &[Op]) -> Trace {
    let mut cache = C::new(capacity);
    let mut gets = Vec::new();
    let lens = ops
        .iter()
        .map(|&op| {
            match op {
                Op::Get(key) => gets.push(cache.get(&key).copied()),
                Op::Put(key, value) => cache.put(key, value),
            }
            cache.len()
        })
        .collect();
    Trace {
        gets,
        lens,
        info: cache.stats(),
    }
}

/// A capacity of 1 to 6 and up to 200 operations on 10 keys: small enough
/// that hits, updates and evictions all happen often.
pub fn ops_strategy() -> impl Strategy<Value = (usize, Vec<Op>)> {
    let op = prop_oneof![
        (0..10u64).prop_map(Op::Get),
        (0..10u64, 0..100u64).prop_map(|(k, v)| Op::Put(k, v)),
    ];
    (1..=6usize, prop::collection::vec(op, 0..200))
}
