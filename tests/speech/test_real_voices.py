"""Recordings of real people (`../shared/data/speech/`, for measuring, never for training):
none is judged to hold no speech, however quiet the speaker. Silence, noise and hum still are
(`tests/pipeline/test_no_speech.py`)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from app.speech.asr import Recognizer
from app.speech.audio import SAMPLE_RATE
from app.speech.no_speech import heard_nothing
from tests.conftest import shared_dir

SPEECH = shared_dir() / "data" / "speech"
pytestmark = pytest.mark.skipif(
    not (SPEECH / "manifest.jsonl").is_file(), reason="no ../shared/data/speech here"
)


def recordings() -> list[dict]:
    path = SPEECH / "manifest.jsonl"
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_no_recording_of_a_person_is_judged_silent(recognizer: Recognizer) -> None:
    silent = []
    entries = recordings()
    assert len(entries) >= 60
    for entry in entries:
        transcript = recognizer.transcribe_file(Path(SPEECH / entry["file"]), entry["lang"])
        if heard_nothing(transcript):
            silent.append(entry["file"])
    assert silent == []


def test_the_quiet_speaker_is_heard_in_either_language_setting(recognizer: Recognizer) -> None:
    quiet = SPEECH / "de" / "cv_libreasr_04.wav"
    for language in ("de", None):
        transcript = recognizer.transcribe_file(quiet, language)
        assert not heard_nothing(transcript), transcript
        assert transcript.language == "de"


@pytest.mark.parametrize("level", [1e-4, 0.02, 0.3])
def test_quiet_noise_and_hum_stay_no_speech(recognizer: Recognizer, level: float) -> None:
    rng = np.random.default_rng(5)
    seconds = np.arange(2 * SAMPLE_RATE) / SAMPLE_RATE
    for samples in (
        (rng.standard_normal(2 * SAMPLE_RATE) * level).astype(np.float32),
        (level * np.sin(2 * np.pi * 50 * seconds)).astype(np.float32),
    ):
        assert heard_nothing(recognizer.transcribe(samples)), level
