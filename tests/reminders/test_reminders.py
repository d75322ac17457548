"""Which reminders come due between two checks, each once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.reminders import DAYS_AHEAD, ReminderWatch, due_at
from calendar_backend import Occurrence
from calendar_backend.repeating import LONGEST_REMINDER_MINUTES
from tests.conftest import BERLIN


def at(hour: int, minute: int = 0, *, day: int = 26, second: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, second, tzinfo=BERLIN)


def event(
    start: datetime | date,
    reminder_minutes: int | None,
    *,
    title: str = "Zahnarzt",
    uid: str = "zahnarzt",
    minutes: int = 60,
) -> Occurrence:
    timed = isinstance(start, datetime)
    return Occurrence(
        uid=uid,
        title=title,
        start=start,
        end=start + (timedelta(minutes=minutes) if timed else timedelta(days=1)),
        all_day=not timed,
        recurring=False,
        recurrence_id=None,
        reminder_minutes=reminder_minutes,
    )


@pytest.mark.parametrize(
    ("case", "occurrence", "since", "now", "due"),
    [
        ("due in the window", event(at(15), 15), at(14, 44), at(14, 45), True),
        (
            "due at the window's start: given before",
            event(at(15), 15),
            at(14, 45),
            at(14, 46),
            False,
        ),
        ("not yet due", event(at(15), 15), at(14, 40), at(14, 44, second=59), False),
        ("no reminder", event(at(15), None), at(14, 0), at(16), False),
        ("reminder at the start", event(at(15), 0), at(14, 59, second=30), at(15), True),
        ("a day before", event(at(9, day=27), 24 * 60), at(8, 59), at(9), True),
        ("all-day: from midnight", event(date(2026, 3, 27), 60), at(22, 59), at(23), True),
        ("all-day at its start", event(date(2026, 3, 27), 0), at(23, 59), at(0, day=27), True),
        ("all-day, not yet", event(date(2026, 3, 27), 60), at(21), at(22, 59), False),
        ("slept past the whole event", event(at(15), 15), at(14), at(16, 30), False),
        ("slept into the event", event(at(15), 15), at(14), at(15, 30), True),
    ],
)
def test_a_reminder_is_due_when_its_time_falls_in_the_window(
    case: str, occurrence: Occurrence, since: datetime, now: datetime, due: bool
) -> None:
    given = ReminderWatch(BERLIN).came_due([occurrence], since, now)
    assert [reminder.occurrence for reminder in given] == ([occurrence] if due else []), case


def test_each_reminder_is_given_once() -> None:
    watch = ReminderWatch(BERLIN)
    dentist = event(at(15), 15)
    assert len(watch.came_due([dentist], at(14, 40), at(14, 46))) == 1
    assert watch.came_due([dentist], at(14, 40), at(14, 46)) == []
    assert watch.came_due([dentist, dentist], at(14, 44), at(14, 50)) == []


def test_each_occurrence_of_a_series_is_reminded_of_once() -> None:
    watch = ReminderWatch(BERLIN)
    monday, tuesday = event(at(9, day=30), 10), event(at(9, day=31), 10)
    assert [
        r.occurrence for r in watch.came_due([monday, tuesday], at(8, day=30), at(9, day=30))
    ] == [monday]
    assert [
        r.occurrence for r in watch.came_due([monday, tuesday], at(9, day=30), at(9, day=31))
    ] == [tuesday]
    assert watch.came_due([monday, tuesday], at(8, day=30), at(9, day=31)) == []


def test_a_moved_event_is_reminded_of_again_at_its_new_time() -> None:
    watch = ReminderWatch(BERLIN)
    assert watch.came_due([event(at(15), 15)], at(14), at(14, 45))
    moved = event(at(16), 15)
    assert [r.occurrence for r in watch.came_due([moved], at(14, 45), at(15, 45))] == [moved]


def test_reminders_come_earliest_first_with_when_they_were_due() -> None:
    later = event(at(15), 15, title="Zahnarzt", uid="a")
    earlier = event(at(14, 30), 5, title="Anruf", uid="b")
    given = ReminderWatch(BERLIN).came_due([later, earlier], at(14), at(15))
    assert [(r.occurrence.title, r.due) for r in given] == [
        ("Anruf", at(14, 25).astimezone(UTC)),
        ("Zahnarzt", at(14, 45).astimezone(UTC)),
    ]


def test_due_time_counts_exact_minutes_across_a_clock_change() -> None:
    """The clocks go forward at 02:00 on 29 March 2026: 03:30 is 90 minutes after 01:00."""
    early = event(datetime(2026, 3, 29, 3, 30, tzinfo=BERLIN), 90)
    assert due_at(early, BERLIN) == datetime(2026, 3, 29, 0, 0, tzinfo=UTC)


def test_the_events_read_reach_as_far_as_the_longest_reminder() -> None:
    assert timedelta(days=DAYS_AHEAD) > timedelta(minutes=LONGEST_REMINDER_MINUTES)
