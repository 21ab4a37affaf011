#!/usr/bin/env python3
"""The article's generators (section 7.3, "Generators and Iterators"),
written afresh, timed on the same log file as the Rust lesson, printed as
JSON.

    python3 lessons/streams/python/reference.py [--mib 16 --mib 64] [--rounds 3]

`get_all_log_lines` is the article's `f.readlines()`: every line of the
file in one list, then the summary. `get_log_lines` is its generator,
`yield line.strip()`: one line at a time. `process_log_pipeline` is its
generator pipeline, read_logs -> parse_logs -> filter_errors ->
extract_messages. All three return the Rust lesson's summary (lines,
malformed lines, ERROR lines per service, the 10 most frequent ERROR
messages), built by the same code, so they differ only in how they read.

For each size the log is written to target/streams-logs/py-<pid>-<mib>.log
(the Rust lesson's log, byte for byte), read once so the page cache is
warm, and removed afterwards, on Ctrl-C and SIGTERM too. Times are the
median of --rounds calls in this process. Memory is measured in fresh
child processes (this script again, in a hidden mode), each running one
variant once: its peak resident memory (VmHWM; `ru_maxrss` is not used
because on Linux a child started by `subprocess` inherits its parent's
peak through exec), and, in a second child, the peak that tracemalloc
traces, so no timed call runs with tracemalloc on. `idle_rss_bytes` is the
peak of a child that runs nothing; `exponents` are the least-squares
slopes of ln(peak_rss_bytes) against ln(mib): about 0 where memory does
not grow with the file, towards 1 where it does (the idle interpreter's
share holds it below 1 at small sizes).
"""

import argparse
import json
import math
import os
import platform
import resource
import signal
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

MIB = 1 << 20
MAX_MIB = 1024
TOP = 10

# The Rust lesson's log (lessons/streams/src/log.rs).
SEED = 2026_11_25
SERVICES = ("api", "auth", "billing", "search", "payments", "notifier", "scheduler", "ingest")
MESSAGES = (
    "request completed",
    "cache miss for deployment config",
    "connection reset by peer",
    "timeout after 30 s contacting ledger",
    "token expired",
    "retrying upload (attempt 2 of 5)",
    "Zahlung abgelehnt: Karte gesperrt",
    "délai dépassé pour la réplique",
    "queue depth above 10,000",
    "用户登录失败",
    "disk usage at 91 %",
    "TLS handshake failed: certificate unknown",
    "Ошибка записи в журнал",
    "scheduled job skipped: previous run still active",
    "rate limit exceeded → 429",
    "health check ok",
)
LEVELS = (("DEBUG", 30), ("INFO", 50), ("WARN", 12), ("ERROR", 8))
MASK = (1 << 64) - 1


def log_lines():
    """The Rust lesson's `Lines`: the log's lines, as UTF-8 bytes ending in
    `\\n`. SplitMix64 seeded with 2026_11_25, masked to 64 bits after every
    wrapping step; per line, in this order: the milliseconds' step, the
    level, the service, then two message picks of which the smaller wins."""
    state = SEED
    ms = 0

    def below(n):
        nonlocal state
        state = (state + 0x9E37_79B9_7F4A_7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D0_49BB_1331_11EB) & MASK
        return (z ^ (z >> 31)) % n

    def level_of(pick):
        for name, weight in LEVELS:
            if pick < weight:
                return name
            pick -= weight
        return "INFO"

    levels = [level_of(pick) for pick in range(100)]
    # " LEVEL service message\n", encoded once for every combination.
    tails = {
        (level, service, message): f" {level} {SERVICES[service]} {MESSAGES[message]}\n".encode()
        for level in {name for name, _ in LEVELS}
        for service in range(len(SERVICES))
        for message in range(len(MESSAGES))
    }
    while True:
        ms += 1 + below(3)
        day, rest = divmod(ms, 86_400_000)
        stamp = b"2026-11-%02dT%02d:%02d:%02d.%03dZ" % (
            25 + day, rest // 3_600_000, rest // 60_000 % 60, rest // 1000 % 60, rest % 1000)
        level = levels[below(100)]
        service = below(len(SERVICES))
        message = min(below(len(MESSAGES)), below(len(MESSAGES)))
        yield stamp + tails[level, service, message]


def write_log(path, budget):
    """The Rust lesson's `write_log`: whole lines while they fit in
    `budget` bytes; returns how many bytes it wrote."""
    written = 0
    with open(path, "wb", buffering=MIB) as f:
        for line in log_lines():
            if written + len(line) > budget:
                return written
            f.write(line)
            written += len(line)


# ANCHOR: summary
def fields(line):
    """A line without its ending, split into timestamp, level, service and
    message at its first three spaces; None when it is malformed (fewer
    than four fields, or an empty timestamp, level or service)."""
    parts = line.split(" ", 3)
    if len(parts) != 4 or not (parts[0] and parts[1] and parts[2]):
        return None
    return parts


def finish(lines, malformed, by_service, by_message):
    """The summary of the counts: ERROR lines per service by service, the
    TOP most frequent ERROR messages (ties by message)."""
    top = sorted(by_message.items(), key=lambda item: (-item[1], item[0]))[:TOP]
    return {
        "lines": lines,
        "malformed": malformed,
        "errors_by_service": [list(item) for item in sorted(by_service.items())],
        "top_errors": [list(item) for item in top],
    }


def summarize(lines):
    """The Rust lesson's summary of an iterable of stripped lines."""
    count = malformed = 0
    by_service = {}
    by_message = {}
    for line in lines:
        count += 1
        parts = fields(line)
        if parts is None:
            malformed += 1
        elif parts[1] == "ERROR":
            service, message = parts[2], parts[3]
            by_service[service] = by_service.get(service, 0) + 1
            by_message[message] = by_message.get(message, 0) + 1
    return finish(count, malformed, by_service, by_message)
# ANCHOR_END: summary


# ANCHOR: get_all_log_lines
def get_all_log_lines(filename: str) -> list:
    """Load all log lines (memory intensive!)."""
    # The article's `open(filename)`, with the encoding said: the log is
    # UTF-8 with LF endings, which text mode reads exactly.
    with open(filename, encoding="utf-8") as f:
        return f.readlines()  # Loads entire file in memory


def read_all(filename):
    """The article's "regular function": every line in one list, then the
    summary, stripping each line as the generator does."""
    lines = get_all_log_lines(filename)
    return summarize(line.strip() for line in lines)
# ANCHOR_END: get_all_log_lines


# ANCHOR: get_log_lines
def get_log_lines(filename: str):
    """Yield log lines one at a time (memory efficient)."""
    with open(filename, encoding="utf-8") as f:
        for line in f:
            yield line.strip()  # Yields one line at a time


def read_lines(filename):
    """The article's generator, summarized as it yields."""
    return summarize(get_log_lines(filename))
# ANCHOR_END: get_log_lines


# ANCHOR: pipeline
def read_logs(filename: str):
    """Read log lines."""
    with open(filename, encoding="utf-8") as f:
        for line in f:
            yield line.strip()


def parse_logs(lines):
    """Parse log lines into structured data."""
    # The article's stage calls json.loads; the Rust lesson's log is text
    # lines, not JSON, so a line is split into the same fields as
    # `summarize` splits it, kept in a dict as json.loads would give.
    for line in lines:
        parts = fields(line)
        if parts is None:
            continue  # Skip malformed lines
        timestamp, level, service, message = parts
        yield {"timestamp": timestamp, "level": level, "service": service, "message": message}


def filter_errors(logs):
    """Filter error logs."""
    for log in logs:
        if log.get('level') == 'ERROR':
            yield log


def extract_messages(logs):
    """Extract messages from logs."""
    for log in logs:
        yield log.get('message', '')


def counted(items, counts, key):
    """Pass `items` through, counting them in `counts[key]`: a stage
    between two of the article's, so the summary's counts are taken as the
    lines flow (lines read, records parsed, error records per service)."""
    for item in items:
        counted_as = key(item)
        counts[counted_as] = counts.get(counted_as, 0) + 1
        yield item


def process_log_pipeline(filename: str):
    """Process logs through pipeline: read -> parse -> filter -> extract."""
    read = {}
    parsed = {}
    by_service = {}
    by_message = {}
    logs = counted(read_logs(filename), read, lambda line: "lines")
    logs = counted(parse_logs(logs), parsed, lambda log: "records")
    logs = counted(filter_errors(logs), by_service, lambda log: log["service"])
    messages = extract_messages(logs)
    for message in messages:
        by_message[message] = by_message.get(message, 0) + 1
    lines = read.get("lines", 0)
    return finish(lines, lines - parsed.get("records", 0), by_service, by_message)
# ANCHOR_END: pipeline


# ANCHOR: deployment_processor
def deployment_processor():
    """Generator that accepts values via send()."""
    deployment_count = 0
    name_bytes = 0

    while True:
        # Receive deployment via send()
        deployment = yield deployment_count

        if deployment is None:
            break

        # Process deployment (the article prints it; counted here, as the
        # Rust lesson counts it, so that printing is not what is timed)
        deployment_count += 1
        name_bytes += len(deployment["name"])
# ANCHOR_END: deployment_processor


def deployments(n):
    """The Rust lesson's `send::deployments(n)`."""
    return [{"name": f"app-v{i}", "status": "pending"} for i in range(n)]


def send_all(items):
    """The article's usage: prime, send each deployment, send None.

    The article writes `count = processor.send(None)`, but `send(None)`
    makes the generator leave its loop and return, which raises
    StopIteration: the count it prints is never assigned. The last count
    is the value of the last `send` before it.
    """
    processor = deployment_processor()
    next(processor)  # Prime the generator
    count = 0
    for deployment in items:
        count = processor.send(deployment)
    try:
        processor.send(None)  # Signal completion
    except StopIteration:
        pass
    return count


# The variants: the article's name, the function that summarizes with it,
# its role, and the Rust variant it is set beside.
VARIANTS = (
    ("get_all_log_lines", read_all, "baseline", "read_all"),
    ("get_log_lines", read_lines, "optimized", "lines"),
    ("process_log_pipeline", process_log_pipeline, "variant", "pipeline"),
)
BY_NAME = {name: fn for name, fn, _, _ in VARIANTS}


def median_ns(fn, arg, rounds):
    """The median time of `rounds` calls, and the last call's result."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter_ns()
        result = fn(arg)
        times.append(time.perf_counter_ns() - start)
    return statistics.median(times), result


def peak_rss_bytes():
    """This process's peak resident memory: VmHWM, which exec resets; on
    systems without /proc, ru_maxrss (kilobytes on Linux and the BSDs,
    bytes on macOS)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maxrss if sys.platform == "darwin" else maxrss * 1024


def child(name, path, traced):
    """In a fresh process: run one variant once (or none) and print its
    peak resident memory, or with `traced` the peak tracemalloc saw."""
    if traced:
        tracemalloc.start()
    if name != "none":
        BY_NAME[name](path)
    if traced:
        print(tracemalloc.get_traced_memory()[1])
    else:
        print(peak_rss_bytes())


def in_child(name, path, traced=False):
    """Run this script as `--child name path` and read the number it prints."""
    command = [sys.executable, os.path.abspath(__file__), "--child", name, str(path)]
    if traced:
        command.append("--tracemalloc")
    done = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{os.path.basename(__file__)}: measuring {name} failed:\n{done.stderr.strip()}")
    return int(done.stdout)


def slope(xs, ys):
    """The least-squares slope of ys against xs; None for fewer than two
    distinct xs."""
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    var = sum((x - mean_x) ** 2 for x in xs)
    if var == 0:
        return None
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / var


def warm(path):
    """Read the file once, so every variant finds it in the page cache."""
    with open(path, "rb") as f:
        while f.read(MIB):
            pass


def measure(path, mib, rounds):
    """The rows of every variant on the log at `path`, and its summary."""
    rows = []
    summary = None
    for name, fn, role, rust in VARIANTS:
        median, result = median_ns(fn, path, rounds)
        if summary is None:
            summary = result
        elif result != summary:
            sys.exit(f"{os.path.basename(__file__)}: {name} disagrees with "
                     f"{VARIANTS[0][0]} at {mib} MiB")
        rows.append({
            "variant": name,
            "rust": rust,
            "role": role,
            "param": "mib",
            "value": mib,
            "median_ns": median,
            "peak_rss_bytes": in_child(name, path),
            "tracemalloc_peak_bytes": in_child(name, path, traced=True),
            "lines": result["lines"],
        })
    for row in rows:
        row["ratio_vs_baseline"] = rows[0]["median_ns"] / row["median_ns"]
    return rows, summary


# How many deployments the `send` question hands over, as the Rust
# lesson's default.
SEND_N = 10_000


def on_sigterm(signum, frame):
    # Leave through SystemExit, so every `finally` runs (the log is removed).
    raise SystemExit(128 + signum)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=int, action="append",
                        help=f"log size in MiB, 1 to {MAX_MIB} (repeatable); default 16 64")
    parser.add_argument("--rounds", type=int, default=3, help="timed calls per variant and size")
    parser.add_argument("--child", nargs=2, metavar=("VARIANT", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--tracemalloc", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        name, path = args.child
        if name != "none" and name not in BY_NAME:
            parser.error(f"--child: no variant {name!r}")
        child(name, path, args.tracemalloc)
        return
    sizes = sorted(set(args.mib or [16, 64]))
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if not all(1 <= mib <= MAX_MIB for mib in sizes):
        parser.error(f"--mib must be between 1 and {MAX_MIB}")

    signal.signal(signal.SIGTERM, on_sigterm)
    log_dir = Path(__file__).resolve().parents[3] / "target" / "streams-logs"
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        idle = in_child("none", os.devnull)
        rows = []
        summary = None
        for mib in sizes:
            path = log_dir / f"py-{os.getpid()}-{mib}.log"
            try:
                write_log(path, mib * MIB)
                warm(path)
                point, summary = measure(path, mib, args.rounds)
                rows.extend(point)
            finally:
                path.unlink(missing_ok=True)
    except OSError as e:
        sys.exit(f"{os.path.basename(__file__)}: {e}")

    items = deployments(SEND_N)
    if send_all(items) != SEND_N:
        sys.exit(f"{os.path.basename(__file__)}: deployment_processor lost a deployment")
    send_ns, _ = median_ns(send_all, items, args.rounds)
    rows.append({
        "variant": "deployment_processor",
        "rust": "state_machine",
        "role": "optimized",
        "param": "n",
        "value": SEND_N,
        "median_ns": send_ns,
    })

    exponents = {}
    for name, _, _, _ in VARIANTS:
        mine = [row for row in rows if row["variant"] == name]
        exponents[name] = slope([math.log(row["value"]) for row in mine],
                                [math.log(row["peak_rss_bytes"]) for row in mine])
    json.dump({
        "lesson": "streams",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "machine": platform.processor() or platform.machine(),
        "idle_rss_bytes": idle,
        "exponents": exponents,
        "summary": {"mib": sizes[-1], **summary},
        "rows": rows,
    }, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
