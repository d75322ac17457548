"""A background load for the benchmarks, run as its own process by `benchmarks.load`.

    python benchmarks/hog.py single|multi --parent PID

`single`: one thread of pure Python arithmetic. `multi`: numpy matrix products (1024 x 1024,
float64) in a loop, as many BLAS threads as the parent set in OPENBLAS_NUM_THREADS and
OMP_NUM_THREADS. Prints "ready" once the load runs; on SIGTERM prints one JSON line with the
CPU seconds it used and the seconds it ran, and exits. It also exits by itself as soon as its
parent is gone, so that a benchmark killed outright leaves no load behind. Standard library
and numpy only: it runs as a script, outside the package."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from types import FrameType

KINDS = ("single", "multi")
MATRIX_SIZE = 1024
PYTHON_STEPS_PER_CHECK = 200_000
"""Pure-Python additions between two looks at the parent (a few milliseconds)."""


class StopRequestedError(Exception):
    """SIGTERM arrived."""


def _stop(_signal: int, _frame: FrameType | None) -> None:
    raise StopRequestedError


def _orphaned(parent: int) -> bool:
    return os.getppid() != parent


def single(parent: int) -> None:
    _say("ready")
    total = 0
    while not _orphaned(parent):
        for step in range(PYTHON_STEPS_PER_CHECK):
            total += step


def multi(parent: int) -> None:
    import numpy as np

    generator = np.random.default_rng(0)
    left = generator.random((MATRIX_SIZE, MATRIX_SIZE))
    right = generator.random((MATRIX_SIZE, MATRIX_SIZE))
    np.dot(left, right)
    _say("ready")
    while not _orphaned(parent):
        np.dot(left, right)


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("--parent", type=int, required=True, help="exit when it is gone")
    arguments = parser.parse_args()
    started = time.perf_counter()
    signal.signal(signal.SIGTERM, _stop)
    try:
        if arguments.kind == "single":
            single(arguments.parent)
        else:
            multi(arguments.parent)
    except StopRequestedError:
        pass
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    wall_s = time.perf_counter() - started
    _say(json.dumps({"cpu_s": round(time.process_time(), 3), "wall_s": round(wall_s, 3)}))


if __name__ == "__main__":
    main()
