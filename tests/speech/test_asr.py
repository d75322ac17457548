from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from app.speech.asr import Recognizer, RecognizerSettings
from app.speech.audio import SAMPLE_RATE, load_audio, write_wav
from app.speech.evaluation import word_errors

from .conftest import FIXTURES

REPO = Path(__file__).resolve().parents[2]


def test_english_command_is_transcribed_and_detected(recognizer: Recognizer):
    transcript = recognizer.transcribe_file(FIXTURES / "en_list_tomorrow.flac")
    errors, _ = word_errors("What's on my calendar tomorrow?", transcript.text)
    assert errors <= 1, transcript.text
    assert transcript.language == "en"
    assert transcript.language_probability > 0.9
    assert transcript.duration_s == pytest.approx(
        len(load_audio(FIXTURES / "en_list_tomorrow.flac")) / SAMPLE_RATE, abs=0.01
    )
    assert transcript.ms > 0


def test_a_command_is_heard_in_the_whole_window_by_default(recognizer: Recognizer):
    transcript = recognizer.transcribe_file(FIXTURES / "en_list_tomorrow.flac")
    assert transcript.window_s == 30


def test_a_shorter_window_when_set_is_cut_to_the_speech_and_a_margin():
    short = Recognizer(RecognizerSettings(min_window_s=10))
    transcript = short.transcribe_file(FIXTURES / "en_list_tomorrow.flac")
    assert transcript.speech_s + short.settings.window_margin_s < 10
    assert transcript.window_s == 10
    assert word_errors("What's on my calendar tomorrow?", transcript.text)[0] <= 1


def test_detection_chooses_only_between_german_and_english(recognizer: Recognizer):
    transcript = recognizer.transcribe_file(FIXTURES / "de_create_zahnarzt.flac")
    assert transcript.language == "de"
    assert 0.5 <= transcript.language_probability <= 1.0


def test_forced_language_is_used(recognizer: Recognizer):
    samples = load_audio(FIXTURES / "en_none_weather.flac")
    forced = recognizer.transcribe(samples, "de")
    assert forced.language == "de"
    assert forced.language_probability == 1.0
    english = recognizer.transcribe(samples, "en")
    assert word_errors("What's the weather like in Berlin today?", english.text)[0] <= 1


def test_silence_gives_empty_text(recognizer: Recognizer):
    rng = np.random.default_rng(3)
    quiet = (rng.standard_normal(2 * SAMPLE_RATE) * 1e-4).astype(np.float32)
    transcript = recognizer.transcribe(quiet)
    assert transcript.text == ""
    assert transcript.duration_s == pytest.approx(2.0)


def test_unknown_language_is_refused(recognizer: Recognizer):
    with pytest.raises(ValueError, match="auto, de or en"):
        recognizer.transcribe(np.zeros(SAMPLE_RATE, dtype=np.float32), "fr")


def run_app(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_transcribe_command_prints_the_contract(tmp_path: Path):
    # A WAV at another rate, in stereo: the command decodes it like any recording.
    samples = load_audio(FIXTURES / "en_list_saturday.flac")
    stereo = np.stack([samples, samples], axis=1)
    write_wav(tmp_path / "stereo.wav", stereo, SAMPLE_RATE)
    result = run_app("transcribe", str(tmp_path / "stereo.wav"), "--lang", "en")
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert set(output) == {"text", "language", "language_probability", "duration_s", "ms"}
    assert output["language"] == "en"
    assert word_errors("Show me my appointments on Saturday.", output["text"])[0] <= 1


def test_transcribe_command_fails_clearly(tmp_path: Path):
    missing = run_app("transcribe", str(tmp_path / "missing.wav"))
    assert missing.returncode == 1
    assert "missing.wav" in missing.stderr
    assert missing.stdout == ""
    usage = run_app("transcribe", "x.wav", "--lang", "fr")
    assert usage.returncode == 2
