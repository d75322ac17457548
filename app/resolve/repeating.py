"""create_event's recurrence: the RRULE a phrase names and the day of its first occurrence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.temporal import first_occurrence, resolve_recurrence


@dataclass(frozen=True)
class Repetition:
    rule: str
    """An RFC 5545 RRULE value without the "RRULE:" prefix; UNTIL is a date."""
    first: date
    """The first occurrence: the first day the rule falls on from the day said ("ab Montag
    jeden Donnerstag": that Thursday), or from today."""


def repetition(phrase: str, language: str, said_day: date | None, today: date) -> Repetition | None:
    """The repetition `phrase` names ("jeden zweiten Dienstag bis Ende Juni"), or None."""
    start = said_day or today
    rule = resolve_recurrence(phrase, language, start)
    if rule is None:
        return None
    first = first_occurrence(rule, start)
    if first is None:
        return None
    if first != start:
        rule = resolve_recurrence(phrase, language, first)  # ends are read from the first day
    return Repetition(rule, first) if rule is not None else None
