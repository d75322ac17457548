"""The calendar column: the agenda or the week (the person switches; the window keeps the
choice), a line when what it shows is not current, and which calendar it is."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.gui.agenda import AgendaView
from app.gui.answers import CalendarView
from app.gui.text import UiText
from app.gui.week_view import WeekView


class CalendarPanel(QWidget):
    view_chosen = Signal(str)
    """"agenda" or "week", when the person switches."""

    def __init__(self) -> None:
        super().__init__()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        heading = QHBoxLayout()
        self.title = QLabel()
        title_font = QFont(self.font())
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.15)
        self.title.setFont(title_font)
        self.agenda_button = QPushButton()
        self.agenda_button.setObjectName("show-agenda")
        self.week_button = QPushButton()
        self.week_button.setObjectName("show-week")
        self.switch = QButtonGroup(self)
        for button in (self.agenda_button, self.week_button):
            button.setCheckable(True)
            self.switch.addButton(button)
        self.agenda_button.setChecked(True)
        self.agenda_button.clicked.connect(lambda: self._choose("agenda"))
        self.week_button.clicked.connect(lambda: self._choose("week"))
        heading.addWidget(self.title, 1)
        heading.addWidget(self.agenda_button)
        heading.addWidget(self.week_button)
        self.stale = QLabel()
        self.stale.setObjectName("agenda-stale")
        self.stale.setWordWrap(True)
        self.stale.hide()
        self.location = QLabel()
        self.location.setStyleSheet("color: palette(placeholder-text);")
        self.location.setWordWrap(True)
        self.agenda = AgendaView()
        self.agenda.setMinimumWidth(320)
        self.week = WeekView()
        self.pages = QStackedWidget()
        self.pages.addWidget(self.agenda)
        self.pages.addWidget(self.week)
        column.addLayout(heading)
        column.addWidget(self.pages, 1)
        column.addWidget(self.stale)
        column.addWidget(self.location)

    @property
    def shown(self) -> str:
        return "week" if self.pages.currentWidget() is self.week else "agenda"

    def show_view(self, name: str) -> None:
        page = self.week if name == "week" else self.agenda
        self.pages.setCurrentWidget(page)
        (self.week_button if name == "week" else self.agenda_button).setChecked(True)

    def _choose(self, name: str) -> None:
        if name != self.shown:
            self.show_view(name)
            self.view_chosen.emit(name)

    def retranslate(self, text: UiText, location: str) -> None:
        self.agenda_button.setText(text("Agenda"))
        self.agenda_button.setAccessibleName(text("Show the agenda"))
        self.week_button.setText(text("Week"))
        self.week_button.setAccessibleName(text("Show the week"))
        self.agenda.setAccessibleName(text("Agenda"))
        self.location.setText(location)
        self.title.setText(text("Calendar"))

    def show_calendar(self, view: CalendarView, now: datetime, text: UiText) -> None:
        self.stale.hide()
        self.agenda.show_days(view.occurrences, view.today, text)
        self.week.show_week(view.occurrences, view.week_start, view.today, now, text)

    def clear(self) -> None:
        self.agenda.clear()
