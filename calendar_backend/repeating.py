"""The parts a new event may have beyond its time: a recurrence rule and a reminder, checked
before anything is written and turned into the exact lines that go into its VEVENT."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

from dateutil.rrule import rrulestr
from icalendar import vRecur, vText

LONGEST_REMINDER_MINUTES = 4 * 7 * 24 * 60
"""Four weeks: a reminder further ahead than that is almost surely a mistake."""

_RULE_CHARACTERS = re.compile(r"[A-Z0-9=;,+\-]+")
"""What an RRULE value is made of (RFC 5545 3.3.10); anything else (a line break, a "RRULE:"
prefix, a second property) is refused before it could reach the file."""


def checked_recurrence(rule: str, start: datetime | date) -> str:
    """The RRULE value to write (upper case), or ValueError saying what is wrong with it."""
    value = rule.strip().upper()
    if not _RULE_CHARACTERS.fullmatch(value):
        raise ValueError(
            f"{rule!r} is not a recurrence rule: give the RRULE value alone, "
            "such as FREQ=WEEKLY;COUNT=4"
        )
    try:
        parts = vRecur.from_ical(value)
    except ValueError as error:
        raise ValueError(f"{rule!r} is not a valid recurrence rule ({error})") from None
    if "FREQ" not in parts:
        raise ValueError(f"{rule!r} is not a valid recurrence rule: it needs a FREQ")
    if "COUNT" in parts and "UNTIL" in parts:
        raise ValueError(f"{rule!r} gives both COUNT and UNTIL; RFC 5545 allows only one")
    for until in parts.get("UNTIL", []):
        _require_until_like_start(rule, until, start)
    first = start if isinstance(start, datetime) else datetime.combine(start, time.min)
    try:
        rrulestr(value, dtstart=first)
    except (ValueError, TypeError) as error:
        raise ValueError(f"{rule!r} is not a valid recurrence rule ({error})") from None
    return value


def _require_until_like_start(rule: str, until: object, start: datetime | date) -> None:
    """RFC 5545: UNTIL has DTSTART's value type, and is in UTC when DTSTART has a zone."""
    if not isinstance(start, datetime):
        if isinstance(until, datetime) or not isinstance(until, date):
            raise ValueError(
                f"{rule!r}: an all-day series ends on a date (UNTIL=YYYYMMDD), not a time"
            )
        return
    if not isinstance(until, datetime) or until.utcoffset() is None:
        raise ValueError(f"{rule!r}: a timed series ends at a time in UTC (UNTIL=YYYYMMDDTHHMMSSZ)")
    if until.astimezone(UTC) < start.astimezone(UTC):
        raise ValueError(f"{rule!r} ends before the event starts")


def checked_reminder(minutes: int) -> int:
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise ValueError("a reminder is given in whole minutes")
    if not 0 <= minutes <= LONGEST_REMINDER_MINUTES:
        raise ValueError(
            f"a reminder comes between 0 and {LONGEST_REMINDER_MINUTES} minutes before the event"
        )
    return minutes


def alarm_text(title: str, minutes_before: int) -> bytes:
    """A VALARM that shows the title minutes_before the start (CRLF lines, folded)."""
    trigger = f"-PT{minutes_before}M" if minutes_before else "PT0S"
    lines = [
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        _folded("DESCRIPTION:" + vText(title).to_ical().decode()),
        f"TRIGGER:{trigger}",
        "END:VALARM",
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


def _folded(line: str, limit: int = 75) -> str:
    """RFC 5545 folding: lines of at most `limit` octets, never splitting a character."""
    pieces: list[str] = []
    current = ""
    for character in line:
        room = limit if not pieces else limit - 1  # a continuation starts with a space
        if len((current + character).encode()) > room:
            pieces.append(current)
            current = ""
        current += character
    pieces.append(current)
    return "\r\n ".join(pieces)
