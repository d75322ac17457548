"""A few doors through real processes, for what only a process shows: the exit status, and a
stderr of exactly one line with nothing from the libraries underneath (FFmpeg, llama.cpp)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile

from app.limits import MAX_RECORDING_S
from tests.conftest import REPO_ROOT
from tests.fuzz.inputs import corpus_calendars, truncate


def run_app(*argv: str, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    completed = subprocess.run(
        [sys.executable, "-m", "app", *argv],
        input=stdin,
        capture_output=True,
        cwd=REPO_ROOT,
        timeout=180,
        check=False,
    )
    return subprocess.CompletedProcess(
        completed.args,
        completed.returncode,
        completed.stdout.decode("utf-8"),
        completed.stderr.decode("utf-8", "backslashreplace"),
    )


def assert_one_line_failure(completed: subprocess.CompletedProcess[str], says: str) -> None:
    assert completed.returncode == 1, completed
    assert completed.stdout == ""
    assert completed.stderr.count("\n") == 1 and completed.stderr.startswith("error: "), completed
    assert says in completed.stderr


def test_random_bytes_are_no_recording(tmp_path: Path) -> None:
    noise = tmp_path / "noise.mp3"
    noise.write_bytes(np.random.default_rng(5).bytes(5000))
    assert_one_line_failure(run_app("transcribe", str(noise)), "not a readable audio file")


def test_silence_is_no_speech_and_changes_nothing(tmp_path: Path) -> None:
    silence = tmp_path / "silence.wav"
    soundfile.write(silence, np.zeros(48_000, np.float32), 16_000)
    calendar = tmp_path / "calendar.ics"
    original = corpus_calendars()[0]
    calendar.write_bytes(original)
    completed = run_app(
        "run-wav",
        str(silence),
        "--calendar",
        str(calendar),
        "--lang",
        "de",
        "--speak-to",
        str(tmp_path / "reply.wav"),
    )
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert result["result"]["status"] == "no_speech"
    assert result["result"]["message"] == "Ich habe nichts gehört. Sag es bitte noch einmal."
    assert calendar.read_bytes() == original
    assert soundfile.info(tmp_path / "reply.wav").duration > 1.0


def test_a_recording_longer_than_a_command_is_refused(tmp_path: Path) -> None:
    lecture = tmp_path / "lecture.wav"
    soundfile.write(lecture, np.zeros(int(8000 * (MAX_RECORDING_S + 30)), np.float32), 8000)
    calendar = tmp_path / "calendar.ics"
    completed = run_app("run-wav", str(lecture), "--calendar", str(calendar))
    assert_one_line_failure(completed, "a command may take at most 60 s")


@pytest.mark.parametrize("share", [0.3, 0.6])
def test_a_truncated_calendar_is_refused_and_left_as_it_was(tmp_path: Path, share: float):
    calendar = tmp_path / "calendar.ics"
    broken = truncate(max(corpus_calendars(), key=len), share)
    calendar.write_bytes(broken)
    completed = run_app(
        "calendar",
        "add",
        "--calendar",
        str(calendar),
        "--title",
        "Zahnarzt",
        "--start",
        "2026-11-27T14:30",
    )
    assert_one_line_failure(completed, str(calendar))
    assert calendar.read_bytes() == broken


def test_a_bad_line_in_a_batch_leaves_the_rest_answered() -> None:
    completed = run_app("parse", "--jsonl", stdin=b"\xff\n\nWas steht morgen an?\n")
    assert completed.returncode == 0, completed.stderr
    rows = [json.loads(line) for line in completed.stdout.splitlines()]
    assert ["error" in row for row in rows] == [True, True, False]


def test_a_usage_error_exits_2() -> None:
    assert run_app("calendar", "list").returncode == 2
