"""What the dialog answers (`Outcome`) and what it waits for (`Pending`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from app.resolve import ResolvedCall
from calendar_backend import Occurrence

Status = Literal["done", "needs_confirmation", "needs_input", "rejected", "no_speech", "error"]


@dataclass(frozen=True)
class Outcome:
    """What happened, and the sentence to speak."""

    status: Status
    message: str
    language: str
    events: tuple[Occurrence, ...] = ()
    """Created, deleted, moved or listed events; the candidates while a choice is pending."""
    call: ResolvedCall | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "message": self.message,
            "events": [occurrence.to_json() for occurrence in self.events],
        }


@dataclass(frozen=True)
class PendingInput:
    """A request waiting for the value(s) in `call.missing`."""

    call: ResolvedCall


@dataclass(frozen=True)
class EventEdit:
    """What changes in an event the person edited; None: that stays as it is."""

    start: datetime | date | None = None
    """An aware time in the calendar's zone, or a day for an all-day event."""
    minutes: int | None = None
    """The new length (an all-day event: whole days of 1440 minutes)."""
    title: str | None = None

    def __bool__(self) -> bool:
        return not (self.start is None and self.minutes is None and self.title is None)


@dataclass(frozen=True)
class PendingChoice:
    """A delete, a move or an edit waiting for a yes (one candidate) or a choice (several)."""

    call: ResolvedCall
    candidates: tuple[Occurrence, ...]
    new_starts: tuple[datetime | date, ...] = ()
    """For a move: where each candidate would go, in the same order."""
    edit: EventEdit | None = None
    """For an edit (one candidate): what changes."""


Pending = PendingInput | PendingChoice
