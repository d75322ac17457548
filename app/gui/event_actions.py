"""What the person can do with an event in the week: open its details, delete it, change its
start, length or title. Each is asked of the dialog, which puts the same question as for a
spoken request; the window shows it with the same buttons, and a yes there (or a spoken one)
does it, with the same undo."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app.dialog import Dialog, Outcome
from app.dialog.editing import length_minutes
from app.gui.event_details import EventDetails
from app.gui.preferences import Preferences
from app.gui.services import Services
from app.gui.text import UiText
from calendar_backend import Occurrence

DialogAction = Callable[[Dialog, datetime], Outcome]


class EventHost(Protocol):
    text: UiText
    preferences: Preferences
    services: Services

    def ask(self, action: DialogAction) -> None:
        """Run `action` on the dialog and show its question, its choices focused."""


class EventActions:
    def __init__(self, window: QWidget, host: EventHost) -> None:
        self.window = window
        self.host = host
        self.details: EventDetails | None = None

    def open(self, occurrence: Occurrence) -> None:
        """The event's details, with Delete and Edit."""
        host = self.host
        if self.details is not None:
            self.details.close()
        details = EventDetails(
            occurrence,
            host.preferences.calendar_location,
            host.services.local_now().date(),
            host.text,
            self.window,
        )
        details.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        details.delete_chosen.connect(self.ask_to_delete)
        details.edit_chosen.connect(self.ask_to_edit)
        details.finished.connect(self._closed)
        self.details = details
        details.open()

    def _closed(self) -> None:
        self.details = None

    def ask_to_delete(self, occurrence: Occurrence) -> None:
        language = self.host.text.language
        self.host.ask(lambda dialog, now: dialog.ask_to_delete(occurrence, language, now.date()))

    def ask_to_move(self, occurrence: Occurrence, start: datetime | date) -> None:
        language = self.host.text.language
        self.host.ask(
            lambda dialog, now: dialog.ask_to_move(occurrence, start, language, now.date())
        )

    def ask_to_edit(
        self, occurrence: Occurrence, start: datetime | date, minutes: int, title: str
    ) -> None:
        """A change of the start alone asks as a spoken move does; any other as an edit."""
        if minutes == length_minutes(occurrence) and title == occurrence.title:
            self.ask_to_move(occurrence, start)
            return
        language = self.host.text.language
        self.host.ask(
            lambda dialog, now: dialog.ask_to_edit(
                occurrence, language, now.date(), start=start, minutes=minutes, title=title
            )
        )
