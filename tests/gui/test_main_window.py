"""The window end to end with the real models: a recording goes in through a stand-in
microphone, the reply comes out as text and as synthesized speech (collected, not played), and
the calendar file and the agenda change. Screenshots of the main states are written to
test-artifacts/screenshots/."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt

from app.gui.main_window import Answer, MainWindow, Services
from app.gui.preferences import Preferences, load_preferences
from app.nlu.model_store import ModelStoreError
from app.pipeline import Pipeline
from app.speech.audio import Samples, load_audio, resample
from app.speech.microphone import (
    ClippingError,
    DeviceVanishedError,
    Level,
    MicrophoneSettings,
    NoInputDeviceError,
    Recording,
    SpeechEnd,
)
from app.speech.tts import AudioChunk, NoSpeakerError
from calendar_backend import Calendar, CalendarStore, Occurrence
from calendar_backend.opening import open_calendar
from tests.conftest import BERLIN, REPO_ROOT
from tests.gui.screenshots import save_screenshot

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "audio"
NOW = datetime(2026, 3, 26, 10, 0, tzinfo=BERLIN)
TOMORROW_3PM = datetime(2026, 3, 27, 15, 0, tzinfo=BERLIN)
ANSWER_TIMEOUT_MS = 120_000


@dataclass(frozen=True)
class Paused:
    """A recording in which the microphone hears the speaker pause at `pause_at` (a sample
    index) while the button is still held; `spoke_again`: speech came after the pause."""

    samples: Samples
    pause_at: int
    spoke_again: bool


class StandInMicrophone:
    """Plays back the next prepared recording instead of listening; for a `Paused` one it
    reports the end of speech when it starts, as a real one would before the release."""

    def __init__(
        self,
        recorded: Samples | Paused,
        on_level: Callable[[Level], None],
        on_speech_end: Callable[[SpeechEnd], None],
    ) -> None:
        self.recorded = recorded
        self.on_level = on_level
        self.on_speech_end = on_speech_end

    def start(self) -> None:
        self.on_level(Level(rms_dbfs=-18.0, peak=0.4, speech=True))
        if isinstance(self.recorded, Paused):
            early = self.recorded.samples[: self.recorded.pause_at]
            last_speech = self.recorded.pause_at - 12_800  # the detector's 0.8 s of silence
            recording = Recording(early, "stand-in", 16_000, "speech_end", True, 0.0, last_speech)
            self.on_speech_end(SpeechEnd(recording, time.perf_counter()))

    def stop(self) -> Recording:
        if not isinstance(self.recorded, Paused):
            return Recording(self.recorded, "stand-in", 16_000, "stopped", True, 0.0)
        paused = self.recorded
        last_speech = len(paused.samples) if paused.spoke_again else paused.pause_at - 12_800
        return Recording(paused.samples, "stand-in", 16_000, "stopped", True, 0.0, last_speech)


class Speaker:
    """Takes the synthesized reply instead of playing it."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    def __call__(self, chunks: Iterable[AudioChunk]) -> None:
        self.seconds.append(sum(chunk.duration_s for chunk in chunks))


def spoken(pipeline: Pipeline, sentence: str, language: str = "en") -> Samples:
    """A recording of `sentence` made with the app's own voice, with silence around it."""
    assert pipeline.synthesizer is not None
    pieces = [
        resample(chunk.samples.astype(np.float32), chunk.sample_rate)
        for chunk in pipeline.synthesizer.synthesize(sentence, language)
    ]
    silence = np.zeros(8000, dtype=np.float32)
    return np.concatenate([silence, *pieces, silence])


class Harness:
    def __init__(
        self,
        qtbot,
        tmp_path: Path,
        pipeline: Pipeline | None,
        *,
        ui_language: str = "en",
        loader: Callable[[Preferences, Callable[[str], None]], Pipeline] | None = None,
        microphone: Callable[..., object] | None = None,
        calendar_url: str = "",
        speaker: Callable[[Iterable[AudioChunk]], None] | None = None,
    ) -> None:
        self.qtbot = qtbot
        self.recordings: list[Samples | Paused] = []
        self.speaker = speaker or Speaker()
        self.preferences = Preferences(
            calendar_path=tmp_path / "calendar.ics",
            calendar_url=calendar_url,
            ui_language=ui_language,
        )
        self.settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        self.store = open_calendar(self.preferences.calendar_location, zone=BERLIN)
        services = Services(
            load_pipeline=loader or (lambda _preferences, _report: pipeline),
            microphone=microphone or self._microphone,  # type: ignore[arg-type]
            player=self.speaker,
            zone=BERLIN,
            clock=lambda: NOW.astimezone(UTC),
            system_locale="en_US",
        )
        self.window = MainWindow(self.preferences, self.settings, services)
        qtbot.addWidget(self.window)
        self.window.resize(1100, 640)
        self.window.show()

    def _microphone(
        self,
        _settings: MicrophoneSettings,
        on_level: Callable[[Level], None],
        on_speech_end: Callable[[SpeechEnd], None],
    ) -> StandInMicrophone:
        return StandInMicrophone(self.recordings.pop(0), on_level, on_speech_end)

    def start(self) -> None:
        self.window.start()
        self.qtbot.waitUntil(lambda: self.window.state == "ready", timeout=ANSWER_TIMEOUT_MS)

    def say(self, samples: Samples) -> None:
        """Press the button, 'speak', press again; wait for the reply to be shown and said."""
        self.recordings.append(samples)
        self.qtbot.mouseClick(self.window.talk_button, Qt.MouseButton.LeftButton)
        assert self.window.state == "listening"
        self.qtbot.waitUntil(lambda: self.window.level_meter.value() > 0)
        with self.qtbot.waitSignal(self.window.answered, timeout=ANSWER_TIMEOUT_MS):
            self.qtbot.mouseClick(self.window.talk_button, Qt.MouseButton.LeftButton)
        self.settle()

    def click(self, button) -> None:
        with self.qtbot.waitSignal(self.window.answered, timeout=ANSWER_TIMEOUT_MS):
            self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        self.settle()

    def settle(self) -> None:
        self.qtbot.waitUntil(
            lambda: self.window.state in ("ready", "waiting"), timeout=ANSWER_TIMEOUT_MS
        )

    def titles_on(self, day: date) -> list[str]:
        return [o.title for o in self.store.occurrences(day, day)]

    def agenda_titles(self) -> list[str]:
        return [what for _when, what in self.window.agenda.entries() if what]

    def screenshot(self, name: str) -> Path:
        return save_screenshot(self.window, name)


def seed_dentist(store: Calendar) -> Occurrence:
    return store.create("Dentist appointment", TOMORROW_3PM, timedelta(hours=1))


def test_a_spoken_request_creates_the_event_and_the_window_shows_it(
    qtbot, tmp_path: Path, pipeline: Pipeline
) -> None:
    harness = Harness(qtbot, tmp_path, pipeline)
    harness.start()
    harness.screenshot("en-ready")
    harness.say(load_audio(FIXTURES / "en_create_lunch.flac"))
    window = harness.window
    assert "lunch with Sarah" in window.transcript_label.text()
    assert window.action_label.text() == (
        "Create appointment: lunch with Sarah, Saturday, March 28, 12:00 PM\u20132:00 PM"
    )
    assert "lunch with Sarah" in window.reply_label.text()
    assert harness.titles_on(date(2026, 3, 28)) == ["lunch with Sarah"]
    assert "lunch with Sarah" in harness.agenda_titles()
    assert harness.speaker.seconds and harness.speaker.seconds[0] > 1.0
    assert window.undo_button.isEnabled()
    assert not window.error_banner.isVisible()
    harness.screenshot("en-created")


def calendar_bytes(harness: Harness) -> bytes | None:
    path = harness.preferences.calendar_path
    return path.read_bytes() if path.exists() else None


def say_with_a_pause(harness: Harness, paused: Paused) -> Answer:
    """Press, speak with a pause that the microphone reports while the button is held, and
    release once the work started at the pause is done; the calendar is unchanged until
    then. Returns the answer."""
    window = harness.window
    before = calendar_bytes(harness)
    harness.recordings.append(paused)
    harness.qtbot.mouseClick(window.talk_button, Qt.MouseButton.LeftButton)
    harness.qtbot.waitUntil(
        lambda: window._early_starts.result() is not None, timeout=ANSWER_TIMEOUT_MS
    )
    assert window.state == "listening"
    assert calendar_bytes(harness) == before
    with harness.qtbot.waitSignal(window.answered, timeout=ANSWER_TIMEOUT_MS) as answered:
        harness.qtbot.mouseClick(window.talk_button, Qt.MouseButton.LeftButton)
    harness.settle()
    answer: Answer = answered.args[0]
    return answer


def test_a_pause_before_the_release_starts_the_work_and_the_release_reuses_it(
    qtbot, tmp_path: Path, pipeline: Pipeline
) -> None:
    harness = Harness(qtbot, tmp_path, pipeline)
    harness.start()
    speech = load_audio(FIXTURES / "en_create_lunch.flac")
    silence = np.zeros(16_000 * 2, dtype=np.float32)
    recording = np.concatenate([speech, silence])
    answer = say_with_a_pause(harness, Paused(recording, len(speech) + 12_800, False))
    assert answer.reuse is not None and answer.reuse.verdict == "reused"
    assert answer.turn is not None and answer.turn.timings_ms["asr"] == 0.0
    assert harness.window.action_label.text() == (
        "Create appointment: lunch with Sarah, Saturday, March 28, 12:00 PM\u20132:00 PM"
    )
    assert harness.titles_on(date(2026, 3, 28)) == ["lunch with Sarah"]
    assert harness.speaker.seconds and harness.speaker.seconds[0] > 1.0


def test_speech_after_the_pause_is_heard_with_the_whole_recording(
    qtbot, tmp_path: Path, pipeline: Pipeline
) -> None:
    harness = Harness(qtbot, tmp_path, pipeline)
    harness.start()
    speech = load_audio(FIXTURES / "en_create_lunch.flac")
    # The pause is heard after the first second ("Put lunch…"); the rest is said after it.
    answer = say_with_a_pause(harness, Paused(speech, 16_000, True))
    assert answer.reuse is not None and answer.reuse.verdict == "spoke_again"
    assert answer.turn is not None and answer.turn.timings_ms["asr"] > 0.0
    assert harness.titles_on(date(2026, 3, 28)) == ["lunch with Sarah"]


def test_a_delete_asks_first_and_undo_brings_it_back(
    qtbot, tmp_path: Path, pipeline: Pipeline
) -> None:
    harness = Harness(qtbot, tmp_path, pipeline, ui_language="de")
    seed_dentist(harness.store)
    harness.start()
    harness.say(load_audio(FIXTURES / "en_delete_dentist.flac"))
    window = harness.window
    assert window.state == "waiting"
    assert window.action_label.text().startswith("Termin löschen: Dentist appointment")
    buttons = {button.objectName(): button for button in window.choice_buttons()}
    assert buttons["confirm-0"].text() == "Ja, löschen"
    assert buttons["cancel"].text() == "Nein, behalten"
    assert harness.titles_on(TOMORROW_3PM.date()) == ["Dentist appointment"]
    harness.screenshot("de-confirm")

    harness.click(buttons["confirm-0"])
    assert harness.titles_on(TOMORROW_3PM.date()) == []
    assert "Dentist appointment" not in harness.agenda_titles()
    assert not window.choice_box.isVisible()
    assert window.undo_button.isEnabled()

    harness.click(window.undo_button)
    assert harness.titles_on(TOMORROW_3PM.date()) == ["Dentist appointment"]
    assert "Dentist appointment" in harness.agenda_titles()
    assert window.action_label.text() == "Letzte Änderung rückgängig machen"
    harness.screenshot("de-undone")


def test_several_matches_are_offered_as_choices(qtbot, tmp_path: Path, pipeline: Pipeline) -> None:
    harness = Harness(qtbot, tmp_path, pipeline)
    morning = TOMORROW_3PM.replace(hour=9)
    harness.store.create("Dentist appointment", morning, timedelta(minutes=30))
    seed_dentist(harness.store)
    harness.start()
    harness.say(load_audio(FIXTURES / "en_delete_dentist.flac"))
    buttons = {button.objectName(): button for button in harness.window.choice_buttons()}
    assert sorted(buttons) == ["cancel", "confirm-0", "confirm-1"]
    assert "9:00" in buttons["confirm-0"].text()
    assert "3:00" in buttons["confirm-1"].text()
    harness.screenshot("en-choice")
    harness.click(buttons["confirm-1"])
    remaining = harness.store.occurrences(TOMORROW_3PM.date(), TOMORROW_3PM.date())
    assert [o.start for o in remaining] == [morning]


def test_an_unreadable_calendar_is_explained(qtbot, tmp_path: Path) -> None:
    harness = Harness(qtbot, tmp_path, None, ui_language="de")
    harness.preferences.calendar_path.write_bytes(b"\x00\x01 this is no calendar")
    harness.window.open_calendar()
    qtbot.waitUntil(harness.window.error_banner.isVisible, timeout=10_000)
    assert harness.window.error_banner.text().startswith(
        "Die Kalenderdatei kann nicht verwendet werden:"
    )
    assert "Einstellungen" in harness.window.error_banner.text()


def test_undo_while_a_delete_waits_drops_the_question(
    qtbot, tmp_path: Path, pipeline: Pipeline
) -> None:
    harness = Harness(qtbot, tmp_path, pipeline)
    harness.start()
    harness.say(load_audio(FIXTURES / "en_create_lunch.flac"))
    seed_dentist(harness.store)
    harness.say(load_audio(FIXTURES / "en_delete_dentist.flac"))
    window = harness.window
    assert window.state == "waiting" and window.choice_box.isVisible()
    harness.click(window.undo_button)
    assert harness.titles_on(date(2026, 3, 28)) == []
    assert harness.titles_on(TOMORROW_3PM.date()) == ["Dentist appointment"]
    assert not window.choice_box.isVisible()
    assert window.state == "ready"
    harness.say(spoken(pipeline, "Yes."))
    assert harness.titles_on(TOMORROW_3PM.date()) == ["Dentist appointment"]


def test_closing_during_a_request_drops_the_late_reply(
    qtbot, tmp_path: Path, pipeline: Pipeline
) -> None:
    harness = Harness(qtbot, tmp_path, pipeline)
    harness.start()
    window = harness.window
    harness.recordings.append(load_audio(FIXTURES / "en_create_lunch.flac"))
    qtbot.mouseClick(window.talk_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.talk_button, Qt.MouseButton.LeftButton)
    window.close()
    window.audio_lane.wait(30_000)
    window.assistant_lane.wait(30_000)
    qtbot.wait(300)
    assert harness.speaker.seconds == []
    assert window.reply_label.text() != "" and "lunch" not in window.reply_label.text()


def test_a_calendar_that_cannot_be_opened_is_explained_and_nothing_is_done(
    qtbot, tmp_path: Path, pipeline: Pipeline
) -> None:
    harness = Harness(qtbot, tmp_path, pipeline, ui_language="de")
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("x")
    window = harness.window
    window.preferences = Preferences(calendar_path=blocked / "calendar.ics", ui_language="de")
    harness.start()
    assert window.error_banner.text().startswith("Die Kalenderdatei kann nicht verwendet")
    assert window.agenda.entries() == []
    harness.recordings.append(load_audio(FIXTURES / "en_create_lunch.flac"))
    qtbot.mouseClick(window.talk_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.talk_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.state == "ready" and window.error_banner.isVisible())
    assert window.error_banner.text().startswith("Der Kalender ist nicht geöffnet")
    assert harness.speaker.seconds == []


@pytest.mark.parametrize(
    ("ui_language", "reply", "banner"),
    [
        ("en", "I did not hear anything.", "Only silence was recorded."),
        ("de", "Ich habe nichts gehört.", "Es wurde nur Stille aufgenommen."),
    ],
)
def test_a_recording_without_speech_is_answered_as_such_and_changes_nothing(
    qtbot, tmp_path: Path, pipeline: Pipeline, ui_language: str, reply: str, banner: str
) -> None:
    harness = Harness(qtbot, tmp_path, pipeline, ui_language=ui_language)
    seed_dentist(harness.store)
    harness.start()
    window = harness.window
    before = harness.preferences.calendar_path.read_bytes()

    def say_nothing(samples: np.ndarray, expected_reply: str) -> None:
        harness.say(samples.astype(np.float32))
        assert window.reply_label.text().startswith(expected_reply)
        assert window.error_banner.isVisible() and window.error_banner.text().startswith(banner)
        assert window.action_label.text() == ""
        assert harness.speaker.seconds[-1] > 0.5
        assert harness.preferences.calendar_path.read_bytes() == before

    # Before any request, in the window's language.
    say_nothing(np.zeros(3 * 16_000), reply)
    assert window.state == "ready"
    # After one, in the language of that request; and what waits for an answer keeps waiting.
    harness.say(load_audio(FIXTURES / "en_delete_dentist.flac"))
    assert window.state == "waiting"
    say_nothing(np.random.default_rng(7).normal(0, 0.2, 48_000), "I did not hear anything.")
    assert window.state == "waiting" and window.choice_box.isVisible()
    harness.say(spoken(pipeline, "Yes."))
    assert harness.titles_on(TOMORROW_3PM.date()) == []


def test_no_on_the_button_keeps_the_event(qtbot, tmp_path: Path, pipeline: Pipeline) -> None:
    harness = Harness(qtbot, tmp_path, pipeline)
    seed_dentist(harness.store)
    harness.start()
    harness.say(load_audio(FIXTURES / "en_delete_dentist.flac"))
    cancel = next(b for b in harness.window.choice_buttons() if b.objectName() == "cancel")
    harness.click(cancel)
    assert harness.titles_on(TOMORROW_3PM.date()) == ["Dentist appointment"]
    assert harness.window.state == "ready"


def test_a_spoken_yes_confirms_the_delete(qtbot, tmp_path: Path, pipeline: Pipeline) -> None:
    harness = Harness(qtbot, tmp_path, pipeline)
    seed_dentist(harness.store)
    harness.start()
    harness.say(load_audio(FIXTURES / "en_delete_dentist.flac"))
    assert harness.window.state == "waiting"
    harness.say(spoken(pipeline, "Yes."))
    assert harness.window.transcript_label.text().strip(" .!").lower() == "yes"
    assert harness.titles_on(TOMORROW_3PM.date()) == []
    assert harness.window.state == "ready"


def test_a_follow_up_answer_continues_the_same_request(
    qtbot, tmp_path: Path, pipeline: Pipeline
) -> None:
    harness = Harness(qtbot, tmp_path, pipeline)
    harness.start()
    harness.say(spoken(pipeline, "Put the dentist in my calendar."))
    window = harness.window
    assert window.state == "waiting", window.reply_label.text()
    assert "date" in window.action_label.text()
    question = window.reply_label.text()
    assert [b.objectName() for b in window.choice_buttons()] == ["cancel"]
    harness.screenshot("en-question")
    harness.say(spoken(pipeline, "Tomorrow at three pm."))
    assert window.reply_label.text() != question
    assert harness.titles_on(TOMORROW_3PM.date()) == ["Dentist"]
    assert window.action_label.text() == (
        "Create appointment: Dentist, Friday, March 27, 3:00 PM\u20134:00 PM"
    )
    assert not window.choice_box.isVisible()
    assert window.state == "ready"


def test_the_agenda_follows_changes_other_programs_make(
    qtbot, tmp_path: Path, pipeline: Pipeline
) -> None:
    harness = Harness(qtbot, tmp_path, pipeline)
    harness.start()
    assert "Choir" not in harness.agenda_titles()
    other_program = CalendarStore(harness.preferences.calendar_path, zone=BERLIN)
    other_program.create("Choir", datetime(2026, 3, 29, 18, 0, tzinfo=BERLIN), timedelta(hours=2))
    qtbot.waitUntil(lambda: "Choir" in harness.agenda_titles(), timeout=10_000)


def test_the_window_is_usable_while_the_models_load(qtbot, tmp_path: Path) -> None:
    release = threading.Event()

    def slow_loader(_preferences: Preferences, report: Callable[[str], None]) -> Pipeline:
        report("recognition")
        release.wait(30)
        raise ModelStoreError("models/manifest.json is missing")

    harness = Harness(qtbot, tmp_path, None, loader=slow_loader)
    seed_dentist(harness.store)
    harness.window.start()
    window = harness.window
    qtbot.waitUntil(lambda: "Dentist appointment" in harness.agenda_titles(), timeout=10_000)
    qtbot.waitUntil(lambda: window.state_label.text() == "Loading speech recognition…")
    assert not window.talk_button.isEnabled()
    assert window.settings_button.isEnabled()
    assert window.busy.isVisible()
    harness.screenshot("en-loading")
    release.set()
    qtbot.waitUntil(window.error_banner.isVisible, timeout=10_000)
    assert "models/manifest.json is missing" in window.error_banner.text()
    assert "./scripts/run" in window.error_banner.text()
    assert "Traceback" not in window.error_banner.text()
    assert window.state == "unavailable"
    assert not window.talk_button.isEnabled()


def test_the_window_is_ready_only_once_the_calendar_is_open(
    qtbot, tmp_path: Path, pipeline: Pipeline
) -> None:
    """Models that load before the calendar opens (a slow disk or server) must not offer a
    request that would find no calendar."""
    harness = Harness(qtbot, tmp_path, pipeline, ui_language="de")
    window = harness.window
    opening_may_go_on = threading.Event()
    window.assistant_lane.submit(lambda _report: opening_may_go_on.wait(30), _drop, _drop)
    window.start()
    qtbot.waitUntil(lambda: window.pipeline is not None, timeout=ANSWER_TIMEOUT_MS)
    assert window.state == "loading"
    assert window.state_label.text() == "Öffne den Kalender …"
    assert not window.talk_button.isEnabled()
    assert not window.request_field.isEnabled()
    opening_may_go_on.set()
    qtbot.waitUntil(lambda: window.state == "ready", timeout=10_000)
    assert window.request_field.isEnabled()
    type_request(harness, "Trag mir morgen um drei den Friseur ein, eine Stunde.")
    assert harness.titles_on(date(2026, 3, 27)) == ["Friseur"]
    assert not window.error_banner.isVisible()


def test_a_calendar_that_cannot_be_opened_leaves_the_window_ready_with_the_reason(
    qtbot, tmp_path: Path, pipeline: Pipeline
) -> None:
    harness = Harness(qtbot, tmp_path, pipeline)
    window = harness.window
    harness.preferences.calendar_path.write_bytes(b"this is not a calendar\n")
    window.start()
    qtbot.waitUntil(window.error_banner.isVisible, timeout=ANSWER_TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.state == "ready", timeout=ANSWER_TIMEOUT_MS)
    assert "Settings" in window.error_banner.text()
    assert harness.agenda_titles() == []


def _drop(_result: object) -> None:
    pass


def test_a_missing_microphone_is_explained_in_the_window(
    qtbot, tmp_path: Path, pipeline: Pipeline
) -> None:
    class NoMicrophone:
        def start(self) -> None:
            raise NoInputDeviceError("no microphone found: connect one and try again")

        def stop(self) -> Recording:
            raise AssertionError("never started")

    harness = Harness(
        qtbot, tmp_path, pipeline, ui_language="de", microphone=lambda _s, _l, _e: NoMicrophone()
    )
    harness.start()
    qtbot.mouseClick(harness.window.talk_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(harness.window.talk_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(harness.window.error_banner.isVisible, timeout=10_000)
    harness.window.audio_lane.wait(10_000)
    qtbot.wait(200)
    assert harness.window.error_banner.text() == (
        "Es ließ sich kein Mikrofon öffnen. Schließen Sie eines an oder wählen Sie in den"
        " Einstellungen ein anderes."
    )
    qtbot.waitUntil(lambda: harness.window.state == "ready")
    harness.screenshot("de-no-microphone")


def test_new_settings_change_the_window_and_are_kept(
    qtbot, tmp_path: Path, pipeline: Pipeline
) -> None:
    harness = Harness(qtbot, tmp_path, pipeline)
    harness.start()
    window = harness.window
    assert window.state_label.text() == "Ready: press the button or Space and speak"
    other = tmp_path / "work.ics"
    CalendarStore(other, zone=BERLIN).create(
        "Standup", datetime(2026, 3, 26, 11, 0, tzinfo=BERLIN), timedelta(minutes=15)
    )
    changed = Preferences(
        calendar_path=other, ui_language="de", speak_replies=False, recognition_language="en"
    )
    window.apply_preferences(changed)
    # Creating work.ics beside the first calendar also refreshes that one: wait for the new.
    qtbot.waitUntil(
        lambda: harness.agenda_titles() == ["Standup", *["Nichts geplant"] * 6], timeout=10_000
    )
    assert window.state_label.text() == "Bereit: Knopf oder Leertaste drücken und sprechen"
    assert window.talk_button.text() == "\u25cf  Zum Sprechen drücken"
    assert load_preferences(harness.settings) == changed
    harness.screenshot("de-ready")


def silent(reason: str) -> Recording:
    return Recording(np.zeros(16_000, dtype=np.float32), "stand-in", 16_000, reason, False, 0.0)


@pytest.mark.parametrize(
    ("error", "english_start", "german_start"),
    [
        (
            NoInputDeviceError("no microphone found"),
            "No microphone could be opened.",
            "Es ließ sich kein Mikrofon öffnen.",
        ),
        (
            DeviceVanishedError("gone"),
            "The microphone stopped delivering sound.",
            "Das Mikrofon liefert keinen Ton mehr.",
        ),
        (
            ClippingError("loud", silent("stopped")),
            "The recording is distorted.",
            "Die Aufnahme ist übersteuert.",
        ),
        (
            RuntimeError("PortAudio is missing"),
            "PortAudio is missing. Check the microphone in Settings",
            "Ein unerwarteter Fehler ist aufgetreten (RuntimeError: PortAudio is missing). Prüfen"
            " Sie das Mikrofon in den Einstellungen",
        ),
    ],
)
def test_microphone_problems_are_explained_in_the_windows_language(
    qtbot, tmp_path: Path, error: Exception, english_start: str, german_start: str
) -> None:
    def failing(_settings: MicrophoneSettings, _on_level: object, _on_speech_end: object) -> object:
        raise error

    harness = Harness(qtbot, tmp_path, None, microphone=failing)
    window = harness.window
    window.pipeline = object()  # type: ignore[assignment]  # ready without loading models
    for language, expected in (("en", english_start), ("de", german_start)):
        window.apply_preferences(
            Preferences(calendar_path=window.preferences.calendar_path, ui_language=language)
        )
        window._set_state("ready")
        qtbot.mouseClick(window.talk_button, Qt.MouseButton.LeftButton)
        assert window.error_banner.text().startswith(expected)
        assert window.state == "ready"


def test_a_refresh_of_the_previous_calendar_does_not_overwrite_the_chosen_one(
    qtbot, tmp_path: Path, pipeline: Pipeline
) -> None:
    harness = Harness(qtbot, tmp_path, pipeline)
    harness.start()
    window = harness.window
    harness.store.create(
        "Old calendar", datetime(2026, 3, 26, 9, 0, tzinfo=BERLIN), timedelta(minutes=30)
    )
    other = tmp_path / "other" / "work.ics"
    other.parent.mkdir()
    CalendarStore(other, zone=BERLIN).create(
        "Standup", datetime(2026, 3, 26, 11, 0, tzinfo=BERLIN), timedelta(minutes=15)
    )
    window.apply_preferences(replace(window.preferences, calendar_path=other))
    window.refresh_agenda()  # queued behind the opening, still for the old calendar
    window.assistant_lane.wait(10_000)
    qtbot.wait(200)
    assert harness.agenda_titles() == ["Standup", *["Nothing planned"] * 6]


def type_request(harness: Harness, text: str) -> None:
    """Type a request into the window's field and press Enter; wait for the reply."""
    window = harness.window
    harness.qtbot.keyClicks(window.request_field, text)
    with harness.qtbot.waitSignal(window.answered, timeout=ANSWER_TIMEOUT_MS):
        harness.qtbot.keyClick(window.request_field, Qt.Key.Key_Return)
    harness.settle()


def test_a_typed_request_works_like_a_spoken_one(qtbot, tmp_path: Path, pipeline: Pipeline) -> None:
    harness = Harness(qtbot, tmp_path, pipeline)
    harness.start()
    window = harness.window
    type_request(harness, "Put lunch with Sarah on my calendar on Saturday at noon for two hours.")
    assert window.transcript_caption.text() == "You wrote"
    assert harness.titles_on(date(2026, 3, 28)) == ["lunch with Sarah"]
    assert "lunch with Sarah" in window.reply_label.text()
    assert "lunch with Sarah" in harness.agenda_titles()
    assert window.request_field.text() == ""
    assert harness.speaker.seconds  # the reply is spoken as for a spoken request
    assert harness.recordings == []  # the microphone was never opened


def test_typing_a_space_does_not_start_listening(qtbot, tmp_path: Path, pipeline: Pipeline) -> None:
    harness = Harness(qtbot, tmp_path, pipeline)
    harness.start()
    harness.window.request_field.setFocus()
    qtbot.keyClicks(harness.window.request_field, "was steht morgen an")
    assert harness.window.state == "ready"
    assert harness.window.request_field.text() == "was steht morgen an"


def test_a_typed_answer_continues_a_spoken_question_in_german(
    qtbot, tmp_path: Path, pipeline: Pipeline
) -> None:
    harness = Harness(qtbot, tmp_path, pipeline, ui_language="de")
    harness.start()
    type_request(harness, "Trag mir einen Termin beim Friseur ein.")
    assert harness.window.state == "waiting"
    type_request(harness, "Morgen um drei")
    assert harness.window.transcript_caption.text() == "Sie schrieben"
    assert harness.titles_on(date(2026, 3, 27)) == ["Friseur"]


def test_no_loudspeaker_is_said_in_the_windows_language(
    qtbot, tmp_path: Path, pipeline: Pipeline
) -> None:
    """What `play` raises where PortAudio has no output device ("Error querying device -1"):
    the German window says so in German, and the request itself is done."""

    def no_loudspeaker(chunks: Iterable[AudioChunk]) -> None:
        next(iter(chunks))
        raise NoSpeakerError("no sound output device could be used (Error querying device -1)")

    harness = Harness(qtbot, tmp_path, pipeline, ui_language="de", speaker=no_loudspeaker)
    harness.start()
    type_request(harness, "Trag morgen um 15 Uhr den Friseur ein")
    window = harness.window
    qtbot.waitUntil(window.error_banner.isVisible, timeout=10_000)
    assert window.error_banner.text().startswith(
        "Die Antwort konnte nicht gesprochen werden: Es ließen sich weder Lautsprecher"
    )
    assert "Error" not in window.error_banner.text()
    assert harness.titles_on(date(2026, 3, 27)) == ["Friseur"]
