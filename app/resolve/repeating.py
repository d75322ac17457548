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
    """The first occurrence: the day said, else the first day on or after today the rule
    falls on."""


def repetition(phrase: str, language: str, said_day: date | None, today: date) -> Repetition | None:
    """The repetition `phrase` names ("jeden zweiten Dienstag bis Ende Juni"), or None."""
    rule = resolve_recurrence(phrase, language, said_day or today)
    if rule is None:
        return None
    first = said_day or first_occurrence(rule, today)
    if first is None:
        return None
    if first != (said_day or today):
        rule = resolve_recurrence(phrase, language, first)  # ends are read from the first day
    return Repetition(rule, first) if rule is not None else None
