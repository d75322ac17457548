"""The agenda: the coming days grouped by day, in both languages."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics

from app.gui.agenda import (
    AGENDA_DAYS,
    RECURRING_MARK,
    REMINDER_MARK,
    AgendaView,
    occurrences_by_day,
)
from app.gui.text import UiText
from calendar_backend import Occurrence
from tests.conftest import BERLIN

TODAY = date(2026, 3, 26)


def timed(
    title: str,
    start: datetime,
    minutes: int = 60,
    *,
    recurring: bool = False,
    reminder_minutes: int | None = None,
) -> Occurrence:
    return Occurrence(
        uid=title,
        title=title,
        start=start,
        end=start + timedelta(minutes=minutes),
        all_day=False,
        recurring=recurring,
        recurrence_id=start if recurring else None,
        reminder_minutes=reminder_minutes,
    )


def all_day(title: str, first: date, days: int = 1) -> Occurrence:
    return Occurrence(
        uid=title,
        title=title,
        start=first,
        end=first + timedelta(days=days),
        all_day=True,
        recurring=False,
        recurrence_id=None,
    )


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)


def test_days_hold_their_events_all_day_first_then_by_time() -> None:
    saturday = TODAY + timedelta(days=2)
    events = [
        timed("Dinner", at(saturday, 19)),
        timed("Breakfast", at(saturday, 8, 30)),
        all_day("Trip", saturday, days=2),
        timed("Night shift", at(TODAY, 22), minutes=10 * 60),
    ]
    days = occurrences_by_day(events, TODAY, TODAY + timedelta(days=AGENDA_DAYS - 1))
    assert list(days) == [TODAY + timedelta(days=n) for n in range(AGENDA_DAYS)]
    assert [o.title for o in days[saturday]] == ["Trip", "Breakfast", "Dinner"]
    assert [o.title for o in days[saturday + timedelta(days=1)]] == ["Trip"]
    assert [o.title for o in days[saturday + timedelta(days=2)]] == []
    assert [o.title for o in days[TODAY]] == ["Night shift"]
    assert [o.title for o in days[TODAY + timedelta(days=1)]] == ["Night shift"]


def test_an_event_ending_at_midnight_stays_on_its_day() -> None:
    evening = timed("Party", at(TODAY, 20), minutes=4 * 60)
    days = occurrences_by_day([evening], TODAY, TODAY + timedelta(days=1))
    assert days[TODAY] == [evening]
    assert days[TODAY + timedelta(days=1)] == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "de",
            [
                ("Heute", ""),
                ("10:00\u201311:00", "Zahnarzt"),
                ("Morgen", ""),
                ("", "Nichts geplant"),
                ("Samstag, 28. März", ""),
                ("ganztägig", "Ausflug"),
            ],
        ),
        (
            "en",
            [
                ("Today", ""),
                ("10:00\u202fAM\u201311:00\u202fAM", "Zahnarzt"),
                ("Tomorrow", ""),
                ("", "Nothing planned"),
                ("Saturday, March 28", ""),
                ("all day", "Ausflug"),
            ],
        ),
    ],
)
def test_the_view_shows_headings_times_and_empty_days(
    qtbot, language: str, expected: list[tuple[str, str]]
) -> None:
    view = AgendaView()
    qtbot.addWidget(view)
    events = [timed("Zahnarzt", at(TODAY, 10)), all_day("Ausflug", TODAY + timedelta(days=2))]
    view.show_days(events, TODAY, UiText(language))
    assert view.entries()[: len(expected)] == [
        (when.replace("\u202f", " "), what) for when, what in expected
    ]
    assert len([row for row in view.entries() if row[1] == ""]) == AGENDA_DAYS


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "de",
            [
                ("", ""),
                ("\u21bb", "Serientermin"),
                ("\u25f7", "Erinnerung 15 Min. vorher"),
                ("\u21bb \u25f7", "Serientermin, Erinnerung zu Beginn"),
            ],
        ),
        (
            "en",
            [
                ("", ""),
                ("\u21bb", "Recurring appointment"),
                ("\u25f7", "Reminder 15 min before"),
                ("\u21bb \u25f7", "Recurring appointment, Reminder at the start"),
            ],
        ),
    ],
)
def test_repeating_events_and_reminders_are_marked_and_explained(
    qtbot, language: str, expected: list[tuple[str, str]]
) -> None:
    view = AgendaView()
    qtbot.addWidget(view)
    events = [
        timed("Plain", at(TODAY, 8)),
        timed("Yoga", at(TODAY, 9), recurring=True),
        timed("Zahnarzt", at(TODAY, 10), reminder_minutes=15),
        timed("Chor", at(TODAY, 19), recurring=True, reminder_minutes=0),
    ]
    view.show_days(events, TODAY, UiText(language))
    assert [title for _when, title in view.entries()[1:5]] == ["Plain", "Yoga", "Zahnarzt", "Chor"]
    assert view.marks()[1:5] == expected
    item = view.topLevelItem(4)
    assert item is not None
    assert item.data(2, Qt.ItemDataRole.AccessibleTextRole) == expected[3][1]


def test_the_marks_are_in_the_agenda_font(qtbot) -> None:
    """Both marks are drawn from the font the agenda uses, not left as empty boxes."""
    view = AgendaView()
    qtbot.addWidget(view)
    metrics = QFontMetrics(view.font())
    assert metrics.inFontUcs4(ord(RECURRING_MARK))
    assert metrics.inFontUcs4(ord(REMINDER_MARK))


def test_an_event_past_midnight_shows_its_end_time_on_its_first_day(qtbot) -> None:
    view = AgendaView()
    qtbot.addWidget(view)
    view.show_days([timed("Night shift", at(TODAY, 22), minutes=10 * 60)], TODAY, UiText("de"))
    assert view.entries()[:4] == [
        ("Heute", ""),
        ("22:00\u201308:00", "Night shift"),
        ("Morgen", ""),
        ("Fortsetzung", "Night shift"),
    ]
