#!/usr/bin/env python3
"""The article's metaclasses and descriptors (section 7.6) and its
`__slots__` example (section 7.7, "Memory Optimization"), written afresh,
timed on the same inputs as the Rust lesson, printed as JSON.

    python3 lessons/objects/python/reference.py [--rounds 3]

The lesson's deployments, as the Rust lesson generates them: for i in
range(n), name f"{SERVICES[i % 8]}-{i}" (a fresh string per object),
version VERSIONS[(i * 7) % 5] and status STATUSES[i % 4] (shared
strings), replicas 1 + (i * 37) % 100 (so n // 100 * 5,050 plus the
remainder's, summed: 50.5 n when 100 divides n).

- scan: n deployments (n = 1,000 ... 1,000,000) as instances of a plain
  class (`Deployment`, attributes in the instance's dict) and of the same
  class with `__slots__` (`SlottedDeployment`), the list built before
  timing; one unit is `sum(d.replicas for d in deployments)` (`total`).
  `bytes_per_object`: the heap, by tracemalloc, that building the n
  objects holds, each object's own name string included and the list of
  references left out, divided by n.
- slots: the article's `DeploymentNoSlots` and `DeploymentWithSlots`
  (name and replicas), 100,000 instances measured as the workbench's former python/slots.py
  measured them (`bytes` with the names made beforehand,
  `bytes_with_own_name` with each instance's own name,
  `getsizeof_as_in_article` the article's own figure); `median_ns` is the
  time to build the 100,000 instances.
- validate: the article's `TypedProperty(int)` on `replicas`; one unit is
  n assignments `dep.replicas = i` (n = 1,000, 100,000). Beside it the
  article's `ValidatedString(min_length=3, max_length=50)` on `name`: n
  assignments of one valid name.
- lazy: the article's `LazyProperty` `database_url` on
  `DeploymentConfig("production")`; one unit is n reads of
  `config.database_url` on one config, computed on the very first read
  (the first unit of the warm-up) and never again. Beside it a plain
  `@property` building the same f-string on every read.
- singleton: the article's `SingletonMeta`; one unit is n calls
  `DatabaseConnection("localhost", 5432)` after the first, which made the
  instance.
- dispatch: the article's `RegistryMeta` and `create_deployment`; one unit
  is n calls cycling through its three registered type names (i % 3).

Times are taken with `time.perf_counter_ns`. Each timed row first runs a
warm-up of whole units for about 50 ms (at least one unit); that count of
units, run back to back, is one round, and a row's `median_ns` is the
median over `--rounds` rounds of a round's time divided by its units: the
time of ONE unit, as the Rust row beside it (`rust`) measures its unit.
The scan rows at n = 1,000,000 take one round whatever `--rounds` says
(building and measuring a million objects is most of this script's
time). The slots rows time each build alone and free its instances
outside the timer. Each row's `method` says how many rounds of how many
units it took.

The changes to the article's code, each also said where it is made: its
`print` calls are removed (printing would be most of what is timed), and
so are `LazyProperty`'s example's `time.sleep(1)` and the `import time`
before it; the article's usage lines (its prints, its asserts, its
try/except demonstrations) are not copied but run as checks. The article
names four different classes `Deployment`; each is kept under its name
inside its block and given a second name after it (`RegistryDeployment`,
`NamedDeployment`, `TypedDeployment`), and `Deployment` itself is, last,
the lesson's plain class.
"""

import argparse
import json
import platform
import statistics
import sys
import time
import tracemalloc

# About how long the warm-up, and so each timed round, lasts.
ROUND_NS = 50_000_000


# ANCHOR: singleton_meta
class SingletonMeta(type):
    """Metaclass that creates singleton classes."""

    _instances = {}

    def __call__(cls, *args, **kwargs):
        """Control instance creation."""
        if cls not in cls._instances:
            # Create instance (first time)
            instance = super().__call__(*args, **kwargs)
            cls._instances[cls] = instance

        return cls._instances[cls]


class DatabaseConnection(metaclass=SingletonMeta):
    """Singleton database connection."""

    def __init__(self, host: str, port: int):
        self.host = host
        self.port = port
        # The article's `print(f"Connecting to {host}:{port}")` is removed.
# ANCHOR_END: singleton_meta


# ANCHOR: registry_meta
class RegistryMeta(type):
    """Metaclass that auto-registers classes."""

    registry = {}

    def __new__(mcs, name, bases, attrs):
        cls = super().__new__(mcs, name, bases, attrs)

        # Register class (skip base class)
        if bases:
            mcs.registry[name] = cls

        return cls


class Deployment(metaclass=RegistryMeta):
    """Base deployment class."""
    pass


class KubernetesDeployment(Deployment):
    """Kubernetes deployment."""
    pass


class ECSDeployment(Deployment):
    """ECS deployment."""
    pass


class LambdaDeployment(Deployment):
    """Lambda deployment."""
    pass


# The article's `print(RegistryMeta.registry)` is removed (checked below).

# Factory pattern using registry
def create_deployment(deployment_type: str):
    """Create deployment using registry."""
    if deployment_type not in RegistryMeta.registry:
        raise ValueError(f"Unknown deployment type: {deployment_type}")

    cls = RegistryMeta.registry[deployment_type]
    return cls()
# ANCHOR_END: registry_meta


RegistryDeployment = Deployment  # the article's name is taken again below


# ANCHOR: validated_string
class ValidatedString:
    """Descriptor for validated string attributes."""

    def __init__(self, min_length: int = 0, max_length: int = None):
        self.min_length = min_length
        self.max_length = max_length

    def __set_name__(self, owner, name):
        """Called when descriptor is assigned to class attribute."""
        self.name = name
        self.private_name = f'_{name}'

    def __get__(self, obj, objtype=None):
        """Get attribute value."""
        if obj is None:
            return self
        return getattr(obj, self.private_name, None)

    def __set__(self, obj, value):
        """Set attribute value with validation."""
        if not isinstance(value, str):
            raise TypeError(f"{self.name} must be a string")

        if len(value) < self.min_length:
            raise ValueError(f"{self.name} must be at least {self.min_length} characters")

        if self.max_length and len(value) > self.max_length:
            raise ValueError(f"{self.name} must be at most {self.max_length} characters")

        setattr(obj, self.private_name, value)


class Deployment:
    """Deployment with validated attributes."""

    name = ValidatedString(min_length=3, max_length=50)
    environment = ValidatedString(min_length=1)

    def __init__(self, name: str, environment: str):
        self.name = name
        self.environment = environment
# ANCHOR_END: validated_string


NamedDeployment = Deployment  # the article's name is taken again below


# ANCHOR: lazy_property
class LazyProperty:
    """Descriptor for lazy-loaded properties."""

    def __init__(self, func):
        self.func = func
        self.name = func.__name__

    def __get__(self, obj, objtype=None):
        """Get property value (compute once, cache)."""
        if obj is None:
            return self

        # Check if already computed
        if self.name not in obj.__dict__:
            # Compute and cache
            value = self.func(obj)
            obj.__dict__[self.name] = value

        return obj.__dict__[self.name]


class DeploymentConfig:
    """Deployment configuration with lazy properties."""

    def __init__(self, environment: str):
        self.environment = environment

    @LazyProperty
    def database_url(self):
        """Get database URL (expensive operation)."""
        # The article's `print("Computing database URL...")`, `import time`
        # and `time.sleep(1)  # Simulate expensive lookup` are removed: the
        # computation left is the f-string.
        return f"postgresql://{self.environment}.db.example.com/app"

    @LazyProperty
    def cache_url(self):
        """Get cache URL (expensive operation)."""
        # The same print, import and sleep are removed here.
        return f"redis://{self.environment}.cache.example.com:6379"
# ANCHOR_END: lazy_property


# ANCHOR: plain_property
class PlainConfig:
    """The lesson's comparison, not the article's: a plain `@property`
    that builds the URL again on every read."""

    def __init__(self, environment: str):
        self.environment = environment

    @property
    def database_url(self):
        return f"postgresql://{self.environment}.db.example.com/app"
# ANCHOR_END: plain_property


# ANCHOR: typed_property
class TypedProperty:
    """Descriptor for type-checked properties."""

    def __init__(self, expected_type):
        self.expected_type = expected_type

    def __set_name__(self, owner, name):
        self.name = name
        self.private_name = f'_{name}'

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return getattr(obj, self.private_name, None)

    def __set__(self, obj, value):
        if not isinstance(value, self.expected_type):
            raise TypeError(
                f"{self.name} must be {self.expected_type.__name__}, "
                f"got {type(value).__name__}"
            )
        setattr(obj, self.private_name, value)


class Deployment:
    """Deployment with type-checked properties."""

    replicas = TypedProperty(int)
    timeout = TypedProperty(float)
    enabled = TypedProperty(bool)

    def __init__(self, replicas: int, timeout: float, enabled: bool):
        self.replicas = replicas
        self.timeout = timeout
        self.enabled = enabled
# ANCHOR_END: typed_property


TypedDeployment = Deployment  # the article's name is taken again below


# ANCHOR: slots_classes
# Use __slots__ to save memory
class DeploymentNoSlots:
    """Regular class - uses dict for attributes."""

    def __init__(self, name, replicas):
        self.name = name
        self.replicas = replicas


class DeploymentWithSlots:
    """Class with __slots__ - uses tuple for attributes."""

    __slots__ = ['name', 'replicas']

    def __init__(self, name, replicas):
        self.name = name
        self.replicas = replicas

# The article's memory comparison (its two `sys.getsizeof` prints) is not
# copied here: it is the `getsizeof_as_in_article` figure of the slots rows.
# ANCHOR_END: slots_classes


# ANCHOR: deployments
SERVICES = ["api", "auth", "billing", "search", "checkout", "paiement", "zählung", "ログ"]
VERSIONS = ["1.0.0", "1.2.3", "2.0.0", "2.1.0", "3.0.0-rc1"]
STATUSES = ["pending", "running", "stopped", "failed"]


class Deployment:
    """The lesson's deployment: four attributes, in the instance's dict."""

    def __init__(self, name, version, replicas, status):
        self.name = name
        self.version = version
        self.replicas = replicas
        self.status = status


class SlottedDeployment:
    """The same, its attributes in fixed slots."""

    __slots__ = ["name", "version", "replicas", "status"]

    def __init__(self, name, version, replicas, status):
        self.name = name
        self.version = version
        self.replicas = replicas
        self.status = status


def deployments(cls, n):
    """The Rust lesson's n deployments, as instances of cls."""
    return [cls(f"{SERVICES[i % 8]}-{i}", VERSIONS[(i * 7) % 5],
                1 + (i * 37) % 100, STATUSES[i % 4])
            for i in range(n)]
# ANCHOR_END: deployments


def expected_total(n):
    """The replicas of n deployments, summed: 37 is prime to 100, so every
    100 consecutive i give each of 1 ... 100 once (5,050)."""
    full, rest = divmod(n, 100)
    return full * 5_050 + sum(1 + (i * 37) % 100 for i in range(rest))


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


def build_median_ns(build, rounds):
    """`median_ns` for a unit that builds objects: the same warm-up and
    rounds, but each build is timed alone and what it built is freed
    outside the timer (freeing 100,000 instances is not building them).
    Returns the median, the units per round, and every build's length."""
    lengths = []
    repeat = 0
    start = time.perf_counter_ns()
    while True:
        built = build()
        lengths.append(len(built))
        del built
        repeat += 1
        if time.perf_counter_ns() - start >= ROUND_NS:
            break
    times = []
    for _ in range(rounds):
        elapsed = 0
        for _ in range(repeat):
            start = time.perf_counter_ns()
            built = build()
            elapsed += time.perf_counter_ns() - start
            lengths.append(len(built))
            del built
        times.append(elapsed / repeat)
    return statistics.median(times), repeat, lengths


def method(rounds, repeat, unit):
    units = "unit" if repeat == 1 else "units"
    if rounds == 1:
        return (f"one round of {repeat} {units}, after a warm-up of {repeat} {units}; "
                f"one unit is {unit}")
    return (f"median of {rounds} rounds of {repeat} {units} each, after a warm-up "
            f"of {repeat} {units}; one unit is {unit}")


def check(ok, what):
    if not ok:
        sys.exit(f"reference.py: {what}")


def held_by(build):
    """What `build()` leaves on the heap, by tracemalloc, less the list of
    references it returns (the same for every class: left out, as
    the former python/slots.py left it out); and the list itself."""
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    built = build()
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return held - sys.getsizeof(built), built


SCAN_NS = [1_000, 10_000, 100_000, 1_000_000]
# From this n on a row takes one round, whatever --rounds says.
ONE_ROUND_FROM = 1_000_000


def scan_rows(rounds):
    rows = []
    for n in SCAN_NS:
        for cls, rust, role in [(Deployment, "dict_objects", "baseline"),
                                (SlottedDeployment, "structs", "optimized")]:
            held, objects = held_by(lambda: deployments(cls, n))
            check(len(objects) == n, f"scan built {len(objects)} {cls.__name__}, not {n}")
            last = objects[-1]
            i = n - 1
            check(last.name == f"{SERVICES[i % 8]}-{i}" and last.version is VERSIONS[(i * 7) % 5]
                  and last.status is STATUSES[i % 4] and last.replicas == 1 + (i * 37) % 100,
                  f"scan: deployment {i} is {last.name}, {last.version}")
            row_rounds = 1 if n >= ONE_ROUND_FROM else rounds

            def unit():
                return sum(d.replicas for d in objects)

            ns, repeat, results = median_ns(unit, row_rounds)
            total = expected_total(n)
            check(all(r == total for r in results),
                  f"scan of {n} {cls.__name__} summed {results[-1]}, not {total}")
            how = method(row_rounds, repeat, f"sum(d.replicas for d in deployments) over {n:,} "
                                             f"{cls.__name__} built beforehand")
            if n >= ONE_ROUND_FROM:
                how += " (one round whatever --rounds says: the million-object rows are slow)"
            rows.append({"question": "scan", "variant": cls.__name__, "rust": rust,
                         "role": role, "param": "n", "value": n, "median_ns": ns,
                         "total": results[-1], "bytes": held, "bytes_per_object": held / n,
                         "method": how + "; bytes_per_object: tracemalloc's heap held by "
                                         "building them, each one's own name string included, "
                                         "the list of references left out, over n"})
            del objects
    return rows


SLOTS_N = 100_000


def slots_rows(rounds):
    """The article's two classes, as the former python/slots.py measured them."""
    n = SLOTS_N
    names = [f"app-{i}" for i in range(n)]
    slotted = DeploymentWithSlots("app", 3)
    try:
        slotted.new_attr = 'value'
        check(False, "DeploymentWithSlots took a new attribute")
    except AttributeError:
        pass  # the article's trade-off: no new attributes
    rows = []
    for cls, role in [(DeploymentNoSlots, "baseline"), (DeploymentWithSlots, "optimized")]:
        held, built = held_by(lambda: [cls(names[i], 3) for i in range(n)])
        del built
        own, built = held_by(lambda: [cls(f"app-{i}", 3) for i in range(n)])
        del built
        ns, repeat, lengths = build_median_ns(lambda: [cls(names[i], 3) for i in range(n)], rounds)
        check(all(length == n for length in lengths), f"slots built {lengths[-1]} instances")
        article = (sys.getsizeof(cls("app", 3).__dict__)
                   if not hasattr(cls, "__slots__") else sys.getsizeof(cls("app", 3)))
        rows.append({"question": "slots", "variant": cls.__name__, "role": role,
                     "param": "n", "value": n, "median_ns": ns,
                     "bytes": held, "bytes_per_instance": held / n,
                     "bytes_with_own_name": own,
                     "getsizeof_as_in_article": article,
                     "method": method(rounds, repeat,
                                      f"building {n:,} {cls.__name__}(names[i], 3), the names "
                                      "made beforehand, each build timed alone and freed "
                                      "outside the timer")
                     + "; bytes: tracemalloc's heap held by those instances, the list of "
                       "references left out (bytes_with_own_name: with each one's own name "
                       "f'app-{i}'); getsizeof_as_in_article: the article's "
                       "sys.getsizeof(instance.__dict__) or sys.getsizeof(slotted_instance)"})
    return rows


VALIDATE_NS = [1_000, 100_000]
# The valid name the ValidatedString rows assign again and again.
VALID_NAME = "my-app"


def validate_rows(rounds):
    dep = TypedDeployment(replicas=3, timeout=30.0, enabled=True)
    try:
        dep.replicas = "invalid"
        check(False, "TypedProperty(int) took a str")
    except TypeError as e:
        check(str(e) == "replicas must be int, got str", f"TypedProperty said {e}")
    named = NamedDeployment("my-app", "production")
    for bad, error in [("ab", ValueError), (123, TypeError), ("x" * 51, ValueError)]:
        try:
            named.name = bad
            check(False, f"ValidatedString took {bad!r}")
        except error:
            pass
    check(named.name == "my-app", f"a rejected name changed it to {named.name!r}")

    rows = []
    for n in VALIDATE_NS:
        def typed():
            for i in range(n):
                dep.replicas = i
            return dep.replicas

        def validated():
            for _ in range(n):
                named.name = VALID_NAME
            return named.name

        ns, repeat, results = median_ns(typed, rounds)
        check(all(r == n - 1 for r in results) and dep._replicas == n - 1,
              f"validate at n = {n}: replicas ended at {results[-1]}")
        rows.append({"question": "validate", "variant": "TypedProperty", "rust": "descriptor",
                     "role": "baseline", "param": "n", "value": n, "median_ns": ns,
                     "method": method(rounds, repeat, f"{n:,} assignments dep.replicas = i "
                                                      "through TypedProperty(int)")})
        ns, repeat, results = median_ns(validated, rounds)
        check(all(r == VALID_NAME for r in results), f"validate: name ended {results[-1]!r}")
        rows.append({"question": "validate", "variant": "ValidatedString", "role": "baseline",
                     "param": "n", "value": n, "median_ns": ns,
                     "method": method(rounds, repeat, f"{n:,} assignments dep.name = "
                                                      f"{VALID_NAME!r} through ValidatedString"
                                                      "(min_length=3, max_length=50)")})
    return rows


LAZY_NS = [1_000, 100_000]
DATABASE_URL = "postgresql://production.db.example.com/app"


def lazy_rows(rounds):
    rows = []
    for n in LAZY_NS:
        # A fresh config per row: its first read, in the first unit of the
        # warm-up, computes the URL and stores it in config.__dict__. As
        # LazyProperty defines no __set__, from then on the instance's dict
        # entry shadows it: every later read is a plain attribute lookup
        # that never calls LazyProperty.__get__.
        config = DeploymentConfig("production")
        check("database_url" not in config.__dict__, "the URL was computed before its first read")
        plain = PlainConfig("production")

        def lazy():
            for _ in range(n):
                url = config.database_url
            return url

        def recompute():
            for _ in range(n):
                url = plain.database_url
            return url

        ns, repeat, results = median_ns(lazy, rounds)
        check(all(r is results[0] for r in results) and results[0] == DATABASE_URL
              and config.__dict__["database_url"] is results[0],
              "LazyProperty gave more than one URL object")
        rows.append({"question": "lazy", "variant": "LazyProperty", "rust": "dict_cache",
                     "role": "optimized", "param": "n", "value": n, "median_ns": ns,
                     "method": method(rounds, repeat,
                                      f"{n:,} reads of config.database_url on one "
                                      "DeploymentConfig('production'), computed on the first "
                                      "read of the warm-up's first unit only")})
        ns, repeat, results = median_ns(recompute, rounds)
        check(all(r == DATABASE_URL for r in results) and results[0] is not results[1],
              "the plain property did not build its URL on each read")
        rows.append({"question": "lazy", "variant": "plain_property", "rust": "recompute",
                     "role": "baseline", "param": "n", "value": n, "median_ns": ns,
                     "method": method(rounds, repeat,
                                      f"{n:,} reads of a plain @property building the same "
                                      "f-string on every read")})
    return rows


SINGLETON_NS = [1_000, 100_000]


def singleton_rows(rounds):
    db1 = DatabaseConnection("localhost", 5432)  # the first call: makes the instance
    db2 = DatabaseConnection("different-host", 3306)
    check(db1 is db2 and db1.host == "localhost" and db1.port == 5432,
          "SingletonMeta made a second instance")
    rows = []
    for n in SINGLETON_NS:
        def unit():
            for _ in range(n):
                db = DatabaseConnection("localhost", 5432)
            return db

        ns, repeat, results = median_ns(unit, rounds)
        check(all(r is db1 for r in results), "SingletonMeta returned another instance")
        rows.append({"question": "singleton", "variant": "SingletonMeta",
                     "rust": "mutex_registry", "role": "baseline", "param": "n", "value": n,
                     "median_ns": ns,
                     "method": method(rounds, repeat, f"{n:,} calls DatabaseConnection("
                                                      "'localhost', 5432) after the first")})
    return rows


DISPATCH_NS = [1_000, 100_000]
TYPES = ["KubernetesDeployment", "ECSDeployment", "LambdaDeployment"]


def dispatch_rows(rounds):
    check(sorted(RegistryMeta.registry) == sorted(TYPES)
          and all(issubclass(cls, RegistryDeployment) for cls in RegistryMeta.registry.values()),
          f"RegistryMeta registered {sorted(RegistryMeta.registry)}")
    check([type(create_deployment(TYPES[i % 3])).__name__ for i in range(6)] == TYPES * 2,
          "create_deployment made the wrong classes")
    try:
        create_deployment("NomadDeployment")
        check(False, "create_deployment made an unregistered type")
    except ValueError:
        pass
    rows = []
    for n in DISPATCH_NS:
        def unit():
            for i in range(n):
                deployment = create_deployment(TYPES[i % 3])
            return type(deployment).__name__

        ns, repeat, results = median_ns(unit, rounds)
        check(all(r == TYPES[(n - 1) % 3] for r in results),
              f"dispatch at n = {n} ended on {results[-1]}")
        rows.append({"question": "dispatch", "variant": "create_deployment",
                     "rust": "registry_lookup", "role": "baseline", "param": "n", "value": n,
                     "median_ns": ns,
                     "method": method(rounds, repeat, f"{n:,} calls create_deployment("
                                                      "TYPES[i % 3]), the three registered names")})
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds per row")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")

    rows = []
    rows += scan_rows(args.rounds)
    rows += slots_rows(args.rounds)
    rows += validate_rows(args.rounds)
    rows += lazy_rows(args.rounds)
    rows += singleton_rows(args.rounds)
    rows += dispatch_rows(args.rounds)

    json.dump({
        "lesson": "objects",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "machine": platform.processor() or platform.machine(),
        "rows": rows,
    }, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
