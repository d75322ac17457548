"""The main window: push to talk, what was heard and understood, the reply, the agenda, and
the reminders that come due while it runs.

Everything slow runs on three lanes (one worker thread each): `models` loads the pipeline,
`assistant` owns the dialog and the calendar (recognition, understanding, calendar edits and
agenda reads, one after another), `audio` opens and closes the microphone and plays replies.
When the speaker pauses while still holding the button, recognition and understanding start
on the assistant lane; the release reuses them when only silence came after
(`app.early_start`).
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from PySide6.QtCore import QFileSystemWatcher, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from app.dialog import Dialog, Outcome, Pending, PendingChoice
from app.dialog.replies import replies_for
from app.early_start import EarlyStarts, Reuse, respond_at_release, start_early
from app.gui.agenda import AgendaView, agenda_days
from app.gui.describe import describe_call, reminder_notice
from app.gui.preferences import Preferences, save_preferences
from app.gui.text import UiText, ui_language
from app.gui.workers import Lane, Report, as_sentence, message_for
from app.limits import MAX_UTTERANCE_CHARS
from app.pipeline import Pipeline, Turn, load_pipeline
from app.reminders import DAYS_AHEAD, DueReminder, ReminderWatch
from app.speech.microphone import (
    ClippingError,
    DeviceVanishedError,
    Level,
    Microphone,
    MicrophoneSettings,
    NoInputDeviceError,
    Recording,
    SpeechEnd,
)
from app.speech.tts import AudioChunk, NoSpeakerError, Synthesizer, play
from calendar_backend import CalendarError, Occurrence, local_zone
from calendar_backend.errors import CalendarServerError
from calendar_backend.location import is_caldav_url
from calendar_backend.opening import open_calendar as open_store

_log = logging.getLogger(__name__)

LEVEL_FLOOR_DBFS = -60.0
CLOSE_WAIT_MS = 15_000
"""How long closing waits for a calendar edit in progress."""
SERVER_REFRESH_MS = 120_000
"""How often the agenda of a server calendar is asked again (other clients' changes)."""
REMINDER_CHECK_MS = 20_000
"""How often the window looks for reminders that came due."""
TRAY_MESSAGE_MS = 30_000
TALK_BUTTON_HEIGHT = 110
SHORT_TALK_BUTTON_HEIGHT = 64
SHORT_WINDOW_HEIGHT = 700

STYLE = """
QPushButton#talk { background: #2563eb; color: white; border: none; border-radius: 14px;
                   padding: 14px; }
QPushButton#talk:hover { background: #1d4ed8; }
QPushButton#talk:disabled { background: #9ca3af; color: #f3f4f6; }
QPushButton#talk[listening="true"] { background: #dc2626; }
QPushButton#talk[listening="true"]:hover { background: #b91c1c; }
QProgressBar#level { border: none; background: palette(midlight); border-radius: 3px; }
QProgressBar#level::chunk { background: #16a34a; border-radius: 3px; }
QLabel#error { background: #fdecea; color: #611a15; border: 1px solid #f5c2c0;
               border-radius: 6px; padding: 8px; }
QFrame#reminder { background: #e8f0fe; border: 1px solid #aac4f6; border-radius: 6px; }
QLabel#reminder-text { color: #0b2a66; font-weight: bold; }
QGroupBox#exchange { font-weight: bold; }
QLabel#transcript, QLabel#action, QLabel#reply { font-weight: normal; }
QFrame#choices { background: #fff7e6; border: 1px solid #f5d08a; border-radius: 6px; }
QTreeWidget#agenda { border: 1px solid palette(mid); border-radius: 6px;
                     background: palette(base); }
QTreeWidget#agenda::item { padding: 3px 4px; }
"""


class MicrophoneLike(Protocol):
    def start(self) -> None: ...

    def stop(self) -> Recording: ...


MicrophoneFactory = Callable[
    [MicrophoneSettings, Callable[[Level], None], Callable[[SpeechEnd], None]], MicrophoneLike
]
"""Makes a microphone that reports levels and, in push-to-talk, each end of speech."""
Player = Callable[[Iterable[AudioChunk]], None]


def _real_microphone(
    settings: MicrophoneSettings,
    on_level: Callable[[Level], None],
    on_speech_end: Callable[[SpeechEnd], None],
) -> Microphone:
    return Microphone(settings, on_level, on_speech_end)


def _load(preferences: Preferences, report: Report) -> Pipeline:
    return load_pipeline(voice_files=preferences.voice_files(), on_stage=report)


@dataclass
class Services:
    """What the window takes from outside; tests swap the microphone and the speaker."""

    load_pipeline: Callable[[Preferences, Report], Pipeline] = _load
    microphone: MicrophoneFactory = _real_microphone
    player: Player = play
    zone: ZoneInfo = field(default_factory=local_zone)
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    system_locale: str = "en_US"


@dataclass(frozen=True)
class CalendarView:
    """The calendar and the dialog after a piece of work, read on the assistant lane."""

    today: date
    occurrences: tuple[Occurrence, ...]
    """The agenda's days, and beyond them as far ahead as a reminder may come due."""
    can_undo: bool
    pending: str | None = None
    """"delete" or "move" while one waits for a yes or a choice, "input" while a question
    waits."""
    candidates: tuple[Occurrence, ...] = ()
    """The events a pending delete would remove (one of them)."""


def _pending_kind(pending: Pending | None) -> str | None:
    if isinstance(pending, PendingChoice):
        return "move" if pending.call.function == "move_event" else "delete"
    return "input" if pending else None


def read_view(dialog: Dialog, today: date) -> CalendarView:
    """Runs on the assistant lane: the only place the dialog and its calendar are read."""
    first, last = agenda_days(today)
    last = max(last, today + timedelta(days=DAYS_AHEAD))
    pending = dialog.pending
    return CalendarView(
        today,
        tuple(dialog.store.occurrences(first, last)),
        dialog.can_undo(),
        _pending_kind(pending),
        pending.candidates if isinstance(pending, PendingChoice) else (),
    )


@dataclass(frozen=True)
class Answer:
    """An outcome to show (and speak), with the calendar after it. When the calendar could
    not be read afterwards, `view` is None and `view_error` says why."""

    outcome: Outcome
    view: CalendarView | None
    turn: Turn | None = None
    view_error: BaseException | None = None
    action: str | None = None
    """What was done in plain words, when it was no call (undo)."""
    typed: bool = False
    """The request was typed, not said."""
    reuse: Reuse | None = None
    """A spoken request: what became of the recognition and understanding started before
    the release."""
    released_at: float | None = None
    """A spoken request: `time.perf_counter()` when the button was released."""
    speech_end_at: float | None = None
    """When the early start that was reused began (the end of speech was heard)."""


def _unless_closing(slot: Callable[..., None]) -> Callable[..., None]:
    """Results that arrive after the window was closed are dropped."""

    @functools.wraps(slot)
    def guarded(window: MainWindow, *arguments: Any) -> None:
        if not window.closing:
            slot(window, *arguments)

    return guarded


class _LevelRelay(QObject):
    """Carries the microphone's levels from the audio thread to the window."""

    level = Signal(float)


class _SpeechEndRelay(QObject):
    """Carries the microphone's ends of speech (with the recording's number) from the audio
    thread to the window."""

    ended = Signal(int, object)


class MainWindow(QMainWindow):
    """`start()` after showing it: models load in the background; the agenda comes first."""

    state_changed = Signal(str)
    answered = Signal(object)
    agenda_refreshed = Signal()
    reminded = Signal(object)
    """The reminders (a list of DueReminder) just shown."""

    def __init__(
        self,
        preferences: Preferences,
        settings: QSettings,
        services: Services | None = None,
    ) -> None:
        super().__init__()
        self.preferences = preferences
        self.settings = settings
        self.services = services or Services()
        self.text = UiText(ui_language(preferences.ui_language, self.services.system_locale))
        self.pipeline: Pipeline | None = None
        self.dialog: Dialog | None = None
        self.state = "loading"
        self.models_lane = Lane("models")
        self.assistant_lane = Lane("assistant")
        self.audio_lane = Lane("audio")
        self.closing = False
        self._microphone: MicrophoneLike | None = None
        self._attempt = 0
        """Counts recordings, so that a late failure of an old one is not shown."""
        self._failed_attempts: set[int] = set()
        self._last_language = self.text.language
        self._last_view: CalendarView | None = None
        self.load_stage = ""
        self._calendar_openings = 0
        """Openings submitted and not yet finished. While one runs and no calendar is open, a
        request would find none, so the window is not ready yet."""
        self._logged_state = ""
        self._level_relay = _LevelRelay()
        self._level_relay.level.connect(self._show_level)
        self._speech_end_relay = _SpeechEndRelay()
        self._speech_end_relay.ended.connect(self._speech_ended)
        self._early_starts = EarlyStarts()
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._calendar_touched)
        self._watcher.directoryChanged.connect(self._calendar_touched)
        self._agenda_timer = QTimer(self)
        self._agenda_timer.setSingleShot(True)
        self._agenda_timer.setInterval(250)
        self._agenda_timer.timeout.connect(self.refresh_agenda)
        self._day_timer = QTimer(self)
        self._day_timer.setInterval(60_000)
        self._day_timer.timeout.connect(self._check_new_day)
        self._server_timer = QTimer(self)
        self._server_timer.setInterval(SERVER_REFRESH_MS)
        self._server_timer.timeout.connect(self.refresh_agenda)
        self._view_read_at: datetime | None = None
        self._shown_day: date | None = None
        self._answered_once = False
        self.reminders = ReminderWatch(self.services.zone)
        self.reminder_timer = QTimer(self)
        self.reminder_timer.setInterval(REMINDER_CHECK_MS)
        self.reminder_timer.timeout.connect(self.check_reminders)
        self._reminders_checked_at: datetime | None = None
        self._reminders_shown: list[str] = []
        self._reminders_to_say: list[str] = []
        self._tray: QSystemTrayIcon | None = None
        self._build()
        self._retranslate()
        self._set_state("loading")

    # --- layout ----------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        # On a short window the big button gives the conversation room to read a question.
        short = event.size().height() < SHORT_WINDOW_HEIGHT
        self.talk_button.setMinimumHeight(SHORT_TALK_BUTTON_HEIGHT if short else TALK_BUTTON_HEIGHT)
        super().resizeEvent(event)

    def _build(self) -> None:
        self.setMinimumSize(800, 560)
        central = QWidget()
        columns = QHBoxLayout(central)
        columns.setContentsMargins(18, 18, 18, 18)
        columns.setSpacing(18)

        conversation = QVBoxLayout()
        conversation.setSpacing(12)
        status_row = QHBoxLayout()
        self.state_label = QLabel()
        self.state_label.setObjectName("state")
        state_font = QFont(self.font())
        state_font.setPointSizeF(state_font.pointSizeF() * 1.15)
        self.state_label.setFont(state_font)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(140)
        self.busy.setTextVisible(False)
        status_row.addWidget(self.state_label, 1)
        status_row.addWidget(self.busy)
        conversation.addLayout(status_row)

        self.error_banner = QLabel()
        self.error_banner.setObjectName("error")
        self.error_banner.setWordWrap(True)
        self.error_banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_banner.hide()
        conversation.addWidget(self.error_banner)

        self.reminder_box = QFrame()
        self.reminder_box.setObjectName("reminder")
        reminder_row = QHBoxLayout(self.reminder_box)
        self.reminder_label = QLabel()
        self.reminder_label.setObjectName("reminder-text")
        self.reminder_label.setWordWrap(True)
        self.reminder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.dismiss_button = QPushButton()
        self.dismiss_button.setObjectName("dismiss-reminders")
        self.dismiss_button.clicked.connect(self.dismiss_reminders)
        reminder_row.addWidget(self.reminder_label, 1)
        reminder_row.addWidget(self.dismiss_button)
        self.reminder_box.hide()
        conversation.addWidget(self.reminder_box)

        self.talk_button = QPushButton()
        self.talk_button.setObjectName("talk")
        self.talk_button.setMinimumHeight(TALK_BUTTON_HEIGHT)
        self.talk_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        talk_font = QFont(self.font())
        talk_font.setPointSizeF(talk_font.pointSizeF() * 1.6)
        talk_font.setBold(True)
        self.talk_button.setFont(talk_font)
        self.talk_button.clicked.connect(self.toggle_listening)
        conversation.addWidget(self.talk_button)
        self.talk_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Space), self)
        self.talk_shortcut.activated.connect(self.toggle_listening)

        self.level_meter = QProgressBar()
        self.level_meter.setObjectName("level")
        self.level_meter.setRange(0, 100)
        self.level_meter.setTextVisible(False)
        self.level_meter.setFixedHeight(6)
        conversation.addWidget(self.level_meter)

        typing = QHBoxLayout()
        self.request_field = QLineEdit()
        self.request_field.setObjectName("typed-request")
        self.request_field.setMaxLength(MAX_UTTERANCE_CHARS)
        self.request_field.returnPressed.connect(self.send_typed)
        self.send_button = QPushButton()
        self.send_button.setObjectName("send")
        self.send_button.clicked.connect(self.send_typed)
        typing.addWidget(self.request_field, 1)
        typing.addWidget(self.send_button)
        conversation.addLayout(typing)

        self.exchange = QGroupBox()
        self.exchange.setObjectName("exchange")
        form = QFormLayout(self.exchange)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.transcript_label = _value_label("transcript")
        self.action_label = _value_label("action")
        self.reply_label = _value_label("reply")
        reply_font = QFont(self.font())
        reply_font.setPointSizeF(reply_font.pointSizeF() * 1.25)
        self.reply_label.setFont(reply_font)
        self.transcript_caption = QLabel()
        self.action_caption = QLabel()
        self.reply_caption = QLabel()
        for caption in (self.transcript_caption, self.action_caption, self.reply_caption):
            caption.setStyleSheet("color: palette(placeholder-text);")
        form.addRow(self.transcript_caption, self.transcript_label)
        form.addRow(self.action_caption, self.action_label)
        form.addRow(self.reply_caption, self.reply_label)
        # A long question or transcript scrolls inside the conversation instead of squeezing
        # what is below it; the choice buttons stay outside it, always whole and visible.
        self.exchange_scroll = QScrollArea()
        self.exchange_scroll.setObjectName("exchange-scroll")
        self.exchange_scroll.setWidgetResizable(True)
        self.exchange_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.exchange_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.exchange_scroll.setWidget(self.exchange)
        conversation.addWidget(self.exchange_scroll, 1)
        self.choice_box = QFrame()
        self.choice_box.setObjectName("choices")
        self.choice_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.choice_layout = QVBoxLayout(self.choice_box)
        self.choice_box.hide()
        conversation.addWidget(self.choice_box)

        actions = QHBoxLayout()
        self.undo_button = QPushButton()
        self.undo_button.setObjectName("undo")
        self.undo_button.setEnabled(False)
        self.undo_button.clicked.connect(self.undo)
        self.settings_button = QPushButton()
        self.settings_button.setObjectName("settings")
        self.settings_button.clicked.connect(self.open_settings)
        actions.addWidget(self.undo_button)
        actions.addStretch(1)
        actions.addWidget(self.settings_button)
        conversation.addLayout(actions)

        agenda_column = QVBoxLayout()
        self.agenda_title = QLabel()
        title_font = QFont(self.font())
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.15)
        self.agenda_title.setFont(title_font)
        self.agenda_file = QLabel()
        self.agenda_file.setStyleSheet("color: palette(placeholder-text);")
        self.agenda_file.setWordWrap(True)
        self.agenda_stale = QLabel()
        self.agenda_stale.setObjectName("agenda-stale")
        self.agenda_stale.setWordWrap(True)
        self.agenda_stale.hide()
        self.agenda = AgendaView()
        self.agenda.setMinimumWidth(320)
        agenda_column.addWidget(self.agenda_title)
        agenda_column.addWidget(self.agenda)
        agenda_column.addWidget(self.agenda_stale)
        agenda_column.addWidget(self.agenda_file)

        columns.addLayout(conversation, 3)
        columns.addLayout(agenda_column, 2)
        self.setCentralWidget(central)
        self.setStyleSheet(STYLE)

    def _retranslate(self) -> None:
        text = self.text
        self.setWindowTitle(text("Voice Calendar"))
        self.exchange.setTitle(text("Conversation"))
        self.transcript_caption.setText(text("You said"))
        self.action_caption.setText(text("Understood"))
        self.reply_caption.setText(text("Reply"))
        self.undo_button.setText(text("Undo last change"))
        self.settings_button.setText(text("Settings…"))
        self.request_field.setPlaceholderText(text("Or type a request and press Enter"))
        self.send_button.setText(text("Send"))
        self.reminder_box.setAccessibleName(text("Reminders"))
        self.dismiss_button.setText(text("Dismiss"))
        self.agenda_title.setText(text("Agenda"))
        self.agenda_file.setText(self.preferences.calendar_location)
        if not self._answered_once:
            self.reply_label.setText(
                text(
                    "Say, for example: \u201cWhat's on my calendar tomorrow?\u201d or"
                    " \u201cTrag mir Freitag um halb drei den Zahnarzt ein.\u201d"
                )
            )
        self._set_state(self.state)
        if self._last_view is not None:
            self.agenda.show_days(self._last_view.occurrences, self._last_view.today, text)
            self._offer_choices(self._last_view)

    # --- start and stop --------------------------------------------------------------------

    def start(self) -> None:
        """Open the calendar and show the agenda; load the models meanwhile."""
        self.open_calendar()
        self.models_lane.submit(
            lambda report: self.services.load_pipeline(self.preferences, report),
            self._models_loaded,
            self._models_failed,
            self._loading_stage,
        )
        self._day_timer.start()
        self._reminders_checked_at = self.services.clock()
        self.reminder_timer.start()

    def open_calendar(self) -> None:
        """Open the calendar of the preferences (again); the dialog changes only once the new
        calendar could be opened, on the GUI thread. A file is watched for other programs'
        changes; a server is asked again every few minutes."""
        location = self.preferences.calendar_location
        zone, clock = self.services.zone, self.services.clock
        language = self.text.language
        try:
            if is_caldav_url(location):
                self._unwatch()
                self._server_timer.start()
            else:
                self._server_timer.stop()
                self._watch(Path(location))
        except OSError as error:
            self._calendar_unusable(error)
            return

        def work(_report: Report) -> tuple[Dialog, CalendarView]:
            # Replies that belong to no request (nothing heard) start in the window's language.
            dialog = Dialog(open_store(location, zone=zone, clock=clock), language=language)
            return dialog, read_view(dialog, self._today())

        def opened(result: tuple[Dialog, CalendarView]) -> None:
            self._calendar_openings -= 1
            self._calendar_opened(result)

        def unusable(error: BaseException) -> None:
            self._calendar_openings -= 1
            self._calendar_unusable(error)

        self._calendar_openings += 1
        self.assistant_lane.submit(work, opened, unusable)
        self._update_idle_state()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        """Stop listening and let a calendar edit in progress finish; results that arrive
        later are dropped (a model still loading ends with the process)."""
        self.closing = True
        self._day_timer.stop()
        self._agenda_timer.stop()
        self._server_timer.stop()
        self.reminder_timer.stop()
        if self._tray is not None:
            self._tray.hide()
        microphone, self._microphone = self._microphone, None
        if microphone is not None:
            self.audio_lane.submit(lambda _report: microphone.stop(), _ignore, _ignore)
        self.assistant_lane.wait(CLOSE_WAIT_MS)
        super().closeEvent(event)

    @_unless_closing
    def _models_loaded(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self._set_state(self._idle_state())

    @_unless_closing
    def _models_failed(self, error: BaseException) -> None:
        self.show_error(
            self.text(
                "The speech and language models could not be loaded: {reason}. Run the set-up"
                " again (./scripts/run) to restore them, then restart the app.",
                reason=message_for(error).rstrip("."),
            )
        )
        self._set_state("unavailable")

    @_unless_closing
    def _loading_stage(self, stage: str) -> None:
        self.load_stage = stage
        self._set_state("loading")

    # --- state line ------------------------------------------------------------------------

    def _set_state(self, state: str) -> None:
        self.state = state
        text = self.text
        stage = "calendar" if self.pipeline is not None else self.load_stage
        lines = {
            "loading": {
                "understanding": text("Loading the language model…"),
                "recognition": text("Loading speech recognition…"),
                "voices": text("Loading the voices…"),
                "calendar": text("Opening the calendar…"),
            }.get(stage, text("Loading models…")),
            "ready": text("Ready: press the button or Space and speak"),
            "listening": text("Listening… press again when you are done"),
            "transcribing": text("Transcribing…"),
            "thinking": text("Thinking…"),
            "speaking": text("Speaking…"),
            "waiting": text("Waiting for your answer: press the button and speak"),
            "unavailable": text("Not ready: see the message above"),
        }
        self.state_label.setText(lines[state])
        described = f"{state} ({stage})" if state == "loading" and stage else state
        if described != self._logged_state:
            _log.info("state: %s", described)
            self._logged_state = described
        self.busy.setVisible(state in ("loading", "transcribing", "thinking", "speaking"))
        listening = state == "listening"
        self.talk_button.setText(
            text("\u25a0  Stop listening") if listening else text("\u25cf  Press to talk")
        )
        if self.talk_button.property("listening") != listening:
            self.talk_button.setProperty("listening", listening)
            self.talk_button.style().unpolish(self.talk_button)
            self.talk_button.style().polish(self.talk_button)
        idle = state in ("ready", "waiting")
        self.talk_button.setEnabled(idle or listening)
        self.request_field.setEnabled(idle)
        self.send_button.setEnabled(idle)
        self.choice_box.setEnabled(idle)
        can_undo = self._last_view is not None and self._last_view.can_undo
        self.undo_button.setEnabled(idle and can_undo)
        self.settings_button.setEnabled(not listening)
        if not listening:
            self.level_meter.setValue(0)
        if idle and self._reminders_to_say:
            QTimer.singleShot(0, self._say_reminders)
        self.state_changed.emit(state)

    def _idle_state(self) -> str:
        if self.pipeline is None:
            return "loading" if self.models_lane.busy else "unavailable"
        if self._waiting_for_a_calendar():
            return "loading"
        pending = self._last_view.pending if self._last_view is not None else None
        return "waiting" if pending else "ready"

    def _waiting_for_a_calendar(self) -> bool:
        return self.dialog is None and self._calendar_openings > 0

    def _update_idle_state(self) -> None:
        """After the calendar or models changed: an idle window's state may have changed with
        them; a window that is listening or working stays as it is."""
        opening_calendar = self.state == "loading" and self.pipeline is not None
        idle = self.state in ("ready", "waiting") or opening_calendar
        self._set_state(self._idle_state() if idle else self.state)

    # --- errors ----------------------------------------------------------------------------

    def show_error(self, message: str) -> None:
        self.error_banner.setText(message)
        self.error_banner.show()

    def clear_error(self) -> None:
        self.error_banner.hide()
        self.error_banner.clear()

    # --- listening -------------------------------------------------------------------------

    def toggle_listening(self) -> None:
        if self.state == "listening":
            self._stop_listening()
        elif self.state in ("ready", "waiting") and self.pipeline is not None:
            self._start_listening()

    def _start_listening(self) -> None:
        self.clear_error()
        self._attempt += 1
        attempt = self._attempt
        settings = MicrophoneSettings(device_name=self.preferences.microphone or None)
        self._early_starts = EarlyStarts()
        relay = self._speech_end_relay

        def relay_speech_end(speech_end: SpeechEnd) -> None:
            relay.ended.emit(attempt, speech_end)

        try:
            microphone = self.services.microphone(settings, self._relay_level, relay_speech_end)
        except Exception as error:  # the factory may fail on a missing audio library
            self._microphone_failed(attempt, error)
            return
        self._microphone = microphone
        self._set_state("listening")
        self.audio_lane.submit(
            lambda _report: microphone.start(),
            _ignore,
            lambda error: self._microphone_failed(attempt, error),
        )

    def _stop_listening(self) -> None:
        microphone, self._microphone = self._microphone, None
        if microphone is None:
            return
        released_at = time.perf_counter()
        attempt, early_starts = self._attempt, self._early_starts
        self._set_state("transcribing")
        self.audio_lane.submit(
            lambda _report: microphone.stop(),
            lambda recording: self._heard(attempt, recording, early_starts, released_at),
            lambda error: self._microphone_failed(attempt, error),
        )

    @_unless_closing
    def _speech_ended(self, attempt: int, speech_end: SpeechEnd) -> None:
        """The speaker paused with the button still held: recognition and understanding start
        on the audio so far, on the assistant lane, so the release's work (queued after it)
        finds them. Nothing is changed until the release."""
        pipeline = self.pipeline
        if attempt != self._attempt or self.state != "listening" or pipeline is None:
            return
        early_starts = self._early_starts
        early_starts.heard(speech_end)
        language = self.preferences.recognition_language
        clock, zone = self.services.clock, self.services.zone

        def work(_report: Report) -> None:
            if early_starts.is_latest(speech_end):  # else a later pause is queued already
                now = clock().astimezone(zone)
                early_starts.finished(start_early(pipeline, speech_end, language, now))

        # A failure is logged by the lane; the release then works on the whole recording.
        self.assistant_lane.submit(work, _ignore, _ignore)

    def _relay_level(self, level: Level) -> None:
        self._level_relay.level.emit(level.rms_dbfs)

    def _show_level(self, rms_dbfs: float) -> None:
        if self.state != "listening":
            return
        share = (max(LEVEL_FLOOR_DBFS, min(0.0, rms_dbfs)) - LEVEL_FLOOR_DBFS) / -LEVEL_FLOOR_DBFS
        self.level_meter.setValue(round(100 * share))

    @_unless_closing
    def _microphone_failed(self, attempt: int, error: BaseException) -> None:
        """Shown once per recording: when starting failed, stopping fails too."""
        if attempt in self._failed_attempts:
            return
        self._failed_attempts.add(attempt)
        if attempt != self._attempt:
            return
        self._microphone = None
        self.show_error(self._microphone_problem(error))
        self._set_state(self._idle_state())

    def _microphone_problem(self, error: BaseException) -> str:
        text = self.text
        if isinstance(error, NoInputDeviceError):
            return text(
                "No microphone could be opened. Connect one, or choose another in Settings."
            )
        if isinstance(error, DeviceVanishedError):
            return text(
                "The microphone stopped delivering sound. Check that it is still connected,"
                " then try again."
            )
        if isinstance(error, ClippingError):
            return text(
                "The recording is distorted. Turn the microphone's input level down in the"
                " system's sound settings."
            )
        return text(
            "{problem}. Check the microphone in Settings and try again.",
            problem=as_sentence(message_for(error).rstrip(".")),
        )

    # --- one request -----------------------------------------------------------------------

    @_unless_closing
    def _heard(
        self, attempt: int, recording: Recording, early_starts: EarlyStarts, released_at: float
    ) -> None:
        if attempt in self._failed_attempts:
            return
        ready = self._pipeline_and_dialog()
        if ready is None:
            self._set_state(self._idle_state())
            return
        pipeline, dialog = ready
        language = self.preferences.recognition_language
        clock, zone = self.services.clock, self.services.zone

        def work(report: Report) -> Answer:
            now = clock().astimezone(zone)
            early = early_starts.result()
            turn, reuse = respond_at_release(
                pipeline, early, recording, language, now, dialog, report
            )
            answer = self._answer_with_view(turn.outcome, dialog, now.date(), turn)
            speech_end_at = early.speech_end.noticed_at if early and reuse.transcript else None
            return dataclasses.replace(
                answer, reuse=reuse, released_at=released_at, speech_end_at=speech_end_at
            )

        self.assistant_lane.submit(work, self._answer, self._request_failed, self._set_state)

    def send_typed(self) -> None:
        """A typed request: the same understanding, dialog and replies as a spoken one (for an
        office, or when the microphone fails)."""
        text = self.request_field.text().strip()
        if not text or self.state not in ("ready", "waiting"):
            return
        ready = self._pipeline_and_dialog()
        if ready is None:
            return
        pipeline, dialog = ready
        self.request_field.clear()
        self.clear_error()
        self._set_state("thinking")
        language = self.preferences.recognition_language
        clock, zone = self.services.clock, self.services.zone

        def work(_report: Report) -> Answer:
            now = clock().astimezone(zone)
            turn = pipeline.respond(text, language, now, dialog)
            answer = self._answer_with_view(turn.outcome, dialog, now.date(), turn)
            return dataclasses.replace(answer, typed=True)

        self.assistant_lane.submit(work, self._answer, self._request_failed)

    def _pipeline_and_dialog(self) -> tuple[Pipeline, Dialog] | None:
        """What a request needs; None (and, without a calendar, a message) when it is not
        there yet."""
        if self.dialog is None:
            self.show_error(
                self.text(
                    "The calendar is not open, so nothing was done. Choose a calendar file"
                    " in Settings."
                )
            )
            return None
        if self.pipeline is None:
            return None
        return self.pipeline, self.dialog

    @staticmethod
    def _answer_with_view(
        outcome: Outcome, dialog: Dialog, today: date, turn: Turn | None = None
    ) -> Answer:
        """Runs on the assistant lane. The outcome is kept even when the calendar cannot be
        read afterwards: what was done must still be shown and said."""
        try:
            return Answer(outcome, read_view(dialog, today), turn)
        except CalendarError as error:
            return Answer(outcome, None, turn, error)

    @_unless_closing
    def _answer(self, answer: Answer) -> None:
        try:
            self._show_answer(answer)
        finally:
            if self.state not in ("speaking", "listening"):
                self._set_state(self._idle_state())

    def _show_answer(self, answer: Answer) -> None:
        outcome = answer.outcome
        self._answered_once = True
        self._last_language = outcome.language
        today = answer.view.today if answer.view is not None else self._today()
        if answer.turn is not None:
            self.transcript_label.setText(answer.turn.text or "…")
            self.transcript_caption.setText(
                self.text("You wrote") if answer.typed else self.text("You said")
            )
        understanding = answer.turn.understanding if answer.turn is not None else None
        call = understanding.call if understanding is not None else outcome.call
        if answer.action is not None:
            self.action_label.setText(answer.action)
        elif call is not None:
            self.action_label.setText(describe_call(call, self.text, today))
        self.reply_label.setText(outcome.message)
        self.exchange_scroll.ensureWidgetVisible(self.reply_label)
        if answer.view is not None:
            self._show_calendar(answer.view)
        elif answer.view_error is not None:
            self._calendar_failed(answer.view_error)
        if outcome.status == "no_speech":
            self.action_label.clear()
            self.show_error(
                self.text(
                    "Only silence was recorded. Is the microphone muted or too far away? Speak"
                    " after pressing the button."
                )
            )
        self.answered.emit(answer)
        self._speak(outcome.message, outcome.language, _latency_note(answer))

    @_unless_closing
    def _request_failed(self, error: BaseException) -> None:
        self.show_error(
            self.text(
                "Something went wrong: {reason}. Please try again.",
                reason=message_for(error).rstrip("."),
            )
        )
        self._set_state(self._idle_state())

    # --- confirmation and undo -------------------------------------------------------------

    def _offer_choices(self, view: CalendarView) -> None:
        """What the dialog waits for: yes or no for one event, a button per event for several,
        and a way out of a question."""
        _clear(self.choice_layout)
        if view.pending is None:
            self.choice_box.hide()
            return
        replies = replies_for(self.text.language)
        answers = QHBoxLayout()
        choosing = view.pending in ("delete", "move")
        if choosing and len(view.candidates) == 1:
            yes = QPushButton(
                self.text("Yes, delete it")
                if view.pending == "delete"
                else self.text("Yes, move it")
            )
            yes.setObjectName("confirm-0")
            yes.clicked.connect(lambda: self.confirm(0))
            answers.addWidget(yes)
        elif choosing:
            for index, occurrence in enumerate(view.candidates):
                button = QPushButton(replies.event(occurrence, view.today))
                button.setObjectName(f"confirm-{index}")
                button.setStyleSheet("text-align: left; padding: 4px 8px;")
                button.clicked.connect(lambda _checked=False, choice=index: self.confirm(choice))
                self.choice_layout.addWidget(button)
        no = QPushButton(self.text("No, keep it") if choosing else self.text("Never mind"))
        no.setObjectName("cancel")
        no.clicked.connect(self.cancel)
        answers.addWidget(no)
        answers.addStretch(1)
        self.choice_layout.addLayout(answers)
        self.choice_box.show()

    def confirm(self, choice: int) -> None:
        self._dialog_action(lambda dialog, now: dialog.confirm(choice, now))

    def cancel(self) -> None:
        self._dialog_action(lambda dialog, _now: dialog.cancel())

    def undo(self) -> None:
        language = self._last_language

        def undo_last(dialog: Dialog, now: datetime) -> Outcome:
            if dialog.pending is not None:
                dialog.cancel()
            return dialog.undo(language, now)

        self._dialog_action(undo_last, self.text("Undo the last change"))

    def _dialog_action(
        self, action: Callable[[Dialog, datetime], Outcome], described: str | None = None
    ) -> None:
        dialog = self.dialog
        if dialog is None or self.state not in ("ready", "waiting"):
            return
        self.clear_error()
        clock, zone = self.services.clock, self.services.zone
        self._set_state("thinking")

        def work(_report: Report) -> Answer:
            now = clock().astimezone(zone)
            answer = self._answer_with_view(action(dialog, now), dialog, now.date())
            return dataclasses.replace(answer, action=described)

        self.assistant_lane.submit(work, self._answer, self._request_failed)

    # --- speaking --------------------------------------------------------------------------

    def _speak(
        self, message: str, language: str, on_first_chunk: Callable[[], None] | None = None
    ) -> None:
        synthesizer = self.pipeline.synthesizer if self.pipeline else None
        if not self.preferences.speak_replies or synthesizer is None or not message:
            return
        self._set_state("speaking")
        player = self.services.player

        def work(_report: Report) -> None:
            chunks = synthesizer.synthesize(message, language)
            player(chunks if on_first_chunk is None else _noting_first(chunks, on_first_chunk))

        self.audio_lane.submit(work, self._spoken, self._speaking_failed)

    @_unless_closing
    def _spoken(self, _result: object) -> None:
        self._set_state(self._idle_state())

    @_unless_closing
    def _speaking_failed(self, error: BaseException) -> None:
        if isinstance(error, NoSpeakerError):
            problem = self.text(
                "The reply could not be spoken: no loudspeaker or headphones could be used."
                " Connect them, choose another output in Settings, or turn spoken replies off."
            )
        else:
            problem = self.text(
                "The reply could not be spoken: {reason}. Check the voice and the speakers in"
                " Settings, or turn spoken replies off.",
                reason=message_for(error).rstrip("."),
            )
        self.show_error(problem)
        self._set_state(self._idle_state())

    # --- reminders -------------------------------------------------------------------------

    def check_reminders(self) -> None:
        """Give the reminders that came due since the last check. They are looked for in the
        events the agenda last read (on the assistant lane), so the GUI thread never waits
        for the calendar; until there is a calendar, the next check covers the wait."""
        view, since = self._last_view, self._reminders_checked_at
        if view is None or since is None:
            return
        now = self.services.clock()
        due = self.reminders.came_due(view.occurrences, since, now)
        self._reminders_checked_at = now
        if due:
            self._remind(due, now.astimezone(self.services.zone).date())

    def _remind(self, due: list[DueReminder], today: date) -> None:
        """Shown in the window until dismissed, as a desktop notification where the desktop
        has a tray, and said once the window is not listening or speaking."""
        notices = [reminder_notice(reminder.occurrence, self.text, today) for reminder in due]
        self._reminders_shown += notices
        self.reminder_label.setText("\n".join(self._reminders_shown))
        self.reminder_box.show()
        tray = self._system_tray()
        if tray is not None:
            tray.showMessage(
                self.text("Voice Calendar"),
                "\n".join(notices),
                QSystemTrayIcon.MessageIcon.Information,
                TRAY_MESSAGE_MS,
            )
        QApplication.alert(self)
        self._reminders_to_say += notices
        self._say_reminders()
        self.reminded.emit(due)

    def dismiss_reminders(self) -> None:
        self._reminders_shown.clear()
        self.reminder_label.clear()
        self.reminder_box.hide()

    @_unless_closing
    def _say_reminders(self) -> None:
        """Speak the reminders not said yet, when the window is idle: a reminder never talks
        over the microphone or another reply."""
        if not self._reminders_to_say or self.state not in ("ready", "waiting"):
            return
        message = " ".join(f"{notice}." for notice in self._reminders_to_say)
        self._reminders_to_say.clear()
        self._speak(message, self.text.language)

    def _system_tray(self) -> QSystemTrayIcon | None:
        """The tray icon that carries desktop notifications; None where the desktop has no
        tray (then the notice in the window is all)."""
        if self._tray is None and QSystemTrayIcon.isSystemTrayAvailable():
            self._tray = QSystemTrayIcon(self.windowIcon(), self)
            self._tray.setToolTip(self.text("Voice Calendar"))
            self._tray.messageClicked.connect(self._bring_to_front)
            self._tray.show()
        return self._tray

    def _bring_to_front(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    # --- agenda ----------------------------------------------------------------------------

    def _today(self) -> date:
        return self.services.clock().astimezone(self.services.zone).date()

    def refresh_agenda(self) -> None:
        dialog = self.dialog
        if dialog is None:
            self.open_calendar()
            return

        # A calendar chosen meanwhile (opened on the same lane) must not be overwritten by
        # what was read from the previous one.
        def show(view: CalendarView) -> None:
            if dialog is self.dialog:
                self._show_calendar(view)

        def fail(error: BaseException) -> None:
            if dialog is self.dialog:
                self._calendar_failed(error)

        self.assistant_lane.submit(lambda _report: read_view(dialog, self._today()), show, fail)

    @_unless_closing
    def _calendar_opened(self, opened: tuple[Dialog, CalendarView]) -> None:
        self.dialog, view = opened
        self._show_calendar(view)
        self._update_idle_state()

    @_unless_closing
    def _show_calendar(self, view: CalendarView) -> None:
        self._last_view = view
        self._view_read_at = self.services.clock()
        self.agenda_stale.hide()
        self._shown_day = view.today
        self.agenda.show_days(view.occurrences, view.today, self.text)
        self._offer_choices(view)
        self._set_state(self.state)
        self.agenda_refreshed.emit()

    @_unless_closing
    def _calendar_failed(self, error: BaseException) -> None:
        if isinstance(error, CalendarServerError):
            self._server_failed(error)
            return
        self.show_error(
            self.text(
                "The calendar file cannot be used: {reason}. Choose another file in Settings"
                " or repair this one.",
                reason=message_for(error).rstrip("."),
            )
        )

    def _server_failed(self, error: CalendarServerError) -> None:
        """What the agenda last showed stays, marked as not current, when the server is only
        out of reach; anything else is an error to act on."""
        if self._last_view is not None and self._view_read_at is not None:
            read_at = self._view_read_at.astimezone(self.services.zone)
            self.agenda_stale.setText(
                self.text(
                    "Not up to date: {problem}. As of {time}.",
                    problem=error.problem,
                    time=read_at.strftime("%H:%M"),
                )
            )
            self.agenda_stale.show()
        if error.reachable or self._last_view is None:
            self.show_error(
                self.text(
                    "The calendar server cannot be used: {reason}",
                    reason=message_for(error),
                )
            )

    @_unless_closing
    def _calendar_unusable(self, error: BaseException) -> None:
        """The calendar could not be opened at all: nothing can be done with it."""
        self.dialog = None
        self._last_view = None
        self.agenda.clear()
        _clear(self.choice_layout)
        self.choice_box.hide()
        self._calendar_failed(error)
        self._update_idle_state()

    def _unwatch(self) -> None:
        watched = self._watcher.files() + self._watcher.directories()
        if watched:
            self._watcher.removePaths(watched)

    def _watch(self, path: Path) -> None:
        self._unwatch()
        path.parent.mkdir(parents=True, exist_ok=True)
        for folder in dict.fromkeys((path.parent, path.resolve().parent)):
            self._watcher.addPath(str(folder))
        if path.exists():
            self._watcher.addPath(str(path))

    def _calendar_touched(self, _path: str) -> None:
        # A program that saves by replacing the file drops it from the watch list.
        location = self.preferences.calendar_location
        if location not in self._watcher.files() and Path(location).exists():
            self._watcher.addPath(location)
        if not self._agenda_timer.isActive():
            self._agenda_timer.start()

    def _check_new_day(self) -> None:
        if self._shown_day is not None and self._today() != self._shown_day:
            self.refresh_agenda()

    # --- settings --------------------------------------------------------------------------

    def open_settings(self) -> None:
        from app.gui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.preferences, self.text, self)
        if dialog.exec() == SettingsDialog.DialogCode.Accepted:
            self.apply_preferences(dialog.chosen())

    def apply_preferences(self, preferences: Preferences) -> None:
        previous = self.preferences
        self.preferences = preferences
        save_preferences(self.settings, preferences)
        language = ui_language(preferences.ui_language, self.services.system_locale)
        if language != self.text.language:
            self.text = UiText(language)
        if preferences.voices != previous.voices and self.pipeline is not None:
            self.pipeline.synthesizer = Synthesizer(explicit_voices=preferences.voice_files())
        if preferences.calendar_location != previous.calendar_location:
            self.open_calendar()
        self._retranslate()

    # --- for tests and accessibility -------------------------------------------------------

    def choice_buttons(self) -> Sequence[QPushButton]:
        return self.choice_box.findChildren(QPushButton)


def _value_label(name: str) -> QLabel:
    label = QLabel("…")
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _ignore(_value: Any) -> None:
    return None


def _noting_first(chunks: Iterable[AudioChunk], note: Callable[[], None]) -> Iterator[AudioChunk]:
    """`chunks`, calling `note` when the first one is made."""
    noted = False
    for chunk in chunks:
        if not noted:
            note()
            noted = True
        yield chunk


def _latency_note(answer: Answer) -> Callable[[], None] | None:
    """For a spoken request: logs how long after the release (and after the end of speech,
    when that was reused) the reply's first audio was ready."""
    released_at, speech_end_at = answer.released_at, answer.speech_end_at
    if released_at is None:
        return None
    verdict = answer.reuse.verdict if answer.reuse is not None else "none"

    def note() -> None:
        ready = time.perf_counter()
        after_speech = (
            ""
            if speech_end_at is None
            else f", {(ready - speech_end_at) * 1000:.0f} ms after the end of speech"
        )
        _log.info(
            "first reply audio %.0f ms after the release%s (%s)",
            (ready - released_at) * 1000,
            after_speech,
            verdict,
        )

    return note


def _clear(layout: QLayout) -> None:
    """Remove and delete everything in `layout`, nested layouts included."""
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            continue
        widget, inner = item.widget(), item.layout()
        if widget is not None:
            widget.deleteLater()
        elif inner is not None:
            _clear(inner)
            inner.deleteLater()
