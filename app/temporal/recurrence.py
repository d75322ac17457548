"""A recurrence phrase ("jeden zweiten Dienstag bis Ende Juni") -> an RFC 5545 RRULE value."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from dateutil.rrule import rrulestr

from app.temporal.change_words import change_tokens
from app.temporal.clock import resolve_canonical_time
from app.temporal.dates import add_months, add_offset, monday_of, resolve_canonical_date

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_WORKDAYS = WEEKDAY_CODES[:5]
_WEEKEND = WEEKDAY_CODES[5:]
_UNIT_FREQUENCIES = {"_day": "DAILY", "_week": "WEEKLY", "_month": "MONTHLY", "_year": "YEARLY"}
_FREQUENCY_WORDS = {
    "_daily": "DAILY",
    "_weekly": "WEEKLY",
    "_monthly": "MONTHLY",
    "_yearly": "YEARLY",
    "_of_month": "MONTHLY",
}

_EVERY_OTHER = re.compile(r"(?<!\S)_every _other(?!\S)")
_EVERY_NTH = re.compile(r"(?<!\S)_every (\d+)\.? (_day|_week|_month|_year|_d\d)(?!\S)")
_EVERY_NTH_MONTH = re.compile(r"(?<!\S)_every (\d+)\.? _month(?!\S)")
_EVERY_UNIT = re.compile(r"(?<!\S)_every (?:_other |\d+\.? )?(_day|_week|_month|_year)(?!\S)")
_NTH_WEEKDAY = re.compile(r"(?<!\S)(?:(\d)\.|(_last)) _d(\d)(?!\S)")
_WEEKDAY = re.compile(r"(?<!\S)_d(\d)(?!\S)")
_MONTH_DAY = re.compile(r"(?<!\S)(\d{1,2})\.(?! _d\d)(?!\S)")
_DAY_THEN_MONTH = re.compile(r"(?<!\S)(\d{1,2})(?:\.? _m|\.)(\d{1,2})\.?(?!\S)")
_MONTH_THEN_DAY = re.compile(r"(?<!\S)_m(\d{1,2}) (\d{1,2})\.?(?!\S)")
_ANY_DAY = date(2000, 1, 1)  # whether a phrase names a day does not depend on today
_NOT_A_RECURRENCE = frozenset({"_ahead", "_later", "_earlier"})
_EVERY_PART_OF_DAY = re.compile(r"(?<!\S)_every _part_\w+(?!\S)")  # "jeden Abend"
_COUNT = re.compile(r"(?<!\S)(\d+) _times(?!\S)")
_TIMES_PER = re.compile(
    r"(?<!\S)_times (?:1 )?"
    r"(?:_daily|_weekly|_monthly|_yearly|_of_month|_day|_week|_month|_year)(?!\S)"
)
_FOR_LENGTH = re.compile(
    r"(?<!\S)(?:_for (?:_next )?(\d+) (_day|_week|_month|_year)"
    r"|(\d+) (_day|_week|_month|_year) _long)(?!\S)"
)
_END_OF_MONTH = re.compile(r"^_end _m(\d{1,2})(?: (\d{4}))?$")
_END_OF = re.compile(r"^_end (?:(_this|_next) )?(_week|_month|_year)$")


@dataclass
class Rule:
    frequency: str = ""
    interval: int = 1
    months: list[int] = field(default_factory=list)
    weekdays: list[str] = field(default_factory=list)
    month_days: list[int] = field(default_factory=list)
    count: int | None = None
    until: date | None = None

    def value(self) -> str:
        parts = [f"FREQ={self.frequency}"]
        if self.interval > 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        if self.until is not None:
            parts.append(f"UNTIL={self.until:%Y%m%d}")
        if self.months:
            parts.append("BYMONTH=" + ",".join(map(str, self.months)))
        if self.weekdays:
            parts.append("BYDAY=" + ",".join(self.weekdays))
        if self.month_days:
            parts.append("BYMONTHDAY=" + ",".join(map(str, self.month_days)))
        return ";".join(parts)


def _interval(text: str) -> int:
    if _EVERY_OTHER.search(text):
        return 2
    match = _EVERY_NTH.search(text)
    return int(match[1]) if match else 1


def _frequency_word(tokens: list[str], text: str) -> str:
    for token in tokens:
        if token in _FREQUENCY_WORDS:
            return _FREQUENCY_WORDS[token]
    match = _EVERY_UNIT.search(text)
    if match:
        return _UNIT_FREQUENCIES[match[1]]
    return "DAILY" if _EVERY_PART_OF_DAY.search(text) else ""


def _said_weekdays(text: str) -> list[str]:
    codes = [WEEKDAY_CODES[int(number)] for number in _WEEKDAY.findall(text)]
    return sorted(set(codes), key=WEEKDAY_CODES.index)


def _monthly_by_weekday(text: str, rule: Rule) -> bool:
    """ "jeden dritten Mittwoch im Monat" -> BYDAY=3WE; "last Friday of the month" -> -1FR."""
    if rule.frequency != "MONTHLY":
        return False
    matches = list(_NTH_WEEKDAY.finditer(text))
    if not matches:
        return False
    for match in matches:
        position = "-1" if match[2] else match[1]
        rule.weekdays.append(position + WEEKDAY_CODES[int(match[3])])
    return True


def _day_of_year(text: str, rule: Rule) -> bool:
    """ "5. Mai", "may 5th", "24.12." -> BYMONTH and BYMONTHDAY; False for a day no year has."""
    if match := _DAY_THEN_MONTH.search(text):
        day, month = int(match[1]), int(match[2])
    elif match := _MONTH_THEN_DAY.search(text):
        day, month = int(match[2]), int(match[1])
    else:
        return True
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(2000, month)[1]):
        return False
    rule.months.append(month)
    rule.month_days.append(day)
    return True


def _body(tokens: list[str]) -> Rule | None:
    text = " ".join(tokens)
    rule = Rule(frequency=_frequency_word(tokens, text))
    if "_workdays" in tokens:
        rule.frequency = rule.frequency or "WEEKLY"
        rule.weekdays = list(_WORKDAYS)
    elif _monthly_by_weekday(text, rule):
        every_months = _EVERY_NTH_MONTH.search(text)
        rule.interval = int(every_months[1]) if every_months else 1
        return rule
    elif "_every" in tokens and "_weekend" in tokens:
        rule.frequency, rule.weekdays = "WEEKLY", list(_WEEKEND)
    elif "_every" in tokens and (weekdays := _said_weekdays(text)):
        rule.frequency, rule.weekdays = rule.frequency or "WEEKLY", weekdays
    elif rule.frequency in ("", "YEARLY") and ("_every" in tokens or rule.frequency):
        if not _day_of_year(text, rule):
            return None
        if rule.months:
            rule.frequency = "YEARLY"
    elif rule.frequency == "MONTHLY":
        rule.month_days = [int(day) for day in _MONTH_DAY.findall(text)]
        if any(not 1 <= day <= 31 for day in rule.month_days):
            return None
    if rule.frequency == "WEEKLY" and not rule.weekdays:
        rule.weekdays = _said_weekdays(text)
    if not rule.frequency:
        return None
    rule.interval = _interval(text)
    return rule


def _last_day_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _end_of(text: str, first: date) -> date | None:
    if match := _END_OF_MONTH.match(text):
        month = int(match[1])
        year = int(match[2]) if match[2] else first.year
        end = _last_day_of_month(year, month)
        if match[2] is None and end < first:
            end = _last_day_of_month(year + 1, month)
        return end
    if match := _END_OF.match(text):
        ahead = 1 if match[1] == "_next" else 0
        if match[2] == "_week":
            return monday_of(first) + timedelta(weeks=ahead, days=6)
        if match[2] == "_month":
            start = add_months(first, ahead)
            return _last_day_of_month(start.year, start.month)
        return date(first.year + ahead, 12, 31)
    return None


def _until(end_tokens: list[str], language: str, first: date) -> date | None:
    text = " ".join(end_tokens).replace("_of_month", "_month")  # "bis Ende des Monats"
    if text.startswith("_end"):
        return _end_of(text, first)
    return resolve_canonical_date(text, language, first)


def _says_a_clock_time(segment: list[str], language: str) -> bool:
    """ "17 Uhr" after "bis" ends a clock span ("von 9 bis 17 Uhr"), not the recurrence."""
    text = " ".join(segment)
    return (
        resolve_canonical_time(text, language) is not None
        and resolve_canonical_date(text, language, _ANY_DAY) is None
    )


def _split_end(tokens: list[str], language: str) -> tuple[list[str], list[str]]:
    """The tokens without the end, and the end date after "bis"/"until"."""
    positions = [index for index, token in enumerate(tokens) if token == "_to"]
    for at in positions:
        following = next((index for index in positions if index > at), len(tokens))
        segment = tokens[at + 1 : following]
        if not _says_a_clock_time(segment, language):
            return tokens[:at] + tokens[following:], segment
    return tokens, []


def _apply_ends(rule: Rule, body: str, end_tokens: list[str], language: str, first: date) -> bool:
    if count := _COUNT.search(body):
        rule.count = int(count[1])
    elif length := _FOR_LENGTH.search(body):
        amount, unit = (length[1], length[2]) if length[1] else (length[3], length[4])
        later = add_offset(first, int(amount), unit)
        rule.until = later - timedelta(days=1) if later is not None else None
    if end_tokens:
        rule.until = _until(end_tokens, language, first)
        if rule.until is None or rule.count is not None:
            return False
    if rule.count is not None and rule.count < 1:
        return False
    return rule.until is None or rule.until >= first


def resolve_recurrence_phrase(phrase: str, language: str, first: date) -> str | None:
    tokens, end_tokens = _split_end(list(change_tokens(phrase, language)), language)
    body = " ".join(tokens)
    if _NOT_A_RECURRENCE.intersection(tokens) or _TIMES_PER.search(body):
        return None  # "dreimal wöchentlich", "twice a week": how often, not how many
    without_ends = _COUNT.sub("", _FOR_LENGTH.sub("", body)).split()
    rule = _body(without_ends)
    if rule is None or not _apply_ends(rule, body, end_tokens, language, first):
        return None
    return rule.value()


def first_occurrence_of(rule: str, today: date) -> date | None:
    """The first day on or after `today` that the rule (said without a start day) falls on. An
    interval counts from that day: "every other Thursday" said on a Friday starts on the next
    Thursday, not on the one after it (which counting weeks from today's would give)."""
    start = datetime.combine(today, time())
    every_matching_day = rrulestr(rule, dtstart=start).replace(interval=1, count=None)
    found = every_matching_day.after(start, inc=True)
    return found.date() if found is not None else None
