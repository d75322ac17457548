"""The assistant's models load at the same time; the stages the window shows are the models
the loading waits for, in order, each once."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from app.dialog import Dialog
from app.pipeline import load_pipeline
from app.speech.audio import load_audio
from calendar_backend import CalendarStore
from tests.conftest import BERLIN
from tests.speech.conftest import FIXTURES

ORDER = ["understanding", "recognition", "voices"]
NOW = datetime(2026, 3, 26, 10, 0, tzinfo=BERLIN)


def test_all_models_load_together_and_the_stages_come_in_order(tmp_path: Path) -> None:
    stages: list[str] = []
    pipeline = load_pipeline(on_stage=stages.append)
    assert stages[0] == "understanding"
    assert stages == [stage for stage in ORDER if stage in stages]
    store = CalendarStore(tmp_path / "calendar.ics", zone=BERLIN, backup_dir=tmp_path / "backups")
    samples = load_audio(FIXTURES / "en_create_lunch.flac")
    turn = pipeline.run_recording(samples, "auto", NOW, Dialog(store))
    assert turn.language == "en" and turn.outcome.status == "done"
    assert [o.title for o in store.occurrences(NOW.date(), NOW.date().replace(day=31))] == [
        "lunch with Sarah"
    ]
    assert next(iter(pipeline.speak(turn.outcome))).samples.size > 0


def test_without_speech_only_understanding_is_loaded() -> None:
    stages: list[str] = []
    pipeline = load_pipeline(speech_input=False, speech_output=False, on_stage=stages.append)
    assert stages == ["understanding"]
    assert pipeline.recognizer is None and pipeline.synthesizer is None
