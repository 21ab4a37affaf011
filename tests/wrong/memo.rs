//! Known-wrong answers to the memo exercise (`LruCache`), each the way a
//! learner writes it, and where the judge must stop it.

use std::collections::HashMap;

use memo::CacheInfo;
use memo::cache::Lru;
use workbench::check::memo::judge_cache;

use super::{Expect, Wrong};

/// Entries in recency order in a Vec: right, and no allocation in `get`,
/// but every `get` scans and shifts: O(capacity).
struct Scan {
    entries: Vec<(u64, u64)>,
    capacity: usize,
    info: CacheInfo,
}

impl Lru<u64, u64> for Scan {
    fn new(capacity: usize) -> Self {
        Scan {
            entries: Vec::with_capacity(capacity),
            capacity,
            info: CacheInfo::default(),
        }
    }
    fn get(&mut self, key: &u64) -> Option<&u64> {
        match self.entries.iter().position(|(k, _)| k == key) {
            Some(i) => {
                self.info.hits += 1;
                let entry = self.entries.remove(i);
                self.entries.push(entry);
                self.entries.last().map(|(_, v)| v)
            }
            None => {
                self.info.misses += 1;
                None
            }
        }
    }
    fn put(&mut self, key: u64, value: u64) {
        if let Some(i) = self.entries.iter().position(|(k, _)| *k == key) {
            self.entries.remove(i);
        } else if self.entries.len() == self.capacity {
            self.entries.remove(0);
            self.info.evictions += 1;
        }
        self.entries.push((key, value));
    }
    fn len(&self) -> usize {
        self.entries.len()
    }
    fn stats(&self) -> CacheInfo {
        self.info
    }
}

/// Evicts the oldest *inserted* entry: a `get` does not make a key new.
struct Fifo(Scan);

impl Lru<u64, u64> for Fifo {
    fn new(capacity: usize) -> Self {
        Fifo(Scan::new(capacity))
    }
    fn get(&mut self, key: &u64) -> Option<&u64> {
        match self.0.entries.iter().position(|(k, _)| k == key) {
            Some(i) => {
                self.0.info.hits += 1;
                Some(&self.0.entries[i].1)
            }
            None => {
                self.0.info.misses += 1;
                None
            }
        }
    }
    fn put(&mut self, key: u64, value: u64) {
        self.0.put(key, value)
    }
    fn len(&self) -> usize {
        self.0.len()
    }
    fn stats(&self) -> CacheInfo {
        self.0.stats()
    }
}

/// Right order, but a miss is never counted.
struct NoMisses(Scan);

impl Lru<u64, u64> for NoMisses {
    fn new(capacity: usize) -> Self {
        NoMisses(Scan::new(capacity))
    }
    fn get(&mut self, key: &u64) -> Option<&u64> {
        let before = self.0.info.misses;
        let got = self.0.get(key).copied();
        self.0.info.misses = before;
        got.and_then(|_| self.0.entries.last().map(|(_, v)| v))
    }
    fn put(&mut self, key: u64, value: u64) {
        self.0.put(key, value)
    }
    fn len(&self) -> usize {
        self.0.len()
    }
    fn stats(&self) -> CacheInfo {
        self.0.stats()
    }
}

/// Right, but every `get` also records the key in a history that grows.
struct KeepsHistory {
    cache: Scan,
    history: Vec<u64>,
}

impl Lru<u64, u64> for KeepsHistory {
    fn new(capacity: usize) -> Self {
        KeepsHistory {
            cache: Scan::new(capacity),
            history: Vec::new(),
        }
    }
    fn get(&mut self, key: &u64) -> Option<&u64> {
        self.history.push(*key);
        self.cache.get(key)
    }
    fn put(&mut self, key: u64, value: u64) {
        self.cache.put(key, value)
    }
    fn len(&self) -> usize {
        self.cache.len()
    }
    fn stats(&self) -> CacheInfo {
        self.cache.stats()
    }
}

/// A map with no order at all: a full cache evicts an arbitrary key.
struct AnyEviction {
    map: HashMap<u64, u64>,
    capacity: usize,
    info: CacheInfo,
}

impl Lru<u64, u64> for AnyEviction {
    fn new(capacity: usize) -> Self {
        AnyEviction {
            map: HashMap::with_capacity(capacity),
            capacity,
            info: CacheInfo::default(),
        }
    }
    fn get(&mut self, key: &u64) -> Option<&u64> {
        let got = self.map.get(key);
        if got.is_some() {
            self.info.hits += 1;
        } else {
            self.info.misses += 1;
        }
        got
    }
    fn put(&mut self, key: u64, value: u64) {
        if !self.map.contains_key(&key) && self.map.len() == self.capacity {
            let any = *self.map.keys().next().expect("full, so not empty");
            self.map.remove(&any);
            self.info.evictions += 1;
        }
        self.map.insert(key, value);
    }
    fn len(&self) -> usize {
        self.map.len()
    }
    fn stats(&self) -> CacheInfo {
        self.info
    }
}

/// `new` left for later.
struct Panics;

impl Lru<u64, u64> for Panics {
    fn new(_: usize) -> Self {
        panic!("capacity handling comes later")
    }
    fn get(&mut self, _: &u64) -> Option<&u64> {
        None
    }
    fn put(&mut self, _: u64, _: u64) {}
    fn len(&self) -> usize {
        0
    }
    fn stats(&self) -> CacheInfo {
        CacheInfo::default()
    }
}

/// A `get` that waits for something that never happens.
struct Hangs(Scan);

impl Lru<u64, u64> for Hangs {
    fn new(capacity: usize) -> Self {
        Hangs(Scan::new(capacity))
    }
    fn get(&mut self, key: &u64) -> Option<&u64> {
        // Meant to wait until the key is moved; nothing ever moves it.
        let mut spins = 0u64;
        while self.0.entries.iter().any(|(k, _)| k == key) {
            spins = std::hint::black_box(spins + 1);
        }
        self.0.get(key)
    }
    fn put(&mut self, key: u64, value: u64) {
        self.0.put(key, value)
    }
    fn len(&self) -> usize {
        self.0.len()
    }
    fn stats(&self) -> CacheInfo {
        self.0.stats()
    }
}

/// Every known-wrong submission, with the stage that must stop it.
pub const WRONG: &[Wrong] = &[
    Wrong {
        name: "scan",
        expect: Expect::Speed,
        run: judge_cache::<Scan>,
    },
    Wrong {
        name: "fifo",
        expect: Expect::Failed("agrees"),
        run: judge_cache::<Fifo>,
    },
    Wrong {
        name: "no_misses",
        expect: Expect::Failed("agrees"),
        run: judge_cache::<NoMisses>,
    },
    Wrong {
        name: "keeps_history",
        expect: Expect::Failed("allocation"),
        run: judge_cache::<KeepsHistory>,
    },
    Wrong {
        name: "any_eviction",
        expect: Expect::Failed("agrees"),
        run: judge_cache::<AnyEviction>,
    },
    Wrong {
        name: "panics",
        expect: Expect::Panicked("started"),
        run: judge_cache::<Panics>,
    },
    Wrong {
        name: "hangs",
        expect: Expect::Hangs("started"),
        run: judge_cache::<Hangs>,
    },
];
