//! What the memo lesson's exercise shares with the lesson: the cache trait
//! and its counters. No variant lives here, so an exercise that depends on
//! this crate alone cannot call one.
#![deny(missing_docs)]

/// Hit, miss and eviction counters, like Python's `cache_info()`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct CacheInfo {
    /// Lookups answered from the cache.
    pub hits: u64,
    /// Lookups that had to compute (or load) the value.
    pub misses: u64,
    /// Entries dropped to make room (always 0 for an unbounded cache).
    pub evictions: u64,
}

impl CacheInfo {
    /// Hits over lookups; 0 before the first lookup.
    pub fn hit_rate(&self) -> f64 {
        let lookups = self.hits + self.misses;
        if lookups == 0 {
            0.0
        } else {
            self.hits as f64 / lookups as f64
        }
    }
}

/// The API every cache shares, so one replay and one test drive them all:
/// the lesson's caches, the exercise and its reference solution.
pub trait Lru<K, V> {
    /// An empty cache for at most `capacity` entries (panics if 0).
    fn new(capacity: usize) -> Self
    where
        Self: Sized;
    /// The value for `key`, now the most recently used; counts a hit or a miss.
    fn get(&mut self, key: &K) -> Option<&V>;
    /// Insert or update `key` as the most recently used, evicting the least
    /// recently used entry if a new key finds the cache full.
    fn put(&mut self, key: K, value: V);
    /// Entries held (`currsize`).
    fn len(&self) -> usize;
    /// Whether no entry is held.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Hits, misses and evictions so far (`cache_info()`).
    fn stats(&self) -> CacheInfo;
}

/// Implement [`Lru`] for a cache type by forwarding to its own methods
/// (`new`, `get`, `put`, `len`, `stats`), which keep the names Python's
/// `@lru_cache` bookkeeping suggests.
#[macro_export]
macro_rules! forward_lru {
    ($($cache:ident)::+) => {
        impl<K: ::core::hash::Hash + Eq + Clone, V> $crate::Lru<K, V> for $($cache)::+<K, V> {
            fn new(capacity: usize) -> Self {
                <$($cache)::+<K, V>>::new(capacity)
            }
            fn get(&mut self, key: &K) -> Option<&V> {
                <$($cache)::+<K, V>>::get(self, key)
            }
            fn put(&mut self, key: K, value: V) {
                <$($cache)::+<K, V>>::put(self, key, value)
            }
            fn len(&self) -> usize {
                <$($cache)::+<K, V>>::len(self)
            }
            fn stats(&self) -> $crate::CacheInfo {
                <$($cache)::+<K, V>>::stats(self)
            }
        }
    };
}
