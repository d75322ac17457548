"""Moving, repeating, reminding and finding, spoken: a command synthesized with the bundled
English voice goes through `run-wav` (the real recogniser, call model, dialog and calendar)
and the calendar comes out as asked."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile

from app.cli.options import Context
from app.cli.run_wav import run_wav
from app.pipeline import Pipeline, load_pipeline
from app.speech.audio import SAMPLE_RATE, resample
from app.speech.tts import Style, Synthesizer, join_chunks
from app.speech.voices import bundled_voices
from calendar_backend import CalendarStore
from tests.conftest import BERLIN

NOW = datetime(2026, 3, 26, 10, 0, tzinfo=BERLIN)  # a Thursday


@pytest.fixture(scope="module")
def pipeline() -> Iterator[Pipeline]:
    yield load_pipeline(speech_output=False)


def spoken(text: str, folder: Path) -> Path:
    voice = next(v for v in bundled_voices() if v.language == "en")
    chunks = Synthesizer().synthesize_with(voice, text, Style(deterministic=True))
    samples, rate = join_chunks(chunks)
    samples = resample(samples, rate)
    samples = (samples / max(1e-6, float(np.max(np.abs(samples)))) * 0.7).astype(np.float32)
    path = folder / "command.flac"
    soundfile.write(path, samples, SAMPLE_RATE, format="FLAC")
    return path


def said(
    pipeline: Pipeline, text: str, store: CalendarStore, folder: Path, *, confirmed: bool
) -> dict[str, Any]:
    context = Context(now=NOW, zone=BERLIN, language="auto")
    return run_wav(
        pipeline,
        spoken(text, folder),
        store.path,
        context,
        confirmed=confirmed,
        backup_dir=folder / "backups",
    )


@pytest.fixture
def store(tmp_path: Path) -> CalendarStore:
    return CalendarStore(tmp_path / "calendar.ics", zone=BERLIN, backup_dir=tmp_path / "backups")


def test_a_spoken_move_waits_and_then_moves(pipeline, store, tmp_path):
    store.create("Standup", datetime(2026, 3, 27, 9, 0, tzinfo=BERLIN), timedelta(minutes=15))
    text = "Move the standup tomorrow to 10:15 am."
    asked = said(pipeline, text, store, tmp_path, confirmed=False)
    assert asked["parse"]["function"] == "move_event", asked
    assert asked["result"]["status"] == "needs_confirmation"
    assert [o.start for o in store.occurrences(date(2026, 3, 27), date(2026, 3, 27))] == [
        datetime(2026, 3, 27, 9, 0, tzinfo=BERLIN)
    ]
    done = said(pipeline, text, store, tmp_path, confirmed=True)
    assert done["result"]["status"] == "done", done
    (moved,) = store.occurrences(date(2026, 3, 27), date(2026, 3, 27))
    assert moved.start == datetime(2026, 3, 27, 10, 15, tzinfo=BERLIN)
    assert moved.end - moved.start == timedelta(minutes=15)


def test_a_spoken_series_is_created(pipeline, store, tmp_path):
    result = said(pipeline, "Add swimming every Thursday at 8 am.", store, tmp_path, confirmed=True)
    assert result["parse"]["arguments"]["recurrence"] == "FREQ=WEEKLY;BYDAY=TH", result
    assert result["result"]["status"] == "done"
    starts = [o.start for o in store.occurrences(date(2026, 3, 26), date(2026, 4, 16))]
    assert starts == [datetime(2026, 4, d, 8, 0, tzinfo=BERLIN) for d in (2, 9, 16)]


def test_a_spoken_question_about_one_appointment_is_answered(pipeline, store, tmp_path):
    store.create("Dentist", datetime(2026, 4, 7, 14, 30, tzinfo=BERLIN))
    result = said(
        pipeline, "When is my next dentist appointment?", store, tmp_path, confirmed=False
    )
    assert result["parse"]["function"] == "list_events", result
    assert result["parse"]["arguments"]["title"]
    assert result["result"]["status"] == "done"
    assert "April 7 at 2:30 PM" in result["result"]["message"]
