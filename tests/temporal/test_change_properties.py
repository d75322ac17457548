"""Property tests of recurrences, reminders and moves: rules parse, moves undo, nothing raises."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

from app.temporal import first_occurrence, resolve_move, resolve_recurrence, resolve_reminder

ZONE = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 26, 10, 0, tzinfo=ZONE)
GERMAN_WEEKDAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
ENGLISH_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
GERMAN_REPEATS = [
    "jeden {d}",
    "jeden zweiten {d}",
    "alle drei Wochen am {d}",
    "{d}s",
    "täglich",
    "werktags",
    "jeden ersten {d} im Monat",
    "monatlich am 15.",
    "jährlich am 5. Mai",
]
ENGLISH_REPEATS = [
    "every {d}",
    "every other {d}",
    "every 3 weeks on {d}",
    "{d}s",
    "daily",
    "on weekdays",
    "the first {d} of every month",
    "monthly on the 15th",
    "every year on may 5th",
]
GERMAN_ENDS = ["", " bis Ende Juni", " zehnmal", " für 6 Wochen", " bis zum 3. Mai"]
ENGLISH_ENDS = ["", " until the end of june", " ten times", " for 6 weeks", " until may 3rd"]
FIRSTS = st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31))


def _phrase(repeats: list[str], weekdays: list[str], ends: list[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda repeat, weekday, end: repeat.format(d=weekday) + end,
        st.sampled_from(repeats),
        st.sampled_from(weekdays),
        st.sampled_from(ends),
    )


PHRASES = st.one_of(
    st.tuples(st.just("de"), _phrase(GERMAN_REPEATS, GERMAN_WEEKDAYS, GERMAN_ENDS)),
    st.tuples(st.just("en"), _phrase(ENGLISH_REPEATS, ENGLISH_WEEKDAYS, ENGLISH_ENDS)),
)


@settings(max_examples=300, deadline=None)
@given(said=PHRASES, first=FIRSTS)
def test_every_rule_parses_and_starts_on_or_after_first(said: tuple[str, str], first: date) -> None:
    language, phrase = said
    rule = resolve_recurrence(phrase, language, first)
    assert rule is not None, phrase
    start = datetime.combine(first, time())
    occurrences = rrulestr(rule, dtstart=start)
    found = occurrences.after(start, inc=True)
    assert found is None or found >= start
    if "UNTIL" not in rule:
        assert found is not None
        # The series starts on the first day on or after `first` that the rule falls on, its
        # interval counted from there: never later than counting from `first`'s own period,
        # and a series started that day has it as its first occurrence.
        first_day = first_occurrence(rule, first)
        assert first_day is not None and first <= first_day <= found.date()
        from_first_day = datetime.combine(first_day, time())
        assert rrulestr(rule, dtstart=from_first_day).after(from_first_day, inc=True) == (
            from_first_day
        )
        if "INTERVAL" not in rule:
            assert first_day == found.date()


@settings(max_examples=200, deadline=None)
@given(
    amount=st.integers(min_value=1, max_value=90),
    unit=st.sampled_from(
        [("Minuten", "minutes"), ("Stunden", "hours"), ("Tage", "days"), ("Wochen", "weeks")]
    ),
    start=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2030, 12, 31)),
)
def test_a_move_later_then_earlier_comes_back(
    amount: int, unit: tuple[str, str], start: datetime
) -> None:
    start = start.replace(second=0, microsecond=0, tzinfo=ZONE)
    for language, later, earlier in (
        ("de", f"{amount} {unit[0]} später", f"{amount} {unit[0]} früher"),
        ("en", f"{amount} {unit[1]} later", f"{amount} {unit[1]} earlier"),
    ):
        moved = resolve_move(later, language, start, NOW)
        assert isinstance(moved, datetime)
        assert moved > start
        assert resolve_move(earlier, language, moved, NOW) == start


@settings(max_examples=200, deadline=None)
@given(minutes=st.integers(min_value=1, max_value=600))
def test_a_written_lead_time_reads_back(minutes: int) -> None:
    assert resolve_reminder(f"{minutes} Minuten vorher", "de") == minutes
    assert resolve_reminder(f"{minutes} minutes before", "en") == minutes
    assert resolve_reminder(f"{minutes} Minuten später", "de") is None


@settings(max_examples=300, deadline=None)
@given(language=st.sampled_from(["de", "en"]), text=st.text(max_size=40))
def test_nothing_raises_on_any_text(language: str, text: str) -> None:
    resolve_recurrence(text, language, NOW.date())
    resolve_reminder(text, language)
    resolve_move(text, language, NOW, NOW)
    resolve_move(text, language, NOW.date() + timedelta(days=1), NOW)
