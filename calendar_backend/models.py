"""Plain values the calendar backend hands out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from calendar_backend.phrases import Phrase, as_phrase

ChangeKind = Literal[
    "created", "deleted", "deleted_occurrence", "moved", "edited", "restored", "undone"
]


@dataclass(frozen=True)
class Occurrence:
    """One event as it happens on the calendar: a single event, or one instance of a series.

    Timed occurrences carry aware datetimes in the user's time zone; all-day ones carry dates,
    with `end` exclusive as in iCalendar (a one-day event ends the next day)."""

    uid: str
    title: str
    start: datetime | date
    end: datetime | date
    all_day: bool
    recurring: bool
    recurrence_id: datetime | date | None
    """Which instance of a series this is (its original start); None for single events."""
    transparent: bool = False
    """TRANSP:TRANSPARENT: shown, but does not make the person busy."""
    reminder_minutes: int | None = None
    """How many minutes before the start the event's first alarm relative to its start
    (a VALARM whose TRIGGER is a duration at or before the start) goes off; None without
    one. Not part of the command line's JSON."""

    def to_json(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "title": self.title,
            "start": _iso(self.start),
            "end": _iso(self.end),
            "all_day": self.all_day,
            "recurring": self.recurring,
        }


def _iso(value: datetime | date) -> str:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


@dataclass(frozen=True)
class Change:
    """What one write did, in words, with the occurrences it added or removed."""

    kind: ChangeKind
    occurrence: Occurrence
    description: str
    """What it did, in English ("moved 'Dentist' to 2026-03-28 15:00")."""
    words: Phrase | None = field(default=None, compare=False, repr=False)
    """The description as a template and values, to say it in another language (None: the
    description as it is)."""

    @classmethod
    def said(cls, kind: ChangeKind, occurrence: Occurrence, words: Phrase) -> Change:
        """A change described by a Phrase."""
        return cls(kind, occurrence, str(words), words)

    @property
    def description_phrase(self) -> Phrase:
        return self.words if self.words is not None else as_phrase(self.description)
