"""How many threads a call gets while other programs keep the cores busy."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.cpu_load import (
    CpuSample,
    ThreadChooser,
    others_busy_cores,
    read_sample,
    threads_for,
)


@pytest.mark.parametrize(
    ("cores", "others", "most", "threads"),
    [
        (2, 0.0, 2, 2),
        (2, 0.3, 2, 2),
        (2, 0.5, 2, 1),
        (2, 1.0, 2, 1),
        (2, 1.9, 2, 1),
        (2, 3.5, 2, 1),
        (4, 1.0, 4, 3),
        (4, 2.6, 4, 1),
        (8, 0.0, 2, 2),
        (1, 0.0, 2, 1),
    ],
)
def test_one_thread_per_core_the_others_leave_free(cores, others, most, threads) -> None:
    assert threads_for(cores, others, most) == threads


def test_others_busy_is_the_busy_time_that_is_not_ours() -> None:
    earlier = CpuSample(wall_s=10.0, busy_s=100.0, own_s=5.0)
    later = CpuSample(wall_s=11.0, busy_s=101.8, own_s=5.9)
    assert others_busy_cores(earlier, later) == pytest.approx(0.9)
    assert others_busy_cores(later, later) == 0.0
    assert others_busy_cores(earlier, CpuSample(11.0, 100.5, 6.0)) == 0.0


def test_a_stat_file_is_read_and_a_missing_one_is_none(tmp_path: Path) -> None:
    stat = tmp_path / "stat"
    stat.write_text("cpu  100 0 50 1000 20 0 5 0 0 0\ncpu0 50 0 25 500 10 0 2 0 0 0\n")
    sample = read_sample(stat)
    assert sample is not None
    assert sample.busy_s == pytest.approx(155 / os.sysconf("SC_CLK_TCK"))
    assert read_sample(tmp_path / "missing") is None
    (tmp_path / "odd").write_text("intr 1 2 3\n")
    assert read_sample(tmp_path / "odd") is None


@pytest.mark.skipif(not Path("/proc/stat").is_file(), reason="needs /proc/stat (Linux)")
def test_a_busy_program_beside_us_takes_a_thread_away() -> None:
    chooser = ThreadChooser(most=2, cores=2)
    hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(1.2)
        assert chooser.others_busy() >= 0.5
        assert chooser.choose() == 1
    finally:
        hog.kill()
        hog.wait()
        chooser.close()
