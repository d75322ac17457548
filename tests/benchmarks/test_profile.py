"""The profile's split of the time: cumulative time per part, and the report's rows."""

from __future__ import annotations

import cProfile
import pstats
import time

from benchmarks.profile import PARTS, Part, cumulative_ms, report


def wait_a_little() -> None:
    time.sleep(0.02)


def twice() -> None:
    wait_a_little()
    wait_a_little()


def test_cumulative_time_sums_every_call_of_the_function() -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    twice()
    profiler.disable()
    stats = pstats.Stats(profiler)
    waited = cumulative_ms(stats, Part("wait", "tests/benchmarks/test_profile.py", "wait_a_little"))
    assert 35 <= waited <= 200
    outer = cumulative_ms(stats, Part("twice", "tests/benchmarks/test_profile.py", "twice"))
    assert outer >= waited
    assert cumulative_ms(stats, Part("absent", "nowhere.py", "wait_a_little")) == 0


def test_the_report_has_a_row_per_part_and_divides_by_the_runs() -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    twice()
    profiler.disable()
    text = report(pstats.Stats(profiler), runs=2, wall_ms=100.0)
    assert "Mean per command: 50 ms" in text
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    labels = [row.split("|")[1].strip().strip("*") for row in rows]
    assert [part.label for part in PARTS] == labels[1 : len(PARTS) + 1]
    assert any("wait_a_little" in row for row in rows)
