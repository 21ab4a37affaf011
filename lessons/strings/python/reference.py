#!/usr/bin/env python3
"""The article's log building (section 7.7, "String Operations"), written
afresh, timed on the same input as the Rust lesson, printed as JSON.

    python3 lessons/strings/python/reference.py [--n 10000] [--rounds 7]

`build_log_bad` is the article's `+=` loop; `build_log_good` its
`"\\n".join`. The loop ends every entry with a newline and the join does
not, so their results differ by one byte (the output reports both
lengths). `build_log_shared` is the loop with one change: the log is an attribute of
an object, which still refers to the string while `+=` runs. That stops
CPython from resizing it in place, so every `+=` copies the whole log, as
the article says it does.
"""

import argparse
import json
import platform
import statistics
import sys
import time


def entries(n):
    """The Rust lesson's `entries(n)`, and the article's list at n = 10,000."""
    return [f"Log entry {i}" for i in range(n)]


# ANCHOR: build_log_bad
def build_log_bad(entries):
    """The article's loop: `+=` one line at a time."""
    log = ""
    for entry in entries:
        log += f"{entry}\n"
    return log
# ANCHOR_END: build_log_bad


# ANCHOR: build_log_good
def build_log_good(entries):
    """The article's join: the lengths summed, one string allocated."""
    return "\n".join(entries)
# ANCHOR_END: build_log_good


# ANCHOR: build_log_shared
class Log:
    """A log kept on an object, as a logger or a report builder would."""

    def __init__(self):
        self.text = ""


def build_log_shared(entries):
    """The loop with the log on an object: `+=` on an attribute."""
    log = Log()
    for entry in entries:
        # While `+=` runs, the object still refers to the old string, so
        # CPython cannot resize it in place and builds a new one.
        log.text += f"{entry}\n"
    return log.text
# ANCHOR_END: build_log_shared


def median_ns(fn, arg, rounds):
    times = []
    for _ in range(rounds):
        start = time.perf_counter_ns()
        fn(arg)
        times.append(time.perf_counter_ns() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="number of entries")
    parser.add_argument("--rounds", type=int, default=7, help="timed calls per variant")
    args = parser.parse_args()
    if args.n < 1 or args.rounds < 1:
        parser.error("--n and --rounds must be at least 1")

    data = entries(args.n)
    # The third field names the Rust variant each function is set beside:
    # the article's loop beside its line-for-line translation, and the
    # shared log (copied whole at every step) beside the Rust loop that
    # copies the whole log at every step.
    variants = (
        ("baseline", build_log_bad, "plus_equals"),
        ("optimized", build_log_good, "join"),
        ("variant", build_log_shared, "format_concat"),
    )
    rows = []
    for role, fn, rust in variants:
        rows.append({
            "variant": fn.__name__,
            "rust": rust,
            "role": role,
            "param": "n",
            "value": args.n,
            "median_ns": median_ns(fn, data, args.rounds),
            "bytes": len(fn(data)),
        })
    for row in rows:
        row["ratio_vs_baseline"] = rows[0]["median_ns"] / row["median_ns"]
    json.dump({
        "lesson": "strings",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "machine": platform.processor() or platform.machine(),
        "rows": rows,
    }, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
