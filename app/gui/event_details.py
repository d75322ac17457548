"""One event opened from the week: its title, time, length, repetition, reminder and calendar,
with Delete and Edit (day, time, length, title). Neither changes anything here: each hands the
event to the window, which asks the dialog the same question a spoken request gets and waits
for the same yes."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, QLocale, QTime, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.dialog.editing import length_minutes
from app.dialog.replies import replies_for
from app.gui.agenda import event_marks
from app.gui.describe import reminder_lead
from app.gui.text import UiText
from app.gui.workers import as_sentence
from calendar_backend import Occurrence

MINUTES_PER_DAY = 24 * 60
LONGEST_MINUTES = 366 * MINUTES_PER_DAY

QT_LOCALES = {
    "de": QLocale(QLocale.Language.German, QLocale.Country.Germany),
    "en": QLocale(QLocale.Language.English, QLocale.Country.UnitedStates),
}


def event_facts(
    occurrence: Occurrence, calendar: str, today: date, text: UiText
) -> list[tuple[str, str]]:
    """(what, its value) for each line of the details, in the window's language."""
    replies = replies_for(text.language)
    start, end = occurrence.start, occurrence.end
    if isinstance(start, datetime) and isinstance(end, datetime) and not occurrence.all_day:
        when = (
            f"{replies.day_text(start.date(), today)}, {replies.clock_text(start.time())}"
            f"\u2013{replies.clock_text(end.time())}"
        )
        if end.date() != start.date():
            when = (
                f"{replies.day_text(start.date(), today)}, {replies.clock_text(start.time())}"
                f" \u2013 {replies.day_text(end.date(), today)}, {replies.clock_text(end.time())}"
            )
        minutes = int((end - start).total_seconds() // 60)
    else:
        first = start.date() if isinstance(start, datetime) else start
        last = (end.date() if isinstance(end, datetime) else end) - timedelta(days=1)
        when = replies.day_text(first, today)
        if last > first:
            when += " \u2013 " + replies.day_text(last, today)
        minutes = max(1, (last - first).days + 1) * 24 * 60
        when += ", " + text("all day")
    repeats = text("Recurring appointment") if occurrence.recurring else text("Only once")
    reminder = (
        as_sentence(reminder_lead(occurrence.reminder_minutes, text))
        if occurrence.reminder_minutes is not None
        else text("No reminder")
    )
    marks = " ".join(mark for mark, _meaning in event_marks(occurrence, text))
    title = f"{occurrence.title} {marks}".strip()
    return [
        (text("Title"), title),
        (text("When"), when),
        (text("Length"), replies.length(minutes)),
        (text("Repeats"), repeats),
        (text("Reminder"), reminder),
        (text("Calendar"), calendar),
    ]


class EventDetails(QDialog):
    """`delete_chosen(occurrence)` or `edit_chosen(occurrence, start, minutes, title)` when
    the person chooses; the start is a wall-clock datetime, or a date for an all-day event,
    and the length in minutes (an all-day event's in whole days)."""

    delete_chosen = Signal(object)
    edit_chosen = Signal(object, object, int, str)

    def __init__(
        self,
        occurrence: Occurrence,
        calendar: str,
        today: date,
        text: UiText,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("event-details")
        self.occurrence = occurrence
        self.setWindowTitle(text("Appointment"))
        layout = QVBoxLayout(self)
        facts = QFormLayout()
        facts.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.values: dict[str, QLabel] = {}
        for name, value in event_facts(occurrence, calendar, today, text):
            label = QLabel(value)
            label.setWordWrap(True)
            label.setAccessibleName(f"{name}: {value}")
            self.values[name] = label
            facts.addRow(QLabel(name), label)
        layout.addLayout(facts)

        locale = QT_LOCALES[text.language]
        start = occurrence.start
        self.edit_box = QGroupBox(text("Change"))
        editing = QFormLayout(self.edit_box)
        when = QHBoxLayout()
        self.new_day = QDateEdit()
        self.new_day.setObjectName("new-day")
        self.new_day.setLocale(locale)
        self.new_day.setDisplayFormat(locale.dateFormat(QLocale.FormatType.ShortFormat))
        self.new_day.setCalendarPopup(True)
        self.new_day.setAccessibleName(text("New day"))
        day = start.date() if isinstance(start, datetime) else start
        self.new_day.setDate(QDate(day.year, day.month, day.day))
        self.new_time = QTimeEdit()
        self.new_time.setObjectName("new-time")
        self.new_time.setLocale(locale)
        self.new_time.setDisplayFormat(locale.timeFormat(QLocale.FormatType.ShortFormat))
        self.new_time.setAccessibleName(text("New time"))
        timed = isinstance(start, datetime) and not occurrence.all_day
        if isinstance(start, datetime):
            self.new_time.setTime(QTime(start.hour, start.minute))
        self.new_time.setVisible(timed)
        when.addWidget(self.new_day)
        when.addWidget(self.new_time)
        editing.addRow(text("Starts"), when)
        self.new_length = self._length_field(occurrence, text)
        editing.addRow(text("Length (minutes)"), self.new_length)
        self.new_title = QLineEdit(occurrence.title)
        self.new_title.setObjectName("new-title")
        self.new_title.setAccessibleName(text("New title"))
        self.new_title.textChanged.connect(self._title_changed)
        editing.addRow(text("Title"), self.new_title)
        self.edit_button = QPushButton(text("Edit…"))
        self.edit_button.setObjectName("edit-event")
        self.edit_button.setAccessibleName(text("Change the appointment"))
        self.edit_button.clicked.connect(self._edit)
        editing.addRow(self.edit_button)
        layout.addWidget(self.edit_box)

        buttons = QHBoxLayout()
        self.delete_button = QPushButton(text("Delete…"))
        self.delete_button.setObjectName("delete-event")
        self.delete_button.setAccessibleName(text("Delete the appointment"))
        self.delete_button.clicked.connect(self._delete)
        self.close_button = QPushButton(text("Close"))
        self.close_button.setObjectName("close-details")
        self.close_button.clicked.connect(self.reject)
        self.close_button.setDefault(True)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

    def chosen_start(self) -> datetime | date:
        chosen = self.new_day.date()
        day = date(chosen.year(), chosen.month(), chosen.day())
        start = self.occurrence.start
        if not isinstance(start, datetime) or self.occurrence.all_day:
            return day
        clock = self.new_time.time()
        return datetime(day.year, day.month, day.day, clock.hour(), clock.minute())

    @staticmethod
    def _length_field(occurrence: Occurrence, text: UiText) -> QSpinBox:
        """Minutes; an all-day event's in steps of whole days."""
        field = QSpinBox()
        field.setObjectName("new-length")
        field.setAccessibleName(text("New length in minutes"))
        day_step = occurrence.all_day or not isinstance(occurrence.start, datetime)
        field.setRange(MINUTES_PER_DAY if day_step else 1, LONGEST_MINUTES)
        field.setSingleStep(MINUTES_PER_DAY if day_step else 15)
        field.setValue(max(field.minimum(), length_minutes(occurrence)))
        return field

    def _title_changed(self, title: str) -> None:
        self.edit_button.setEnabled(bool(title.strip()))

    def _edit(self) -> None:
        minutes = self.new_length.value()
        if self.occurrence.all_day:
            minutes -= minutes % MINUTES_PER_DAY
        title = self.new_title.text()
        self.edit_chosen.emit(self.occurrence, self.chosen_start(), minutes, title)
        self.accept()

    def _delete(self) -> None:
        self.delete_chosen.emit(self.occurrence)
        self.accept()
