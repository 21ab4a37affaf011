#!/usr/bin/env python3
"""The article's `__slots__` claim (section 7.7, "Memory Optimization"),
measured: the heap that 100,000 instances of each class hold, by
tracemalloc, printed as JSON.

    python3 python/slots.py [--n 100000]

The article compares `sys.getsizeof(instance.__dict__)` with
`sys.getsizeof(slotted_instance)`: the size of a dict against the size of
a different object, neither of which is what an instance costs. This
counts every byte the instances allocate (objects, dicts): `bytes` with
the attribute values made beforehand (the instance alone),
`bytes_with_own_name` with each instance's own name string included.
"""

import argparse
import json
import platform
import sys
import tracemalloc


# ANCHOR: classes
class DeploymentNoSlots:
    """Attributes live in a per-instance dict."""

    def __init__(self, name, replicas):
        self.name = name
        self.replicas = replicas


class DeploymentWithSlots:
    """Attributes live in fixed slots in the object itself."""

    __slots__ = ["name", "replicas"]

    def __init__(self, name, replicas):
        self.name = name
        self.replicas = replicas
# ANCHOR_END: classes


def heap_of(cls, n, names=None):
    """Bytes held by n instances of cls: the instances alone when `names`
    are made beforehand, or with each instance's own name string."""
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    if names is None:
        instances = [cls(f"app-{i}", 3) for i in range(n)]
    else:
        instances = [cls(names[i], 3) for i in range(n)]
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    # The list of references is the same for both classes: leave it out.
    list_bytes = sys.getsizeof(instances)
    del instances
    return held - list_bytes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="number of instances")
    args = parser.parse_args()
    if args.n < 1:
        parser.error("--n must be at least 1")
    names = [f"app-{i}" for i in range(args.n)]
    rows = []
    for cls in (DeploymentNoSlots, DeploymentWithSlots):
        held = heap_of(cls, args.n, names)
        rows.append({
            "variant": cls.__name__,
            "param": "n",
            "value": args.n,
            "bytes": held,
            "bytes_per_instance": held / args.n,
            "bytes_with_own_name": heap_of(cls, args.n),
            "getsizeof_as_in_article": sys.getsizeof(cls("app", 3).__dict__)
            if not hasattr(cls, "__slots__") else sys.getsizeof(cls("app", 3)),
        })
    json.dump({
        "lesson": "slots",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "rows": rows,
    }, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
