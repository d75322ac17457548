"""A day phrase ("nächsten Freitag", "the 24th of December", "in 3 Tagen") -> a date."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta

from app.temporal.lexicon import canonical

_NUM = r"(\d{1,2})"
_START = r"(?<!\S)"
_END = r"(?!\S)"


def _pattern(body: str) -> re.Pattern[str]:
    return re.compile(_START + body + _END)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _full_year(year: int) -> int:
    return year + 2000 if year < 100 else year


def day_and_month(day: int, month: int, year: int | None, today: date) -> date | None:
    """The day in the given year; without a year this year's, or next year's if already past."""
    if year is not None:
        return _safe_date(_full_year(year), month, day)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    candidate = _safe_date(today.year, month, day)
    if candidate is not None and candidate >= today:
        return candidate
    for offset in range(1, 9):  # 29 February: the next leap year
        candidate = _safe_date(today.year + offset, month, day)
        if candidate is not None:
            return candidate
    return None


def day_of_month(day: int, today: date) -> date | None:
    """The next date (today included) whose day of the month is `day`."""
    if not 1 <= day <= 31:
        return None
    year, month = today.year, today.month
    for _ in range(13):
        candidate = _safe_date(year, month, day)
        if candidate is not None and candidate >= today:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def day_of_month_on_weekday(day: int, weekday: int, today: date) -> date | None:
    """The next date (today included) with this day of the month on this weekday."""
    candidate = day_of_month(day, today)
    for _ in range(40):  # every such pair recurs within 14 months
        if candidate is None or candidate.weekday() == weekday:
            return candidate
        candidate = day_of_month(day, candidate + timedelta(days=1))
    return None


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def next_weekday(today: date, weekday: int, *, include_today: bool) -> date:
    ahead = (weekday - today.weekday()) % 7
    if ahead == 0 and not include_today:
        ahead = 7
    return today + timedelta(days=ahead)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def add_offset(day: date, amount: int, unit: str) -> date | None:
    if unit == "_day":
        return day + timedelta(days=amount)
    if unit == "_week":
        return day + timedelta(weeks=amount)
    if unit == "_month":
        return add_months(day, amount)
    if unit == "_year":
        return add_months(day, 12 * amount)
    return None


_ISO = _pattern(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DOTTED_WITH_YEAR = _pattern(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})\.?")
_SLASHED_WITH_YEAR = _pattern(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})")
_DOTTED = re.compile(r"(?<!\S)(?<!_at )(\d{1,2})\.(\d{1,2})(\.?)(?! (?:_oclock|_h)(?!\S))(?!\S)")
_SLASHED = _pattern(r"(\d{1,2})/(\d{1,2})")
_YEAR = r"(?: (\d{4}|20 \d{2}))?"  # "2017", spoken "twenty seventeen" / "zwanzig siebzehn"
_DAY_MONTH = _pattern(_NUM + r"\.? _m(\d{1,2})" + _YEAR)
_MONTH_DAY = _pattern(r"_m(\d{1,2}) " + _NUM + r"\.?" + _YEAR)
_ORDINAL_DAY_MONTH = _pattern(_NUM + r"\. " + _NUM + r"\." + _YEAR)  # "am dreißigsten siebten"
_HOLIDAY = _pattern(r"_hol(\d\d)-(\d\d)" + _YEAR)
_ORDINAL_DAY = re.compile(r"(?<!\S)(?<!_at )(\d{1,2})\.(?! (?:_oclock|_h|_m\d+)(?!\S))(?!\S)")
_WEEKDAY_IN_WEEK = _pattern(r"_d(\d) (_this|_next|_coming|_afternext|_last) _week")
_WEEK_THEN_WEEKDAY = _pattern(r"(_this|_next|_coming|_afternext|_last) _week _d(\d)")
_WEEKDAY_IN_WEEKS = _pattern(r"_d(\d) _in (\d+) _week")
_OFFSET_FROM_WEEKDAY = _pattern(
    r"(\d+) (_day|_week) (?:_from|_past) (_next |_this |_coming )?_d(\d)"
)
_OFFSET_FROM_RELATIVE = _pattern(r"(?:(\d+) )?(_day|_week|_month|_year) (?:_from|_past) _rel(-?\d)")
_WEEKDAY_AFTER_NEXT = re.compile(r"(?<!\S)(?:_afternext _d(\d)|_d(\d) _afternext)(?!\S)")
_MODIFIED_WEEKDAY = _pattern(r"(_next|_coming|_this|_last) _d(\d)")
_WEEKDAY = _pattern(r"_d(\d)")
_RELATIVE_WITH_OFFSET = _pattern(r"_rel(-?\d) _in (\d+) (_day|_week|_month|_year)")
_RELATIVE = _pattern(r"_rel(-?\d)")
_IN_OFFSET = _pattern(
    r"_in (\d+) (_day|_week|_month|_year)(?: _and (\d+) (_day|_week))?(?! _and 1 _half)"
)
_OFFSET_LATER = _pattern(r"(\d+) (_day|_week|_month|_year)(?: _from _rel0)?")

_MODIFIERS = {"_this": 0, "_next": 1, "_coming": 1, "_afternext": 2, "_last": -1}


def _numeric(text: str, language: str, today: date) -> date | None:
    if match := _ISO.search(text):
        return _safe_date(int(match[1]), int(match[2]), int(match[3]))
    if match := _DOTTED_WITH_YEAR.search(text):
        return day_and_month(int(match[1]), int(match[2]), int(match[3]), today)
    if match := _SLASHED_WITH_YEAR.search(text):
        first, second = int(match[1]), int(match[2])
        month, day = (first, second) if language == "en" and first <= 12 else (second, first)
        return day_and_month(day, month, int(match[3]), today)
    if match := _DOTTED.search(text):
        return day_and_month(int(match[1]), int(match[2]), None, today)
    if match := _SLASHED.search(text):
        first, second = int(match[1]), int(match[2])
        month, day = (first, second) if language == "en" and first <= 12 else (second, first)
        return day_and_month(day, month, None, today)
    return None


def _year(text: str | None) -> int | None:
    return int(text.replace(" ", "")) if text else None


def _named_month(text: str, today: date) -> date | None:
    if match := _DAY_MONTH.search(text):
        return day_and_month(int(match[1]), int(match[2]), _year(match[3]), today)
    if match := _MONTH_DAY.search(text):
        return day_and_month(int(match[2]), int(match[1]), _year(match[3]), today)
    if match := _ORDINAL_DAY_MONTH.search(text):
        return day_and_month(int(match[1]), int(match[2]), _year(match[3]), today)
    if match := _HOLIDAY.search(text):
        return day_and_month(int(match[2]), int(match[1]), _year(match[3]), today)
    if match := _ORDINAL_DAY.search(text):
        if weekday := _WEEKDAY.search(text):  # "Freitag, den 13.": the next Friday the 13th
            return day_of_month_on_weekday(int(match[1]), int(weekday[1]), today)
        return day_of_month(int(match[1]), today)
    return None


def _weekday(text: str, today: date) -> date | None:
    if match := _WEEKDAY_IN_WEEK.search(text):
        week = monday_of(today) + timedelta(weeks=_MODIFIERS[match[2]])
        return week + timedelta(days=int(match[1]))
    if match := _WEEK_THEN_WEEKDAY.search(text):
        week = monday_of(today) + timedelta(weeks=_MODIFIERS[match[1]])
        return week + timedelta(days=int(match[2]))
    if match := _WEEKDAY_IN_WEEKS.search(text):
        return monday_of(today) + timedelta(weeks=int(match[2]), days=int(match[1]))
    if match := _OFFSET_FROM_WEEKDAY.search(text):
        include_today = match[3] == "_this "
        base = next_weekday(today, int(match[4]), include_today=include_today)
        return add_offset(base, int(match[1]), match[2])
    if match := _WEEKDAY_AFTER_NEXT.search(text):
        weekday = int(match[1] or match[2])
        return next_weekday(today, weekday, include_today=False) + timedelta(weeks=1)
    if match := _MODIFIED_WEEKDAY.search(text):
        weekday = int(match[2])
        if match[1] == "_this":
            return next_weekday(today, weekday, include_today=True)
        if match[1] == "_last":
            return next_weekday(today, weekday, include_today=True) - timedelta(weeks=1)
        return next_weekday(today, weekday, include_today=False)
    if match := _WEEKDAY.search(text):
        return next_weekday(today, int(match[1]), include_today=False)
    return None


def _relative(text: str, today: date) -> date | None:
    if match := _OFFSET_FROM_RELATIVE.search(text):
        amount = int(match[1]) if match[1] else 1  # "(a) week from today"
        return add_offset(today + timedelta(days=int(match[3])), amount, match[2])
    if match := _RELATIVE_WITH_OFFSET.search(text):
        return add_offset(today + timedelta(days=int(match[1])), int(match[2]), match[3])
    if match := _RELATIVE.search(text):
        return today + timedelta(days=int(match[1]))
    if match := _IN_OFFSET.search(text):
        later = add_offset(today, int(match[1]), match[2])
        if later is not None and match[3]:  # "in zwei Wochen und drei Tagen"
            later = add_offset(later, int(match[3]), match[4])
        return later
    return None


def _offset_later(text: str, today: date) -> date | None:
    """ "3 days from today", "zwei Wochen" copied without "in": only as the whole phrase."""
    match = _OFFSET_LATER.fullmatch(text)
    return add_offset(today, int(match[1]), match[2]) if match else None


_READERS: tuple[Callable[[str, date], date | None], ...] = (
    _named_month,
    _weekday,
    _relative,
    _offset_later,
)


def resolve_canonical_date(text: str, language: str, today: date) -> date | None:
    numeric = _numeric(text, language, today)
    if numeric is not None:
        return numeric
    for reader in _READERS:
        found = reader(text, today)
        if found is not None:
            return found
    return None


def resolve_date_phrase(phrase: str, language: str, today: date) -> date | None:
    text = canonical(phrase, language)
    if len(phrase.split()) == 1 and _OFFSET_LATER.fullmatch(text):
        return None  # "zweitägigen", "two-day": how long, said before a noun
    return resolve_canonical_date(text, language, today)
