"""A recording without speech (silence, noise, nothing at all) is answered as such through
`run-wav`: status `no_speech`, the reply in the chosen language, nothing understood, the
calendar untouched."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
import soundfile

from app.cli.options import Context
from app.cli.run_wav import run_wav
from app.dialog import Dialog
from app.pipeline import Pipeline, load_pipeline
from app.speech.asr import Transcript
from app.speech.no_speech import heard_nothing
from calendar_backend import CalendarStore
from tests.calendar_backend.test_recurring import SERIES
from tests.conftest import BERLIN

RATE = 16_000


def transcript(text: str, speech_s: float) -> Transcript:
    return Transcript(text, "de", 0.9, 3.0, speech_s, 10.0)


@pytest.mark.parametrize(
    ("text", "speech_s", "nothing"),
    [
        ("", 0.0, True),
        ("", 1.2, True),  # speech as far as VAD could tell, but not one word came of it
        ("…", 0.8, True),
        ("Ja.", 0.0, True),  # without VAD's speech there is nothing to have heard it in
        ("Ja.", 0.6, False),
        ("3", 0.4, False),
    ],
)
def test_no_speech_is_no_speech_found_or_no_word_made_of_it(text, speech_s, nothing):
    assert heard_nothing(transcript(text, speech_s)) is nothing


@pytest.fixture(scope="module")
def pipeline() -> Iterator[Pipeline]:
    yield load_pipeline()


def recording(tmp_path: Path, name: str, samples: np.ndarray, rate: int = RATE) -> Path:
    path = tmp_path / name
    soundfile.write(path, samples, rate, subtype="PCM_16")
    return path


def nothing_to_hear(tmp_path: Path) -> list[Path]:
    rng = np.random.default_rng(17)
    return [
        recording(tmp_path, "silence.wav", np.zeros(3 * RATE, np.float32)),
        recording(tmp_path, "white-noise.wav", rng.uniform(-0.5, 0.5, 3 * RATE)),
        recording(tmp_path, "empty.wav", np.zeros(0, np.float32)),
        recording(tmp_path, "hum.wav", 0.3 * np.sin(2 * np.pi * 50 * np.arange(RATE) / RATE)),
    ]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("de", "Ich habe nichts gehört. Sag es bitte noch einmal."),
        ("en", "I did not hear anything. Please say it again."),
        ("auto", "I did not hear anything. Please say it again."),
    ],
)
def test_run_wav_answers_a_recording_without_speech_with_no_speech(
    pipeline: Pipeline, tmp_path: Path, language: str, message: str
) -> None:
    calendar = tmp_path / "calendar.ics"
    calendar.write_bytes(SERIES)
    context = Context(datetime(2026, 3, 26, 10, 0, tzinfo=BERLIN), BERLIN, language)
    for path in nothing_to_hear(tmp_path):
        reply = tmp_path / f"{path.stem}-reply.wav"
        result = run_wav(pipeline, path, calendar, context, confirmed=True, speak_to=reply)
        assert result["result"] == {"status": "no_speech", "message": message, "events": []}
        assert result["transcript"]["text"] == ""
        assert result["transcript"]["language"] == (language if language != "auto" else "en")
        assert result["parse"] == {"function": None, "arguments": {}, "missing": []}
        assert result["timings_ms"]["nlu"] is None and result["timings_ms"]["calendar"] is None
        assert soundfile.info(reply).duration > 1.0, "the message is spoken"
        assert calendar.read_bytes() == SERIES


def test_a_transcript_too_long_for_the_model_is_answered_not_raised(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    calendar = tmp_path / "calendar.ics"
    calendar.write_bytes(SERIES)
    dialog = Dialog(CalendarStore(calendar, zone=BERLIN), language="de")
    now = datetime(2026, 3, 26, 10, 0, tzinfo=BERLIN)
    turn = pipeline.respond("Trag morgen den Zahnarzt ein " * 30, "de", now, dialog)
    assert turn.outcome.status == "error"
    assert turn.outcome.message.startswith("Das war zu lang für mich.")
    assert calendar.read_bytes() == SERIES


def test_text_with_nothing_to_understand_is_not_called_too_long(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    dialog = Dialog(CalendarStore(tmp_path / "calendar.ics", zone=BERLIN), language="en")
    turn = pipeline.respond(" \x00 ", "auto", datetime(2026, 3, 26, 10, 0, tzinfo=BERLIN), dialog)
    assert turn.outcome.status == "error"
    assert turn.outcome.message == "I did not understand that. Please say it another way."
