//! The bounded question: `@lru_cache(maxsize=…)` keeps at most `maxsize`
//! answers and drops the least recently used one to make room. How fast
//! can that bookkeeping be?
//!
//! Three caches with one API (`new`, `get`, `put`, `len`, `stats`, also
//! as the [`Lru`] trait) replay the same skewed stream of requests. They
//! evict the same keys in the same order, so their hits, misses and
//! evictions are identical; only the cost of finding an entry and of
//! moving it to the front differs.

use std::hash::Hash;

use crate::CacheInfo;

pub use memo_api::Lru;
pub use memo_solution::LruCache as LinkedLru;

// ANCHOR: setup
/// Requests per replay, whatever the capacity: the stream is fixed and
/// only the cache size varies.
pub const REQUESTS: usize = 100_000;
/// Distinct keys the stream draws from.
pub const KEYS: u64 = 1_000_000;

/// `count` requests for keys of popularity rank 0 … `keys - 1`, Zipf-like:
/// rank r is drawn with probability about 1 / (r · ln keys), so a few keys
/// are hot and most are rare, as in real request logs. Seeded (splitmix64)
/// and deterministic; `python/reference.py` draws the same stream.
pub fn requests(count: usize, keys: u64, seed: u64) -> Vec<u64> {
    let mut state = seed;
    (0..count)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            let uniform = ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64;
            // Log-uniform on [1, keys + 1): Zipf with exponent 1, continuous.
            let rank = ((keys + 1) as f64).powf(uniform) as u64 - 1;
            // An odd multiplier is a bijection: hot keys get scattered ids.
            rank.wrapping_mul(0x9E37_79B9_7F4A_7C15)
        })
        .collect()
}

/// What the backing store holds for `key` (cheap: the question is the
/// cache's cost, not the store's).
pub fn stored_value(key: u64) -> u64 {
    key.rotate_left(29) ^ 0xC0FF_EE00
}
// ANCHOR_END: setup

memo_api::forward_lru!(VecScanLru);
memo_api::forward_lru!(CrateLru);

/// The outcome of one replay: the counters and a checksum of every value
/// served, so a cache that counts right but answers wrong still disagrees.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Replayed {
    /// Hits, misses and evictions.
    pub info: CacheInfo,
    /// Wrapping sum of the values served.
    pub checksum: u64,
}

// ANCHOR: replay
/// Serve every request through `cache`: a hit answers from it, a miss
/// loads the value from the store and puts it in (what `@lru_cache` does
/// around a call).
pub fn replay<C: Lru<u64, u64>>(cache: &mut C, requests: &[u64]) -> Replayed {
    let mut checksum = 0u64;
    for &key in requests {
        let value = match cache.get(&key) {
            Some(&value) => value,
            None => {
                let value = stored_value(key);
                cache.put(key, value);
                value
            }
        };
        checksum = checksum.wrapping_add(value);
    }
    Replayed {
        info: cache.stats(),
        checksum,
    }
}
// ANCHOR_END: replay

// ANCHOR: lru_vec_scan
/// A `Vec` of `(key, value)` in recency order, most recent first.
///
/// `get` searches from the front (hot keys are found early), then rotates
/// the found entry to the front; a new key on a full cache drops the last
/// entry. O(capacity) per miss: the search reads every entry and the
/// insertion at the front shifts them all. No hashing, one allocation.
pub struct VecScanLru<K, V> {
    entries: Vec<(K, V)>,
    capacity: usize,
    info: CacheInfo,
}

impl<K: Hash + Eq + Clone, V> VecScanLru<K, V> {
    /// An empty cache for at most `capacity` entries; panics if 0.
    pub fn new(capacity: usize) -> Self {
        assert!(capacity > 0, "an LRU cache needs room for one entry");
        VecScanLru {
            entries: Vec::with_capacity(capacity),
            capacity,
            info: CacheInfo::default(),
        }
    }

    /// See [`Lru::get`].
    pub fn get(&mut self, key: &K) -> Option<&V> {
        let Some(found) = self.entries.iter().position(|(k, _)| k == key) else {
            self.info.misses += 1;
            return None;
        };
        self.info.hits += 1;
        self.entries[..=found].rotate_right(1);
        Some(&self.entries[0].1)
    }

    /// See [`Lru::put`].
    pub fn put(&mut self, key: K, value: V) {
        if let Some(found) = self.entries.iter().position(|(k, _)| *k == key) {
            self.entries[found].1 = value;
            self.entries[..=found].rotate_right(1);
            return;
        }
        if self.entries.len() == self.capacity {
            self.entries.pop();
            self.info.evictions += 1;
        }
        self.entries.insert(0, (key, value));
    }

    /// See [`Lru::len`].
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// See [`Lru::is_empty`].
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// See [`Lru::stats`].
    pub fn stats(&self) -> CacheInfo {
        self.info
    }
}

/// Replay `requests` through a [`VecScanLru`] of `capacity`.
pub fn lru_vec_scan(capacity: usize, requests: &[u64]) -> Replayed {
    replay(&mut VecScanLru::new(capacity), requests)
}
// ANCHOR_END: lru_vec_scan

// ANCHOR: lru_linked
/// Replay `requests` through a [`LinkedLru`] of `capacity`: a hash map
/// from key to slot, and the slots linked by index in recency order. Its
/// code is the exercise's reference solution, `solution::LruCache`.
pub fn lru_linked(capacity: usize, requests: &[u64]) -> Replayed {
    replay(&mut LinkedLru::new(capacity), requests)
}
// ANCHOR_END: lru_linked

// ANCHOR: lru_crate
/// The `lru` crate's `LruCache` (a hash map of heap-allocated, pointer-
/// linked nodes, written with `unsafe`), wrapped to count hits, misses and
/// evictions, which the crate does not.
pub struct CrateLru<K, V> {
    // The same hasher, with the same fixed seed, as `lru_linked`: the
    // comparison is of the two caches, not of their hash seeds.
    inner: lru::LruCache<K, V, foldhash::fast::FixedState>,
    info: CacheInfo,
}

impl<K: Hash + Eq + Clone, V> CrateLru<K, V> {
    /// An empty cache for at most `capacity` entries; panics if 0.
    pub fn new(capacity: usize) -> Self {
        let capacity =
            std::num::NonZeroUsize::new(capacity).expect("an LRU cache needs room for one entry");
        CrateLru {
            inner: lru::LruCache::with_hasher(capacity, foldhash::fast::FixedState::default()),
            info: CacheInfo::default(),
        }
    }

    /// See [`Lru::get`].
    pub fn get(&mut self, key: &K) -> Option<&V> {
        let found = self.inner.get(key);
        match found {
            Some(_) => self.info.hits += 1,
            None => self.info.misses += 1,
        }
        found
    }

    /// See [`Lru::put`].
    pub fn put(&mut self, key: K, value: V) {
        // `push` returns the entry it displaced: the old value of this key,
        // or the least recently used entry when a new key found it full.
        if let Some((displaced, _)) = self.inner.push(key, value)
            && !self.inner.contains(&displaced)
        {
            self.info.evictions += 1;
        }
    }

    /// See [`Lru::len`].
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    /// See [`Lru::is_empty`].
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// See [`Lru::stats`].
    pub fn stats(&self) -> CacheInfo {
        self.info
    }
}

/// Replay `requests` through a [`CrateLru`] of `capacity`.
pub fn lru_crate(capacity: usize, requests: &[u64]) -> Replayed {
    replay(&mut CrateLru::new(capacity), requests)
}
// ANCHOR_END: lru_crate
