"""A reminder that comes due while the window runs is shown in the window and said, once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt

from app.gui.main_window import REMINDER_CHECK_MS, MainWindow, Services
from app.gui.preferences import Preferences
from app.pipeline import Pipeline
from app.speech.tts import AudioChunk
from calendar_backend.opening import open_calendar
from tests.conftest import BERLIN

NOW = datetime(2026, 3, 26, 10, 0, tzinfo=BERLIN)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now.astimezone(UTC)


class StandInVoice:
    """Notes what it was asked to say instead of synthesizing it."""

    def __init__(self) -> None:
        self.said: list[tuple[str, str]] = []

    def synthesize(self, text: str, language: str) -> list[AudioChunk]:
        self.said.append((text, language))
        return [AudioChunk(np.zeros(1600, dtype=np.float32), 16_000, text)]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Reminder: Dentist at 10:20 AM"), ("de", "Erinnerung: Dentist um 10:20")],
)
def test_a_due_reminder_is_shown_and_said_once(
    qtbot, tmp_path: Path, language: str, expected: str
) -> None:
    preferences = Preferences(calendar_path=tmp_path / "calendar.ics", ui_language=language)
    store = open_calendar(preferences.calendar_location, zone=BERLIN)
    store.create("Dentist", NOW + timedelta(minutes=20), reminder_minutes=15)
    voice, played = StandInVoice(), []
    clock = Clock(NOW)
    services = Services(
        load_pipeline=lambda _preferences, _report: Pipeline(None, synthesizer=voice),  # type: ignore[arg-type]
        player=lambda chunks: played.append(list(chunks)),
        zone=BERLIN,
        clock=clock,
    )
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(preferences, settings, services)
    qtbot.addWidget(window)
    window.show()
    window.start()
    qtbot.waitUntil(lambda: window.state == "ready", timeout=10_000)
    qtbot.waitUntil(lambda: any(what == "Dentist" for _, what in window.agenda.entries()))
    assert window.reminder_timer.isActive()
    assert window.reminder_timer.interval() == REMINDER_CHECK_MS

    clock.now = NOW + timedelta(minutes=4)
    window.check_reminders()
    assert not window.reminder_box.isVisible()
    assert voice.said == []

    clock.now = NOW + timedelta(minutes=5, seconds=10)
    with qtbot.waitSignal(window.reminded, timeout=5_000) as reminded:
        window.check_reminders()
    assert [reminder.occurrence.title for reminder in reminded.args[0]] == ["Dentist"]
    assert window.reminder_box.isVisible()
    assert window.reminder_label.text() == expected
    qtbot.waitUntil(lambda: len(played) == 1, timeout=5_000)
    assert voice.said == [(expected + ".", language)]
    qtbot.waitUntil(lambda: window.state == "ready", timeout=5_000)

    clock.now = NOW + timedelta(minutes=6)
    window.check_reminders()
    qtbot.wait(100)
    assert len(voice.said) == 1
    qtbot.mouseClick(window.dismiss_button, Qt.MouseButton.LeftButton)
    assert not window.reminder_box.isVisible()


def test_a_reminder_due_while_the_models_load_is_shown_at_once_and_said_when_ready(
    qtbot, tmp_path: Path
) -> None:
    preferences = Preferences(calendar_path=tmp_path / "calendar.ics", ui_language="en")
    store = open_calendar(preferences.calendar_location, zone=BERLIN)
    store.create("Standup", NOW + timedelta(minutes=1), reminder_minutes=0)
    voice = StandInVoice()
    clock = Clock(NOW)
    release = threading.Event()

    def slow_loader(_preferences: Preferences, _report: Callable[[str], None]) -> Pipeline:
        release.wait(30)
        return Pipeline(None, synthesizer=voice)  # type: ignore[arg-type]

    services = Services(
        load_pipeline=slow_loader,
        player=lambda chunks: None,
        zone=BERLIN,
        clock=clock,
    )
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(preferences, settings, services)
    qtbot.addWidget(window)
    window.show()
    window.start()
    qtbot.waitUntil(lambda: any(what == "Standup" for _, what in window.agenda.entries()))
    assert window.state == "loading"

    clock.now = NOW + timedelta(minutes=1)
    window.check_reminders()
    assert window.reminder_label.text() == "Reminder: Standup at 10:01 AM"
    assert voice.said == []

    release.set()
    qtbot.waitUntil(lambda: voice.said != [], timeout=10_000)
    assert voice.said == [("Reminder: Standup at 10:01 AM.", "en")]
