#!/usr/bin/env python3
"""The article's profiling and benchmarking (section 7.7, "Profiling and
Benchmarking": `profile_function` with cProfile, and `timeit`), its cost
loop ("Using Cython for Speed": `calculate_deployment_cost_python`) and
its data-structure table ("Need fast min/max? → heapq"), written afresh,
timed on the same inputs as the Rust lesson, printed as JSON.

    python3 lessons/profiling/python/reference.py [--rounds 3]

The lesson's inputs, as the Rust lesson generates them
(`lessons/profiling/api/src/lib.rs`, copied line by line):

- the log of n lines: line i is empty when i % 1009 == 1008; otherwise
  f"2026-11-25T{h:02}:{m:02}:{s:02}.{milli:03}Z {level}" from ms = i * 37
  and level LEVELS[i % 16], cut there (malformed) when i % 997 == 996,
  else followed by f" {SERVICES[i * 3 % 5]} {MESSAGES[(i * 5 + i // 16) %
  12]}"; every line ended by "\\n". Some messages are not ASCII (Ü, a
  Greek phrase whose last Σ lowercases to ς, the Kelvin sign, İ), and
  CPython's `str.lower` lowercases them as Rust's `str::to_lowercase`
  does (final sigma included; checked).
- deployments(n): dicts {'instances': 1 + i * 7 % 20, 'cost_per_instance':
  i * 37 % 1000 / 100 + 0.5, 'hours': (1 + i * 11 % 720) / 4}, the
  article's three keys. `instances` is an int, as in the article's dicts,
  where the Rust lesson holds an f64: int * float converts the int
  exactly, so every product, and the total, is the same float.
- pending(n): (urgency, id) tuples, urgency = i * 2654435761 % 4294967291
  % 10000 and id = i, in that order, so tuples compare as the Rust
  `Pending` does: by urgency, ties by id.

The questions:

- hotspot (n = 10,000, 20,000, 50,000 lines): summarize the log: lines,
  malformed lines (fewer than four fields when split at the first three
  spaces), lines per level lowercased, and the 10 most frequent error
  messages lowercased, most frequent first, ties by message. The lines
  are `rust_lines(log)`: `log.split('\\n')` less the empty string after
  the final newline, which is what Rust's `str::lines` yields when the
  log holds no '\\r' (checked). Not `str.splitlines()`, which also splits
  at '\\r', '\\x1c' ... '\\x1e', '\\x85', '\\u2028' and others: none is in
  this log, but the summarizers keep the contract's line ends.
  - pop0_lower (Rust `slow`): the shipped summarizer; the lines wait in a
    list, taken with `pending.pop(0)` (which moves every line behind),
    and every line is lowercased whole with `line.lower()`.
  - deque_lower (Rust `fix_queue`): the queue fixed alone, a
    `collections.deque` taken with `popleft()`; every line still lowered.
  - fast (Rust `fast`): the lines iterated in order, no queue; only the
    level, and for an error line the message, lowercased.
  The three must give the same summary (checked on every unit), with n
  lines and the malformed lines and error lines the generator implies
  (checked). `errors`: the error lines of the log, a figure to check the
  Rust side against; `log_bytes`: the log's length in UTF-8;
  `per_line_ns`: median_ns / n.
  cProfile: the article's `profile_function` runs `pop0_lower` on the log
  of 20,000 lines; its own table (sorted by 'cumulative', 20 lines) is
  `cprofile_slow_cumulative` in the JSON, and a second table of the same
  call, sorted by 'tottime' (time inside a function itself), 8 lines, its
  directories stripped, is `cprofile_slow`: `list.pop` comes first.
- cost (n = 1,000, 100,000, 1,000,000 deployments):
  - calculate_deployment_cost_python (Rust `dicts`): the article's
    function, verbatim, over the list of dicts built before timing.
  - numpy (Rust `iterators`), only when `import numpy` works:
    `float(np.sum(instances * cost * hours))` over three float64 arrays
    built before timing. NumPy's sum adds pairwise, not in order, so its
    total may differ in the last bits from the loop's:
    `numpy_relative_error` is |numpy - loop| / loop. Without NumPy there
    is no numpy row, and the JSON says `"numpy": "not installed"`.
  Every row reports its `total` (the float); `per_deployment_ns` is
  median_ns / n.
  The article's Cython is not built (`"cython"` in the JSON says why);
  its `cdef float total` is measured on the Rust side (`f32_total`).
- drain (n = 1,000, 3,000, 10,000, 30,000 pending deployments): take the
  most urgent until none is left; each unit returns the ids in the order
  taken, and the three must agree with each other and with
  `sorted(pending)` (checked on every unit). The article gives only the
  table (a list's min is O(n); "Need fast min/max? → heapq"); the three
  functions are the lesson's.
  - list_min_remove (Rust `list_min_remove`): `m = min(left)`,
    `left.remove(m)` on a copy of the list: O(n) per take.
  - sorted_pop (Rust `sort_once`): sorted once, most urgent last, then
    `pop()` from the end. Right only while nothing is added.
  - heapq (Rust `binary_heap`): `heapq.heapify` on a copy, `heappop`
    until empty.
- timeit (a top-level object, not rows): the article's two `timeit.timeit`
  calls, run once each at number=1,000 (the article's 10,000 / 10),
  their seconds and the time per statement.

Times are taken with `time.perf_counter_ns`. Each timed row first runs a
warm-up of whole units for about 50 ms (at least one unit); that count of
units, run back to back, is one round, and a row's `median_ns` is the
median over `--rounds` rounds of a round's time divided by its units: the
time of ONE unit, as the Rust row beside it (`rust`) measures its unit.
A unit that lasts over 50 ms by itself (pop0_lower at 50,000 lines,
calculate_deployment_cost_python at 1,000,000, list_min_remove from
3,000) so gets a warm-up of that one unit and rounds of one unit.
list_min_remove at n = 30,000 (about 15 s a unit) takes one round
whatever `--rounds` says. Each row's `method` says how many rounds
of how many units it took.

The changes to the article's code, each also said where it is made:
`profile_function`'s `print(stream.getvalue())` appends the text to
`PROFILE_OUTPUT` instead (the JSON is the only output); its usage example
(`slow_deployment`, with its `time.sleep(1)`) is not copied, the lesson's
`pop0_lower` is profiled instead. The timeit block is put in a function,
its `number=10000` is `number=TIMEIT_NUMBER` (1,000) and its two prints
are replaced by returning the two figures.
`calculate_deployment_cost_python` is unchanged; the Cython source is kept
as the article's string (`CYTHON_SOURCE`), never built; the setup.py
string is not copied.
"""

import argparse
import cProfile
import heapq
import json
import math
import platform
import pstats
import statistics
import sys
import time
from collections import deque
from io import StringIO

try:
    import numpy as np
except ImportError:
    np = None

# About how long the warm-up, and so each timed round, lasts.
ROUND_NS = 50_000_000


# ANCHOR: profile_function
# The article's `PROFILE_OUTPUT` does not exist: its print is replaced by
# an append to this list (below).
PROFILE_OUTPUT = []


def profile_function(func):
    """Profile function execution."""
    profiler = cProfile.Profile()
    profiler.enable()

    result = func()

    profiler.disable()

    # Print stats
    stream = StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats('cumulative')
    stats.print_stats(20)  # Top 20 functions

    PROFILE_OUTPUT.append(stream.getvalue())  # the article's print(stream.getvalue())

    return result
# ANCHOR_END: profile_function


# ANCHOR: profile_tottime
def profile_tottime(func, top=8):
    """The lesson's, not the article's: `profile_function` with its table
    sorted by 'tottime', the time spent in each function itself (not in
    what it calls), which is where a hot spot in a builtin shows; the
    directories stripped; the text returned beside the result."""
    profiler = cProfile.Profile()
    profiler.enable()
    result = func()
    profiler.disable()
    stream = StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.strip_dirs()
    stats.sort_stats('tottime')
    stats.print_stats(top)
    return result, stream.getvalue()
# ANCHOR_END: profile_tottime


# ANCHOR: timeit
TIMEIT_NUMBER = 1_000  # the article's number=10000, a tenth of it


def benchmark_with_timeit():
    """The article's timeit block, in a function."""
    # Benchmark with timeit
    import timeit

    # Compare implementations
    list_comp = timeit.timeit(
        "[i for i in range(1000)]",
        number=TIMEIT_NUMBER  # the article's number=10000
    )

    generator = timeit.timeit(
        "list(i for i in range(1000))",
        number=TIMEIT_NUMBER  # the article's number=10000
    )

    # The article's two prints are replaced by returning the figures.
    return list_comp, generator
# ANCHOR_END: timeit


# ANCHOR: cost_python
# Python version (slow)
def calculate_deployment_cost_python(deployments: list) -> float:
    """Calculate total deployment cost - Python."""
    total = 0.0
    for dep in deployments:
        total += dep['instances'] * dep['cost_per_instance'] * dep['hours']
    return total
# ANCHOR_END: cost_python


# ANCHOR: cost_cython
# Cython version (fast)
# Save as deployment_cost.pyx
# (the article's own string, kept and never built: see "cython" in the JSON)
CYTHON_SOURCE = """
# deployment_cost.pyx
def calculate_deployment_cost_cython(deployments):
    cdef float total = 0.0
    cdef dict dep

    for dep in deployments:
        total += dep['instances'] * dep['cost_per_instance'] * dep['hours']

    return total
"""
# ANCHOR_END: cost_cython


# ANCHOR: cost_numpy
def cost_columns(deployments):
    """The lesson's, not the article's: the dicts as three float64 arrays
    (not timed)."""
    return (np.array([d['instances'] for d in deployments], dtype=np.float64),
            np.array([d['cost_per_instance'] for d in deployments], dtype=np.float64),
            np.array([d['hours'] for d in deployments], dtype=np.float64))


def cost_numpy(instances, cost, hours):
    """The same total over columns: two products and a sum, each one loop
    in NumPy's C (the sum pairwise, not in order)."""
    return float(np.sum(instances * cost * hours))
# ANCHOR_END: cost_numpy


# ANCHOR: inputs
LEVELS = ["INFO", "INFO", "info", "DEBUG", "INFO", "WARN", "ERROR", "INFO", "debug", "INFO",
          "Warn", "error", "INFO", "DEBUG", "Error", "INFO"]
SERVICES = ["api", "auth", "billing", "payments", "search"]
MESSAGES = [
    "Connection refused by upstream host db-primary:5432",
    "Timeout after 30s waiting for the payment gateway",
    "User not found",
    "Disk quota exceeded on /var/lib/deployments",
    "Cache miss for key session:42",
    "Retrying request (attempt 3 of 5)",
    "Invalid token: signature mismatch",
    "Rate limit exceeded for client 10.0.0.7",
    "Über-cache eviction failed",
    "ΣΥΝΔΕΣΗ ΜΕ ΤΟΝ ΚΟΜΒΟ ΑΠΕΤΥΧΕ ΣΤΗΝ ΟΔΟΣ",
    "Sensor reads 300 \u212a, above its limit",
    "İstanbul region unreachable",
]


def log_line(i):
    """Line i of the lesson's log, without its newline. Every 997th line
    is cut after its level (malformed), every 1,009th is empty."""
    if i % 1009 == 1008:
        return ""
    ms = i * 37
    h, m, s, milli = ms // 3_600_000 % 24, ms // 60_000 % 60, ms // 1000 % 60, ms % 1000
    level = LEVELS[i % 16]
    line = f"2026-11-25T{h:02}:{m:02}:{s:02}.{milli:03}Z {level}"
    if i % 997 == 996:
        return line
    service = SERVICES[i * 3 % 5]
    message = MESSAGES[(i * 5 + i // 16) % 12]
    return f"{line} {service} {message}"


def log(n):
    """The lesson's log of n lines, each ended by "\\n"."""
    return "".join(log_line(i) + "\n" for i in range(n))


def deployments(n):
    """The lesson's n deployments as the article's dicts (`instances` an
    int, as in the article; an f64 in Rust, the same product)."""
    return [{'instances': 1 + i * 7 % 20,
             'cost_per_instance': i * 37 % 1000 / 100 + 0.5,
             'hours': (1 + i * 11 % 720) / 4}
            for i in range(n)]


def pending(n):
    """The lesson's n pending deployments as (urgency, id) tuples."""
    return [(i * 2_654_435_761 % 4_294_967_291 % 10_000, i) for i in range(n)]
# ANCHOR_END: inputs


# ANCHOR: summary
TOP = 10


def rust_lines(log):
    """The log's lines as Rust's `str::lines` yields them for a log with
    no '\\r': split at '\\n', less the empty string after a final '\\n'."""
    lines = log.split('\n')
    if lines[-1] == '':
        lines.pop()
    return lines


def summary(lines, malformed, levels, messages):
    """What a log says: the levels sorted, the TOP messages most frequent
    first, ties by message (code point order, which is UTF-8's byte
    order)."""
    top = sorted(messages.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
    return (lines, malformed, sorted(levels.items()), top)
# ANCHOR_END: summary


# ANCHOR: pop0_lower
def pop0_lower(log):
    """The summarizer as it was shipped (Rust `slow`): the lines wait in a
    list, taken from its front with pop(0), which moves every line
    behind; every line lowercased whole, a new string per line."""
    lines = 0
    malformed = 0
    levels = {}
    messages = {}
    pending = rust_lines(log)
    while pending:
        line = pending.pop(0)
        lines += 1
        lower = line.lower()
        fields = lower.split(' ', 3)
        if len(fields) < 4:
            malformed += 1
            continue
        level = fields[1]
        levels[level] = levels.get(level, 0) + 1
        if level == 'error':
            message = fields[3]
            messages[message] = messages.get(message, 0) + 1
    return summary(lines, malformed, levels, messages)
# ANCHOR_END: pop0_lower


# ANCHOR: deque_lower
def deque_lower(log):
    """The queue fixed alone (Rust `fix_queue`): the lines wait in a
    deque, whose popleft() moves nothing; every line still lowercased."""
    lines = 0
    malformed = 0
    levels = {}
    messages = {}
    pending = deque(rust_lines(log))
    while pending:
        line = pending.popleft()
        lines += 1
        lower = line.lower()
        fields = lower.split(' ', 3)
        if len(fields) < 4:
            malformed += 1
            continue
        level = fields[1]
        levels[level] = levels.get(level, 0) + 1
        if level == 'error':
            message = fields[3]
            messages[message] = messages.get(message, 0) + 1
    return summary(lines, malformed, levels, messages)
# ANCHOR_END: deque_lower


# ANCHOR: fast
def fast(log):
    """Both fixed (Rust `fast`): the lines taken in order, no queue; only
    the level, and an error line's message, lowercased. Lowercasing a
    field alone gives what lowercasing the line gives: a space is neither
    cased nor case-ignorable, so the final-sigma rule never looks past
    one."""
    lines = 0
    malformed = 0
    levels = {}
    messages = {}
    for line in rust_lines(log):
        lines += 1
        fields = line.split(' ', 3)
        if len(fields) < 4:
            malformed += 1
            continue
        level = fields[1].lower()
        levels[level] = levels.get(level, 0) + 1
        if level == 'error':
            message = fields[3].lower()
            messages[message] = messages.get(message, 0) + 1
    return summary(lines, malformed, levels, messages)
# ANCHOR_END: fast


# ANCHOR: list_min_remove
def list_min_remove(pending):
    """The table's list: min() scans every deployment left, remove()
    scans to it and shifts every one after it. O(n) per take."""
    left = list(pending)
    order = []
    while left:
        m = min(left)
        left.remove(m)
        order.append(m[1])
    return order
# ANCHOR_END: list_min_remove


# ANCHOR: sorted_pop
def sorted_pop(pending):
    """Sorted once, most urgent last, then pop() from the end: O(n log n),
    then O(1) per take; only while nothing is added."""
    left = sorted(pending, reverse=True)
    order = []
    while left:
        order.append(left.pop()[1])
    return order
# ANCHOR_END: sorted_pop


# ANCHOR: heapq_drain
def heapq_drain(pending):
    """The table's "Need fast min/max? → heapq": heapify a copy in O(n),
    then heappop in O(log n) each."""
    heap = list(pending)
    heapq.heapify(heap)
    order = []
    while heap:
        order.append(heapq.heappop(heap)[1])
    return order
# ANCHOR_END: heapq_drain


def median_ns(unit, rounds):
    """Warm up: run `unit` until about ROUND_NS have passed (at least
    once), counting the units; then time `rounds` rounds of that many
    units back to back. The median over the rounds of a round's time per
    unit, the units per round, and every unit's result."""
    results = []
    repeat = 0
    start = time.perf_counter_ns()
    while True:
        results.append(unit())
        repeat += 1
        if time.perf_counter_ns() - start >= ROUND_NS:
            break
    times = []
    for _ in range(rounds):
        start = time.perf_counter_ns()
        for _ in range(repeat):
            results.append(unit())
        times.append((time.perf_counter_ns() - start) / repeat)
    return statistics.median(times), repeat, results


def method(rounds, repeat, unit):
    units = "unit" if repeat == 1 else "units"
    if rounds == 1:
        how = (f"one round of {repeat} {units}, after a warm-up of {repeat} {units}; "
               f"one unit is {unit}")
    else:
        how = (f"median of {rounds} rounds of {repeat} {units} each, after a warm-up "
               f"of {repeat} {units}; one unit is {unit}")
    if repeat == 1:
        how += " (one unit lasts over 50 ms: the warm-up is that one unit)"
    return how


def check(ok, what):
    if not ok:
        sys.exit(f"reference.py: {what}")


def check_inputs():
    """The generators against the Rust lesson's own tests and docs, and
    CPython's lowercasing against Rust's on the log's letters."""
    text = log(2_000)
    check(text.startswith("2026-11-25T00:00:00.000Z INFO api "), "the log starts otherwise")
    lines = rust_lines(text)
    check(len(lines) == 2_000 and lines[1008] == "" and len(lines[996].split(' ')) == 2
          and any('\u212a' in line for line in lines), "log(2000) is not the Rust lesson's")
    check(rust_lines("") == [] and rust_lines("a") == ["a"] and rust_lines("a\n\n") == ["a", ""],
          "rust_lines is not str::lines")
    check("ΟΔΟΣ".lower() == "οδο\u03c2" and "ΣΥΝΔΕΣΗ".lower() == "συνδεση"
          and "\u212a".lower() == "k" and "İ".lower() == "i\u0307" and "Über".lower() == "über",
          "str.lower differs from Rust's to_lowercase on the log's letters")
    d = deployments(3)
    check(d[1] == {'instances': 8, 'cost_per_instance': 0.87, 'hours': 3.0},
          f"deployments(3)[1] is {d[1]}")
    p = pending(2)
    check(p[1] == (2_654_435_761 % 10_000, 1), f"pending(2)[1] is {p[1]}")


def expected_counts(n):
    """The malformed lines and the error lines of log(n), from the
    generator's rules rather than from a summarizer."""
    malformed = sum(1 for i in range(n) if i % 1009 == 1008 or i % 997 == 996)
    errors = sum(1 for i in range(n)
                 if i % 1009 != 1008 and i % 997 != 996 and LEVELS[i % 16].lower() == 'error')
    return malformed, errors


HOTSPOT_NS = [10_000, 20_000, 50_000]
CPROFILE_N = 20_000
HOTSPOT_VARIANTS = [
    # (variant, Rust twin, role, function, what one unit is)
    ("pop0_lower", "slow", "baseline", pop0_lower,
     "the lines in a list taken with pop(0), every line lowercased"),
    ("deque_lower", "fix_queue", "variant", deque_lower,
     "the lines in a deque taken with popleft(), every line lowercased"),
    ("fast", "fast", "optimized", fast,
     "the lines iterated, only the level and an error's message lowercased"),
]


def hotspot_rows(rounds):
    rows = []
    for n in HOTSPOT_NS:
        text = log(n)
        check('\r' not in text, "the log holds a '\\r': rust_lines would not be str::lines")
        want = fast(text)
        lines, malformed, levels, _ = want
        errors = dict(levels).get('error', 0)
        check((lines, malformed, errors) == (n, *expected_counts(n)),
              f"hotspot at n = {n}: {lines} lines, {malformed} malformed, {errors} errors")
        for variant, rust, role, f, what in HOTSPOT_VARIANTS:
            ns, repeat, results = median_ns(lambda: f(text), rounds)
            check(all(r == want for r in results),
                  f"{variant} at n = {n} summarized otherwise than fast")
            rows.append({"question": "hotspot", "variant": variant, "rust": rust,
                         "role": role, "param": "n", "value": n, "median_ns": ns,
                         "errors": errors, "log_bytes": len(text.encode()),
                         "per_line_ns": ns / n,
                         "method": method(rounds, repeat, f"summarizing the log of {n:,} lines "
                                                          f"(built beforehand): {what}")})
    return rows


def cprofile_tables():
    """The article's profile_function on pop0_lower, then the lesson's
    tottime table of a second, identical call."""
    text = log(CPROFILE_N)
    want = fast(text)
    PROFILE_OUTPUT.clear()
    got = profile_function(lambda: pop0_lower(text))
    check(got == want and len(PROFILE_OUTPUT) == 1, "profile_function changed the summary")
    got, table = profile_tottime(lambda: pop0_lower(text), top=8)
    check(got == want, "profile_tottime changed the summary")

    def lines_of(s):
        return [line.rstrip() for line in s.splitlines() if line.strip()]
    return lines_of(table), lines_of(PROFILE_OUTPUT[0])


COST_NS = [1_000, 100_000, 1_000_000]


def cost_rows(rounds):
    rows = []
    for n in COST_NS:
        deps = deployments(n)
        ns, repeat, results = median_ns(lambda: calculate_deployment_cost_python(deps), rounds)
        total = results[0]
        check(all(r == total for r in results), f"the loop at n = {n} gave several totals")
        exact = math.fsum(d['instances'] * d['cost_per_instance'] * d['hours'] for d in deps)
        check(abs(total - exact) <= 1e-9 * exact, f"the loop at n = {n}: {total}, fsum {exact}")
        rows.append({"question": "cost", "variant": "calculate_deployment_cost_python",
                     "rust": "dicts", "role": "baseline", "param": "n", "value": n,
                     "median_ns": ns, "total": total, "per_deployment_ns": ns / n,
                     "method": method(rounds, repeat,
                                      f"the article's calculate_deployment_cost_python over "
                                      f"{n:,} dicts built beforehand")})
        if np is not None:
            columns = cost_columns(deps)
            del deps
            ns, repeat, results = median_ns(lambda: cost_numpy(*columns), rounds)
            got = results[0]
            check(all(r == got for r in results), f"numpy at n = {n} gave several totals")
            error = abs(got - total) / total
            check(error < 1e-12, f"numpy at n = {n}: {got}, the loop {total}")
            rows.append({"question": "cost", "variant": "numpy", "rust": "iterators",
                         "role": "optimized", "param": "n", "value": n, "median_ns": ns,
                         "total": got, "numpy_relative_error": error,
                         "per_deployment_ns": ns / n,
                         "method": method(rounds, repeat,
                                          f"float(np.sum(instances * cost * hours)) over "
                                          f"three float64 arrays of {n:,}, built beforehand")
                                   + "; numpy_relative_error: |numpy - loop| / loop, the "
                                     "loop being calculate_deployment_cost_python's total"})
        else:
            del deps
    return rows


DRAIN_NS = [1_000, 3_000, 10_000, 30_000]
# From this n on list_min_remove takes one round, whatever --rounds says.
LIST_ONE_ROUND_FROM = 30_000
DRAIN_VARIANTS = [
    # (variant, Rust twin, role, function, what one unit is)
    ("list_min_remove", "list_min_remove", "baseline", list_min_remove,
     "m = min(left); left.remove(m) on a copy of the list until it is empty"),
    ("sorted_pop", "sort_once", "variant", sorted_pop,
     "sorted(pending, reverse=True), then pop() from the end until empty"),
    ("heapq", "binary_heap", "optimized", heapq_drain,
     "heapq.heapify on a copy, then heapq.heappop until empty"),
]


def drain_rows(rounds):
    rows = []
    for n in DRAIN_NS:
        p = pending(n)
        want = [i for _, i in sorted(p)]
        for variant, rust, role, f, what in DRAIN_VARIANTS:
            row_rounds = 1 if f is list_min_remove and n >= LIST_ONE_ROUND_FROM else rounds
            ns, repeat, results = median_ns(lambda: f(p), row_rounds)
            check(all(r == want for r in results),
                  f"{variant} at n = {n} took the deployments in another order")
            how = method(row_rounds, repeat, f"taking the most urgent of {n:,} (urgency, id) "
                                             f"tuples, built beforehand: {what}")
            if row_rounds != rounds:
                how += (" (one round whatever --rounds says: a unit of list_min_remove at "
                        f"n = {n:,} lasts seconds)")
            rows.append({"question": "drain", "variant": variant, "rust": rust,
                         "role": role, "param": "n", "value": n, "median_ns": ns,
                         "per_take_ns": ns / n, "method": how})
    return rows


def timeit_figures():
    list_comp, generator = benchmark_with_timeit()
    return {
        "number": TIMEIT_NUMBER,
        "list_comprehension_s": list_comp,
        "generator_s": generator,
        "list_comprehension_per_statement_ns": list_comp / TIMEIT_NUMBER * 1e9,
        "generator_per_statement_ns": generator / TIMEIT_NUMBER * 1e9,
        "method": f"the article's two timeit.timeit calls, run once each at "
                  f"number={TIMEIT_NUMBER:,} (the article's 10,000 / 10); each figure is the "
                  "seconds for all of them, per_statement_ns that over number",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds per row")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")

    check_inputs()
    rows = []
    rows += hotspot_rows(args.rounds)
    cprofile_slow, cprofile_cumulative = cprofile_tables()
    rows += cost_rows(args.rounds)
    rows += drain_rows(args.rounds)
    timeit = timeit_figures()

    json.dump({
        "lesson": "profiling",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "machine": platform.processor() or platform.machine(),
        "numpy": np.__version__ if np is not None else "not installed",
        "cython": "not used: the article's Cython needs the Cython package, a C compiler "
                  "and a build step (setup.py build_ext); the lesson's Rust rows stand in "
                  "for compiled code, and the Rust side measures the f32 accumulation the "
                  "Cython's `cdef float total` implies (f32_total)",
        "cprofile_about": f"pop0_lower on the log of {CPROFILE_N:,} lines under cProfile: "
                          "cprofile_slow is the table sorted by 'tottime', its top 8, "
                          "directories stripped (profile_tottime); cprofile_slow_cumulative "
                          "is the article's profile_function's own table ('cumulative', "
                          "top 20) of another such call",
        "cprofile_slow": cprofile_slow,
        "cprofile_slow_cumulative": cprofile_cumulative,
        "timeit": timeit,
        "rows": rows,
    }, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
