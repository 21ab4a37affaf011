#!/usr/bin/env python3
"""The article's context managers (section 7.2, "Context Managers"): its
`DatabaseTransaction` and its `ConnectionPool`, written afresh on the
standard `sqlite3` module (the article uses psycopg2; the Rust lesson uses
SQLite too), timed on the same inputs as the Rust lesson, printed as JSON.

    python3 lessons/resources/python/reference.py [--rounds 3]

The lesson's deployments, as the Rust lesson generates them: for i in
range(n), name f"{SERVICES[i % 8]}-{i}", version VERSIONS[(i * 7) % 5],
replicas 1 + (i * 37) % 100, status STATUSES[i % 4]; stored in the table
`deployments` (its schema below, with CHECK constraints on replicas and
status and an index on name) in a database FILE under the repository's
`target/resources-python/` (not /tmp, which may be a tmpfs where fsync
costs nothing), in SQLite's default rollback journal (`journal_mode`
DELETE, checked) with `PRAGMA synchronous=FULL` set on every connection
that writes: each commit waits for the disk.

- transactions: one unit inserts n records (n = 10 ... 100,000) with
  `INSERT INTO deployments (name, version, replicas, status) VALUES (?, ?,
  ?, ?)`. The table is not emptied between units: it grows, as in the
  Rust measurement. Each row (variant, n) has a fresh database file of its
  own, kept through its checked unit, its warm-up and its rounds.
  - autocommit (Rust `autocommit`): a connection with
    `isolation_level=None`, `conn.execute(INSERT, record)` per record; in
    autocommit mode each INSERT is its own transaction, so its own commit
    and fsync. n = 10, 100, 1,000 only.
  - DatabaseTransaction (Rust `prepare_cached`): the article's class,
    `with DatabaseTransaction(conn) as cursor: for r in records:
    cursor.execute(INSERT, r)`, on a connection in autocommit mode
    (`isolation_level=None`), so the class's own `BEGIN` and `COMMIT` are
    the only transaction control. CPython's sqlite3 keeps a cache of
    prepared statements per connection (128 by default): executing the
    same SQL again reuses its prepared statement, as Rust's
    `prepare_cached` does.
  - executemany (Rust `multi_row`): inside the article's
    DatabaseTransaction, `cursor.executemany(INSERT, records)`.
  `commits`: the commits of one unit, counted, not assumed, on one
  untimed unit run with `conn.set_trace_callback`: for the two
  transaction rows the statements "COMMIT" traced (and one "BEGIN", no
  "ROLLBACK", checked); for autocommit the INSERT statements traced, each
  its own transaction (and no BEGIN or COMMIT, and no transaction left
  open, checked). After that unit the last n rows read back (`SELECT
  name, version, replicas, status FROM deployments ORDER BY id DESC LIMIT
  n`, reversed) must equal the records, and after the timed units the
  table must hold n rows per unit run.
  Checked once at the start: a batch of 10 records whose middle one has
  replicas = 0, inserted inside DatabaseTransaction (by `execute` per
  record, and by `executemany`), raises `sqlite3.IntegrityError` and
  leaves the row count unchanged.
- connections (the Rust question of that name at 1 worker thread,
  `value` 1): one unit is 500 requests on one thread, against a database file filled beforehand with the first
  1,000 records in one transaction. Request i looks up the name of record
  (i * 7919) % 1000 with `SELECT name, version, replicas, status FROM
  deployments WHERE name = ?` and adds up the `replicas` of the row found
  (`total`, the same for both rows and checked against the records).
  - connect_per_request (Rust `connect_per_request`): `with
    closing(sqlite3.connect(path)) as conn:` per request. `closing`, not
    sqlite3's own `with conn:`, which does not close the connection (it
    commits or rolls back, and leaves it open); the article's psycopg2
    pattern means a connection gone at the end of the block.
  - ConnectionPool (Rust `article_pool`): the article's ConnectionPool,
    min_size=5, max_size=20, `sqlite3.connect(self.dsn)` in place of
    `psycopg2.connect(self.dsn)` (the dsn being the file's path), entered
    once before timing, each request `with pool.get_connection() as conn:
    conn.execute(...).fetchone()`. On one thread its list pops and pushes
    back the same connection every time, so its statement cache is warm.
  `open_ns` (a figure on every requests row): the median time of
  `sqlite3.connect(path)`, the first query and `close()` alone.
  `per_request_ns`: median_ns / n.

Times are taken with `time.perf_counter_ns`. Each timed row first runs a
warm-up of whole units for about 50 ms (at least one unit); that count of
units, run back to back, is one round, and a row's `median_ns` is the
median over `--rounds` rounds of a round's time divided by its units: the
time of ONE unit, as the Rust row beside it (`rust`) measures its unit.
A unit that lasts over 50 ms by itself (autocommit at n = 100 and 1,000,
the larger transaction rows) so gets a warm-up of that one unit and
rounds of one unit. Each row's `method` says how many rounds of how many
units it took.

The changes to the article's code, each also said where it is made: the
`print` calls of `DatabaseTransaction.__exit__` are removed (printing
would be timed with the commit); `ConnectionPool`'s `import psycopg2` and
`psycopg2.connect(self.dsn)` are `import sqlite3` and
`sqlite3.connect(self.dsn)`. The article's usage lines (psycopg2's `%s`
placeholders, its `status` table) are not copied; the lesson's INSERT and
SELECT, with sqlite3's `?` placeholders, are used instead.
"""

import argparse
import contextlib
import json
import os
import platform
import sqlite3
import statistics
import sys
import time
from contextlib import closing, contextmanager
from pathlib import Path

# About how long the warm-up, and so each timed round, lasts.
ROUND_NS = 50_000_000

# <repo>/target/resources-python/: this script is
# <repo>/lessons/resources/python/reference.py.
REPO = Path(__file__).resolve().parents[3]
DATA_DIR = REPO / "target" / "resources-python"


# ANCHOR: database_transaction
class DatabaseTransaction:
    """Context manager for database transactions."""

    def __init__(self, connection):
        self.connection = connection
        self.cursor = None

    def __enter__(self):
        """Begin transaction."""
        self.cursor = self.connection.cursor()
        self.cursor.execute('BEGIN')
        return self.cursor

    def __exit__(self, exc_type, exc_val, exc_tb):
        """Commit or rollback transaction."""
        if exc_type is None:
            # No exception - commit
            self.cursor.execute('COMMIT')
            # The article's `print("Transaction committed")` is removed.
        else:
            # Exception occurred - rollback
            self.cursor.execute('ROLLBACK')
            # The article's `print(f"Transaction rolled back: {exc_val}")`
            # is removed.

        self.cursor.close()

        # Return False to propagate exception
        return False
# ANCHOR_END: database_transaction


# ANCHOR: connection_pool
class ConnectionPool:
    """Database connection pool with context manager."""

    def __init__(self, dsn: str, min_size: int = 5, max_size: int = 20):
        self.dsn = dsn
        self.min_size = min_size
        self.max_size = max_size
        self.pool = []
        self.in_use = set()

    def __enter__(self):
        """Initialize pool."""
        import sqlite3  # the article's `import psycopg2`

        # Create minimum connections
        for _ in range(self.min_size):
            conn = sqlite3.connect(self.dsn)  # the article's psycopg2.connect
            self.pool.append(conn)

        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        """Close all connections."""
        # Close in-use connections
        for conn in self.in_use:
            conn.close()

        # Close pooled connections
        for conn in self.pool:
            conn.close()

        self.pool.clear()
        self.in_use.clear()

        return False

    @contextmanager
    def get_connection(self):
        """Get connection from pool."""
        # Get or create connection
        if self.pool:
            conn = self.pool.pop()
        elif len(self.in_use) < self.max_size:
            import sqlite3  # the article's `import psycopg2`
            conn = sqlite3.connect(self.dsn)  # the article's psycopg2.connect
        else:
            raise Exception("Connection pool exhausted")

        self.in_use.add(conn)

        try:
            yield conn
        finally:
            # Return to pool
            self.in_use.remove(conn)
            self.pool.append(conn)
# ANCHOR_END: connection_pool


# ANCHOR: schema
SCHEMA = """
CREATE TABLE IF NOT EXISTS deployments (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    replicas INTEGER NOT NULL CHECK (replicas BETWEEN 1 AND 1000),
    status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'stopped', 'failed'))
);
CREATE INDEX IF NOT EXISTS deployments_name ON deployments (name);
"""

INSERT = "INSERT INTO deployments (name, version, replicas, status) VALUES (?, ?, ?, ?)"
SELECT_BY_NAME = "SELECT name, version, replicas, status FROM deployments WHERE name = ?"
READ_BACK = "SELECT name, version, replicas, status FROM deployments ORDER BY id DESC LIMIT ?"

SERVICES = ["api", "auth", "billing", "search", "checkout", "paiement", "zählung", "ログ"]
VERSIONS = ["1.0.0", "1.2.3", "2.0.0", "2.1.0", "3.0.0-rc1"]
STATUSES = ["pending", "running", "stopped", "failed"]


def records(n):
    """The Rust lesson's first n records, as (name, version, replicas,
    status) tuples."""
    return [(f"{SERVICES[i % 8]}-{i}", VERSIONS[(i * 7) % 5], 1 + (i * 37) % 100,
             STATUSES[i % 4])
            for i in range(n)]
# ANCHOR_END: schema


@contextmanager
def database_file(stem):
    """A fresh database file's path under DATA_DIR; on leaving (an
    exception and sys.exit included) the file and any journal SQLite left
    beside it are removed, and DATA_DIR too once it is empty."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / f"{stem}-{os.getpid()}.db"
    files = [path] + [Path(f"{path}{suffix}") for suffix in ("-journal", "-wal", "-shm")]
    for f in files:
        f.unlink(missing_ok=True)
    try:
        yield str(path)
    finally:
        for f in files:
            f.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            DATA_DIR.rmdir()  # only if empty: other files are left alone


def open_for_writing(path):
    """A connection in autocommit mode (`isolation_level=None`: the
    sqlite3 module begins no transaction itself), synchronous=FULL, the
    schema created; the journal checked to be SQLite's default."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous=FULL")
    conn.executescript(SCHEMA)
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    check(mode == "delete", f"journal_mode is {mode}, not delete")
    sync = conn.execute("PRAGMA synchronous").fetchone()[0]
    check(sync == 2, f"synchronous is {sync}, not 2 (FULL)")
    return conn


def count_rows(conn):
    return conn.execute("SELECT count(*) FROM deployments").fetchone()[0]


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


# ANCHOR: transaction_units
def autocommit_unit(conn, batch):
    """Autocommit: every INSERT its own transaction, its own commit."""
    for r in batch:
        conn.execute(INSERT, r)
    return len(batch)


def transaction_unit(conn, batch):
    """The article's DatabaseTransaction around one INSERT per record."""
    with DatabaseTransaction(conn) as cursor:
        for r in batch:
            cursor.execute(INSERT, r)
    return len(batch)


def executemany_unit(conn, batch):
    """The article's DatabaseTransaction around one executemany."""
    with DatabaseTransaction(conn) as cursor:
        cursor.executemany(INSERT, batch)
    return len(batch)
# ANCHOR_END: transaction_units


def check_rollback():
    """A batch with one bad record (replicas = 0) in its middle, inserted
    inside DatabaseTransaction, raises IntegrityError and adds nothing."""
    with database_file("rollback") as path, closing(open_for_writing(path)) as conn:
        transaction_unit(conn, records(10))
        check(count_rows(conn) == 10, "the good batch was not inserted")
        bad = records(10)
        name, version, _, status = bad[5]
        bad[5] = (name, version, 0, status)
        for unit in (transaction_unit, executemany_unit):
            try:
                unit(conn, bad)
                check(False, f"{unit.__name__}: a record with replicas = 0 was accepted")
            except sqlite3.IntegrityError:
                pass
            check(not conn.in_transaction, f"{unit.__name__}: the transaction was left open")
            check(count_rows(conn) == 10,
                  f"{unit.__name__}: the failed batch left {count_rows(conn) - 10} rows")


def traced_unit(conn, unit, batch):
    """Run one unit with a trace callback on: the statements SQLite ran,
    by their first word."""
    seen = {}

    def trace(statement):
        word = statement.lstrip().split(None, 1)[0].upper()
        seen[word] = seen.get(word, 0) + 1

    conn.set_trace_callback(trace)
    try:
        unit(conn, batch)
    finally:
        conn.set_trace_callback(None)
    return seen


TRANSACTION_NS = [10, 100, 1_000, 10_000, 100_000]
# Autocommit pays one fsync per record: it stops at 1,000.
AUTOCOMMIT_NS = [10, 100, 1_000]

TRANSACTION_VARIANTS = [
    # (variant, Rust twin, role, unit, sizes, what one unit is)
    ("autocommit", "autocommit", "baseline", autocommit_unit, AUTOCOMMIT_NS,
     "conn.execute(INSERT, r) per record on an autocommit connection "
     "(isolation_level=None), each INSERT its own transaction"),
    ("DatabaseTransaction", "prepare_cached", "optimized", transaction_unit, TRANSACTION_NS,
     "with DatabaseTransaction(conn) as cursor: cursor.execute(INSERT, r) per record "
     "(the same SQL each time: sqlite3's statement cache reuses its prepared statement)"),
    ("executemany", "multi_row", "optimized", executemany_unit, TRANSACTION_NS,
     "with DatabaseTransaction(conn) as cursor: cursor.executemany(INSERT, records)"),
]


def transaction_rows(rounds):
    check_rollback()
    rows = []
    for variant, rust, role, unit, sizes, what in TRANSACTION_VARIANTS:
        for n in sizes:
            batch = records(n)
            with database_file(f"{variant}-{n}") as path, \
                    closing(open_for_writing(path)) as conn:
                # One untimed unit, traced: its commits, and its rows read back.
                seen = traced_unit(conn, unit, batch)
                if variant == "autocommit":
                    commits = seen.get("INSERT", 0)
                    check(commits == n and "BEGIN" not in seen and "COMMIT" not in seen
                          and not conn.in_transaction,
                          f"autocommit at n = {n} ran {seen}")
                else:
                    commits = seen.get("COMMIT", 0)
                    check(commits == 1 and seen.get("BEGIN") == 1 and "ROLLBACK" not in seen
                          and not conn.in_transaction,
                          f"{variant} at n = {n} ran {seen}")
                back = conn.execute(READ_BACK, (n,)).fetchall()[::-1]
                check(back == batch, f"{variant} at n = {n}: the rows read back differ")

                ns, repeat, results = median_ns(lambda: unit(conn, batch), rounds)
                check(all(r == n for r in results), f"{variant} at n = {n} inserted {results}")
                units = 1 + len(results)
                check(count_rows(conn) == n * units,
                      f"{variant} at n = {n}: {count_rows(conn)} rows after {units} units")
                back = conn.execute(READ_BACK, (n,)).fetchall()[::-1]
                check(back == batch, f"{variant} at n = {n}: the last rows read back differ")
            rows.append({"question": "transactions", "variant": variant, "rust": rust,
                         "role": role, "param": "n", "value": n, "median_ns": ns,
                         "commits": commits, "per_row_ns": ns / n,
                         "method": method(rounds, repeat, f"{n:,} records inserted: {what}")
                         + "; one fresh database file per row, the table growing by n rows "
                           "a unit (never emptied), after one untimed unit traced to count "
                           "its commits"})
    return rows


# The Rust question `connections` at 1 worker thread: 500 requests.
REQUEST_NS = [500]
PREFILLED = 1_000


# ANCHOR: request_units
def per_request_unit(path, names):
    """A new connection per request, closed at the end of its block."""
    total = 0
    for name in names:
        with closing(sqlite3.connect(path)) as conn:
            row = conn.execute(SELECT_BY_NAME, (name,)).fetchone()
        total += row[2]
    return total


def pooled_unit(pool, names):
    """A connection from the article's pool per request."""
    total = 0
    for name in names:
        with pool.get_connection() as conn:
            row = conn.execute(SELECT_BY_NAME, (name,)).fetchone()
        total += row[2]
    return total
# ANCHOR_END: request_units


def open_once(path, name):
    """What a connection per request pays besides its query's work:
    the open, the first query (schema read, statement prepared), the close."""
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(SELECT_BY_NAME, (name,)).fetchone()[2]


def request_rows(rounds):
    stored = records(PREFILLED)
    rows = []
    with database_file("requests") as path:
        with closing(open_for_writing(path)) as conn:
            executemany_unit(conn, stored)  # one transaction
            check(count_rows(conn) == PREFILLED, "the requests database was not filled")

        first = stored[0]
        open_ns, open_repeat, answers = median_ns(lambda: open_once(path, first[0]), rounds)
        check(all(a == first[2] for a in answers), f"open_once found {answers[-1]}")
        open_method = method(rounds, open_repeat, "sqlite3.connect(path), the first query and "
                                                  "close() (open_ns)")

        with ConnectionPool(path, min_size=5, max_size=20) as pool:
            check(len(pool.pool) == 5, f"the pool opened {len(pool.pool)} connections")
            for n in REQUEST_NS:
                picks = [stored[(i * 7919) % PREFILLED] for i in range(n)]
                names = [r[0] for r in picks]
                expected = sum(r[2] for r in picks)
                for variant, rust, role, unit, what in [
                    ("connect_per_request", "connect_per_request", "baseline",
                     lambda: per_request_unit(path, names),
                     "with closing(sqlite3.connect(path)) as conn: per request"),
                    ("ConnectionPool", "article_pool", "optimized",
                     lambda: pooled_unit(pool, names),
                     "with pool.get_connection() as conn: per request, on the article's "
                     "ConnectionPool(min_size=5, max_size=20) entered beforehand"),
                ]:
                    ns, repeat, results = median_ns(unit, rounds)
                    check(all(r == expected for r in results),
                          f"{variant} at n = {n} summed {results[-1]}, not {expected}")
                    rows.append({"question": "connections", "variant": variant, "rust": rust,
                                 "role": role, "param": "threads", "value": 1, "median_ns": ns,
                                 "total": results[-1], "per_request_ns": ns / n,
                                 "open_ns": open_ns,
                                 "method": method(rounds, repeat,
                                                  f"{n:,} requests on one thread, request i "
                                                  "looking up record (i * 7919) % 1000 by name "
                                                  f"in a file of {PREFILLED:,} records and "
                                                  f"adding up its replicas: {what}")
                                 + f"; open_ns: {open_method}"})
            check(len(pool.pool) == 5 and not pool.in_use,
                  f"the pool ended with {len(pool.pool)} free, {len(pool.in_use)} in use")
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds per row")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")

    rows = []
    rows += transaction_rows(args.rounds)
    rows += request_rows(args.rounds)

    json.dump({
        "lesson": "resources",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "machine": platform.processor() or platform.machine(),
        "sqlite": sqlite3.sqlite_version,
        "rows": rows,
    }, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
