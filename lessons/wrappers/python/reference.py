#!/usr/bin/env python3
"""The article's decorators (section 7.1, "Decorators"), written afresh,
timed on the same inputs as the Rust lesson, printed as JSON.

    python3 lessons/wrappers/python/reference.py [--rounds 3]

- stack: `scale(replicas)` wrapped `layers` times (0, 1, 2, 3, 4, 8) in the
  skeleton every decorator of the article shares (`functools.wraps`,
  `*args, **kwargs`); one unit is 1,000 calls `stacked(replicas=i)`,
  summed (`total`, 1,000,000 at every depth).
- rate: the article's `RateLimiter` around `create_deployment`, k calls
  per k microseconds (k = 100 ... 100,000), its clock faked; its window
  full (k calls at µs 0 ... k-1), then calls exactly 1 µs apart, every one
  admitted; one unit is 256 calls (`admitted`), the clock running on from
  unit to unit.
- log: the article's `log_execution()` around `scale`, its logger at
  WARNING so both INFO records are dropped; one unit is n calls
  (n = 100, 1,000, 10,000).
- auth: the article's `require_permission('deployments.delete')` around
  `delete_deployment`, by a user holding 1, 16 or 256 permissions; one
  unit is 1,000 calls.
- retry: the article's `@retry(max_attempts=3, delay=2.0)` around
  `deploy_to_kubernetes` (70% of attempts fail), not slept, 100,000 calls
  from a fixed seed: how many still fail after three attempts
  (`still_fails`, also as `still_failing_rate`, expected 0.7^3 = 0.343) and the mean time of a call.
- timer: the article's `timer` around `deploy_application` without its
  sleep, printing into a sink: 1,000 calls, against the same 1,000 calls
  of the undecorated function (`no_decorator`).

Times are taken with `time.perf_counter_ns`. Each timed row first runs a
warm-up of whole units for about 50 ms (at least one unit); that count of
units, run back to back, is one round, and a row's `median_ns` is the
median over `--rounds` rounds of a round's time divided by its units: the
time of ONE unit, as the Rust row beside it (`rust`) measures its unit.
Each row's `method` says how many rounds of how many units it took.

The changes to the article's code, each also said where it is made: its
`print` calls in the decorated bodies are removed (printing would be most
of what is timed); `time.sleep` is never called in timed code; the rate
limiter's `datetime.now()` reads a fake clock; `delete_deployment`
returns its id (as the Rust lesson's does) rather than a dict.
"""

import argparse
import contextlib
import functools
import json
import logging
import platform
import random
import statistics
import sys
import time
from typing import Callable, Any

# About how long the warm-up, and so each timed round, lasts.
ROUND_NS = 50_000_000


# ANCHOR: timer
# Basic decorator
def timer(func: Callable) -> Callable:
    """Time function execution."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        start = time.time()
        result = func(*args, **kwargs)
        end = time.time()
        print(f"{func.__name__} took {end - start:.4f} seconds")
        return result
    return wrapper


@timer
def deploy_application(app_name: str):
    """Deploy application."""
    # The article's `time.sleep(2)  # Simulate deployment` is removed: the
    # question is what the decorator costs, not the deployment.
    return f"Deployed {app_name}"
# ANCHOR_END: timer


# ANCHOR: retry
# Decorator with arguments
def retry(max_attempts: int = 3, delay: float = 1.0):
    """Retry decorator with configurable attempts and delay."""
    def decorator(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for attempt in range(1, max_attempts + 1):
                try:
                    return func(*args, **kwargs)
                except Exception as e:
                    if attempt == max_attempts:
                        raise
                    # This print goes to a sink and `time.sleep` is a
                    # no-op while the script runs this decorator
                    # (`silenced()`, below): the text is unchanged.
                    print(f"Attempt {attempt} failed: {e}. Retrying in {delay}s...")
                    time.sleep(delay)
        return wrapper
    return decorator


@retry(max_attempts=3, delay=2.0)
def deploy_to_kubernetes(deployment_name: str):
    """Deploy to Kubernetes with retry."""
    import random
    if random.random() < 0.7:  # 70% chance of failure
        raise Exception("Deployment failed")
    return f"Deployed {deployment_name}"
# ANCHOR_END: retry


# ANCHOR: passthrough
# The skeleton every decorator above and below shares, doing nothing else:
# what a layer of wrapping costs by itself.
def passthrough(func: Callable) -> Callable:
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)
    return wrapper


def scale(replicas):
    """The wrapped function: the Rust lesson's `scale`."""
    return replicas * 2 + 1
# ANCHOR_END: passthrough


# ANCHOR: log_execution
from functools import wraps

# Logging decorator
def log_execution(logger: logging.Logger = None):
    """Log function execution with arguments and result."""
    if logger is None:
        logger = logging.getLogger(__name__)

    def decorator(func: Callable) -> Callable:
        @wraps(func)
        def wrapper(*args, **kwargs):
            # Log entry
            logger.info(
                f"Executing {func.__name__}",
                extra={
                    'function': func.__name__,
                    'args': args,
                    'kwargs': kwargs
                }
            )

            try:
                result = func(*args, **kwargs)

                # Log success
                logger.info(
                    f"{func.__name__} completed successfully",
                    extra={
                        'function': func.__name__,
                        'result': result
                    }
                )

                return result

            except Exception as e:
                # Log failure
                logger.error(
                    f"{func.__name__} failed",
                    extra={
                        'function': func.__name__,
                        'error': str(e)
                    },
                    exc_info=True
                )
                raise

        return wrapper
    return decorator
# ANCHOR_END: log_execution


def quiet_logger():
    """The lesson's logger: at WARNING, so `logger.info` drops its record
    after the message and the `extra` dict are built; it does not
    propagate to the root logger, and its one handler discards, so nothing
    is ever printed. (At INFO the article's entry record could not be
    made at all: `extra` may not name a LogRecord attribute, and 'args' is
    one, so `logger.info` would raise KeyError.)"""
    logger = logging.getLogger("wrappers.reference")
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    logger.addHandler(logging.NullHandler())
    return logger


# ANCHOR: rate_limiter
# Rate limiting decorator
from collections import defaultdict
from datetime import datetime, timedelta

class RateLimiter:
    """Rate limiter using token bucket algorithm."""

    def __init__(self, max_calls: int, period: timedelta):
        self.max_calls = max_calls
        self.period = period
        self.calls = defaultdict(list)

    def __call__(self, func: Callable) -> Callable:
        @wraps(func)
        def wrapper(*args, **kwargs):
            now = datetime.now()
            key = func.__name__

            # Remove old calls
            self.calls[key] = [
                call_time for call_time in self.calls[key]
                if now - call_time < self.period
            ]

            # Check rate limit
            if len(self.calls[key]) >= self.max_calls:
                raise Exception(
                    f"Rate limit exceeded: {self.max_calls} calls per {self.period}"
                )

            # Record call
            self.calls[key].append(now)

            return func(*args, **kwargs)

        return wrapper


def rate_limited(k):
    """The article's usage at the lesson's rate: k calls per k µs."""
    limiter = RateLimiter(max_calls=k, period=timedelta(microseconds=k))

    @limiter
    def create_deployment(name: str):
        """Create deployment (rate limited to k calls per k µs)."""
        # The article's `print(f"Creating deployment: {name}")` is removed.
        return {"status": "created", "name": name}

    return limiter, create_deployment
# ANCHOR_END: rate_limiter


# The fake clock. `RateLimiter` calls `datetime.now()`, looking the name
# `datetime` up in this module when it runs; from here on that name is
# `FakeDatetime`, whose `now()` is BASE plus `tick` microseconds, `tick`
# being set before each call. So the limiter sees exactly the times the
# Rust lesson gives its limiters, whatever the real clock does.
BASE = datetime(2026, 11, 26)


class FakeDatetime:
    """Stands in for `datetime` in RateLimiter: a clock set by hand."""

    tick = 0  # microseconds since BASE

    @classmethod
    def now(cls):
        return BASE + timedelta(microseconds=cls.tick)


datetime = FakeDatetime


# ANCHOR: require_permission
# Permission decorator
def require_permission(permission: str):
    """Require specific permission."""
    def decorator(func: Callable) -> Callable:
        @wraps(func)
        def wrapper(*args, **kwargs):
            user = kwargs.get('user')

            if not user:
                raise ValueError("User context required")

            if not user.has_permission(permission):
                raise ValueError(f"Permission denied: {permission}")

            return func(*args, **kwargs)

        return wrapper
    return decorator


@require_permission('deployments.delete')
def delete_deployment(deployment_id: str, user=None):
    """Delete deployment (requires permission)."""
    # The article's `print(f"User {user.name} deleting deployment
    # {deployment_id}")` is removed, and the id is returned instead of
    # `{"status": "deleted"}`, as the Rust lesson's `deleted(id)` does, so
    # the calls' sum can be checked.
    return deployment_id
# ANCHOR_END: require_permission


class User:
    """The user the article leaves undefined: a name, and permissions in
    a set."""

    def __init__(self, name, permissions):
        self.name = name
        self.permissions = set(permissions)

    def has_permission(self, permission):
        return permission in self.permissions


def lesson_user(permissions):
    """The Rust lesson's `lesson_user`: `permissions` permissions, the one
    asked for last."""
    names = [f"service.{i}.read" for i in range(1, permissions)]
    names.append("deployments.delete")
    return User("alice", names)


class Sink:
    """Where the article's prints go: discards what it is given, counting
    the lines."""

    def __init__(self):
        self.lines = 0

    def write(self, text):
        self.lines += text.count("\n")
        return len(text)

    def flush(self):
        pass


@contextlib.contextmanager
def silenced(sink):
    """While inside: `print` writes to `sink` and `time.sleep` does
    nothing (the retry decorator's sleep, replaced, not called)."""
    sleep = time.sleep
    time.sleep = lambda seconds: None
    try:
        with contextlib.redirect_stdout(sink):
            yield sink
    finally:
        time.sleep = sleep


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
    return (f"median of {rounds} rounds of {repeat} units each, after a warm-up "
            f"of {repeat} units; one unit is {unit}")


def check(ok, what):
    if not ok:
        sys.exit(f"reference.py: {what}")


# Calls per unit of the stack, auth and timer questions.
CALLS = 1_000
# Calls per unit of the rate question.
RATE_CALLS = 256


def stack_rows(rounds):
    rows = []
    for layers in [0, 1, 2, 3, 4, 8]:
        stacked = scale
        for _ in range(layers):
            stacked = passthrough(stacked)

        def unit():
            total = 0
            for i in range(CALLS):
                total += stacked(replicas=i)
            return total

        ns, repeat, results = median_ns(unit, rounds)
        check(all(r == 1_000_000 for r in results), f"stack at {layers} layers summed {results[-1]}")
        rows.append({"question": "stack", "variant": "wraps_stack", "rust": "boxed_kwargs",
                     "role": "baseline", "param": "layers", "value": layers, "median_ns": ns,
                     "total": results[-1],
                     "method": method(rounds, repeat, "1,000 calls stacked(replicas=i)")})
    return rows


def rate_rows(rounds):
    rows = []
    for k in [100, 1_000, 10_000, 100_000]:
        limiter, create_deployment = rate_limited(k)
        # The window filled directly, as k calls at µs 0 ... k-1 would
        # leave it (filling it by calls costs O(k^2)).
        limiter.calls["create_deployment"] = [BASE + timedelta(microseconds=i) for i in range(k)]
        FakeDatetime.tick = k - 1

        def unit():
            admitted = 0
            try:
                for _ in range(RATE_CALLS):
                    FakeDatetime.tick += 1
                    create_deployment("my-deployment")
                    admitted += 1
            except Exception as e:
                sys.exit(f"reference.py: at k = {k}, µs {FakeDatetime.tick}: {e}")
            return admitted

        ns, repeat, results = median_ns(unit, rounds)
        check(all(r == RATE_CALLS for r in results), f"rate at k = {k} admitted {results}")
        window = limiter.calls["create_deployment"]
        check(len(window) == k and window[-1] == FakeDatetime.now(),
              f"rate at k = {k}: the window holds {len(window)} calls")
        rows.append({"question": "rate", "variant": "RateLimiter", "rust": "sliding_log",
                     "role": "baseline", "param": "k", "value": k, "median_ns": ns,
                     "admitted": results[-1],
                     "method": method(rounds, repeat, "256 calls 1 µs apart on a full window")})
    return rows


def log_rows(rounds):
    decorated = log_execution(quiet_logger())(scale)
    rows = []
    for n in [100, 1_000, 10_000]:
        def unit():
            total = 0
            for i in range(n):
                total += decorated(replicas=i)
            return total

        ns, repeat, results = median_ns(unit, rounds)
        check(all(r == n * n for r in results), f"log at n = {n} summed {results[-1]}")
        rows.append({"question": "log", "variant": "log_execution", "rust": "eager",
                     "role": "baseline", "param": "n", "value": n, "median_ns": ns,
                     "method": method(rounds, repeat, f"{n:,} calls decorated(replicas=i)")})
    return rows


def auth_rows(rounds):
    rows = []
    for permissions in [1, 16, 256]:
        alice = lesson_user(permissions)
        check(len(alice.permissions) == permissions, f"alice holds {len(alice.permissions)}")

        def unit():
            total = 0
            for i in range(CALLS):
                total += delete_deployment(deployment_id=i, user=alice)
            return total

        ns, repeat, results = median_ns(unit, rounds)
        check(all(r == CALLS * (CALLS - 1) // 2 for r in results),
              f"auth at {permissions} permissions summed {results[-1]}")
        rows.append({"question": "auth", "variant": "require_permission",
                     "rust": "kwargs_lookup", "role": "baseline", "param": "permissions",
                     "value": permissions, "median_ns": ns,
                     "method": method(rounds, repeat,
                                      "1,000 calls delete_deployment(deployment_id=i, user=alice)")})
    return rows


RETRY_CALLS = 100_000
RETRY_SEED = 20261126


def retry_row():
    """100,000 calls of the article's retried deployment from a fixed
    seed: the share that still fails, and the mean time of a call."""
    with silenced(Sink()) as sink:
        for _ in range(1_000):  # warm-up, before the seed
            try:
                deploy_to_kubernetes("my-deployment")
            except Exception:
                pass
        sink.lines = 0
        random.seed(RETRY_SEED)
        failed = 0
        start = time.perf_counter_ns()
        for _ in range(RETRY_CALLS):
            try:
                deploy_to_kubernetes("my-deployment")
            except Exception:
                failed += 1
        elapsed = time.perf_counter_ns() - start
    # Every retry printed one line: the attempts are the calls plus those.
    return {"question": "retry", "variant": "deploy_to_kubernetes", "role": "baseline",
            "param": "max_attempts", "value": 3, "median_ns": elapsed / RETRY_CALLS,
            "still_fails": failed / RETRY_CALLS, "still_failing_rate": failed / RETRY_CALLS, "calls": RETRY_CALLS,
            "attempts_per_call": (RETRY_CALLS + sink.lines) / RETRY_CALLS,
            "method": (f"the MEAN time of a call over {RETRY_CALLS:,} calls timed together "
                       f"(random.seed({RETRY_SEED}), after 1,000 untimed calls), time.sleep "
                       "a no-op and the retry message printed to a discarding sink")}


def timer_rows(rounds):
    undecorated = deploy_application.__wrapped__  # what @timer wrapped

    def timed():
        for _ in range(CALLS):
            deploy_application("my-app")

    def plain():
        for _ in range(CALLS):
            undecorated("my-app")

    rows = []
    with silenced(Sink()) as sink:
        ns, repeat, _ = median_ns(timed, rounds)
        check(sink.lines == repeat * (rounds + 1) * CALLS, f"timer printed {sink.lines} lines")
    rows.append({"question": "timer", "variant": "timer", "role": "baseline", "value": 1,
                 "median_ns": ns, "per_call_ns": ns / CALLS,
                 "method": method(rounds, repeat, "1,000 calls deploy_application('my-app'), "
                                  "its print to a discarding sink")})
    ns, repeat, _ = median_ns(plain, rounds)
    rows.append({"question": "timer", "variant": "no_decorator", "role": "variant", "value": 1,
                 "median_ns": ns, "per_call_ns": ns / CALLS,
                 "method": method(rounds, repeat, "the same 1,000 calls, undecorated")})
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds per row")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")

    rows = []
    rows += stack_rows(args.rounds)
    rows += rate_rows(args.rounds)
    rows += log_rows(args.rounds)
    rows += auth_rows(args.rounds)
    rows.append(retry_row())
    rows += timer_rows(args.rounds)

    json.dump({
        "lesson": "wrappers",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "machine": platform.processor() or platform.machine(),
        "rows": rows,
    }, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
