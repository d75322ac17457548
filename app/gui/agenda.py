"""The agenda beside the conversation: today and the coming days, grouped by day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem

from app.dialog.replies import Replies, replies_for
from app.gui.describe import reminder_lead
from app.gui.text import UiText
from app.gui.workers import as_sentence
from calendar_backend import Occurrence

AGENDA_DAYS = 7
RECURRING_MARK = "\u21bb"
"""↻ beside an event that repeats."""
REMINDER_MARK = "\u25f7"
"""◷ (a clock face) beside an event with a reminder; unlike 🔔 it is in common text fonts."""


def agenda_days(today: date) -> tuple[date, date]:
    return today, today + timedelta(days=AGENDA_DAYS - 1)


def occurrences_by_day(
    occurrences: Sequence[Occurrence], first: date, last: date
) -> dict[date, list[Occurrence]]:
    """Every day from first to last (empty days too), each with the occurrences on it, all-day
    ones first, then by start time. A multi-day event shows on each of its days."""
    days: dict[date, list[Occurrence]] = {}
    day = first
    while day <= last:
        days[day] = []
        day += timedelta(days=1)
    for occurrence in occurrences:
        start_day, end_day = _days_of(occurrence)
        for day in days:
            if start_day <= day <= end_day:
                days[day].append(occurrence)
    for items in days.values():
        items.sort(key=_order)
    return days


def _days_of(occurrence: Occurrence) -> tuple[date, date]:
    start, end = occurrence.start, occurrence.end
    if isinstance(start, datetime) and isinstance(end, datetime):
        last = end.date() if end.time() != datetime.min.time() else end.date() - timedelta(1)
        return start.date(), max(start.date(), last)
    start_day = start.date() if isinstance(start, datetime) else start
    end_day = end.date() if isinstance(end, datetime) else end
    return start_day, max(start_day, end_day - timedelta(days=1))


def _order(occurrence: Occurrence) -> tuple[int, str, str]:
    start = occurrence.start
    clock = start.strftime("%H:%M") if isinstance(start, datetime) else ""
    return (0 if occurrence.all_day else 1, clock, occurrence.title.casefold())


class AgendaView(QTreeWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setColumnCount(3)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setSelectionMode(QTreeWidget.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setIndentation(0)
        self.setObjectName("agenda")
        columns = self.header()
        columns.setStretchLastSection(False)
        columns.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        columns.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        columns.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)

    def show_days(self, occurrences: Sequence[Occurrence], today: date, text: UiText) -> None:
        replies = replies_for(text.language)
        first, last = agenda_days(today)
        self.clear()
        bold = QFont(self.font())
        bold.setBold(True)
        for day, items in occurrences_by_day(occurrences, first, last).items():
            if day == today:
                heading = text("Today")
            elif day == today + timedelta(days=1):
                heading = text("Tomorrow")
            else:
                heading = replies.day_text(day, today)
            header = QTreeWidgetItem([heading, "", ""])
            header.setFirstColumnSpanned(True)
            header.setFont(0, bold)
            header.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for column in (0, 1, 2):
                header.setBackground(column, self.palette().alternateBase())
            self.addTopLevelItem(header)
            header.setFirstColumnSpanned(True)
            if not items:
                empty = QTreeWidgetItem(["", text("Nothing planned"), ""])
                empty.setForeground(1, self.palette().placeholderText())
                self.addTopLevelItem(empty)
            for occurrence in items:
                row = QTreeWidgetItem([_when(occurrence, day, replies, text), occurrence.title, ""])
                marks = event_marks(occurrence, text)
                if marks:
                    row.setText(2, " ".join(mark for mark, _meaning in marks))
                    meaning = ", ".join(meaning for _mark, meaning in marks)
                    row.setToolTip(2, meaning)
                    row.setData(2, Qt.ItemDataRole.AccessibleTextRole, meaning)
                self.addTopLevelItem(row)

    def entries(self) -> list[tuple[str, str]]:
        """What the agenda shows, row by row (for tests and accessibility checks)."""
        rows = []
        for row in range(self.topLevelItemCount()):
            item = self.topLevelItem(row)
            if item is not None:
                rows.append((item.text(0), item.text(1)))
        return rows

    def marks(self) -> list[tuple[str, str]]:
        """The marks beside each row and what they mean in words (its tooltip)."""
        rows = []
        for row in range(self.topLevelItemCount()):
            item = self.topLevelItem(row)
            if item is not None:
                rows.append((item.text(2), item.toolTip(2)))
        return rows


def event_marks(occurrence: Occurrence, text: UiText) -> list[tuple[str, str]]:
    """(mark, its meaning in words) for a repeating event and for one with a reminder."""
    marks = []
    if occurrence.recurring:
        marks.append((RECURRING_MARK, text("Recurring appointment")))
    if occurrence.reminder_minutes is not None:
        lead = reminder_lead(occurrence.reminder_minutes, text)
        marks.append((REMINDER_MARK, as_sentence(lead)))
    return marks


def _when(occurrence: Occurrence, day: date, replies: Replies, text: UiText) -> str:
    start = occurrence.start
    if occurrence.all_day or not isinstance(start, datetime):
        return text("all day")
    if start.date() != day:
        return text("continues")
    times = replies.clock_text(start.time())
    end = occurrence.end
    if isinstance(end, datetime) and end > start:
        times += "\u2013" + replies.clock_text(end.time())
    return times
