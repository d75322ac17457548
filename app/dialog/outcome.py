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
class PendingChoice:
    """A delete or a move waiting for a yes (one candidate) or a choice (several)."""

    call: ResolvedCall
    candidates: tuple[Occurrence, ...]
    new_starts: tuple[datetime | date, ...] = ()
    """For a move: where each candidate would go, in the same order."""


Pending = PendingInput | PendingChoice
