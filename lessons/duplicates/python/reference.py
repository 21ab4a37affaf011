#!/usr/bin/env python3
"""The article's duplicate search (section 7.7), written afresh, timed on the
same input as the Rust lesson, printed as JSON.

    python3 lessons/duplicates/python/reference.py [--n 10000] [--rounds 3]

`find_duplicates_slow` is the article's nested loop as written: it appends
the earlier element once per matching pair, so it returns 45,000 entries on
the article's input where `find_duplicates_fast` returns 9,000. The output
reports both counts next to the timings.
"""

import argparse
import json
import platform
import statistics
import sys
import time


def deployments(n):
    """The Rust lesson's `deployments(n)`: n names, n/10 distinct."""
    distinct = max(n // 10, 1)
    return [{"name": f"app-{i % distinct}"} for i in range(n)]


# ANCHOR: find_duplicates_slow
def find_duplicates_slow(deployments):
    """O(n^2): every pair; one entry per matching pair (the article's bug)."""
    duplicates = []
    for i, dep1 in enumerate(deployments):
        for dep2 in deployments[i + 1:]:
            if dep1["name"] == dep2["name"]:
                duplicates.append(dep1)
    return duplicates
# ANCHOR_END: find_duplicates_slow


# ANCHOR: find_duplicates_fast
def find_duplicates_fast(deployments):
    """O(n): a dict of names seen; every later occurrence is a duplicate."""
    seen = {}
    duplicates = []
    for dep in deployments:
        name = dep["name"]
        if name in seen:
            duplicates.append(dep)
        else:
            seen[name] = dep
    return duplicates
# ANCHOR_END: find_duplicates_fast


def median_ns(fn, arg, rounds):
    times = []
    for _ in range(rounds):
        start = time.perf_counter_ns()
        fn(arg)
        times.append(time.perf_counter_ns() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="number of deployments")
    parser.add_argument("--rounds", type=int, default=3, help="timed calls per variant")
    args = parser.parse_args()
    if args.n < 1 or args.rounds < 1:
        parser.error("--n and --rounds must be at least 1")

    data = deployments(args.n)
    rows = []
    # `rust` names the Rust variant each function is set beside.
    for role, fn, rust in (
        ("baseline", find_duplicates_slow, "naive_pairs"),
        ("optimized", find_duplicates_fast, "hashed_std"),
    ):
        rows.append({
            "variant": fn.__name__,
            "rust": rust,
            "role": role,
            "param": "n",
            "value": args.n,
            "median_ns": median_ns(fn, data, args.rounds),
            "results": len(fn(data)),
        })
    rows[1]["ratio_vs_baseline"] = rows[0]["median_ns"] / rows[1]["median_ns"]
    json.dump({
        "lesson": "duplicates",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "machine": platform.processor() or platform.machine(),
        "rows": rows,
    }, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
