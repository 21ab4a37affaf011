#!/usr/bin/env python3
"""The article's memoization examples (sections 7.1 and 7.7), written afresh,
timed on the same inputs as the Rust lesson, printed as JSON.

    python3 lessons/memo/python/reference.py [--rounds 3]

- fib: `fibonacci_slow(30)` against `fibonacci_fast(30)` with
  `@lru_cache(maxsize=None)`: first one call of each, the first in the
  process (the article's method), then medians with the cache cleared
  before every timed call, and `cache_info()` after one call.
- lru: the Rust lesson's request stream (same generator, same seed) through
  `@lru_cache(maxsize=capacity)`; its hits and misses must equal the Rust
  caches' counters at every capacity.
- config: `get_deployment_config` with the same CPU work as the Rust
  lookup, uncached against `@lru_cache(maxsize=128)`, 100 calls.
"""

import argparse
import json
import platform
import statistics
import sys
import time
from functools import lru_cache

MASK = (1 << 64) - 1


# ANCHOR: fibonacci_slow
def fibonacci_slow(n):
    """fib(n) by plain recursion: O(phi^n) calls."""
    if n < 2:
        return n
    return fibonacci_slow(n - 1) + fibonacci_slow(n - 2)
# ANCHOR_END: fibonacci_slow


# ANCHOR: fibonacci_fast
@lru_cache(maxsize=None)
def fibonacci_fast(n):
    """The same body; the decorator rebinds the name, so the recursive
    calls go through the cache too."""
    if n < 2:
        return n
    return fibonacci_fast(n - 1) + fibonacci_fast(n - 2)
# ANCHOR_END: fibonacci_fast


def requests(count, keys, seed):
    """The Rust lesson's `cache::requests`: splitmix64, log-uniform ranks."""
    state = seed
    out = []
    for _ in range(count):
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        uniform = ((z ^ (z >> 31)) >> 11) / float(1 << 53)
        rank = int(float(keys + 1) ** uniform) - 1
        out.append((rank * 0x9E3779B97F4A7C15) & MASK)
    return out


def stored_value(key):
    """The Rust lesson's `cache::stored_value`."""
    return (((key << 29) | (key >> 35)) & MASK) ^ 0xC0FFEE00


def replay(capacity, keys):
    """Serve the stream through lru_cache(maxsize=capacity)."""
    # ANCHOR: lru_replay
    @lru_cache(maxsize=capacity)
    def lookup(key):
        return stored_value(key)

    checksum = 0
    for key in keys:
        checksum = (checksum + lookup(key)) & MASK
    # ANCHOR_END: lru_replay
    return lookup.cache_info(), checksum


ENVIRONMENTS = ["production", "staging", "development", "qa"]
PATTERN = [0, 1, 0, 2, 0, 1, 0, 3]
LOOKUP_ROUNDS = 20_000


def calls(count):
    """The Rust lesson's `config::calls`."""
    return [ENVIRONMENTS[PATTERN[i % 8]] for i in range(count)]


def fetch_deployment_config(environment):
    """The expensive lookup: the Rust lookup's mixing rounds, in Python."""
    state = 0xCBF29CE484222325
    for byte in environment.encode():
        state = ((state ^ byte) * 0x100000001B3) & MASK
    for _ in range(LOOKUP_ROUNDS):
        state = ((state ^ (state >> 31)) * 0x9E3779B97F4A7C15) & MASK
    return {
        "environment": environment,
        "replicas": 3,
        "image": f"myapp:{environment}",
        "fingerprint": state,
    }


# ANCHOR: get_deployment_config
@lru_cache(maxsize=128)
def get_deployment_config(environment):
    """Get deployment config (cached)."""
    return fetch_deployment_config(environment)
# ANCHOR_END: get_deployment_config


def serve(lookup, envs):
    checksum = 0
    for env in envs:
        config = lookup(env)
        checksum = (checksum + config["fingerprint"] + config["replicas"]) & MASK
    return checksum


def compared(question, param, value, slow, fast, **extra):
    """A baseline row and an optimized row with the ratio between them;
    each pair is (name, median, the Rust variant it is set beside)."""
    (slow_name, slow_ns, slow_rust), (fast_name, fast_ns, fast_rust) = slow, fast
    common = {"question": question, "param": param, "value": value}
    return [
        {**common, "variant": slow_name, "rust": slow_rust, "role": "baseline", "median_ns": slow_ns},
        {**common, "variant": fast_name, "rust": fast_rust, "role": "optimized", "median_ns": fast_ns,
         "ratio_vs_baseline": slow_ns / fast_ns, **extra},
    ]


def median_ns(fn, rounds, before=None):
    times = []
    for _ in range(rounds):
        if before:
            before()
        start = time.perf_counter_ns()
        fn()
        times.append(time.perf_counter_ns() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="timed calls per variant")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    rows = []

    # The article's method first, while this process has never called
    # either function: one timed call of each.
    once_slow = median_ns(lambda: fibonacci_slow(30), 1)
    once_fast = median_ns(lambda: fibonacci_fast(30), 1)
    method = "one first call each, as the article times"
    rows.append({"question": "fib", "variant": "fibonacci_slow_first_call", "role": "baseline",
                 "param": "n", "value": 30, "method": method, "median_ns": once_slow})
    rows.append({"question": "fib", "variant": "fibonacci_fast_first_call", "role": "optimized",
                 "param": "n", "value": 30, "method": method, "median_ns": once_fast,
                 "ratio_vs_baseline": once_slow / once_fast})

    slow = median_ns(lambda: fibonacci_slow(30), args.rounds)
    fast = median_ns(lambda: fibonacci_fast(30), args.rounds, fibonacci_fast.cache_clear)
    fibonacci_fast.cache_clear()
    fibonacci_fast(30)
    info = fibonacci_fast.cache_info()
    rows += compared("fib", "n", 30, ("fibonacci_slow", slow, "recursive"),
                     ("fibonacci_fast", fast, "memoize"),
                     hits=info.hits, misses=info.misses)

    keys = requests(100_000, 1_000_000, 42)
    for capacity in [128, 1_000, 10_000, 100_000]:
        ns = median_ns(lambda: replay(capacity, keys), args.rounds)
        info, checksum = replay(capacity, keys)
        rows.append({"question": "lru", "variant": "lru_cache", "rust": "lru_linked", "role": "peer",
                     "param": "capacity", "value": capacity, "median_ns": ns,
                     "hits": info.hits, "misses": info.misses,
                     "evictions": info.misses - info.currsize,
                     "hit_rate": info.hits / (info.hits + info.misses),
                     "checksum": checksum})

    envs = calls(100)
    uncached = median_ns(lambda: serve(fetch_deployment_config, envs), args.rounds)
    cached = median_ns(lambda: serve(get_deployment_config, envs), args.rounds,
                       get_deployment_config.cache_clear)
    get_deployment_config.cache_clear()
    checksum = serve(get_deployment_config, envs)
    info = get_deployment_config.cache_info()
    rows += compared("config", "calls", 100, ("fetch_every_time", uncached, "config_uncached"),
                     ("get_deployment_config", cached, "config_lru"),
                     hits=info.hits, misses=info.misses, checksum=checksum)

    json.dump({
        "lesson": "memo",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "machine": platform.processor() or platform.machine(),
        "rows": rows,
    }, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
