"""A span phrase for listing ("diese Woche", "the next 7 days", "von Montag bis Mittwoch")."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from app.temporal.dates import add_months, monday_of, resolve_canonical_date
from app.temporal.lexicon import canonical

_START = r"(?<!\S)"
_END = r"(?!\S)"


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date  # inclusive; a single day has start == end


def _pattern(body: str) -> re.Pattern[str]:
    return re.compile(_START + body + _END)


_UNTIL = re.compile(r"^(?:_at )?_to (.+)$")
_NEXT_COUNT = _pattern(r"_next (\d+) (_day|_week)")
# Without a modifier only where no number counts the weeks ("in anderthalb Wochen" is no span).
_WEEK = _pattern(r"(?:(_this|_next|_coming|_afternext|_last) |(?<![\d.,] ))_week( _afternext)?")
_WEEKEND = _pattern(
    r"(?:(_this|_next|_coming|_afternext|_last) |(?<![\d.,] ))_weekend( _afternext)?"
)
_MONTH = _pattern(r"(_this|_next|_coming|_last) _month")
_YEAR = _pattern(r"(_this|_next|_coming|_last) _year")
_NAMED_MONTH = _pattern(r"_m(\d{1,2})(?: (\d{4}))?")
_ORDINAL_ONLY = re.compile(r"^(?:_from )?(\d{1,2})\.?$")
_MONTH_OF = re.compile(r"(?<!\S)\d{1,2}\.? (_m\d{1,2}(?: \d{4})?)(?!\S)|(_m\d{1,2})")
_DAY_NAME = re.compile(r"(?<!\S)_d\d(?!\S)")


def _month_range(year: int, month: int) -> DateRange:
    last = calendar.monthrange(year, month)[1]
    return DateRange(date(year, month, 1), date(year, month, last))


def _span(text: str, language: str, today: date) -> tuple[bool, DateRange | None]:
    """(whether the phrase is a span of two days, that span if it is a valid one)."""
    if until := _UNTIL.match(text):
        end = resolve_canonical_date(until[1], language, today)
        if end is None:
            return False, None
        return True, DateRange(today, end) if end >= today else None
    tokens = text.split()
    if "_from" in tokens:
        tokens = tokens[tokens.index("_from") + 1 :]
    cut = next((i for i, token in enumerate(tokens) if token in ("_to", "_and") and i > 0), None)
    if cut is None:
        return False, None
    left, right = " ".join(tokens[:cut]), " ".join(tokens[cut + 1 :])
    if _ORDINAL_ONLY.match(left) and (month := _MONTH_OF.search(right)):
        left = f"{left.rstrip('.')}. {month[1] or month[2]}"  # "vom 3. bis 5. Mai"
    elif _ORDINAL_ONLY.match(right) and (month := _MONTH_OF.search(left)):
        right = f"{right.rstrip('.')}. {month[1] or month[2]}"  # "April 3rd to 5th"
    start = resolve_canonical_date(left, language, today)
    end = resolve_canonical_date(right, language, today)
    if end is not None and start is None and tokens[cut] == "_to":
        start = today  # "Termine bis Freitag": from today
    if start is None or end is None:
        return False, None
    if end < start and _DAY_NAME.search(right):
        end += timedelta(weeks=1)  # "von Freitag bis Montag"
    return True, DateRange(start, end) if end >= start else None


def _named_span(text: str, today: date) -> DateRange | None:
    if match := _NEXT_COUNT.search(text):
        count = int(match[1]) * (7 if match[2] == "_week" else 1)
        return DateRange(today, today + timedelta(days=count - 1)) if count > 0 else None
    if match := _WEEKEND.search(text):
        modifier = "_afternext" if match[2] else match[1]
        saturday = monday_of(today) + timedelta(days=5)
        if modifier in (None, "_this"):
            return DateRange(max(saturday, today), saturday + timedelta(days=1))
        if modifier == "_last":
            saturday -= timedelta(weeks=1)
        else:  # the coming one, or the one after it
            if today.weekday() >= 5:
                saturday += timedelta(weeks=1)
            if modifier == "_afternext":
                saturday += timedelta(weeks=1)
        return DateRange(saturday, saturday + timedelta(days=1))
    if match := _WEEK.search(text):
        modifier = "_afternext" if match[2] else match[1]
        monday = monday_of(today)
        if modifier in (None, "_this"):
            return DateRange(today, monday + timedelta(days=6))
        weeks = {"_next": 1, "_coming": 1, "_afternext": 2, "_last": -1}[modifier]
        start = monday + timedelta(weeks=weeks)
        return DateRange(start, start + timedelta(days=6))
    if match := _MONTH.search(text):
        if match[1] == "_this":
            return DateRange(today, _month_range(today.year, today.month).end)
        first = add_months(today.replace(day=1), -1 if match[1] == "_last" else 1)
        return _month_range(first.year, first.month)
    if match := _YEAR.search(text):
        if match[1] == "_this":
            return DateRange(today, date(today.year, 12, 31))
        year = today.year + (-1 if match[1] == "_last" else 1)
        return DateRange(date(year, 1, 1), date(year, 12, 31))
    if match := _NAMED_MONTH.search(text):
        month = int(match[1])
        if not 1 <= month <= 12:
            return None
        if match[2]:
            return _month_range(int(match[2]), month)
        year = today.year if month >= today.month else today.year + 1
        return _month_range(year, month)
    return None


def resolve_canonical_range(text: str, language: str, today: date) -> DateRange | None:
    is_span, span = _span(text, language, today)
    if is_span:
        return span
    if _NEXT_COUNT.search(text) is None:
        single = resolve_canonical_date(text, language, today)
        if single is not None:
            return DateRange(single, single)
    return _named_span(text, today)


def resolve_range_phrase(phrase: str, language: str, today: date) -> DateRange | None:
    return resolve_canonical_range(canonical(phrase, language), language, today)
