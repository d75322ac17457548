"""Reminders that come due while the app runs. An event's reminder is the calendar's own
VALARM (read by the backend as minutes before the start); it is due that many minutes before
the start (an all-day event starts at midnight), and each occurrence's reminder is given once.
Qt-free: the window asks every few seconds with the events it has already read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from calendar_backend import Occurrence
from calendar_backend.repeating import LONGEST_REMINDER_MINUTES

DAYS_AHEAD = LONGEST_REMINDER_MINUTES // (24 * 60) + 1
"""How many days of events to read so that the longest reminder we write is seen in time."""


@dataclass(frozen=True)
class DueReminder:
    occurrence: Occurrence
    due: datetime
    """When it came due (UTC)."""


def due_at(occurrence: Occurrence, zone: ZoneInfo) -> datetime | None:
    """When the occurrence's reminder is due (UTC); None when it has no reminder."""
    if occurrence.reminder_minutes is None:
        return None
    return _instant(occurrence.start, zone) - timedelta(minutes=occurrence.reminder_minutes)


class ReminderWatch:
    """Which reminders came due between two checks; remembers what it gave (by event UID and
    occurrence start), so that a reminder read twice, or in windows that overlap, is given
    once."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self._given: dict[tuple[str, datetime], datetime] = {}
        """(UID, occurrence start in UTC) → when it was due."""

    def came_due(
        self, occurrences: Iterable[Occurrence], since: datetime, now: datetime
    ) -> list[DueReminder]:
        """The reminders due after `since` and up to `now`, earliest first. One whose event
        is already over (the computer slept through it) is not given any more."""
        due: list[DueReminder] = []
        for occurrence in occurrences:
            moment = due_at(occurrence, self.zone)
            if moment is None or not since < moment <= now:
                continue
            if _instant(occurrence.end, self.zone) <= now:
                continue
            key = (occurrence.uid, _instant(occurrence.start, self.zone))
            if key in self._given:
                continue
            self._given[key] = moment
            due.append(DueReminder(occurrence, moment))
        self._forget_before(since)
        due.sort(key=lambda reminder: (reminder.due, reminder.occurrence.title))
        return due

    def _forget_before(self, moment: datetime) -> None:
        """Reminders due well before the window can never be due in it again."""
        horizon = moment - timedelta(days=1)
        self._given = {key: due for key, due in self._given.items() if due >= horizon}


def _instant(value: datetime | date, zone: ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime.combine(value, time.min, zone).astimezone(UTC)
