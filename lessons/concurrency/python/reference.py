#!/usr/bin/env python3
"""The article's concurrency advice (sections 7.4 and 7.5), written afresh,
timed on the same jobs and the same kind of server as the Rust lesson,
printed as JSON.

    python3 lessons/concurrency/python/reference.py [--jobs 10] [--n 10] [--rounds 1]

CPU: the batch alternates the article's `process_deployment` (a sum of
squares below 1,000,000, kept modulo a prime as in the Rust lesson) and
`analyze_logs` (20,000-line log files in a temporary directory), run
sequentially, on a ThreadPoolExecutor and on a ProcessPoolExecutor.
I/O: n requests to a loopback asyncio server that answers each after
10 ms, sequentially, on a thread pool of 10, with asyncio.gather and with a
semaphore of 10.
"""

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

MODULUS = 1_000_000_007
BELOW = 1_000_000
LOG_LINES = 20_000
LATENCY = 0.010
LIMIT = 10


def log_text(seed, lines):
    """The Rust lesson's `log_text`: 1 line in 20 ERROR, 2 in 20 WARNING."""
    out = []
    for i in range(lines):
        level = {0: "ERROR", 1: "WARNING", 2: "WARNING"}.get((i + seed) % 20, "INFO")
        out.append(f"2024-05-01T12:{i // 60 % 60:02}:{i % 60:02}Z {level} "
                   f"service-{(i * 7 + seed) % 50} request {i} handled\n")
    return "".join(out)


# ANCHOR: cpu_jobs
def process_deployment(below):
    """The article's CPU job: sum of squares (modulo a prime, as in Rust)."""
    total = 0
    for i in range(below):
        total = (total + i * i % MODULUS) % MODULUS
    return ("sum", total)


def analyze_logs(log_file):
    """The article's log analysis: ERROR lines, then other WARNING lines."""
    errors = warnings = 0
    with open(log_file) as f:
        for line in f:
            if "ERROR" in line:
                errors += 1
            elif "WARNING" in line:
                warnings += 1
    return ("levels", errors, warnings)


def execute(job):
    kind, arg = job
    return process_deployment(arg) if kind == "squares" else analyze_logs(arg)
# ANCHOR_END: cpu_jobs


# ANCHOR: cpu_variants
def cpu_sequential(jobs):
    return [execute(job) for job in jobs]


def cpu_threads(jobs):
    # The GIL lets one thread run Python code at a time: no speedup.
    with ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
        return list(pool.map(execute, jobs))


def cpu_processes(jobs):
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        return list(pool.map(execute, jobs))
# ANCHOR_END: cpu_variants


async def handle(reader, writer):
    """The test server: read `GET <id>`, wait LATENCY, reply, close."""
    line = await asyncio.wait_for(reader.readline(), 10)
    ident = int(line.split()[1])
    await asyncio.sleep(LATENCY)
    writer.write(f"OK {ident} service-{ident} deployed\n".encode())
    await writer.drain()
    writer.close()


def start_server():
    """Serve on 127.0.0.1 in a thread of its own; return (port, stop)."""
    ready = threading.Event()
    box = {}

    def run():
        loop = asyncio.new_event_loop()
        server = loop.run_until_complete(asyncio.start_server(handle, "127.0.0.1", 0, backlog=4096))
        box["port"] = server.sockets[0].getsockname()[1]
        box["loop"], box["server"] = loop, server
        ready.set()
        loop.run_forever()
        server.close()
        loop.run_until_complete(server.wait_closed())
        loop.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait(10)

    def stop():
        box["loop"].call_soon_threadsafe(box["loop"].stop)
        thread.join(10)

    return box["port"], stop


# ANCHOR: io_variants
def fetch_blocking(port, ident):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(f"GET {ident}\n".encode())
        return s.makefile().read().strip()


async def fetch(port, ident):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {ident}\n".encode())
    reply = (await asyncio.wait_for(reader.read(), 10)).decode().strip()
    writer.close()
    return reply


def io_sequential(port, n):
    return [fetch_blocking(port, i) for i in range(n)]


def io_thread_pool(port, n):
    with ThreadPoolExecutor(max_workers=LIMIT) as pool:
        return list(pool.map(lambda i: fetch_blocking(port, i), range(n)))


def io_gather(port, n):
    async def main():
        return await asyncio.gather(*[fetch(port, i) for i in range(n)])
    return asyncio.run(main())


def io_semaphore(port, n):
    async def main():
        semaphore = asyncio.Semaphore(LIMIT)

        async def one(i):
            async with semaphore:
                return await fetch(port, i)
        return await asyncio.gather(*[one(i) for i in range(n)])
    return asyncio.run(main())
# ANCHOR_END: io_variants


def median_ns(fn, args, rounds):
    times = []
    for _ in range(rounds):
        start = time.perf_counter_ns()
        fn(*args)
        times.append(time.perf_counter_ns() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=10, help="CPU jobs in the batch")
    parser.add_argument("--n", type=int, default=10, help="I/O requests")
    parser.add_argument("--rounds", type=int, default=1, help="timed calls per variant")
    args = parser.parse_args()
    if args.jobs < 1 or args.n < 1 or args.rounds < 1:
        parser.error("--jobs, --n and --rounds must be at least 1")

    rows = []
    with tempfile.TemporaryDirectory(prefix="workbench-concurrency-") as tmp:
        jobs = []
        for i in range(args.jobs):
            if i % 2 == 0:
                jobs.append(("squares", BELOW))
            else:
                path = os.path.join(tmp, f"app-{i}.log")
                with open(path, "w") as f:
                    f.write(log_text(i, LOG_LINES))
                jobs.append(("logs", path))
        expected = cpu_sequential(jobs)
        # The third field names the Rust variant each function is set beside.
        for role, fn, rust in (("baseline", cpu_sequential, "sequential"),
                               ("variant", cpu_threads, "std_threads"),
                               ("optimized", cpu_processes, "processes")):
            assert fn(jobs) == expected, fn.__name__
            rows.append({"question": "cpu", "variant": fn.__name__, "rust": rust, "role": role,
                         "param": "jobs", "value": args.jobs,
                         "median_ns": median_ns(fn, (jobs,), args.rounds)})

    port, stop = start_server()
    try:
        expected = [f"OK {i} service-{i} deployed" for i in range(args.n)]
        for role, fn, rust in (("baseline", io_sequential, "sequential_blocking"),
                               ("variant", io_thread_pool, "thread_pool"),
                               ("optimized", io_gather, "tokio_join_all"),
                               ("variant", io_semaphore, "tokio_semaphore")):
            assert fn(port, args.n) == expected, fn.__name__
            rows.append({"question": "io", "variant": fn.__name__, "rust": rust, "role": role,
                         "param": "n", "value": args.n,
                         "median_ns": median_ns(fn, (port, args.n), args.rounds)})
    finally:
        stop()

    for question in ("cpu", "io"):
        base = next(r for r in rows if r["question"] == question and r["role"] == "baseline")
        for r in rows:
            if r["question"] == question:
                r["ratio_vs_baseline"] = base["median_ns"] / r["median_ns"]
    print(json.dumps({
        "lesson": "concurrency",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "machine": {"python": sys.version.split()[0], "platform": platform.platform(),
                    "cpus": os.cpu_count()},
        "rows": rows,
    }, indent=2))


if __name__ == "__main__":
    main()
