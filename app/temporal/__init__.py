"""German/English temporal resolver: copied phrases -> ISO values relative to an injected now.

The model copies phrases out of an utterance; these functions turn them into a date, a clock
time, a length in minutes, or a span of days. None means "this phrase does not say that".
Each phrase may carry a little too much or too little (prepositions, fillers, the time next to
the date); case and trailing punctuation do not matter. Vocabulary: `locales/<lang>/temporal.toml`.

Month and weekday names come from babel. dateparser is not used: over the German date cases of
`tests/temporal/cases_de.toml` it gets fewer than half right (48 of 115 when written), and it
gives dates for phrases that name none ("um 15 Uhr" -> the 15th, "am Morgen" -> tomorrow,
"one hour" -> today); see `tests/temporal/bench_temporal.py`.

Policies (each has a test in `tests/temporal/test_policies.py`):

| phrase | resolves to |
|---|---|
| "Freitag", "on Friday" | next one strictly after today |
| "diesen Freitag", "this Friday" | next one, today included |
| "nächsten/kommenden Freitag", "next/coming Friday" | next one strictly after today |
| "übernächsten Freitag", "Friday after next" | that one plus a week |
| "letzten Freitag", "last Friday" | latest one before today |
| "Freitag nächster Woche", "next week Friday" | that weekday of the next ISO week |
| "Freitag dieser Woche", "Friday this week" | that weekday of this ISO week, even if past |
| "a week from Friday" | the coming Friday + 7 days |
| "Freitag in zwei Wochen" | that weekday of the ISO week two on |
| hour alone: "um 5", "halb drei" | 1-6 -> pm (17:00, 14:30); 7-12 as said |
| 0 and 13-24, "08:15" (leading zero) | as said (24-hour) |
| hour + part of day (phrase, else `hint`) | morning, forenoon: as said; noon: 1-5 pm; |
| | afternoon, evening: pm; night: 6-11 pm, 12 -> 0:00, 1-5 as said |
| part of day alone: "heute Abend", "tonight" | morning 09:00, forenoon 10:00, noon 12:00, |
| | afternoon 15:00, evening 19:00, night 22:00 |
| day + month, no year, already past | next year (a year said is kept; 24 -> 2024) |
| day alone: "the 3rd", "am dritten" | next such day of a month, today included |
| "12/24" (en) | month/day (day/month when the first is over 12) |
| "bis 17 Uhr", "until five" (duration) | minutes after `start` (first such clock time |
| | after it); None without `start` |
| "ganztägig", "all day" | 1440 minutes |
| no length said | None (the dialog's default) |
| "diese Woche", "this week" (range) | today through Sunday (weeks start Monday) |
| "nächste Woche", "next week" | Monday-Sunday of the next ISO week |
| "Wochenende", "this weekend" | Saturday-Sunday of this ISO week (not before today) |
| "nächstes Wochenende", "next weekend" | the coming one; on Saturday/Sunday the one after |
| "diesen Monat", "this month" | today through the last day of the month |
| "nächsten Monat", "im Dezember" | the whole month (a month already over -> next year) |
| "die nächsten 3 Tage", "the next 7 days" | N days, today included |
| "von Freitag bis Montag" | inclusive; an end weekday before the start -> a week on |
| "nächste Woche" as a date | None (a span is not a day) |
| "in zwei Stunden", "in an hour" | no time and no length: `resolve_time_offset` gives minutes |
| "von 10 bis 12 Uhr", "from 2 to 4 pm" | as a time: the start (10:00, 14:00); as a length, or |
| | through `resolve_time_span`: the minutes between (120) |
"""

from __future__ import annotations

from datetime import date, datetime, time

from app.temporal.clock import resolve_time_phrase
from app.temporal.dates import resolve_date_phrase
from app.temporal.durations import (
    resolve_duration_phrase,
    resolve_offset_phrase,
    resolve_span_phrase,
)
from app.temporal.ranges import DateRange, resolve_range_phrase

__all__ = [
    "DateRange",
    "resolve_date",
    "resolve_duration",
    "resolve_range",
    "resolve_time",
    "resolve_time_offset",
    "resolve_time_span",
]


def resolve_date(phrase: str, language: str, now: datetime) -> date | None:
    """The day a phrase names, relative to `now` (aware, in the user's zone)."""
    return resolve_date_phrase(phrase, language, now.date())


def resolve_time(phrase: str, language: str, hint: str = "") -> time | None:
    """The clock time a phrase names. `hint`: other words of the utterance that may say the
    part of the day ("morgen früh", "tonight") for an hour said without am/pm."""
    return resolve_time_phrase(phrase, language, hint)


def resolve_duration(phrase: str, language: str, start: time | None = None) -> int | None:
    """The length in minutes a phrase names; "bis 17 Uhr"/"until 5 pm" need `start`."""
    return resolve_duration_phrase(phrase, language, start)


def resolve_range(phrase: str, language: str, now: datetime) -> DateRange | None:
    """The span of days (inclusive) a listing phrase names, relative to `now`."""
    return resolve_range_phrase(phrase, language, now.date())


def resolve_time_offset(phrase: str, language: str) -> int | None:
    """Minutes from now for a start said relative to now ("in zwei Stunden", "in ten minutes");
    None for anything else (days and weeks ahead are `resolve_date`'s)."""
    return resolve_offset_phrase(phrase, language)


def resolve_time_span(phrase: str, language: str) -> int | None:
    """Minutes between the two clock times of a span said as the time ("von 10 bis 12 Uhr",
    "from 2 to 4 pm": 120); None for one clock time or anything else."""
    return resolve_span_phrase(phrase, language)
