//! The reference solution to [`crate::exercise`], and the lesson's
//! `lru_linked` variant. Try the exercise first:
//! `cargo run --release -- check memo` tells you what is missing.

use std::collections::HashMap;
use std::hash::Hash;

use memo_api::CacheInfo;

// ANCHOR: solution
/// "No slot": the end of the recency list.
const NIL: usize = usize::MAX;

/// One entry, linked to its neighbours in recency order by their indices.
struct Slot<K, V> {
    key: K,
    value: V,
    /// The more recently used neighbour, or [`NIL`] at the head.
    newer: usize,
    /// The less recently used neighbour, or [`NIL`] at the tail.
    older: usize,
}

/// A bounded cache that evicts the least recently used entry, with
/// `get` and `put` in O(1) and counters like Python's `cache_info()`.
pub struct LruCache<K, V> {
    /// Where each key's slot is. foldhash: a hit is one short hash. Its
    /// fixed seed makes the same keys land in the same buckets every run
    /// (the keys are the program's own: no seed is needed against chosen
    /// ones), so a run's work repeats exactly.
    index: HashMap<K, usize, foldhash::fast::FixedState>,
    /// The entries; a doubly linked list threaded through by index.
    slots: Vec<Slot<K, V>>,
    /// Most recently used slot.
    head: usize,
    /// Least recently used slot: the next to go.
    tail: usize,
    capacity: usize,
    info: CacheInfo,
}

impl<K: Hash + Eq + Clone, V> LruCache<K, V> {
    /// An empty cache for at most `capacity` entries; panics if 0.
    pub fn new(capacity: usize) -> Self {
        assert!(capacity > 0, "an LRU cache needs room for one entry");
        // Everything is sized for `capacity` now, so neither `get` nor a
        // `put` that fills the cache has to grow anything later.
        LruCache {
            index: HashMap::with_capacity_and_hasher(capacity, Default::default()),
            slots: Vec::with_capacity(capacity),
            head: NIL,
            tail: NIL,
            capacity,
            info: CacheInfo::default(),
        }
    }

    /// The value for `key`, now the most recently used; counts a hit or a
    /// miss. One hash lookup and a few index writes: no scan, no allocation.
    pub fn get(&mut self, key: &K) -> Option<&V> {
        let Some(&slot) = self.index.get(key) else {
            self.info.misses += 1;
            return None;
        };
        self.info.hits += 1;
        // Moving to the front is unlinking and relinking: O(1) because each
        // slot knows both neighbours.
        self.unlink(slot);
        self.link_at_head(slot);
        Some(&self.slots[slot].value)
    }

    /// Insert or update `key` as the most recently used entry; a new key on
    /// a full cache takes over the least recently used slot.
    pub fn put(&mut self, key: K, value: V) {
        if let Some(&slot) = self.index.get(&key) {
            self.slots[slot].value = value;
            self.unlink(slot);
            self.link_at_head(slot);
            return;
        }
        let slot = if self.slots.len() < self.capacity {
            self.slots.push(Slot {
                key: key.clone(),
                value,
                newer: NIL,
                older: NIL,
            });
            self.slots.len() - 1
        } else {
            // Full: reuse the tail's slot in place, so the slots never move
            // and never grow, and the evicted key leaves the index.
            let slot = self.tail;
            self.unlink(slot);
            let old = std::mem::replace(&mut self.slots[slot].key, key.clone());
            self.slots[slot].value = value;
            self.index.remove(&old);
            self.info.evictions += 1;
            slot
        };
        self.index.insert(key, slot);
        self.link_at_head(slot);
    }

    /// Entries held.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether no entry is held.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Hits, misses and evictions so far.
    pub fn stats(&self) -> CacheInfo {
        self.info
    }

    /// Take `slot` out of the recency list, joining its neighbours.
    fn unlink(&mut self, slot: usize) {
        let Slot { newer, older, .. } = self.slots[slot];
        match newer {
            NIL => self.head = older,
            newer => self.slots[newer].older = older,
        }
        match older {
            NIL => self.tail = newer,
            older => self.slots[older].newer = newer,
        }
    }

    /// Put an unlinked `slot` at the head of the recency list.
    fn link_at_head(&mut self, slot: usize) {
        self.slots[slot].newer = NIL;
        self.slots[slot].older = self.head;
        match self.head {
            NIL => self.tail = slot,
            head => self.slots[head].newer = slot,
        }
        self.head = slot;
    }
}
// ANCHOR_END: solution

// The judge drives the cache through the lesson's `Lru` trait; this line
// implements it by calling the methods above.
memo_api::forward_lru!(LruCache);
