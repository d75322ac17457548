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
| "jeden Donnerstag", "tuesdays" (recurrence) | weekly on that day; a weekday plural is "every" |
| "jeden zweiten", "every other", "alle zwei Wochen" | INTERVAL=2 |
| "jeden dritten Mittwoch im Monat" | MONTHLY;BYDAY=3WE ("letzten": -1) |
| "bis Ende Juni", "until June 30" | UNTIL: the first such day on or after `first` |
| "für 6 Wochen", "for 6 weeks", "6 Wochen lang" | UNTIL `first` + 6 weeks - 1 day |
| "zehnmal", "ten times" alone; "am Montag" | None: an end or one day is no recurrence |
| "dreimal wöchentlich", "twice a week" | None: how often in a week is no RRULE count |
| "von 9 bis 17 Uhr" in a recurrence | a clock span (no UNTIL); a count and an end: None |
| rule said without a start day | `first_occurrence`: the first day it falls on, today included |
| "eine Viertelstunde vorher", "the day before" | reminder minutes (15, 1440); a unit alone is one |
| "am Vorabend", "the evening before" | None: a clock time the day before, not a lead time |
| "eine Stunde später", "two days earlier" (move) | the current start shifted, wall clock kept |
| "auf nächste Woche", "to next month" | the start's weekday (day of month) in the week (month) |
| | after now's, its clock time kept |
| a move without a direction: "um eine Stunde" | None |
| a move with a day or time: "morgen eine Stunde später" | None (not a length alone) |
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
from app.temporal.moves import resolve_move_phrase
from app.temporal.ranges import DateRange, resolve_range_phrase
from app.temporal.recurrence import first_occurrence_of, resolve_recurrence_phrase
from app.temporal.reminders import resolve_reminder_phrase

__all__ = [
    "DateRange",
    "first_occurrence",
    "resolve_date",
    "resolve_duration",
    "resolve_move",
    "resolve_range",
    "resolve_recurrence",
    "resolve_reminder",
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


def resolve_recurrence(phrase: str, language: str, first: date) -> str | None:
    """The RRULE value (no "RRULE:" prefix) a recurrence phrase names ("jeden zweiten Dienstag"
    -> "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"); parts in the order FREQ, INTERVAL, COUNT/UNTIL,
    BYMONTH, BYDAY, BYMONTHDAY. Ends ("bis Ende Juni", "for 6 weeks") are resolved relative to
    `first`, the first occurrence's day; UNTIL is a date. None for anything that does not
    repeat, and for an end that cannot be read or lies before `first`."""
    return resolve_recurrence_phrase(phrase, language, first)


def first_occurrence(rule: str, today: date) -> date | None:
    """The first day on or after `today` a rule said without a start day falls on ("jeden
    Donnerstag" on a Monday -> that Thursday; on a Thursday -> today). With an UNTIL, resolve
    the rule again against this day, since its ends were read relative to `first`."""
    return first_occurrence_of(rule, today)


def resolve_reminder(phrase: str, language: str) -> int | None:
    """Minutes before the start a reminder phrase names ("eine Viertelstunde vorher" -> 15,
    "a day before" -> 1440); None for anything else."""
    return resolve_reminder_phrase(phrase, language)


def resolve_move(
    phrase: str, language: str, current_start: datetime | date, now: datetime
) -> datetime | date | None:
    """The new start a relative move names against the event's `current_start` ("eine Stunde
    später", "two days earlier", "auf nächste Woche"); the same type as `current_start` (a day
    of an all-day event moves by whole days only). None for anything else, new dates and
    times included ("auf Freitag", "to 3 pm"): those are `resolve_date`'s and
    `resolve_time`'s, whose day and clock time then replace the start's."""
    return resolve_move_phrase(phrase, language, current_start, now)
