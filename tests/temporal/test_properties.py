"""Property tests: written forms round-trip, spelled numbers read back, nothing raises."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from app.temporal import resolve_date, resolve_duration, resolve_range, resolve_time

NOW = datetime(2026, 3, 26, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
TODAY = NOW.date()

GERMAN_UNITS = ["", "ein", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun"]
GERMAN_TEENS = ["zehn", "elf", "zwölf", "dreizehn", "vierzehn", "fünfzehn", "sechzehn",
                "siebzehn", "achtzehn", "neunzehn"]  # fmt: skip
GERMAN_TENS = {2: "zwanzig", 3: "dreißig", 4: "vierzig", 5: "fünfzig"}
ENGLISH_UNITS = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
ENGLISH_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
                 "seventeen", "eighteen", "nineteen"]  # fmt: skip
ENGLISH_TENS = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty"}
GERMAN_MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
                 "September", "Oktober", "November", "Dezember"]  # fmt: skip


def german_number(n: int) -> str:
    if n == 1:
        return "eins"
    if n < 10:
        return GERMAN_UNITS[n]
    if n < 20:
        return GERMAN_TEENS[n - 10]
    tens, unit = divmod(n, 10)
    return f"{GERMAN_UNITS[unit]}und{GERMAN_TENS[tens]}" if unit else GERMAN_TENS[tens]


def german_ordinal(n: int) -> str:
    """Dative ordinal as in "am vierundzwanzigsten"."""
    irregular = {1: "ersten", 3: "dritten", 7: "siebten", 8: "achten"}
    if n in irregular:
        return irregular[n]
    if n < 20:
        return german_number(n) + "ten"
    tens, unit = divmod(n, 10)
    if unit == 1:
        return f"einund{GERMAN_TENS[tens]}sten"
    return german_number(n) + "sten"


def english_number(n: int) -> str:
    if n < 10:
        return ENGLISH_UNITS[n]
    if n < 20:
        return ENGLISH_TEENS[n - 10]
    tens, unit = divmod(n, 10)
    return f"{ENGLISH_TENS[tens]} {ENGLISH_UNITS[unit]}".strip()


def expected_day(day: date) -> date:
    """A day and month said without a year: this year's, or next year's once past."""
    return day if day >= TODAY else day.replace(year=day.year + 1)


def as_said_without_cue(hour: int) -> int:
    return hour + 12 if 1 <= hour <= 6 else hour


dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
this_year = st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31)).filter(
    lambda day: not (day.month == 2 and day.day == 29)
)


@given(dates, st.booleans())
def test_every_german_numeric_date_round_trips(day: date, zero_padded: bool) -> None:
    text = f"{day:%d.%m.%Y}" if zero_padded else f"{day.day}.{day.month}.{day.year}"
    assert resolve_date(text, "de", NOW) == day
    assert resolve_date(f"am {text} um 18 Uhr", "de", NOW) == day


@given(dates)
def test_every_english_numeric_date_round_trips(day: date) -> None:
    assert resolve_date(f"{day.month}/{day.day}/{day.year}", "en", NOW) == day
    assert resolve_date(day.isoformat(), "en", NOW) == day


@given(this_year)
def test_german_spelled_ordinal_day_and_month(day: date) -> None:
    phrase = f"am {german_ordinal(day.day)} {GERMAN_MONTHS[day.month - 1]}"
    assert resolve_date(phrase, "de", NOW) == expected_day(day)


@given(this_year)
def test_english_day_and_month_both_orders(day: date) -> None:
    month = f"{day:%B}"
    assert resolve_date(f"{month} {english_number(day.day)}", "en", NOW) == expected_day(day)
    assert resolve_date(f"the {day.day}th of {month}", "en", NOW) == expected_day(day)


@given(st.integers(0, 23), st.integers(0, 59))
def test_every_clock_time_round_trips(hour: int, minute: int) -> None:
    assert resolve_time(f"{hour:02d}:{minute:02d}", "de") == time(hour, minute)
    assert resolve_time(f"um {hour:02d}.{minute:02d} Uhr", "de") == time(hour, minute)
    expected = time(as_said_without_cue(hour), minute)
    assert resolve_time(f"um {hour}:{minute:02d} Uhr", "de") == expected
    assert resolve_time(f"at {hour}:{minute:02d}", "en") == expected


@given(st.integers(1, 12), st.integers(0, 59), st.sampled_from(["am", "pm", "a.m.", "p. m."]))
def test_english_twelve_hour_clock(hour: int, minute: int, meridiem: str) -> None:
    expected_hour = hour % 12 + (12 if meridiem.startswith("p") else 0)
    phrase = f"{hour}:{minute:02d} {meridiem}"
    assert resolve_time(phrase, "en") == time(expected_hour, minute)


@given(st.integers(2, 11), st.integers(1, 59))
def test_german_spelled_minutes_past_and_to(hour: int, minute: int) -> None:
    past = resolve_time(f"{german_number(minute)} nach {german_number(hour)}", "de", "morgens")
    assert past == time(hour, minute)
    if minute <= 30:
        before = resolve_time(f"{german_number(minute)} Minuten vor {german_number(hour)}", "de")
        assert before == time(as_said_without_cue(hour - 1), 60 - minute)


@given(st.integers(1, 59))
def test_spelled_minutes_as_lengths(minutes: int) -> None:
    assert resolve_duration(f"{german_number(minutes)} Minuten", "de") == minutes
    assert resolve_duration(f"{english_number(minutes)} minutes", "en") == minutes


@given(st.integers(0, 9), st.integers(0, 59))
def test_hours_and_minutes_add_up(hours: int, minutes: int) -> None:
    total = 60 * hours + minutes
    phrase_de = f"{hours} Stunden und {minutes} Minuten"
    phrase_en = f"{hours} hours and {minutes} minutes"
    expected = total if total > 0 else None
    assert resolve_duration(phrase_de, "de") == expected
    assert resolve_duration(phrase_en, "en") == expected


@given(st.integers(1, 60), st.sampled_from(["Tagen", "Wochen"]))
def test_german_offsets(amount: int, unit: str) -> None:
    days = amount * (7 if unit == "Wochen" else 1)
    assert resolve_date(f"in {amount} {unit}", "de", NOW) == TODAY + timedelta(days=days)


VOCABULARY_WORDS = (  # noqa: SIM905 (a word list reads best as words)
    "morgen heute um am halb viertel nach vor bis von Uhr Stunde Stunden Minuten "
    "Woche nächsten diesen Freitag Dezember ersten dritten abends früh und eine zwei "
    "zwölf next this friday december the of at to from until and half quarter past "
    "pm am hour hours minutes week weekend month days a an in 3 24. 12 18:30 24.12. "
    "1,5 / "
).split()


@settings(max_examples=300)
@given(
    st.lists(st.sampled_from(VOCABULARY_WORDS), max_size=8).map(" ".join),
    st.sampled_from(["de", "en"]),
)
def test_no_mix_of_known_words_raises(phrase: str, language: str) -> None:
    resolve_date(phrase, language, NOW)
    resolve_time(phrase, language, phrase)
    resolve_duration(phrase, language, time(9, 0))
    resolve_range(phrase, language, NOW)


@settings(max_examples=300)
@given(st.text(max_size=40), st.sampled_from(["de", "en"]))
def test_no_phrase_raises(phrase: str, language: str) -> None:
    resolve_date(phrase, language, NOW)
    resolve_time(phrase, language, phrase)
    resolve_duration(phrase, language, time(9, 0))
    resolve_range(phrase, language, NOW)


GERMAN_WEEKDAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
ENGLISH_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
any_day = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


def at_ten(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=NOW.tzinfo)


@given(any_day, st.integers(0, 6))
def test_weekday_phrases_land_on_that_weekday_in_their_window(today: date, weekday: int) -> None:
    now = at_ten(today)
    german, english = GERMAN_WEEKDAYS[weekday], ENGLISH_WEEKDAYS[weekday]
    windows = {
        (german, "de"): (1, 7),
        (f"nächsten {german}", "de"): (1, 7),
        (f"diesen {german}", "de"): (0, 6),
        (f"letzten {german}", "de"): (-7, -1),
        (f"übernächsten {german}", "de"): (8, 14),
        (f"next {english}", "en"): (1, 7),
        (f"this {english}", "en"): (0, 6),
        (f"last {english}", "en"): (-7, -1),
    }
    for (phrase, language), (first, last) in windows.items():
        found = resolve_date(phrase, language, now)
        assert found is not None
        assert found.weekday() == weekday
        assert first <= (found - today).days <= last, phrase
    next_week = today - timedelta(days=today.weekday()) + timedelta(weeks=1)
    assert resolve_date(f"{german} nächster Woche", "de", now) == next_week + timedelta(weekday)
    assert resolve_date(f"{english} next week", "en", now) == next_week + timedelta(weekday)


@given(any_day, st.integers(1, 60))
def test_listing_spans_have_their_shape(today: date, count: int) -> None:
    now = at_ten(today)
    this_week = resolve_range("diese Woche", "de", now)
    assert this_week is not None
    assert this_week.start == today and this_week.end.weekday() == 6
    assert (this_week.end - this_week.start).days < 7
    next_week = resolve_range("next week", "en", now)
    assert next_week is not None
    assert next_week.start.weekday() == 0 and (next_week.end - next_week.start).days == 6
    assert 1 <= (next_week.start - today).days <= 7
    days = resolve_range(f"die nächsten {count} Tage", "de", now)
    assert days is not None and days.start == today and (days.end - today).days == count - 1
    month = resolve_range("next month", "en", now)
    assert month is not None and month.start.day == 1 and month.start > today
    assert (month.end + timedelta(days=1)).day == 1
