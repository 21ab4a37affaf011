//! A memoizing wrapper around any function, recursive ones included: the
//! Rust answer to `@lru_cache(maxsize=None)`.
//!
//! Python's decorator works on a recursive function because the body calls
//! the function *by name*, and the decorator has rebound that name to the
//! caching wrapper. A Rust closure cannot name itself, so the wrapped
//! function receives the way back in as its first argument: a
//! `&dyn Fn(K) -> V` that calls the wrapper. The wrapper's table sits in a
//! `RefCell`, borrowed only around a lookup or an insert and never across
//! the call into the function, so the function may re-enter the wrapper as
//! deep as it likes. No `unsafe`, and a borrow held too long would panic
//! rather than corrupt anything.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::hash::Hash;

use crate::CacheInfo;

// ANCHOR: memoized
/// The way back in that a memoized function receives: calling it asks the
/// wrapper, so a recursive call is answered from the table when it can be.
pub type Recur<'a, K, V> = dyn Fn(K) -> V + 'a;

/// `f` with a memory: [`call`](Memoized::call) computes each key once.
///
/// `f(recur, key)` computes the value for `key`, calling `recur` for any
/// other key it needs; `recur` goes through the table. Unbounded, like
/// `maxsize=None`: entries are dropped only by
/// [`cache_clear`](Memoized::cache_clear).
///
/// ```
/// use memo::Memoized;
///
/// // Not recursive: the handle is simply ignored.
/// let square = Memoized::new(|_, x: u64| x * x);
/// assert_eq!(square.call(12), 144);
/// assert_eq!(square.call(12), 144);
/// assert_eq!(square.cache_info().hits, 1);
/// ```
pub struct Memoized<K, V, F> {
    f: F,
    // foldhash, as the LRU cache uses: SipHash's defence against chosen
    // keys costs more than a hit's other work, and a memo table's keys are
    // the program's own. For the same reason the seed is fixed rather than
    // random per process: the table then probes alike on every run, so its
    // instruction count repeats (with a random seed two runs of fib(30)
    // differed by a tenth of a percent).
    table: RefCell<HashMap<K, V, foldhash::fast::FixedState>>,
    info: Cell<CacheInfo>,
}

impl<K, V, F> Memoized<K, V, F>
where
    K: Hash + Eq + Clone,
    // A hit hands out a copy: the table keeps the original. Wrap a large
    // value in `Rc` to make that copy a reference count.
    V: Clone,
    F: Fn(&Recur<'_, K, V>, K) -> V,
{
    /// Wrap `f`; the table starts empty.
    pub fn new(f: F) -> Self {
        Memoized {
            f,
            table: RefCell::new(HashMap::default()),
            info: Cell::new(CacheInfo::default()),
        }
    }

    /// The value for `key`: from the table if it was computed before,
    /// else computed by `f` (which may call back in) and remembered.
    pub fn call(&self, key: K) -> V {
        // The shared borrow ends with this `if let`, before `f` runs.
        if let Some(value) = self.table.borrow().get(&key) {
            self.count(|info| info.hits += 1);
            return value.clone();
        }
        self.count(|info| info.misses += 1);
        // The way back in: a closure that borrows `self`, nothing more.
        let value = (self.f)(&|k| self.call(k), key.clone());
        self.table.borrow_mut().insert(key, value.clone());
        value
    }

    /// Hits and misses so far (evictions stay 0: nothing is evicted).
    pub fn cache_info(&self) -> CacheInfo {
        self.info.get()
    }

    /// How many keys the table holds (`currsize` in Python).
    pub fn len(&self) -> usize {
        self.table.borrow().len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forget every value and reset the counters, like `cache_clear()`.
    pub fn cache_clear(&self) {
        self.table.borrow_mut().clear();
        self.info.set(CacheInfo::default());
    }

    fn count(&self, update: impl FnOnce(&mut CacheInfo)) {
        let mut info = self.info.get();
        update(&mut info);
        self.info.set(info);
    }
}
// ANCHOR_END: memoized
