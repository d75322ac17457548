"""Push-to-talk's early start: when the work started at the end of speech stands for the
recording at the release, and that the calendar changes once, after the release, either way."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from app.dialog import Dialog
from app.early_start import (
    EarlyStart,
    decide,
    find_speech_end,
    measure_push_to_talk,
    respond_at_release,
    start_early,
)
from app.pipeline import Heard, Pipeline, load_pipeline
from app.speech.asr import Transcript
from app.speech.audio import SAMPLE_RATE, load_audio
from app.speech.microphone import Recording, SileroEndpointer, SpeechEnd
from calendar_backend import CalendarStore
from tests.conftest import BERLIN, REPO_ROOT

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "audio"
NOW = datetime(2026, 3, 26, 10, 0, 20, tzinfo=BERLIN)
SATURDAY = NOW.date() + timedelta(days=2)


def recording(samples: np.ndarray, last_speech_sample: int | None) -> Recording:
    return Recording(samples, "test", SAMPLE_RATE, "stopped", True, 0.0, last_speech_sample)


def early_start(samples: np.ndarray, last_speech_sample: int, language: str = "auto") -> EarlyStart:
    transcript = Transcript("Show me Saturday.", "en", 0.98, 2.0, 1.5, 100.0)
    heard = Heard(transcript, language, NOW, None, 100.0, None)
    return EarlyStart(SpeechEnd(recording(samples, last_speech_sample), 0.0), heard)


AUDIO = np.random.default_rng(3).normal(0, 0.1, 3 * SAMPLE_RATE).astype(np.float32)
EARLY = early_start(AUDIO[: 2 * SAMPLE_RATE], 20_000)


@pytest.mark.parametrize(
    ("early", "final", "language", "now", "verdict"),
    [
        (EARLY, recording(AUDIO, 20_000), "auto", NOW, "reused"),
        (EARLY, recording(AUDIO, 20_000), "auto", NOW + timedelta(seconds=39), "reused"),
        # Dates and times resolve to the minute: only the transcript stands.
        (EARLY, recording(AUDIO, 20_000), "auto", NOW + timedelta(seconds=40), "reused_transcript"),
        (EARLY, recording(AUDIO, 40_000), "auto", NOW, "spoke_again"),
        (EARLY, recording(AUDIO[::-1].copy(), 20_000), "auto", NOW, "other_audio"),
        (EARLY, recording(AUDIO[:SAMPLE_RATE], 20_000), "auto", NOW, "other_audio"),
        (EARLY, recording(AUDIO, 20_000), "de", NOW, "other_language"),
        (None, recording(AUDIO, 20_000), "auto", NOW, "no_early_start"),
    ],
)
def test_the_early_start_stands_only_for_the_same_speech_heard_alike(
    early, final, language, now, verdict
):
    assert decide(early, final, language, now).verdict == verdict


@pytest.fixture(scope="module")
def pipeline() -> Iterator[Pipeline]:
    yield load_pipeline()


@pytest.fixture
def store(tmp_path: Path) -> CalendarStore:
    return CalendarStore(tmp_path / "calendar.ics", zone=BERLIN, backup_dir=tmp_path / "backups")


def held_on(samples: np.ndarray, seconds: float) -> np.ndarray:
    """`samples` with the quiet hiss of a held button after them."""
    hiss = np.random.default_rng(11).normal(0, 3e-4, int(seconds * SAMPLE_RATE))
    return np.concatenate([samples, hiss.astype(np.float32)])


def test_the_release_goes_on_from_the_early_start_and_changes_the_calendar_once(
    pipeline: Pipeline, store: CalendarStore
):
    samples = held_on(load_audio(FIXTURES / "en_create_lunch.flac"), 2.5)
    speech_end = find_speech_end(samples)
    assert speech_end is not None and speech_end < len(samples) - SAMPLE_RATE
    detector = SileroEndpointer()
    detector.feed(samples[:speech_end])
    early_recording = recording(samples[:speech_end], detector.last_speech_sample)
    detector.feed(samples[speech_end:])
    final = recording(samples, detector.last_speech_sample)
    dialog = Dialog(store)

    early = start_early(pipeline, SpeechEnd(early_recording, time.perf_counter()), "auto", NOW)
    assert early.heard.understanding is not None
    assert early.heard.understanding.call.function == "create_event"
    assert store.occurrences(SATURDAY, SATURDAY) == []  # nothing before the release

    turn, reuse = respond_at_release(pipeline, early, final, "auto", NOW, dialog)
    assert reuse.verdict == "reused"
    assert turn.understanding is early.heard.understanding
    assert turn.timings_ms["asr"] == 0.0 and turn.timings_ms["nlu"] == 0.0
    assert [o.title for o in store.occurrences(SATURDAY, SATURDAY)] == ["lunch with Sarah"]


def test_a_benchmark_measures_the_latencies_of_one_request(
    pipeline: Pipeline, store: CalendarStore
):
    samples = held_on(load_audio(FIXTURES / "en_create_lunch.flac"), 2.0)
    speech_end = find_speech_end(samples)
    assert speech_end is not None
    release = min(len(samples), speech_end + SAMPLE_RATE // 2)
    latency = measure_push_to_talk(
        pipeline, samples, speech_end, release, "auto", NOW, Dialog(store)
    )
    assert latency.reuse.verdict == "reused"
    assert latency.first_audio is not None
    assert latency.speech_end <= latency.release <= latency.first_audio
    assert latency.speech_end_to_first_audio_ms is not None
    assert latency.release_to_first_audio_ms is not None
    assert latency.speech_end_to_first_audio_ms >= latency.release_to_first_audio_ms
    assert [o.title for o in store.occurrences(SATURDAY, SATURDAY)] == ["lunch with Sarah"]


def test_a_benchmark_with_speech_after_the_pause_answers_the_whole_recording(
    pipeline: Pipeline, store: CalendarStore
):
    first = held_on(load_audio(FIXTURES / "en_none_weather.flac"), 1.2)
    speech_end = find_speech_end(first)
    assert speech_end is not None
    samples = held_on(np.concatenate([first, load_audio(FIXTURES / "en_create_lunch.flac")]), 0.5)
    latency = measure_push_to_talk(
        pipeline, samples, speech_end, len(samples), "auto", NOW, Dialog(store)
    )
    assert latency.reuse.verdict == "spoke_again"
    assert latency.turn.transcript is not None
    assert "Sarah" in latency.turn.transcript.text
