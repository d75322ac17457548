"""A relative move ("eine Stunde später", "auf nächste Woche") of an event's start."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

from app.temporal.change_words import change_tokens, is_length
from app.temporal.dates import add_months, add_offset, monday_of
from app.temporal.durations import resolve_canonical_duration

_DIRECTIONS = {"_later": 1, "_earlier": -1}
_CALENDAR_OFFSET = re.compile(r"^(\d+) (_day|_week|_month|_year)$")
_TO_WEEK_OR_MONTH = re.compile(r"^(?:_to |_in )?(_next|_afternext|_coming) (_week|_month)$")
_AFTER_NEXT_LAST = re.compile(r"(_week|_month) _afternext$")  # "the week after next"
_LEADING_WORDS = frozenset({"_at", "_to"})
_WEEKS_AHEAD = {"_next": 1, "_coming": 1, "_afternext": 2}


def _with_day(start: datetime | date, day: date) -> datetime | date:
    if isinstance(start, datetime):
        return start.replace(year=day.year, month=day.month, day=day.day)
    return day


def _day_of(start: datetime | date) -> date:
    return start.date() if isinstance(start, datetime) else start


def _to_week_or_month(text: str, start: datetime | date, now: datetime) -> datetime | date | None:
    """ "auf nächste Woche": the start's weekday in the week after now's; a month likewise."""
    match = _TO_WEEK_OR_MONTH.match(_AFTER_NEXT_LAST.sub(r"_afternext \1", text))
    if match is None:
        return None
    ahead = _WEEKS_AHEAD[match[1]]
    if match[2] == "_week":
        day = monday_of(now.date()) + timedelta(weeks=ahead, days=_day_of(start).weekday())
    else:
        month_start = add_months(now.date().replace(day=1), ahead)
        last = calendar.monthrange(month_start.year, month_start.month)[1]
        day = month_start.replace(day=min(_day_of(start).day, last))
    return _with_day(start, day)


def _shift(
    amount: list[str], direction: int, start: datetime | date, language: str
) -> datetime | date | None:
    text = " ".join(amount)
    if match := _CALENDAR_OFFSET.match(text):
        day = add_offset(_day_of(start), direction * int(match[1]), match[2])
        return _with_day(start, day) if day is not None else None
    minutes = resolve_canonical_duration(text, language, None) if amount else None
    if minutes is None:
        return None
    if isinstance(start, datetime):
        return start + timedelta(minutes=direction * minutes)
    if minutes % 1440:
        return None  # a day without a clock time moves by whole days only
    return start + timedelta(days=direction * minutes // 1440)


def resolve_move_phrase(
    phrase: str, language: str, current_start: datetime | date, now: datetime
) -> datetime | date | None:
    tokens = list(change_tokens(phrase, language))
    if "~" in tokens:
        return None
    directions = [token for token in tokens if token in _DIRECTIONS]
    if not directions:
        return _to_week_or_month(" ".join(tokens), current_start, now)
    if len(directions) > 1:
        return None
    amount = [token for token in tokens if token not in _DIRECTIONS and token not in _LEADING_WORDS]
    if not is_length(amount):
        return None  # "eine Stunde später am Freitag": the new day is resolve_date's
    return _shift(amount, _DIRECTIONS[directions[0]], current_start, language)
