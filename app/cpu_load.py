"""How busy the other programs keep the processor, and how many threads that leaves us.

llama.cpp's threads meet at a barrier after every step of the graph, spinning while they wait.
When another program takes a core away from one of them, the other spins through its whole
time slice, and a call that takes 0.2 s on an idle machine took 34-80 s beside a
multi-threaded job (issue 18). With one thread there is no barrier: a busy machine then slows a
call down in proportion. So each call asks `ThreadChooser` how many cores the other programs
leave free, measured over the last second from /proc/stat minus this process's own time.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

PROC_STAT = Path("/proc/stat")
SAMPLE_EVERY_S = 0.2
WINDOW_S = 1.0
"""How far back `others_busy_cores` looks."""
BUSY_ENOUGH = 0.5
"""How much of a core the other programs must keep busy before a thread is given up for it."""


@dataclass(frozen=True)
class CpuSample:
    wall_s: float
    busy_s: float
    """Time all cores together spent not idle, since boot."""
    own_s: float
    """This process's processor time (all its threads)."""


def read_sample(stat_path: Path = PROC_STAT) -> CpuSample | None:
    """None where there is no /proc/stat (not Linux)."""
    try:
        first_line = stat_path.read_text(encoding="ascii").splitlines()[0]
    except (OSError, IndexError, UnicodeDecodeError):
        return None
    fields = first_line.split()
    if len(fields) < 5 or fields[0] != "cpu":
        return None
    ticks = [int(value) for value in fields[1:]]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
    busy_ticks = sum(ticks[:8]) - idle  # guest time is already in user time
    own = os.times()
    return CpuSample(
        wall_s=time.monotonic(),
        busy_s=busy_ticks / os.sysconf("SC_CLK_TCK"),
        own_s=own.user + own.system,
    )


def others_busy_cores(earlier: CpuSample, later: CpuSample) -> float:
    """Cores the other programs kept busy between two samples, on average."""
    wall = later.wall_s - earlier.wall_s
    if wall <= 0:
        return 0.0
    others = (later.busy_s - earlier.busy_s) - (later.own_s - earlier.own_s)
    return max(0.0, others / wall)


def threads_for(cores: int, others_busy: float, most: int) -> int:
    """One thread per core the other programs leave free, at least one, at most `most`."""
    given_up = int(others_busy + 1 - BUSY_ENOUGH)
    return max(1, min(most, cores - given_up))


class ThreadChooser:
    """Samples the processor in a background thread; `choose()` answers at once."""

    def __init__(self, most: int, cores: int | None = None) -> None:
        self.most = most
        self.cores = cores or os.cpu_count() or 1
        self._samples: deque[CpuSample] = deque(maxlen=int(WINDOW_S / SAMPLE_EVERY_S) + 1)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        first = read_sample()
        self._sampler: threading.Thread | None = None
        if first is not None:
            self._samples.append(first)
            self._sampler = threading.Thread(target=self._sample, name="cpu-load", daemon=True)
            self._sampler.start()

    def _sample(self) -> None:
        while not self._stop.wait(SAMPLE_EVERY_S):
            sample = read_sample()
            if sample is not None:
                with self._lock:
                    self._samples.append(sample)

    def others_busy(self) -> float:
        """Cores the other programs kept busy over about the last second (0 without
        /proc/stat)."""
        latest = read_sample()
        with self._lock:
            earliest = self._samples[0] if self._samples else None
        if latest is None or earliest is None:
            return 0.0
        return others_busy_cores(earliest, latest)

    def choose(self) -> int:
        return threads_for(self.cores, self.others_busy(), self.most)

    def close(self) -> None:
        self._stop.set()
        if self._sampler is not None:
            self._sampler.join(timeout=1.0)
