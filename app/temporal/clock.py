"""A clock-time phrase ("halb drei", "quarter to seven", "18.30 Uhr", "8 pm") -> a time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from app.temporal.lexicon import canonical, vocabulary

_START = r"(?<!\S)"
_END = r"(?!\S)"
_H = r"(\d{1,2})"
_NOT_A_LENGTH = r"(?! (?:_hour|_minute|_day|_week|_month|_year|_quarterhour)(?!\S))"
_HOUR = _H + _NOT_A_LENGTH
_CLOCK = r"(?:_oclock|_h)"
_MINUTE = r"(?: _minute)?"


def _pattern(body: str) -> re.Pattern[str]:
    return re.compile(_START + body + _END)


@dataclass(frozen=True)
class SaidClock:
    """An hour and minute as said, before the part of the day decides between am and pm."""

    hour: int
    minute: int
    twenty_four_hour: bool
    """Said unambiguously: 0 or 13-24, or written with a leading zero ("08:15")."""


def _said(hour_text: str, minute: int) -> SaidClock:
    hour = int(hour_text)
    leading_zero = len(hour_text) == 2 and hour_text.startswith("0")
    return SaidClock(hour, minute, hour == 0 or hour >= 13 or leading_zero)


def _hour_before(hour_text: str, minute: int) -> SaidClock | None:
    """ "halb drei" = 2:30: the minute belongs to the hour before the one said."""
    hour = int(hour_text)
    if not 1 <= hour <= 24:
        return None
    previous = hour - 1 if hour > 1 else 12
    return SaidClock(previous, minute, previous >= 13)


_COLON = _pattern(r"(\d{1,2}):(\d{2})")
_DOT_WITH_CUE = re.compile(r"(?:(?<=_at )|(?<=_from ))(\d{1,2})\.(\d{2})(?!\S)")
_DOT_WITH_CLOCK = _pattern(r"(\d{1,2})\.(\d{2}) " + _CLOCK)
_CLOCK_THEN_MINUTES = _pattern(_H + " " + _CLOCK + r" (\d{1,2})")
_MERIDIEM = _pattern(_H + r"(?:(?: (?:_and )?|\.)(\d{2}))? (?:_am|_pm)")
_HOUR_CLOCK = _pattern(_H + r"\.? " + _CLOCK)
_HOUR_WITH_PART = _pattern(_H + r"(?: (\d{2}))? _part_\w+")
_AT_HOUR = re.compile(r"(?<!\S)(?:_at|_from) " + _HOUR + r"\.?(?: (\d{2}))?(?!\S)")
_WHOLE = re.compile(r"(?:_at )?" + _H + r"(?:[ .](\d{2}))?\.?")
"""The phrase is just a clock time; a final full stop is the sentence's ("um 11.", "at 1.")."""
_PART = re.compile(r"(?<!\S)_part_(\w+)")
_MERIDIEM_CUE = re.compile(r"(?<!\S)_(am|pm)(?!\S)")


def _relative_patterns(language: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    before = "(?:_before|_to)" if language == "en" else "_before"
    not_a_span = r"(?<!_from )"
    return (
        (_pattern(_H + _MINUTE + f" {before} _half " + _HOUR), "before_half"),
        (_pattern(_H + _MINUTE + " _past _half " + _HOUR), "past_half"),
        (_pattern(r"_quarter _past " + _HOUR), "quarter_past"),
        (_pattern(f"_quarter {before} " + _HOUR), "quarter_to"),
        (_pattern(r"_half _past " + _HOUR), "half_past"),
        (_pattern(r"_threequarter " + _HOUR), "three_quarter"),
        (_pattern(r"_half " + _HOUR), "half"),
        (_pattern(r"_quarter " + _HOUR), "quarter"),
        (re.compile(_START + not_a_span + _H + _MINUTE + " _past " + _HOUR + _END), "past"),
        (re.compile(_START + not_a_span + _H + _MINUTE + f" {before} " + _HOUR + _END), "to"),
    )


_RELATIVE = {language: _relative_patterns(language) for language in ("de", "en")}


def _relative_clock(text: str, language: str) -> SaidClock | None:
    for pattern, form in _RELATIVE[language]:
        match = pattern.search(text)
        if match is None:
            continue
        groups = match.groups()
        hour_text = groups[-1]
        minutes = int(groups[0]) if len(groups) == 2 else 0
        if form == "before_half" and 1 <= minutes < 30:
            return _hour_before(hour_text, 30 - minutes)
        if form == "past_half" and 1 <= minutes < 30:
            return _hour_before(hour_text, 30 + minutes)
        if form in ("quarter_past", "half_past"):
            return _said(hour_text, 15 if form == "quarter_past" else 30)
        if form in ("quarter_to", "three_quarter"):
            return _hour_before(hour_text, 45)
        if form == "half":
            return _hour_before(hour_text, 30) if language == "de" else _said(hour_text, 30)
        if form == "quarter" and language == "de":
            return _hour_before(hour_text, 15)
        if form == "past" and 1 <= minutes < 60:
            return _said(hour_text, minutes)
        # "ten to six" is 5:50, but "nine to eleven" a span: clock speak counts in fives.
        if form == "to" and 1 <= minutes <= 30 and (minutes % 5 == 0 or "_minute" in match[0]):
            return _hour_before(hour_text, 60 - minutes)
    return None


@dataclass(frozen=True)
class ClockSpan:
    """ "von 15 bis 17 Uhr", "between three and four pm": two clock times and their cues."""

    start: SaidClock
    end: SaidClock
    start_cue: str | None
    end_cue: str | None


def clock_span(text: str, language: str) -> ClockSpan | None:
    tokens = text.split()
    if "_from" in tokens:
        tokens = tokens[tokens.index("_from") + 1 :]
    for index, token in enumerate(tokens):
        if token not in ("_to", "_and") or index == 0:
            continue
        left, right = " ".join(tokens[:index]), " ".join(tokens[index + 1 :])
        if _relative_clock(f"{left} {token} {right}", language) is not None and "_from" not in text:
            return None  # "ten to six" is one clock time
        start, end = _single_clock(left, language), _single_clock(right, language)
        if start is None or end is None or start.hour > 24 or end.hour > 24:
            return None
        right_cue = day_part_cue(right)
        return ClockSpan(start, end, day_part_cue(left) or right_cue, right_cue)
    return None


def said_clock(text: str, language: str) -> SaidClock | None:
    """The clock time a canonical phrase says, without the am/pm decision; the start of a span."""
    span = clock_span(text, language)
    if span is not None:
        return span.start
    return _single_clock(text, language)


def _single_clock(text: str, language: str) -> SaidClock | None:
    if match := _COLON.search(text):
        return _said(match[1], int(match[2]))
    if match := _DOT_WITH_CLOCK.search(text) or _DOT_WITH_CUE.search(text):
        return _said(match[1], int(match[2]))
    if match := _CLOCK_THEN_MINUTES.search(text):
        return _said(match[1], int(match[2]))
    relative = _relative_clock(text, language)
    if relative is not None:
        return relative
    if match := _MERIDIEM.search(text):
        return _said(match[1], int(match[2] or 0))
    if match := _HOUR_CLOCK.search(text):
        return _said(match[1], 0)
    if match := _HOUR_WITH_PART.search(text):
        return _said(match[1], int(match[2] or 0))
    if match := _AT_HOUR.search(text):
        return _said(match[1], int(match[2] or 0))
    if match := _WHOLE.fullmatch(text):
        return _said(match[1], int(match[2] or 0))
    return None


def day_part_cue(text: str) -> str | None:
    """ "am", "pm", or a part of the day ("morning" ... "night") said in a canonical phrase."""
    if match := _MERIDIEM_CUE.search(text):
        return match[1]
    if match := _PART.search(text):
        return match[1]
    return None


def decide(said: SaidClock, cue: str | None) -> time | None:
    """Apply the am/pm policy (see the package docstring) to an hour as said."""
    hour, minute = said.hour, said.minute
    if hour == 24 and minute == 0:
        hour = 0
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    if cue == "am":
        if hour > 12:
            return None
        return time(0 if hour == 12 else hour, minute)
    if cue == "pm":
        return time(hour + 12 if 1 <= hour <= 11 else hour, minute)
    if said.twenty_four_hour:
        return time(hour, minute)
    if (cue in ("afternoon", "evening") and hour < 12) or (cue == "noon" and 1 <= hour <= 5):
        hour += 12
    elif cue == "night":
        if 6 <= hour <= 11:
            hour += 12
        elif hour == 12:
            hour = 0
    elif cue is None and 1 <= hour <= 6:
        hour += 12
    return time(hour, minute)


def resolve_canonical_time(text: str, language: str, hint_text: str = "") -> time | None:
    span = clock_span(text, language)
    if span is not None:
        return decide(span.start, span.start_cue or day_part_cue(hint_text))
    cue = day_part_cue(text) or day_part_cue(hint_text)
    if "_midnight" in text.split():
        return time(0, 0)
    said = _single_clock(text, language)
    if said is not None:
        return decide(said, cue)
    part = _PART.search(text)
    if part is not None:
        default = vocabulary(language).part_of_day_defaults.get(part[1])
        if default is not None:
            return time(*default)
    return None


def resolve_time_phrase(phrase: str, language: str, hint: str = "") -> time | None:
    hint_text = canonical(hint, language) if hint else ""
    return resolve_canonical_time(canonical(phrase, language), language, hint_text)
