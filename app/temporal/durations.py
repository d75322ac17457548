"""A length phrase ("anderthalb Stunden", "an hour and a half", "bis 17 Uhr") -> minutes."""

from __future__ import annotations

import re
from datetime import time

from app.temporal.clock import (
    SaidClock,
    clock_span,
    day_part_cue,
    decide,
    resolve_canonical_time,
    said_clock,
)
from app.temporal.lexicon import UNKNOWN, canonical

_UNIT_MINUTES = {
    "_minute": 1.0,
    "_hour": 60.0,
    "_h": 60.0,
    "_quarterhour": 15.0,
    "_day": 1440.0,
    "_week": 10080.0,
}
_NUMBER = re.compile(r"^\d+(?:,\d+)?$")
_UNTIL = re.compile(r"(?:^|(?<= ))_to (.+)$")
_STARTS_LATER = re.compile(r"(?<!\S)_in \d+(?:,\d+)? ")
ALL_DAY_MINUTES = 1440


def _number(token: str) -> float:
    return float(token.replace(",", "."))


def _sum_of_lengths(tokens: list[str]) -> float | None:
    """Adds up "<number> <unit>" pieces; halves and quarters as said around them."""
    total = 0.0
    found = False
    pending: float | None = None
    factor = 1.0
    last_unit: float | None = None
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token == UNKNOWN:  # "ein paar Stunden": the number was not about the unit
            pending, factor = None, 1.0
        elif _NUMBER.match(token):
            pending = _number(token) * factor
            factor = 1.0
        elif token == "_half":
            if pending is not None:  # "eine halbe Stunde"
                pending *= 0.5
            else:  # "half an hour", "halbe Stunde"
                factor = 0.5
        elif token in ("_quarter", "_threequarter"):  # "a quarter of an hour", "dreiviertel"
            share = 0.25 if token == "_quarter" else 0.75
            factor = share * (pending if pending is not None else 1.0)
            pending = None
        elif token == "_and" and tokens[index + 1 : index + 3] in (
            ["1", "_half"],
            ["1", "_quarter"],
        ):
            share = 0.5 if tokens[index + 2] == "_half" else 0.25
            if pending is not None:  # "two and a half hours"
                pending += share
            elif last_unit is not None:  # "an hour and a half", "an hour and a quarter"
                total += share * last_unit
            index += 3
            continue
        elif token in _UNIT_MINUTES:
            if pending is None:
                if factor == 1.0:
                    return None
                pending, factor = factor, 1.0
            last_unit = _UNIT_MINUTES[token]
            total += pending * last_unit
            found = True
            pending = None
            following = tokens[index + 1 : index + 3]
            if (
                token in ("_hour", "_h")
                and following
                and following[0].isdigit()
                and 0 < int(following[0]) < 60
                and (len(following) == 1 or following[1] not in _UNIT_MINUTES)
            ):
                total += int(following[0])  # "eine Stunde 30"
                index += 2
                continue
        index += 1
    return total if found else None


def _between(start: time, end: SaidClock, end_cue: str | None) -> int | None:
    start_minutes = start.hour * 60 + start.minute
    candidates = []
    if end.twenty_four_hour or end_cue is not None:
        decided = decide(end, end_cue)
        if decided is None:
            return None
        candidates.append(decided)
    else:  # "until five": the first such clock time after the start
        for hour in (end.hour % 12, end.hour % 12 + 12):
            candidates.append(time(hour, end.minute))
    lengths = []
    for candidate in candidates:
        length = candidate.hour * 60 + candidate.minute - start_minutes
        lengths.append(length if length > 0 else length + 1440)
    return min(lengths) if lengths else None


def canonical_span_minutes(text: str, language: str) -> int | None:
    """The length of a clock span ("_from 10 _to 12 _oclock"); None for anything else."""
    span = clock_span(text, language)
    if span is None:
        return None
    start_time = decide(span.start, span.start_cue)
    return _between(start_time, span.end, span.end_cue) if start_time is not None else None


def resolve_canonical_duration(text: str, language: str, start: time | None) -> int | None:
    tokens = text.split()
    if "_allday" in tokens:
        return ALL_DAY_MINUTES
    if clock_span(text, language):
        return canonical_span_minutes(text, language)
    if until := _UNTIL.search(text):
        end = said_clock(until[1], language)
        if end is None:  # "until noon", "bis Mitternacht"
            end_time = resolve_canonical_time(until[1], language)
            if end_time is not None:
                end = SaidClock(end_time.hour, end_time.minute, twenty_four_hour=True)
        if end is not None:
            return _between(start, end, day_part_cue(until[1])) if start is not None else None
    if _STARTS_LATER.search(text):
        return None  # "in zwei Stunden", "in an hour": when it starts, not how long it lasts
    total = _sum_of_lengths(tokens)
    if total is None or total <= 0:
        return None
    return round(total)


_CLOCK_UNITS = frozenset({"_hour", "_h", "_minute", "_quarterhour"})


def resolve_canonical_offset(text: str) -> int | None:
    """Minutes from now in "in zwei Stunden", "in ten minutes"; None for days and weeks."""
    match = _STARTS_LATER.search(text)
    if match is None:
        return None
    tokens = text[match.start() :].split()[1:]
    if not any(token in _CLOCK_UNITS for token in tokens) or any(
        token in ("_day", "_week", "_month", "_year") for token in tokens
    ):
        return None
    total = _sum_of_lengths(tokens)
    return round(total) if total is not None and total > 0 else None


def resolve_offset_phrase(phrase: str, language: str) -> int | None:
    return resolve_canonical_offset(canonical(phrase, language))


def resolve_duration_phrase(phrase: str, language: str, start: time | None = None) -> int | None:
    return resolve_canonical_duration(canonical(phrase, language), language, start)


def resolve_span_phrase(phrase: str, language: str) -> int | None:
    return canonical_span_minutes(canonical(phrase, language), language)
