//! The article's scenario: `get_deployment_config(environment)` is an
//! expensive lookup (an API call in the article, `time.sleep(1)` in its
//! decorator section), asked again and again for a handful of
//! environments. Cache it per environment and most calls become lookups.
//!
//! The expensive part here is a fixed amount of CPU work, not a sleep: a
//! sleep costs no CPU, so its "speedup" would measure the scheduler, and
//! it would make the tour wait for nothing.

use std::rc::Rc;

use crate::cache::LinkedLru;
use crate::{CacheInfo, Memoized};

// ANCHOR: setup
/// The environments, most requested first.
pub const ENVIRONMENTS: [&str; 4] = ["production", "staging", "development", "qa"];

/// Rounds of mixing one lookup costs: tens of microseconds of CPU work.
pub const LOOKUP_ROUNDS: u32 = 20_000;

/// `count` calls, skewed like real traffic: half for production, a
/// quarter for staging, an eighth each for development and qa.
pub fn calls(count: usize) -> Vec<&'static str> {
    const PATTERN: [usize; 8] = [0, 1, 0, 2, 0, 1, 0, 3];
    (0..count).map(|i| ENVIRONMENTS[PATTERN[i % 8]]).collect()
}
// ANCHOR_END: setup

/// What a lookup returns (the article's dict).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeploymentConfig {
    /// The environment asked for.
    pub environment: String,
    /// Replica count.
    pub replicas: u32,
    /// Container image.
    pub image: String,
    /// The result of the lookup's work: proves it was done.
    pub fingerprint: u64,
}

// ANCHOR: fetch_deployment_config
/// The expensive lookup: [`LOOKUP_ROUNDS`] rounds of a 64-bit mixer, each
/// depending on the one before, so the work cannot be skipped or overlapped.
pub fn fetch_deployment_config(environment: &str) -> DeploymentConfig {
    let mut state = environment.bytes().fold(0xCBF2_9CE4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01B3)
    });
    for _ in 0..LOOKUP_ROUNDS {
        state = (state ^ (state >> 31)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    DeploymentConfig {
        environment: environment.to_owned(),
        replicas: 3,
        image: format!("myapp:{environment}"),
        fingerprint: state,
    }
}
// ANCHOR_END: fetch_deployment_config

/// A checksum of what a caller reads from a config.
fn read(config: &DeploymentConfig) -> u64 {
    config.fingerprint.wrapping_add(u64::from(config.replicas))
}

// ANCHOR: config_uncached
/// No cache: every call does the lookup. Returns a checksum of the configs
/// read, and counters that show every call as a miss.
pub fn config_uncached(calls: &[&str]) -> (u64, CacheInfo) {
    let checksum = calls.iter().fold(0u64, |sum, env| {
        sum.wrapping_add(read(&fetch_deployment_config(env)))
    });
    let misses = calls.len() as u64;
    (
        checksum,
        CacheInfo {
            misses,
            ..CacheInfo::default()
        },
    )
}
// ANCHOR_END: config_uncached

// ANCHOR: config_memoized
/// `@lru_cache(maxsize=None)`: the lesson's [`Memoized`] wrapper around the
/// lookup. One lookup per environment; every other call is a hash lookup.
///
/// Python hands every caller the *same* dict (mutate it and the cache is
/// changed for everyone). Here a hit hands out an `Rc`: shared like
/// Python's, but read-only, and a copy costs a reference count.
pub fn config_memoized(calls: &[&str]) -> (u64, CacheInfo) {
    let get_deployment_config = Memoized::new(|_, env: &str| Rc::new(fetch_deployment_config(env)));
    let checksum = calls.iter().fold(0u64, |sum, env| {
        sum.wrapping_add(read(&get_deployment_config.call(env)))
    });
    (checksum, get_deployment_config.cache_info())
}
// ANCHOR_END: config_memoized

// ANCHOR: config_lru
/// `@lru_cache(maxsize=128)`, the article's own bound: the lesson's O(1)
/// LRU cache, asked first and filled on a miss. With four environments the
/// bound is never reached, so it serves exactly like the unbounded cache;
/// `get` lends a reference, so no `Rc` is needed.
pub fn config_lru(calls: &[&str]) -> (u64, CacheInfo) {
    let mut cache = LinkedLru::new(128);
    let mut checksum = 0u64;
    for &env in calls {
        let value = match cache.get(&env) {
            Some(config) => read(config),
            None => {
                let config = fetch_deployment_config(env);
                let value = read(&config);
                cache.put(env, config);
                value
            }
        };
        checksum = checksum.wrapping_add(value);
    }
    (checksum, cache.stats())
}
// ANCHOR_END: config_lru
