//! # Memoization: from exponential Fibonacci to an O(1) LRU cache
//!
//! The questions (article sections 7.1, "Caching decorator", and 7.7,
//! "Caching and Memoization"): how much does remembering answers save, what
//! does Python's `@lru_cache` cost to build in Rust, and how fast can a
//! bounded cache with `cache_info()` counters be?
//!
//! Three questions, one module each:
//!
//! - Fibonacci, here: [`recursive`] (the article's `fibonacci_slow`,
//!   exponential), [`memo_hashmap`] (a table passed down by hand),
//!   [`memoize`] (a generic wrapper, [`memoize::Memoized`], the Rust
//!   `@lru_cache`), [`iterative`] (O(n), no heap) and [`fast_doubling`]
//!   (O(log n)).
//! - A bounded LRU cache with hit, miss and eviction counters, in [`cache`]:
//!   a vector scanned and reordered per request, an O(1) hash map plus
//!   index-linked list, and the `lru` crate, all replaying one skewed key
//!   stream. The hit rate is the same for all three; the time is not.
//! - The article's `get_deployment_config`, in [`config`]: an expensive
//!   lookup cached per environment.
//!
//! Left out on purpose: caches shared between threads (a lock or a
//! concurrent map changes the question), time-to-live expiry, and caching
//! across processes (Redis and friends): they answer "how long may an
//! answer live", not "how fast is a hit".
#![deny(missing_docs)]

pub use memo_api::CacheInfo;

use std::collections::HashMap;

pub mod cache;
pub mod config;
pub mod memoize;

pub use memoize::{Memoized, Recur};

// ANCHOR: setup
/// The largest `n` whose Fibonacci number fits in a `u128`:
/// fib(186) ≈ 3.3 · 10³⁸, fib(187) ≈ 5.4 · 10³⁸ > 2¹²⁸. Every variant
/// takes `n ≤ MAX_N`; beyond it the additions overflow (a panic in debug
/// builds, a wrong answer in release ones).
pub const MAX_N: u32 = 186;
// ANCHOR_END: setup

// ANCHOR: recursive
/// The article's `fibonacci_slow`: fib(n) = fib(n-1) + fib(n-2).
///
/// Both calls recompute everything below them, so the call tree has
/// 2·fib(n+1) − 1 nodes: about 2.7 million calls for n = 30, O(φⁿ) with
/// φ ≈ 1.618. Each call is cheap; there are just exponentially many.
pub fn recursive(n: u32) -> u128 {
    if n < 2 {
        return u128::from(n);
    }
    recursive(n - 1) + recursive(n - 2)
}
// ANCHOR_END: recursive

// ANCHOR: memo_hashmap
/// The same recursion, with a table of answers passed down by hand: each
/// fib(k) is computed once, every later request for it is one lookup.
///
/// O(n) time and memory, with n + 1 hash-map entries and a recursion n
/// deep. Passing `&mut HashMap` to a plain `fn` is the simplest way to
/// memoize in Rust: there is no wrapper, so nothing else can hold the table.
pub fn memo_hashmap(n: u32) -> u128 {
    fn fib(n: u32, memo: &mut HashMap<u32, u128>) -> u128 {
        if n < 2 {
            return u128::from(n);
        }
        if let Some(&known) = memo.get(&n) {
            return known;
        }
        let value = fib(n - 1, memo) + fib(n - 2, memo);
        memo.insert(n, value);
        value
    }
    assert!(n <= MAX_N, "fib({n}) does not fit in a u128");
    fib(n, &mut HashMap::new())
}
// ANCHOR_END: memo_hashmap

// ANCHOR: memoize
/// `@lru_cache(maxsize=None)` on the article's recursion: the function body
/// stays the naive one, and the wrapper remembers every answer.
///
/// The body does not call itself: it calls `fib`, the handle the wrapper
/// passes in, so every recursive call goes through the memo table (in
/// Python the decorator achieves this by rebinding the function's name).
/// O(n), like [`memo_hashmap`], plus the wrapper's costs: a dynamic call, a
/// `RefCell` check and counters per call.
pub fn memoize(n: u32) -> u128 {
    assert!(n <= MAX_N, "fib({n}) does not fit in a u128");
    fib_memoized().call(n)
}

/// A fresh memoized Fibonacci (an empty table), for [`memoize`] and for
/// anyone who wants its [`Memoized::cache_info`] afterwards.
///
/// ```
/// let fib = memo::fib_memoized();
/// assert_eq!(fib.call(30), 832_040);
/// // The same counts as Python's `fibonacci_fast.cache_info()`.
/// let info = fib.cache_info();
/// assert_eq!((info.hits, info.misses), (28, 31));
/// ```
pub fn fib_memoized() -> Memoized<u32, u128, impl Fn(&Recur<'_, u32, u128>, u32) -> u128> {
    Memoized::new(|fib: &Recur<'_, u32, u128>, n: u32| {
        if n < 2 {
            u128::from(n)
        } else {
            fib(n - 1) + fib(n - 2)
        }
    })
}
// ANCHOR_END: memoize

// ANCHOR: iterative
/// Bottom-up: keep only the last two numbers and walk up from fib(1).
///
/// O(n) time, O(1) memory, no heap and no recursion: a memo table that
/// holds exactly the two entries the next step needs. It stops at fib(n)
/// rather than computing fib(n+1), which would overflow at n = 186.
pub fn iterative(n: u32) -> u128 {
    assert!(n <= MAX_N, "fib({n}) does not fit in a u128");
    if n == 0 {
        return 0;
    }
    let (mut previous, mut current) = (0u128, 1u128);
    for _ in 1..n {
        (previous, current) = (current, previous + current);
    }
    current
}
// ANCHOR_END: iterative

// ANCHOR: fast_doubling
/// Fast doubling: from (fib(k), fib(k+1)) two identities give fib(2k) and
/// fib(2k+1) directly,
///
/// - fib(2k) = fib(k) · (2·fib(k+1) − fib(k))
/// - fib(2k+1) = fib(k)² + fib(k+1)²
///
/// so reading the bits of n from the top doubles k per step: O(log n)
/// steps of a few multiplications. The last step computes only the number
/// asked for, because its neighbour fib(n+1) may not fit in a `u128`.
pub fn fast_doubling(n: u32) -> u128 {
    assert!(n <= MAX_N, "fib({n}) does not fit in a u128");
    let half = n / 2;
    // (fib(k), fib(k+1)), starting at k = 0 and growing to k = half.
    let (mut a, mut b) = (0u128, 1u128);
    for bit in (0..u32::BITS - half.leading_zeros()).rev() {
        let (even, odd) = (a * (2 * b - a), a * a + b * b);
        (a, b) = if half >> bit & 1 == 1 {
            (odd, even + odd)
        } else {
            (even, odd)
        };
    }
    if n.is_multiple_of(2) {
        a * (2 * b - a)
    } else {
        a * a + b * b
    }
}
// ANCHOR_END: fast_doubling
