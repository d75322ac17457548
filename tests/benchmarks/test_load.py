"""The background load: which conditions `--load` takes, and that every hog process is
started, ready, and gone again after its block (also when the block fails or the benchmark
itself is gone). Nothing here is timed."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from benchmarks.load import (
    BLAS_THREAD_VARIABLES,
    HOG,
    background_load,
    hog_environment,
    hog_report,
    parse_conditions,
)


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_the_load_option_takes_conditions_in_order_once_each() -> None:
    assert parse_conditions("idle,single,multi") == ("idle", "single", "multi")
    assert parse_conditions(" multi, idle,multi ") == ("multi", "idle")
    assert parse_conditions("none") == ()
    assert parse_conditions("") == ()
    with pytest.raises(ValueError, match="unknown load busy"):
        parse_conditions("idle,busy")


def test_the_hog_environment_sets_every_blas_thread_count() -> None:
    environment = hog_environment(2, {"PATH": "/bin", "OMP_NUM_THREADS": "8"})
    assert environment["PATH"] == "/bin"
    assert {environment[name] for name in BLAS_THREAD_VARIABLES} == {"2"}


def test_the_hog_report_is_its_last_line_when_it_wrote_one() -> None:
    assert hog_report('ready\n{"cpu_s": 1.5, "wall_s": 2.0}\n') == {"cpu_s": 1.5, "wall_s": 2.0}
    assert hog_report("ready\n") is None
    assert hog_report("") is None
    assert hog_report('ready\n{"cpu_s": 1.5}\n') is None


def test_idle_starts_nothing() -> None:
    with background_load("idle") as load:
        assert load.pids == []
    assert load.busy_cores is None
    assert load.to_json()["hog_threads"] == 0


@pytest.mark.parametrize("condition", ["single", "multi"])
def test_a_hog_runs_during_the_block_and_is_gone_after_it(condition: str) -> None:
    with background_load(condition, threads=1) as load:
        (pid,) = load.pids
        assert running(pid)
    assert not running(pid)
    assert load.cpu_s is not None and load.wall_s is not None
    assert load.to_json()["hog_threads"] == 1


def test_a_failing_block_stops_its_hog_too() -> None:
    pids: list[int] = []
    with pytest.raises(RuntimeError, match="measurement failed"), background_load("single") as load:
        pids.extend(load.pids)
        raise RuntimeError("measurement failed")
    assert pids and not any(running(pid) for pid in pids)


def test_an_unknown_condition_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown load"), background_load("busy"):
        pass


def test_a_hog_whose_parent_is_gone_ends_by_itself() -> None:
    """Told that its parent is another process than the one that started it, the hog sees
    its parent gone and stops after its first round, reporting what it used."""
    not_my_parent = os.getppid()
    completed = subprocess.run(
        [sys.executable, "-P", str(HOG), "single", "--parent", str(not_my_parent)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    lines = completed.stdout.splitlines()
    assert lines[0] == "ready"
    assert set(json.loads(lines[-1])) == {"cpu_s", "wall_s"}
