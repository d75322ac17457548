"""The agenda: the coming days grouped by day, in both languages."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from app.gui.agenda import AGENDA_DAYS, AgendaView, occurrences_by_day
from app.gui.text import UiText
from calendar_backend import Occurrence
from tests.conftest import BERLIN

TODAY = date(2026, 3, 26)


def timed(title: str, start: datetime, minutes: int = 60) -> Occurrence:
    return Occurrence(
        uid=title,
        title=title,
        start=start,
        end=start + timedelta(minutes=minutes),
        all_day=False,
        recurring=False,
        recurrence_id=None,
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
                ("10:00", "Zahnarzt"),
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
                ("10:00\u202fAM", "Zahnarzt"),
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
