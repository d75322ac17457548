"""The recorded fixtures: their manifest, that they are reproducible, and how well they are
recognised (word error rate per language, printed; run with -s to see it)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import soundfile

from app.speech.asr import Recognizer
from app.speech.evaluation import word_errors

from .conftest import FIXTURES

ARGUMENTS = {
    "create_event": {"title", "date", "time", "duration_minutes"},
    "delete_event": {"title", "date"},
    "list_events": {"start_date", "end_date"},
    "none": set(),
}


def test_manifest_covers_every_function_and_degradation(manifest: list[dict[str, Any]]):
    assert len(manifest) >= 40
    languages = Counter(entry["language"] for entry in manifest)
    assert set(languages) == {"de", "en"}
    assert abs(languages["de"] - languages["en"]) <= 4
    for language in ("de", "en"):
        functions = {e["expected"]["function"] for e in manifest if e["language"] == language}
        assert functions == set(ARGUMENTS)
    assert {e["degradation"] for e in manifest} == {
        None,
        "8khz",
        "stereo",
        "clipping",
        "noise",
        "silence",
    }
    for entry in manifest:
        assert (FIXTURES / entry["file"]).is_file()
        expected = entry["expected"]
        assert set(expected["arguments"]) == ARGUMENTS[expected["function"]]
        assert entry["now"] == "2026-03-26T10:00"
        assert entry["tz"] == "Europe/Berlin"
        if expected["function"] in ("delete_event", "list_events"):
            assert entry["seed_events"], entry["file"]
        if entry["degradation"]:
            assert (FIXTURES / entry["source"]).is_file()


def test_degraded_copies_are_what_they_say(manifest: list[dict[str, Any]]):
    for entry in manifest:
        info = soundfile.info(FIXTURES / entry["file"])
        degradation = entry["degradation"]
        assert info.samplerate == (8000 if degradation == "8khz" else 16000)
        assert info.channels == (2 if degradation == "stereo" else 1)
        samples, _ = soundfile.read(FIXTURES / entry["file"], dtype="float32")
        clipped = float(np.mean(np.abs(samples) >= 0.999))
        assert (clipped > 0.01) == (degradation == "clipping"), entry["file"]
        if degradation == "silence":
            assert np.max(np.abs(samples[: 16000 * 2 - 800])) < 0.01


def test_generator_reproduces_the_committed_recordings(tmp_path: Path):
    shutil.copy(FIXTURES / "commands.toml", tmp_path / "commands.toml")
    subprocess.run(
        [sys.executable, str(FIXTURES / "generate.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert (tmp_path / "manifest.json").read_text() == (FIXTURES / "manifest.json").read_text()
    for path in sorted(FIXTURES.glob("*.flac")):
        committed, _ = soundfile.read(path, dtype="float32")
        made, _ = soundfile.read(tmp_path / path.name, dtype="float32")
        assert committed.shape == made.shape, path.name
        # Bit-exact on the machine that made them; other CPUs may round Piper's maths apart.
        assert np.max(np.abs(committed - made)) < 0.02, path.name


def test_word_error_rate_per_language(recognizer: Recognizer, manifest: list[dict[str, Any]]):
    totals: dict[str, list[int]] = {"de": [0, 0, 0], "en": [0, 0, 0]}
    print()
    for entry in manifest:
        transcript = recognizer.transcribe_file(FIXTURES / entry["file"])
        errors, words = word_errors(entry["text"], transcript.text)
        total = totals[entry["language"]]
        total[0] += errors
        total[1] += words
        total[2] += transcript.language == entry["language"]
        print(f"{errors / words:6.0%}  {entry['file']:45} {transcript.text}")
    for language, (errors, words, detected) in totals.items():
        print(f"{language}: WER {errors / words:.1%}, language detected {detected}")
    english_errors, english_words, english_detected = totals["en"]
    english_count = sum(entry["language"] == "en" for entry in manifest)
    # English from the Piper voice is recognised well, degraded copies included. German from
    # espeak-ng is robotic and whisper-base gets much of it wrong: it is measured, not judged.
    assert english_errors / english_words < 0.15
    assert english_detected == english_count
