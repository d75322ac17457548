"""The main window: the conversation beside the calendar (the agenda or the week), composed of
parts that each keep one concern: `Conversation` (what is shown of a request), `TalkSession`
(the microphone and the speaker), `ReminderNotices`, `CalendarWatch` (other programs' changes,
the server asked again, the clock) and `CalendarPanel` (agenda, week, event details).

Everything slow runs on three lanes (one worker thread each): `models` loads the pipeline,
`assistant` owns the dialog and the calendar (recognition, understanding, calendar edits and
reads, one after another), `audio` opens and closes the microphone and plays replies. When
the speaker pauses while still holding the button, recognition and understanding start on the
assistant lane; the release reuses them when only silence came after (`app.early_start`).
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QMainWindow, QPushButton, QWidget

from app.dialog import Dialog, Outcome
from app.early_start import EarlyStarts, respond_at_release
from app.gui.answers import Answer, CalendarView, answer_with_view
from app.gui.calendar_link import CalendarLink
from app.gui.calendar_panel import CalendarPanel
from app.gui.calendar_watch import CalendarWatch
from app.gui.conversation import IDLE_STATES, STYLE, Conversation
from app.gui.event_actions import DialogAction, EventActions
from app.gui.preferences import Preferences, save_preferences
from app.gui.reminder_notices import REMINDER_CHECK_MS, ReminderNotices
from app.gui.services import Services
from app.gui.talk import TalkSession, latency_note
from app.gui.text import UiText, ui_language
from app.gui.workers import Lane, Report, message_for
from app.pipeline import Pipeline
from app.reminders import DueReminder
from app.speech.microphone import Recording
from app.speech.tts import Synthesizer

__all__ = ["REMINDER_CHECK_MS", "Answer", "CalendarView", "MainWindow", "Services"]

_log = logging.getLogger(__name__)

CLOSE_WAIT_MS = 15_000
"""How long closing waits for a calendar edit in progress."""
SHORT_WINDOW_HEIGHT = 700
COLUMN_STRETCH = {"agenda": (3, 2), "week": (2, 3)}
"""How the conversation and the calendar share the width: the week needs more."""


def _unless_closing(slot: Callable[..., None]) -> Callable[..., None]:
    """Results that arrive after the window was closed are dropped."""

    @functools.wraps(slot)
    def guarded(window: MainWindow, *arguments: Any) -> None:
        if not window.closing:
            slot(window, *arguments)

    return guarded


class MainWindow(QMainWindow):
    """`start()` after showing it: models load in the background; the calendar comes first."""

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
        self.state = "loading"
        self.models_lane = Lane("models")
        self.assistant_lane = Lane("assistant")
        self.audio_lane = Lane("audio")
        self.closing = False
        self._last_language = self.text.language
        self.load_stage = ""
        self._logged_state = ""
        self._answered_once = False
        self._focus_choice = False

        self.conversation = Conversation()
        self.calendar = CalendarPanel()
        self.talk = TalkSession(self)
        self.events = EventActions(self, self)
        self.link = CalendarLink(self, CalendarWatch(self))
        self.reminder_notices = ReminderNotices(
            self, self.conversation, self.services, self._speak_reminders, self._reminded
        )
        self._build()
        self._retranslate()
        self._set_state("loading")

    # --- the parts' widgets, by their old names (tests and accessibility checks) ----------

    @property
    def _early_starts(self) -> EarlyStarts:
        return self.talk.early_starts

    def choice_buttons(self) -> Sequence[QPushButton]:
        return self.conversation.choice_box.findChildren(QPushButton)

    # --- layout ----------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        self.conversation.set_short(event.size().height() < SHORT_WINDOW_HEIGHT)
        super().resizeEvent(event)

    def _build(self) -> None:
        self.setMinimumSize(800, 560)
        central = QWidget()
        self.columns = QHBoxLayout(central)
        self.columns.setContentsMargins(18, 18, 18, 18)
        self.columns.setSpacing(18)
        self.columns.addWidget(self.conversation)
        self.columns.addWidget(self.calendar)
        self.setCentralWidget(central)
        self.setStyleSheet(STYLE)

        conversation = self.conversation
        # The conversation's widgets by the window's own names (tests, accessibility checks).
        self.state_label = conversation.state_label
        self.busy = conversation.busy
        self.error_banner = conversation.error_banner
        self.reminder_box = conversation.reminder_box
        self.reminder_label = conversation.reminder_label
        self.dismiss_button = conversation.dismiss_button
        self.talk_button = conversation.talk_button
        self.level_meter = conversation.level_meter
        self.request_field = conversation.request_field
        self.exchange = conversation.exchange
        self.exchange_scroll = conversation.exchange_scroll
        self.transcript_label = conversation.transcript_label
        self.transcript_caption = conversation.transcript_caption
        self.action_label = conversation.action_label
        self.reply_label = conversation.reply_label
        self.choice_box = conversation.choice_box
        self.undo_button = conversation.undo_button
        self.settings_button = conversation.settings_button
        self.agenda, self.week = self.calendar.agenda, self.calendar.week
        self.agenda_stale, self.agenda_file = self.calendar.stale, self.calendar.location
        self.reminder_timer = self.reminder_notices.timer
        conversation.talk_button.clicked.connect(self.toggle_listening)
        self.talk_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Space), self)
        self.talk_shortcut.activated.connect(self.toggle_listening)
        conversation.request_field.returnPressed.connect(self.send_typed)
        conversation.send_button.clicked.connect(self.send_typed)
        conversation.undo_button.clicked.connect(self.undo)
        conversation.settings_button.clicked.connect(self.open_settings)
        self.calendar.view_chosen.connect(self._calendar_view_chosen)
        self.calendar.week.week_chosen.connect(self.link.show_week_of)
        self.calendar.week.opened.connect(self.events.open)
        self.calendar.week.delete_asked.connect(self.events.ask_to_delete)
        self._show_calendar_view(self.preferences.calendar_view)

    def _show_calendar_view(self, name: str) -> None:
        self.calendar.show_view(name)
        conversation_share, calendar_share = COLUMN_STRETCH[self.calendar.shown]
        self.columns.setStretch(0, conversation_share)
        self.columns.setStretch(1, calendar_share)

    def _calendar_view_chosen(self, name: str) -> None:
        self._show_calendar_view(name)
        self.preferences = dataclasses.replace(self.preferences, calendar_view=name)
        save_preferences(self.settings, self.preferences)

    def _retranslate(self) -> None:
        text = self.text
        self.setWindowTitle(text("Voice Calendar"))
        self.conversation.retranslate(text, self._answered_once)
        self.calendar.retranslate(text, self.preferences.calendar_location)
        self.reminder_notices.text = text
        self._set_state(self.state)
        if self.link.last_view is not None:
            self.calendar.show_calendar(self.link.last_view, self.services.local_now(), text)
            self._offer_choices(self.link.last_view)

    # --- start and stop --------------------------------------------------------------------

    def start(self) -> None:
        """Open the calendar and show it; load the models meanwhile."""
        self.open_calendar()
        self.models_lane.submit(
            lambda report: self.services.load_pipeline(self.preferences, report),
            self._models_loaded,
            self._models_failed,
            self._loading_stage,
        )
        self.link.watch.start_clock()
        self.reminder_notices.start(self.check_reminders)

    def open_calendar(self) -> None:
        self.link.open()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        """Stop listening and let a calendar edit in progress finish; results that arrive
        later are dropped (a model still loading ends with the process)."""
        self.closing = True
        self.link.watch.stop()
        self.reminder_notices.stop()
        self.talk.close()
        self.assistant_lane.wait(CLOSE_WAIT_MS)
        super().closeEvent(event)

    @property
    def dialog(self) -> Dialog | None:
        return self.link.dialog

    @_unless_closing
    def _models_loaded(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self._set_state(self.idle_state())

    @_unless_closing
    def _models_failed(self, error: BaseException) -> None:
        self.show_error(
            self.text(
                "The speech and language models could not be loaded: {reason}. Run the set-up"
                " again (./scripts/run) to restore them, then restart the app.",
                reason=message_for(error, self.text.language).rstrip("."),
            )
        )
        self._set_state("unavailable")

    @_unless_closing
    def _loading_stage(self, stage: str) -> None:
        self.load_stage = stage
        self._set_state("loading")

    # --- state -----------------------------------------------------------------------------

    def _set_state(self, state: str) -> None:
        self.state = state
        stage = "calendar" if self.pipeline is not None else self.load_stage
        described = f"{state} ({stage})" if state == "loading" and stage else state
        if described != self._logged_state:
            _log.info("state: %s", described)
            self._logged_state = described
        can_undo = self.link.last_view is not None and self.link.last_view.can_undo
        self.conversation.show_state(state, stage, self.text, can_undo)
        if state in IDLE_STATES and self.reminder_notices.to_say:
            QTimer.singleShot(0, self._say_reminders)
        if state in IDLE_STATES and self._focus_choice:
            # A question asked about an event pointed at: its yes takes the keyboard.
            self._focus_choice = False
            yes = [b for b in self.choice_buttons() if b.objectName() == "confirm-0"]
            if yes:
                yes[0].setFocus(Qt.FocusReason.OtherFocusReason)
        self.state_changed.emit(state)

    set_state = _set_state

    def idle_state(self) -> str:
        if self.pipeline is None:
            return "loading" if self.models_lane.busy else "unavailable"
        if self.link.opening:
            return "loading"
        pending = self.link.last_view.pending if self.link.last_view is not None else None
        return "waiting" if pending else "ready"

    def update_idle_state(self) -> None:
        """After the calendar or models changed: an idle window's state may have changed with
        them; a window that is listening or working stays as it is."""
        opening_calendar = self.state == "loading" and self.pipeline is not None
        idle = self.state in IDLE_STATES or opening_calendar
        self._set_state(self.idle_state() if idle else self.state)

    def show_error(self, message: str) -> None:
        self.conversation.show_error(message)

    def clear_error(self) -> None:
        self.conversation.clear_error()

    # --- one request -----------------------------------------------------------------------

    def toggle_listening(self) -> None:
        self.talk.toggle()

    @_unless_closing
    def heard(self, recording: Recording, early_starts: EarlyStarts, released_at: float) -> None:
        ready = self._pipeline_and_dialog()
        if ready is None:
            self._set_state(self.idle_state())
            return
        pipeline, dialog = ready
        language = self.preferences.recognition_language
        local_now, read = self.services.local_now, self.link.reader()

        def work(report: Report) -> Answer:
            now = local_now()
            early = early_starts.result()
            turn, reuse = respond_at_release(
                pipeline, early, recording, language, now, dialog, report
            )
            answer = answer_with_view(turn.outcome, dialog, read, turn)
            speech_end_at = early.speech_end.noticed_at if early and reuse.transcript else None
            return dataclasses.replace(
                answer, reuse=reuse, released_at=released_at, speech_end_at=speech_end_at
            )

        self.assistant_lane.submit(work, self._answer, self._request_failed, self._set_state)

    def send_typed(self) -> None:
        """A typed request: the same understanding, dialog and replies as a spoken one (for an
        office, or when the microphone fails)."""
        field = self.conversation.request_field
        typed = field.text().strip()
        if not typed or self.state not in IDLE_STATES:
            return
        ready = self._pipeline_and_dialog()
        if ready is None:
            return
        pipeline, dialog = ready
        field.clear()
        self.clear_error()
        self._set_state("thinking")
        language = self.preferences.recognition_language
        local_now, read = self.services.local_now, self.link.reader()

        def work(_report: Report) -> Answer:
            turn = pipeline.respond(typed, language, local_now(), dialog)
            answer = answer_with_view(turn.outcome, dialog, read, turn)
            return dataclasses.replace(answer, typed=True)

        self.assistant_lane.submit(work, self._answer, self._request_failed)

    def _pipeline_and_dialog(self) -> tuple[Pipeline, Dialog] | None:
        """What a request needs; None (and, without a calendar, a message) when it is not
        there yet."""
        dialog = self.link.dialog
        if dialog is None:
            self.show_error(
                self.text(
                    "The calendar is not open, so nothing was done. Choose a calendar file"
                    " in Settings."
                )
            )
            return None
        if self.pipeline is None:
            return None
        return self.pipeline, dialog

    @_unless_closing
    def _answer(self, answer: Answer) -> None:
        try:
            self._show_answer(answer)
        finally:
            if self.state not in ("speaking", "listening"):
                self._set_state(self.idle_state())

    def _show_answer(self, answer: Answer) -> None:
        outcome = answer.outcome
        self._answered_once = True
        self._last_language = outcome.language
        today = answer.view.today if answer.view is not None else self._today()
        self.conversation.show_answer(answer, self.text, today)
        if answer.view is not None:
            self.show_calendar(answer.view)
        elif answer.view_error is not None:
            self.link.failed(answer.view_error)
        if outcome.status == "no_speech":
            self.show_error(
                self.text(
                    "Only silence was recorded. Is the microphone muted or too far away? Speak"
                    " after pressing the button."
                )
            )
        self.answered.emit(answer)
        self.talk.speak(outcome.message, outcome.language, latency_note(answer))

    @_unless_closing
    def _request_failed(self, error: BaseException) -> None:
        self.show_error(
            self.text(
                "Something went wrong: {reason}. Please try again.",
                reason=message_for(error, self.text.language).rstrip("."),
            )
        )
        self._set_state(self.idle_state())

    # --- confirmation, undo and the events pointed at --------------------------------------

    def _offer_choices(self, view: CalendarView) -> None:
        self.conversation.offer_choices(view, self.text, self.confirm, self.cancel)

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

    def ask(self, action: DialogAction) -> None:
        self._focus_choice = True
        self._dialog_action(action)

    def _dialog_action(
        self, action: Callable[[Dialog, datetime], Outcome], described: str | None = None
    ) -> None:
        dialog = self.link.dialog
        if dialog is None or self.state not in IDLE_STATES:
            self._focus_choice = False
            return
        self.clear_error()
        local_now, read = self.services.local_now, self.link.reader()
        self._set_state("thinking")

        def work(_report: Report) -> Answer:
            answer = answer_with_view(action(dialog, local_now()), dialog, read)
            return dataclasses.replace(answer, action=described)

        self.assistant_lane.submit(work, self._answer, self._request_failed)

    # --- reminders -------------------------------------------------------------------------

    def check_reminders(self) -> None:
        self.reminder_notices.check(self.link.last_view)

    def _reminded(self, due: list[DueReminder]) -> None:
        self._say_reminders()
        self.reminded.emit(due)

    @_unless_closing
    def _say_reminders(self) -> None:
        if self.state in IDLE_STATES:
            self.reminder_notices.say_waiting()

    def _speak_reminders(self, message: str, language: str) -> None:
        self.talk.speak(message, language)

    def dismiss_reminders(self) -> None:
        self.reminder_notices.dismiss()

    # --- the calendar ----------------------------------------------------------------------

    def _today(self) -> date:
        return self.services.local_now().date()

    def refresh_agenda(self) -> None:
        self.link.refresh()

    @_unless_closing
    def show_calendar(self, view: CalendarView) -> None:
        self.link.shown(view)
        self.calendar.show_calendar(view, self.services.local_now(), self.text)
        self._offer_choices(view)
        self._set_state(self.state)
        self.agenda_refreshed.emit()

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
