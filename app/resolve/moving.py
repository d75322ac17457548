"""move_event's new place: a day and a clock time ("auf Mittwoch um 10"), or a shift of the
event's current start ("eine Stunde später", "auf nächste Woche") that only the dialog, which
knows that start, can apply."""

from __future__ import annotations

from datetime import date, datetime, time

from app.temporal import resolve_move


def is_relative_move(phrase: str, language: str, now: datetime) -> bool:
    """Whether `phrase` shifts an event's start rather than naming a day or time."""
    return resolve_move(phrase, language, now, now) is not None


def moved_start(
    current_start: datetime | date,
    *,
    new_date: date | None,
    new_time: time | None,
    shifts: tuple[str, ...],
    language: str,
    now: datetime,
) -> datetime | date | None:
    """The event's new start: the said day and clock time replace the current ones, then each
    said shift moves it; None when a shift cannot be applied (a clock shift of an all-day
    event)."""
    start: datetime | date = current_start
    if new_date is not None:
        if isinstance(start, datetime):
            start = start.replace(year=new_date.year, month=new_date.month, day=new_date.day)
        else:
            start = new_date
    if new_time is not None:
        if isinstance(start, datetime):
            start = start.replace(hour=new_time.hour, minute=new_time.minute)
        else:
            start = datetime.combine(start, new_time)
    for shift in shifts:
        shifted = resolve_move(shift, language, start, now)
        if shifted is None:
            return None
        start = shifted
    return start
