"""Value generators: a phrase for a date, time, duration or range, with the value it means.

The value is computed from the form's rule relative to the record's `now` and written into the
record's `expected`; `verify.py` checks it against the temporal resolver before use.
"""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from training.data.vocabulary import ValueForm, Vocabulary

Resolved = str | int | tuple[str, str]
"""ISO date, "HH:MM", minutes, or an inclusive (start, end) pair of ISO dates."""


@dataclass(frozen=True)
class Value:
    kind: str
    phrase: str
    prep: str
    bare: str
    resolved: Resolved
    form: str
    """The form's pattern, to count verification results per form."""
    morning: bool = False
    span_minutes: int | None = None
    """A clock span said as the time ("von 10 bis 12 Uhr"): its length, the event's duration."""


class NotApplicableError(Exception):
    """The form cannot express a value for this `now` (e.g. "this Monday" on a Sunday)."""


def _number_word(vocab: Vocabulary, number: int) -> str:
    return vocab.cardinals[number] if number < len(vocab.cardinals) else str(number)


def _weekday_next(today: date, weekday: int) -> date:
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


def _next_monday(today: date) -> date:
    return today + timedelta(days=7 - today.weekday())


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _day_words(vocab: Vocabulary, day: date) -> dict[str, str]:
    suffix = "th"
    if day.day % 10 in (1, 2, 3) and day.day not in (11, 12, 13):
        suffix = {1: "st", 2: "nd", 3: "rd"}[day.day % 10]
    return {
        "day": str(day.day),
        "day_th": f"{day.day}{suffix}",
        "day_word": vocab.ordinals[day.day],
        "month": vocab.months[day.month - 1],
        "month_num": str(day.month),
        "month_num_word": vocab.ordinals[day.month],
        "year": str(day.year),
    }


def _day_value(
    form: ValueForm, vocab: Vocabulary, today: date, rng: random.Random
) -> tuple[date, dict[str, str]]:
    """A day (for dates and one-day ranges) and the words that say it."""
    words: dict[str, str] = {}
    if form.rule == "offset":
        return today + timedelta(days=form.days), words
    if form.rule == "offset_n":
        count = rng.choice(form.numbers)
        words = {"n": str(count), "n_word": _number_word(vocab, count)}
        return today + timedelta(days=count * (7 if form.unit == "week" else 1)), words
    if form.rule in ("weekday_next", "weekday_this", "weekday_next_week"):
        if form.rule == "weekday_this":
            later = list(range(today.weekday() + 1, 7))
            if not later:
                raise NotApplicableError(form.phrase)
            weekday = rng.choice(later)
            day = today + timedelta(days=weekday - today.weekday())
        elif form.rule == "weekday_next":
            weekday = rng.randrange(7)
            day = _weekday_next(today, weekday)
        else:
            weekday = rng.randrange(7)
            day = _next_monday(today) + timedelta(days=weekday)
        return day, {"weekday": vocab.weekdays[weekday]}
    if form.rule == "day_of_month":
        day = today + timedelta(days=rng.randint(1, 27))
        return day, _day_words(vocab, day)
    if form.rule == "months":
        count = rng.choice(form.numbers) if form.numbers else 1
        month_index = today.month - 1 + count
        year, month = today.year + month_index // 12, month_index % 12 + 1
        last = calendar.monthrange(year, month)[1]
        return date(year, month, min(today.day, last)), {"n": str(count)}
    if form.rule in ("absolute", "absolute_year"):
        day = today + timedelta(days=rng.randint(1, 330 if form.rule == "absolute" else 420))
        return day, _day_words(vocab, day)
    raise ValueError(f"unknown day rule {form.rule!r}")


def _range_value(
    form: ValueForm, vocab: Vocabulary, today: date, rng: random.Random
) -> tuple[tuple[date, date], dict[str, str]]:
    rule = form.rule
    if rule == "this_week":
        return (today, today + timedelta(days=6 - today.weekday())), {}
    if rule == "next_week":
        monday = _next_monday(today)
        return (monday, monday + timedelta(days=6)), {}
    if rule == "weekend":
        if today.weekday() == 6:
            raise NotApplicableError(form.phrase)
        saturday = today + timedelta(days=5 - today.weekday())
        return (saturday, saturday + timedelta(days=1)), {}
    if rule == "this_month":
        return (today, _month_end(today)), {}
    if rule == "next_month":
        first = _month_end(today) + timedelta(days=1)
        return (first, _month_end(first)), {}
    if rule == "next_n_days":
        count = rng.choice(form.numbers)
        words = {"n": str(count), "n_word": _number_word(vocab, count)}
        return (today, today + timedelta(days=count - 1)), words
    if rule == "weekday_span":
        first_weekday = rng.randrange(6)
        last_weekday = rng.randrange(first_weekday + 1, 7)
        start = _weekday_next(today, first_weekday)
        words = {
            "weekday": vocab.weekdays[first_weekday],
            "weekday2": vocab.weekdays[last_weekday],
        }
        return (start, start + timedelta(days=last_weekday - first_weekday)), words
    day, words = _day_value(form, vocab, today, rng)
    return (day, day), words


def _clock_words(vocab: Vocabulary, hour: int, minute: int) -> dict[str, str]:
    h12 = hour if hour <= 12 else hour - 12
    return {
        "h": str(hour),
        "h12": str(h12),
        "h_word": vocab.cardinals[hour],
        "h12_word": vocab.cardinals[h12],
        "mm": f"{minute:02d}",
        "m_word": vocab.cardinals[minute] if minute else "",
    }


def _span_value(
    form: ValueForm, vocab: Vocabulary, rng: random.Random
) -> tuple[str, int, dict[str, str]]:
    """ "von 10 bis 12 Uhr": ("10:00", 120, the words of both clock times)."""
    hour = rng.choice(form.hours)
    minute = rng.choice(form.minutes_said)
    start = (hour + form.add_hours) * 60 + minute
    length = rng.choice(form.lengths)
    end = start + length
    if end >= 24 * 60 or (end % 60 and "{end_mm}" not in form.phrase):
        raise NotApplicableError(form.phrase)
    words = _clock_words(vocab, hour, minute)
    end_words = _clock_words(vocab, end // 60, end % 60)
    words |= {f"end_{name}": value for name, value in end_words.items()}
    return f"{start // 60:02d}:{start % 60:02d}", length, words


def _said_words(vocab: Vocabulary, form: ValueForm, rng: random.Random) -> dict[str, str]:
    """Words for a recurrence, reminder or shift phrase: weekdays, a month, a day, a number."""
    first, second = sorted(rng.sample(range(7), 2))
    day = rng.randint(1, 28)
    count = rng.choice(form.numbers) if form.numbers else 2
    words = {
        "weekday": vocab.weekdays[first],
        "weekday2": vocab.weekdays[second],
        "weekday_s": f"{vocab.weekdays[first]}s",  # "Mondays", "montags"
        "weekday2_s": f"{vocab.weekdays[second]}s",
        "nth": vocab.ordinals[rng.randint(1, 4)],
        "n": str(count),
        "n_word": _number_word(vocab, count),
    }
    if vocab.language == "de":
        words["weekday_s"] = words["weekday_s"].lower()
        words["weekday2_s"] = words["weekday2_s"].lower()
    month_day = date(2026, rng.randint(1, 12), day)
    return words | _day_words(vocab, month_day)


def _fill(pattern: str, words: dict[str, str]) -> str:
    return pattern.format(**words)


def generate(
    form: ValueForm,
    vocab: Vocabulary,
    now: datetime,
    rng: random.Random,
    start_minutes: int | None = None,
) -> Value:
    """A value of `form` for `now`; `start_minutes` is the event's start for "until" durations."""
    today = now.date()
    prep = rng.choice(form.preps)
    resolved: Resolved
    span_minutes = None
    if form.kind == "time" and form.rule == "span":
        resolved, span_minutes, words = _span_value(form, vocab, rng)
    elif form.rule == "said":
        words = _said_words(vocab, form, rng)
        resolved = _fill(form.phrase, words)  # the app's resolver gives the value
    elif form.kind == "date":
        day, words = _day_value(form, vocab, today, rng)
        resolved = day.isoformat()
    elif form.kind == "range":
        (start, end), words = _range_value(form, vocab, today, rng)
        resolved = (start.isoformat(), end.isoformat())
    elif form.kind == "time":
        hour = rng.choice(form.hours)
        minute = rng.choice(form.minutes_said)
        words = _clock_words(vocab, hour, minute)
        total = ((hour + form.add_hours) * 60 + minute + form.offset) % (24 * 60)
        resolved = f"{total // 60:02d}:{total % 60:02d}"
    elif form.rule == "until":
        if start_minutes is None:
            raise NotApplicableError(form.phrase)
        end_hour = start_minutes // 60 + rng.randint(1, 3)
        needs_pm = "pm" in form.phrase
        if end_hour > 21 or (needs_pm and end_hour < 13):
            raise NotApplicableError(form.phrase)
        words = _clock_words(vocab, end_hour, 0)
        resolved = end_hour * 60 - start_minutes
    else:
        if form.numbers:
            count = rng.choice(form.numbers)
            words = {"n": str(count), "n_word": _number_word(vocab, count)}
            resolved = count * form.per
        else:
            words = {}
            resolved = form.minutes
    return Value(
        kind=form.kind,
        phrase=_fill(form.phrase, words),
        prep=prep,
        bare=form.bare,
        resolved=resolved,
        form=f"{vocab.language}:{form.kind}:{form.phrase}",
        morning=form.morning,
        span_minutes=span_minutes,
    )
