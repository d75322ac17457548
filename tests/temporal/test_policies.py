"""One test per ambiguity policy in the table of app/temporal/__init__.py."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr

from app.temporal import (
    DateRange,
    first_occurrence,
    resolve_date,
    resolve_duration,
    resolve_move,
    resolve_range,
    resolve_recurrence,
    resolve_reminder,
    resolve_time,
    resolve_time_offset,
)

ZONE = ZoneInfo("Europe/Berlin")
THURSDAY = datetime(2026, 3, 26, 10, 0, tzinfo=ZONE)
SUNDAY = datetime(2026, 3, 29, 10, 0, tzinfo=ZONE)
SATURDAY = datetime(2026, 3, 28, 10, 0, tzinfo=ZONE)


def day(text: str) -> date:
    return date.fromisoformat(text)


@pytest.mark.parametrize(("phrase", "language"), [("Donnerstag", "de"), ("on Thursday", "en")])
def test_bare_weekday_is_strictly_after_today(phrase: str, language: str) -> None:
    assert resolve_date(phrase, language, THURSDAY) == day("2026-04-02")


@pytest.mark.parametrize(
    ("phrase", "language"), [("diesen Donnerstag", "de"), ("this Thursday", "en")]
)
def test_this_weekday_includes_today(phrase: str, language: str) -> None:
    assert resolve_date(phrase, language, THURSDAY) == day("2026-03-26")


@pytest.mark.parametrize(
    ("friday", "thursday", "language"),
    [
        ("nächsten Freitag", "nächsten Donnerstag", "de"),
        ("kommenden Freitag", "kommenden Donnerstag", "de"),
        ("next Friday", "next Thursday", "en"),
        ("coming Friday", "coming Thursday", "en"),
    ],
)
def test_next_weekday_is_the_coming_one(friday: str, thursday: str, language: str) -> None:
    assert resolve_date(friday, language, THURSDAY) == day("2026-03-27")
    assert resolve_date(thursday, language, THURSDAY) == day("2026-04-02")


@pytest.mark.parametrize(
    ("phrase", "language"), [("übernächsten Freitag", "de"), ("Friday after next", "en")]
)
def test_weekday_after_next_is_a_week_after_the_coming_one(phrase: str, language: str) -> None:
    assert resolve_date(phrase, language, THURSDAY) == day("2026-04-03")


@pytest.mark.parametrize(
    ("phrase", "language"), [("letzten Donnerstag", "de"), ("last Thursday", "en")]
)
def test_last_weekday_is_before_today(phrase: str, language: str) -> None:
    assert resolve_date(phrase, language, THURSDAY) == day("2026-03-19")


@pytest.mark.parametrize(
    ("phrase", "language"), [("Freitag nächster Woche", "de"), ("next week Friday", "en")]
)
def test_weekday_of_next_week_is_in_the_next_iso_week(phrase: str, language: str) -> None:
    assert resolve_date(phrase, language, THURSDAY) == day("2026-04-03")
    assert resolve_date(phrase, language, SUNDAY) == day("2026-04-03")


@pytest.mark.parametrize(
    ("phrase", "language"), [("Montag dieser Woche", "de"), ("Monday this week", "en")]
)
def test_weekday_of_this_week_may_be_past(phrase: str, language: str) -> None:
    assert resolve_date(phrase, language, THURSDAY) == day("2026-03-23")


def test_a_week_from_a_weekday_adds_seven_days_to_the_coming_one() -> None:
    assert resolve_date("a week from Friday", "en", THURSDAY) == day("2026-04-03")


def test_weekday_in_n_weeks_is_that_weekday_n_iso_weeks_on() -> None:
    assert resolve_date("Freitag in zwei Wochen", "de", THURSDAY) == day("2026-04-10")


@pytest.mark.parametrize(
    ("phrase", "language", "expected"),
    [
        ("um 1", "de", time(13, 0)),
        ("um 6", "de", time(18, 0)),
        ("halb drei", "de", time(14, 30)),
        ("um 7", "de", time(7, 0)),
        ("at 12", "en", time(12, 0)),
        ("at 11:30", "en", time(11, 30)),
        ("um 0 Uhr", "de", time(0, 0)),
        ("um 13 Uhr", "de", time(13, 0)),
    ],
)
def test_an_hour_without_cue_is_afternoon_from_1_to_6(
    phrase: str, language: str, expected: time
) -> None:
    assert resolve_time(phrase, language) == expected


def test_a_leading_zero_means_the_24_hour_clock() -> None:
    assert resolve_time("um 05:30", "de") == time(5, 30)
    assert resolve_time("um 5:30", "de") == time(17, 30)


@pytest.mark.parametrize(
    ("phrase", "language", "hint", "expected"),
    [
        ("um 8", "de", "morgen früh", time(8, 0)),
        ("um 8", "de", "heute Abend", time(20, 0)),
        ("um 2", "de", "vormittags", time(2, 0)),
        ("um 1", "de", "mittags", time(13, 0)),
        ("um 11", "de", "nachts", time(23, 0)),
        ("um 12", "de", "nachts", time(0, 0)),
        ("um 3", "de", "nachts", time(3, 0)),
        ("at 5", "en", "in the morning", time(5, 0)),
        ("at 9", "en", "tonight", time(21, 0)),
        ("um 8 Uhr morgens", "de", "heute Abend", time(8, 0)),
    ],
)
def test_a_part_of_the_day_decides_and_the_phrase_beats_the_hint(
    phrase: str, language: str, hint: str, expected: time
) -> None:
    assert resolve_time(phrase, language, hint) == expected


@pytest.mark.parametrize(
    ("phrase", "language", "expected"),
    [
        ("morgens", "de", time(9, 0)),
        ("vormittags", "de", time(10, 0)),
        ("mittags", "de", time(12, 0)),
        ("am Nachmittag", "de", time(15, 0)),
        ("heute Abend", "de", time(19, 0)),
        ("heute Nacht", "de", time(22, 0)),
        ("tonight", "en", time(19, 0)),
        ("in the morning", "en", time(9, 0)),
    ],
)
def test_a_part_of_the_day_alone_has_a_default_time(
    phrase: str, language: str, expected: time
) -> None:
    assert resolve_time(phrase, language) == expected


def test_a_day_and_month_already_past_is_next_year_and_a_said_year_is_kept() -> None:
    assert resolve_date("25. März", "de", THURSDAY) == day("2027-03-25")
    assert resolve_date("26. März", "de", THURSDAY) == day("2026-03-26")
    assert resolve_date("25. März 2026", "de", THURSDAY) == day("2026-03-25")
    assert resolve_date("March 25th, 2026", "en", THURSDAY) == day("2026-03-25")
    assert resolve_date("25.3.26", "de", THURSDAY) == day("2026-03-25")


def test_a_day_alone_is_the_next_such_day_today_included() -> None:
    assert resolve_date("am 26.", "de", THURSDAY) == day("2026-03-26")
    assert resolve_date("the 25th", "en", THURSDAY) == day("2026-04-25")
    assert resolve_date("the 31st", "en", datetime(2026, 4, 5, tzinfo=ZONE)) == day("2026-05-31")


def test_english_slashes_are_month_first_unless_the_first_is_over_12() -> None:
    assert resolve_date("4/5", "en", THURSDAY) == day("2026-04-05")
    assert resolve_date("25/12", "en", THURSDAY) == day("2026-12-25")
    assert resolve_date("4/5", "de", THURSDAY) == day("2026-05-04")


def test_until_a_clock_time_counts_from_start_and_needs_it() -> None:
    assert resolve_duration("bis 17 Uhr", "de", time(15, 0)) == 120
    assert resolve_duration("until five", "en", time(9, 0)) == 480
    assert resolve_duration("until five", "en", time(16, 0)) == 60
    assert resolve_duration("bis 1 Uhr", "de", time(23, 0)) == 120
    assert resolve_duration("bis 17 Uhr", "de") is None


@pytest.mark.parametrize(("phrase", "language"), [("ganztägig", "de"), ("all day", "en")])
def test_all_day_is_1440_minutes(phrase: str, language: str) -> None:
    assert resolve_duration(phrase, language) == 1440


@pytest.mark.parametrize(("phrase", "language"), [("Zahnarzt", "de"), ("tomorrow at 5", "en")])
def test_no_length_said_is_none(phrase: str, language: str) -> None:
    assert resolve_duration(phrase, language) is None


@pytest.mark.parametrize(("phrase", "language"), [("diese Woche", "de"), ("this week", "en")])
def test_this_week_is_today_through_sunday(phrase: str, language: str) -> None:
    assert resolve_range(phrase, language, THURSDAY) == DateRange(
        day("2026-03-26"), day("2026-03-29")
    )
    assert resolve_range(phrase, language, SUNDAY) == DateRange(
        day("2026-03-29"), day("2026-03-29")
    )


@pytest.mark.parametrize(("phrase", "language"), [("nächste Woche", "de"), ("next week", "en")])
def test_next_week_is_monday_to_sunday_of_the_next_iso_week(phrase: str, language: str) -> None:
    expected = DateRange(day("2026-03-30"), day("2026-04-05"))
    assert resolve_range(phrase, language, THURSDAY) == expected
    assert resolve_range(phrase, language, SUNDAY) == expected


@pytest.mark.parametrize(("phrase", "language"), [("am Wochenende", "de"), ("this weekend", "en")])
def test_the_weekend_is_saturday_and_sunday_from_today(phrase: str, language: str) -> None:
    weekend = DateRange(day("2026-03-28"), day("2026-03-29"))
    assert resolve_range(phrase, language, THURSDAY) == weekend
    assert resolve_range(phrase, language, SATURDAY) == weekend
    assert resolve_range(phrase, language, SUNDAY) == DateRange(
        day("2026-03-29"), day("2026-03-29")
    )


@pytest.mark.parametrize(
    ("phrase", "language"), [("nächstes Wochenende", "de"), ("next weekend", "en")]
)
def test_next_weekend_is_the_coming_one_or_the_one_after_on_a_weekend(
    phrase: str, language: str
) -> None:
    assert resolve_range(phrase, language, THURSDAY) == DateRange(
        day("2026-03-28"), day("2026-03-29")
    )
    assert resolve_range(phrase, language, SATURDAY) == DateRange(
        day("2026-04-04"), day("2026-04-05")
    )


def test_this_month_is_today_through_its_end_and_a_named_month_is_whole() -> None:
    assert resolve_range("diesen Monat", "de", THURSDAY) == DateRange(
        day("2026-03-26"), day("2026-03-31")
    )
    assert resolve_range("next month", "en", THURSDAY) == DateRange(
        day("2026-04-01"), day("2026-04-30")
    )
    assert resolve_range("im März", "de", THURSDAY) == DateRange(
        day("2026-03-01"), day("2026-03-31")
    )
    assert resolve_range("in January", "en", THURSDAY) == DateRange(
        day("2027-01-01"), day("2027-01-31")
    )


@pytest.mark.parametrize(
    ("phrase", "language"), [("die nächsten 3 Tage", "de"), ("the next 3 days", "en")]
)
def test_the_next_n_days_include_today(phrase: str, language: str) -> None:
    assert resolve_range(phrase, language, THURSDAY) == DateRange(
        day("2026-03-26"), day("2026-03-28")
    )


def test_a_span_of_weekdays_ending_before_it_starts_moves_the_end_a_week_on() -> None:
    expected = DateRange(day("2026-03-27"), day("2026-03-30"))
    assert resolve_range("von Freitag bis Montag", "de", THURSDAY) == expected
    assert resolve_range("from 5.4. to 3.4.", "en", THURSDAY) is None


@pytest.mark.parametrize(("phrase", "language"), [("nächste Woche", "de"), ("this month", "en")])
def test_a_span_is_not_a_date(phrase: str, language: str) -> None:
    assert resolve_date(phrase, language, THURSDAY) is None


@pytest.mark.parametrize(
    ("phrase", "language", "minutes"),
    [
        ("in zwei Stunden", "de", 120),
        ("in einer Viertelstunde", "de", 15),
        ("in anderthalb Stunden", "de", 90),
        ("in ten minutes", "en", 10),
        ("in an hour and a half", "en", 90),
        ("in a hour", "en", 60),
    ],
)
def test_a_start_relative_to_now_is_an_offset_not_a_time_or_length(
    phrase: str, language: str, minutes: int
) -> None:
    assert resolve_time_offset(phrase, language) == minutes
    assert resolve_time(phrase, language) is None
    assert resolve_duration(phrase, language) is None


@pytest.mark.parametrize(
    ("phrase", "language"),
    [("in drei Tagen", "de"), ("zwei Stunden", "de"), ("um 15 Uhr", "de"), ("in a week", "en")],
)
def test_no_offset_where_none_is_said_in_minutes_or_hours(phrase: str, language: str) -> None:
    assert resolve_time_offset(phrase, language) is None


def test_an_unsupported_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        resolve_date("demain", "fr", THURSDAY)


MONDAY = date(2026, 3, 23)


@pytest.mark.parametrize(("phrase", "language"), [("dienstags", "de"), ("on tuesdays", "en")])
def test_weekday_plural_repeats_weekly(phrase: str, language: str) -> None:
    assert resolve_recurrence(phrase, language, MONDAY) == "FREQ=WEEKLY;BYDAY=TU"


@pytest.mark.parametrize(
    ("phrase", "language"),
    [("jeden zweiten Dienstag", "de"), ("alle zwei Wochen dienstags", "de"),
     ("every other tuesday", "en")],
)  # fmt: skip
def test_every_other_is_interval_two(phrase: str, language: str) -> None:
    assert resolve_recurrence(phrase, language, MONDAY) == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"


@pytest.mark.parametrize(
    ("phrase", "language", "expected"),
    [
        ("jeden dritten Mittwoch im Monat", "de", "FREQ=MONTHLY;BYDAY=3WE"),
        ("jeden letzten Freitag im Monat", "de", "FREQ=MONTHLY;BYDAY=-1FR"),
        ("every last friday of the month", "en", "FREQ=MONTHLY;BYDAY=-1FR"),
    ],
)
def test_ordinal_weekday_of_the_month(phrase: str, language: str, expected: str) -> None:
    assert resolve_recurrence(phrase, language, MONDAY) == expected


@pytest.mark.parametrize(
    ("phrase", "language"),
    [("jeden Montag bis Ende Juni", "de"), ("every monday until june 30", "en")],
)
def test_until_is_the_first_such_day_on_or_after_first(phrase: str, language: str) -> None:
    assert resolve_recurrence(phrase, language, MONDAY).endswith("UNTIL=20260630;BYDAY=MO")  # type: ignore[union-attr]
    after_june = resolve_recurrence(phrase, language, date(2026, 7, 6))
    assert after_june == "FREQ=WEEKLY;UNTIL=20270630;BYDAY=MO"


@pytest.mark.parametrize(
    ("phrase", "language"),
    [("jeden Montag für 6 Wochen", "de"), ("sechs Wochen lang montags", "de"),
     ("every monday for 6 weeks", "en")],
)  # fmt: skip
def test_for_a_length_ends_the_day_before_first_plus_that_length(
    phrase: str, language: str
) -> None:
    rule = resolve_recurrence(phrase, language, MONDAY)
    assert rule == "FREQ=WEEKLY;UNTIL=20260503;BYDAY=MO"
    start = datetime.combine(MONDAY, time())
    assert len(list(rrulestr(rule, dtstart=start))) == 6


@pytest.mark.parametrize(
    ("phrase", "language"),
    [("zehnmal", "de"), ("ten times", "en"), ("am Montag", "de"), ("on monday", "en")],
)
def test_an_end_or_a_single_day_is_no_recurrence(phrase: str, language: str) -> None:
    assert resolve_recurrence(phrase, language, MONDAY) is None


def test_first_occurrence_is_the_first_day_the_rule_falls_on_today_included() -> None:
    assert first_occurrence("FREQ=WEEKLY;BYDAY=TH", MONDAY) == date(2026, 3, 26)
    assert first_occurrence("FREQ=WEEKLY;BYDAY=TH", date(2026, 3, 26)) == date(2026, 3, 26)


@pytest.mark.parametrize(
    ("phrase", "language", "minutes"),
    [("den Tag vorher", "de", 1440), ("the day before", "en", 1440),
     ("die Stunde vorher", "de", 60)],
)  # fmt: skip
def test_reminder_unit_alone_is_one(phrase: str, language: str, minutes: int) -> None:
    assert resolve_reminder(phrase, language) == minutes


@pytest.mark.parametrize(
    ("phrase", "language"), [("am Vorabend", "de"), ("the evening before", "en")]
)
def test_evening_before_is_no_lead_time(phrase: str, language: str) -> None:
    assert resolve_reminder(phrase, language) is None


def test_move_keeps_the_wall_clock_across_a_clock_change() -> None:
    before_change = datetime(2026, 3, 28, 10, 0, tzinfo=ZONE)
    moved = resolve_move("einen Tag später", "de", before_change, THURSDAY)
    assert moved == datetime(2026, 3, 29, 10, 0, tzinfo=ZONE)
    assert moved.utcoffset() != before_change.utcoffset()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("phrase", "language"), [("auf nächste Woche", "de"), ("to next week", "en")]
)
def test_move_to_next_week_is_the_week_after_nows(phrase: str, language: str) -> None:
    three_weeks_on = datetime(2026, 4, 17, 9, 30, tzinfo=ZONE)  # a Friday
    assert resolve_move(phrase, language, three_weeks_on, THURSDAY) == datetime(
        2026, 4, 3, 9, 30, tzinfo=ZONE
    )


def test_move_to_next_month_keeps_the_day_or_takes_the_months_last() -> None:
    now = datetime(2027, 1, 10, 10, 0, tzinfo=ZONE)
    start = datetime(2027, 1, 31, 8, 0, tzinfo=ZONE)
    assert resolve_move("auf nächsten Monat", "de", start, now) == datetime(
        2027, 2, 28, 8, 0, tzinfo=ZONE
    )


@pytest.mark.parametrize(("phrase", "language"), [("um eine Stunde", "de"), ("by an hour", "en")])
def test_move_without_a_direction_is_none(phrase: str, language: str) -> None:
    assert resolve_move(phrase, language, THURSDAY, THURSDAY) is None


def test_an_all_day_start_moves_by_whole_days_only() -> None:
    day_start = date(2026, 3, 27)
    assert resolve_move("zwei Tage später", "de", day_start, THURSDAY) == date(2026, 3, 29)
    assert resolve_move("eine Stunde später", "de", day_start, THURSDAY) is None


@pytest.mark.parametrize(
    ("phrase", "language"), [("dreimal wöchentlich", "de"), ("twice a week", "en")]
)
def test_times_a_week_is_no_count(phrase: str, language: str) -> None:
    assert resolve_recurrence(phrase, language, MONDAY) is None


@pytest.mark.parametrize(
    ("phrase", "language"),
    [("jeden Montag von 9 bis 17 Uhr", "de"), ("every monday from 9 to 5", "en")],
)
def test_a_clock_span_in_a_recurrence_is_no_end(phrase: str, language: str) -> None:
    assert resolve_recurrence(phrase, language, MONDAY) == "FREQ=WEEKLY;BYDAY=MO"


@pytest.mark.parametrize(
    ("phrase", "language"),
    [("zehnmal jeden Montag bis Ende Juni", "de"), ("every monday ten times until june 30", "en")],
)
def test_a_count_and_an_end_together_are_none(phrase: str, language: str) -> None:
    assert resolve_recurrence(phrase, language, MONDAY) is None


@pytest.mark.parametrize(
    ("phrase", "language"),
    [("morgen eine Stunde später", "de"), ("an hour later on friday", "en")],
)
def test_a_move_with_a_day_is_none(phrase: str, language: str) -> None:
    assert resolve_move(phrase, language, THURSDAY, THURSDAY) is None
