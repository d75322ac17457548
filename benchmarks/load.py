"""Background load while the benchmarks measure, as on a desktop where other programs run:

- idle: nothing else;
- single: one CPU-bound Python thread in another process;
- multi: numpy matrix products in another process, with as many BLAS threads as there are
  cores (numpy's OpenBLAS reads OPENBLAS_NUM_THREADS, an OpenMP build OMP_NUM_THREADS, MKL
  MKL_NUM_THREADS: all three are set in the hog's environment).

`background_load(condition)` starts the hog (`hog.py`, its own process), waits until it runs,
and stops it when the block ends, exceptions included; afterwards it says how many cores the
hog kept busy. The hog also ends by itself when this process is gone."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONDITIONS = ("idle", "single", "multi")
DESCRIPTIONS = {
    "idle": "idle",
    "single": "one CPU-bound thread",
    "multi": "BLAS on every core",
}
HOG = Path(__file__).resolve().with_name("hog.py")
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
READY_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0


def parse_conditions(text: str) -> tuple[str, ...]:
    """`--load`: conditions separated by commas, in the order given; "none" or "": none."""
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    if names in ((), ("none",)):
        return ()
    unknown = [name for name in names if name not in CONDITIONS]
    if unknown:
        raise ValueError(f"unknown load {', '.join(unknown)}; choose from {', '.join(CONDITIONS)}")
    return tuple(dict.fromkeys(names))


def hog_environment(threads: int, base: Mapping[str, str]) -> dict[str, str]:
    """`base` with the BLAS libraries told to use `threads` threads."""
    return {**base, **dict.fromkeys(BLAS_THREAD_VARIABLES, str(threads))}


@dataclass
class BackgroundLoad:
    """One condition; the hog's figures are filled in when the load has stopped."""

    condition: str
    threads: int
    """The hog's threads (0 when idle)."""
    pids: list[int] = field(default_factory=list)
    cpu_s: float | None = None
    wall_s: float | None = None

    @property
    def busy_cores(self) -> float | None:
        """CPU seconds the hog used per second it ran: about `threads` when it got its share."""
        if self.cpu_s is None or not self.wall_s:
            return None
        return self.cpu_s / self.wall_s

    def to_json(self) -> dict[str, Any]:
        busy = self.busy_cores
        return {
            "condition": self.condition,
            "description": DESCRIPTIONS[self.condition],
            "hog_threads": self.threads,
            "hog_cpu_s": self.cpu_s,
            "hog_wall_s": self.wall_s,
            "hog_busy_cores": None if busy is None else round(busy, 2),
        }


@contextmanager
def background_load(condition: str, *, threads: int | None = None) -> Iterator[BackgroundLoad]:
    """Run the block under `condition`; `threads` for "multi" defaults to every core."""
    if condition not in CONDITIONS:
        raise ValueError(f"unknown load {condition!r}; choose from {', '.join(CONDITIONS)}")
    if condition == "idle":
        yield BackgroundLoad(condition, threads=0)
        return
    count = 1 if condition == "single" else (threads or os.cpu_count() or 2)
    process = subprocess.Popen(
        [sys.executable, "-P", str(HOG), condition, "--parent", str(os.getpid())],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=hog_environment(count, os.environ),
    )
    load = BackgroundLoad(condition, threads=count, pids=[process.pid])
    try:
        _wait_until_ready(process)
        yield load
    finally:
        report = _stop(process)
        if report is not None:
            load.cpu_s, load.wall_s = report["cpu_s"], report["wall_s"]


def _wait_until_ready(process: subprocess.Popen[str]) -> None:
    assert process.stdout is not None
    stdout = process.stdout
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
    try:
        line = lines.get(timeout=READY_TIMEOUT_S)
    except queue.Empty:
        raise RuntimeError(f"the load did not start within {READY_TIMEOUT_S:.0f} s") from None
    if line.strip() != "ready":
        raise RuntimeError(f"the load did not start (exit status {process.poll()})")


def _stop(process: subprocess.Popen[str]) -> dict[str, float] | None:
    """Ask the hog to stop, kill it if it does not; its own figures where it gave them."""
    if process.poll() is None:
        process.terminate()
    try:
        output, _errors = process.communicate(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _errors = process.communicate()
    return hog_report(output)


def hog_report(output: str) -> dict[str, float] | None:
    """The hog's last line, `{"cpu_s": …, "wall_s": …}`, if it wrote one."""
    lines = output.strip().splitlines()
    if not lines:
        return None
    try:
        report = json.loads(lines[-1])
    except json.JSONDecodeError:
        return None
    if not isinstance(report, dict) or not {"cpu_s", "wall_s"} <= report.keys():
        return None
    return {"cpu_s": float(report["cpu_s"]), "wall_s": float(report["wall_s"])}
