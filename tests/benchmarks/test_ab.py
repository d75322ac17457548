"""The A/B comparison's plumbing: the order of the sides, the runner's command line, the
summary of a side's runs and the stages option (the runs themselves load models: not here)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from benchmarks.ab import (
    RUNNER,
    STAGE_NAMES,
    STAGES,
    Options,
    _stages,
    describe,
    runner_command,
    side_order,
    summarise_side,
)
from benchmarks.suite import REAL_VOICES
from tests.conftest import REPO_ROOT


def test_the_sides_alternate_ab_then_ba() -> None:
    assert [side_order(pair) for pair in range(4)] == [
        ("a", "b"),
        ("b", "a"),
        ("a", "b"),
        ("b", "a"),
    ]


def test_the_runner_is_this_checkouts_script_without_its_folder_on_the_path(tmp_path) -> None:
    command = runner_command("/venv/bin/python", "recognition", tmp_path / "inputs.json")
    assert command == [
        "/venv/bin/python",
        "-P",
        str(RUNNER),
        "--stage",
        "recognition",
        "--inputs",
        str(tmp_path / "inputs.json"),
    ]
    assert RUNNER == REPO_ROOT / "benchmarks" / "stages.py"


def run(*milliseconds: float, tokens: float | None = None) -> dict[str, object]:
    parts = {} if tokens is None else {"tokens": tokens}
    return {
        "load_s": 1.5,
        "calls": [
            {"key": str(i), "language": "de", "ms": ms, "parts": parts}
            for i, ms in enumerate(milliseconds)
        ],
    }


def test_a_side_is_summarised_per_run_and_over_every_call() -> None:
    side = summarise_side([run(100.0, 200.0, 300.0, tokens=20.0), run(150.0, 250.0, tokens=24.0)])
    assert side["run_medians_ms"] == [200.0, 200.0]
    assert side["all_calls_ms"]["median"] == 200.0
    assert side["all_calls_ms"]["n"] == 5
    assert side["tokens"]["median"] == 20.0
    assert side["load_s"] == [1.5, 1.5]
    assert side["part_medians"] == {"tokens": 20.0}
    assert summarise_side([run(10.0)])["tokens"] is None


def test_the_stages_option_keeps_the_report_order_and_refuses_unknown_ones() -> None:
    chosen = _stages("first-audio, understanding-full")
    assert [stage.name for stage in chosen] == ["understanding-full", "first-audio"]
    assert STAGE_NAMES == (
        "understanding-full",
        "understanding-massive",
        "recognition",
        "recognition-real",
        "first-audio",
    )
    with pytest.raises(argparse.ArgumentTypeError, match="unknown stage speed"):
        _stages("speed")
    with pytest.raises(argparse.ArgumentTypeError):
        _stages("")


def test_the_real_voices_stage_sends_every_recording_of_a_person_with_its_language() -> None:
    if not (REAL_VOICES / "manifest.jsonl").is_file():
        pytest.skip("no ../shared/data/speech here")
    stage = next(stage for stage in STAGES if stage.name == "recognition-real")
    inputs = stage.inputs(Options())
    assert len(inputs) >= 60
    assert {entry["language"] for entry in inputs} == {"de", "en"}
    assert all(Path(entry["file"]).is_file() for entry in inputs)


def test_a_checkout_is_described_by_its_commit() -> None:
    described = describe(REPO_ROOT)
    assert described["path"] == str(REPO_ROOT)
    assert described["commit"] != "unknown"


def test_the_full_commands_are_the_committed_ones_per_language_up_to_the_limit() -> None:
    from benchmarks.ab import Options, _full_commands
    from benchmarks.full_commands import read_commands

    everything = _full_commands(Options())
    assert len(everything) == len(read_commands())
    two_each = _full_commands(Options(full_commands_per_language=2))
    assert [command["language"] for command in two_each] == ["de", "de", "en", "en"]
    assert set(two_each[0]) == {"key", "text", "language", "now"}
