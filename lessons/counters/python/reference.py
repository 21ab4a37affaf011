#!/usr/bin/env python3
"""The article's thread-safety counters (section 7.5), written afresh, timed
on the same work as the Rust lesson, printed as JSON.

    python3 lessons/counters/python/reference.py [--total 1000000] [--threads 2]... [--rounds 3]

`threads` threads share `total` increments (1,000,000 by default, the Rust
lesson's `INCREMENTS`). `UnsafeCounter` reads, adds and writes back without
a lock, and can lose updates when the interpreter switches threads between
the read and the write; `SafeCounter` takes a lock around the three steps.
Each row reports the median time and the updates lost in the worst round.
"""

import argparse
import json
import platform
import statistics
import sys
import threading
import time


# ANCHOR: unsafe_counter
class UnsafeCounter:
    """Read, add one, write back: three steps another thread can split."""

    def __init__(self):
        self.count = 0

    def increment(self):
        seen = self.count
        seen += 1
        self.count = seen
# ANCHOR_END: unsafe_counter


# ANCHOR: safe_counter
class SafeCounter:
    """The same three steps, made one by a lock."""

    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    def increment(self):
        with self.lock:
            seen = self.count
            seen += 1
            self.count = seen
# ANCHOR_END: safe_counter


# ANCHOR: run_threads
def run_threads(counter, threads, per_thread):
    """Start `threads` threads that each increment `per_thread` times; wait."""
    def work():
        for _ in range(per_thread):
            counter.increment()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return counter.count
# ANCHOR_END: run_threads


def measure(cls, threads, per_thread, rounds):
    times, worst_lost = [], 0
    for _ in range(rounds):
        counter = cls()
        start = time.perf_counter_ns()
        count = run_threads(counter, threads, per_thread)
        times.append(time.perf_counter_ns() - start)
        worst_lost = max(worst_lost, threads * per_thread - count)
    return statistics.median(times), worst_lost


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--total", type=int, default=1_000_000, help="increments over all threads")
    parser.add_argument("--threads", type=int, action="append", help="thread counts (repeatable); default 1 2 4 8")
    parser.add_argument("--rounds", type=int, default=3, help="timed runs per variant")
    args = parser.parse_args()
    thread_counts = args.threads or [1, 2, 4, 8]
    if args.total < 1 or args.rounds < 1 or min(thread_counts) < 1:
        parser.error("--total, --threads and --rounds must be at least 1")

    rows = []
    for threads in thread_counts:
        per_thread = args.total // threads
        point = []
        # `rust` names the Rust variant each class is set beside.
        for role, cls, rust in (("flawed", UnsafeCounter, "racy_load_store"), ("baseline", SafeCounter, "mutex")):
            median_ns, lost = measure(cls, threads, per_thread, args.rounds)
            point.append({
                "variant": cls.__name__,
                "rust": rust,
                "role": role,
                "param": "threads",
                "value": threads,
                "median_ns": median_ns,
                "expected": threads * per_thread,
                "lost_updates_worst_round": lost,
            })
        point[0]["ratio_vs_baseline"] = point[1]["median_ns"] / point[0]["median_ns"]
        rows.extend(point)
    json.dump({
        "lesson": "counters",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "gil": getattr(sys, "_is_gil_enabled", lambda: True)(),
        "switch_interval_s": sys.getswitchinterval(),
        "machine": platform.processor() or platform.machine(),
        "rows": rows,
    }, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
