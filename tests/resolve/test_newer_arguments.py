"""Resolving move_event, and create_event's recurrence and reminder, and list_events' title, to
the contract's values (../shared/INTERFACE.md), per language."""

from datetime import datetime

import pytest

from app.nlu.call_format import RawCall
from app.resolve import resolve_call, title_to_search
from tests.conftest import BERLIN

NOW = datetime(2026, 3, 26, 10, 0, tzinfo=BERLIN)  # a Thursday


def resolved(function, language, **phrases):
    return resolve_call(RawCall(function, phrases, ""), language, NOW)


CREATE = [
    # (language, phrases, expected arguments (a subset), missing)
    (
        "de",
        {"title": "Schwimmen", "time": "8 Uhr", "recurrence": "jeden Donnerstag"},
        {"date": "2026-04-02", "time": "08:00", "recurrence": "FREQ=WEEKLY;BYDAY=TH"},
        (),
    ),
    (
        "de",
        {"title": "Schwimmen", "time": "20 Uhr", "recurrence": "jeden Donnerstag"},
        {"date": "2026-03-26", "recurrence": "FREQ=WEEKLY;BYDAY=TH"},
        (),
    ),
    (
        "en",
        {
            "title": "piano lessons",
            "time": "11",
            "recurrence": "every Saturday until the end of May",
        },
        {"date": "2026-03-28", "recurrence": "FREQ=WEEKLY;UNTIL=20260531;BYDAY=SA"},
        (),
    ),
    (
        "de",
        {"title": "Putzen", "recurrence": "alle zwei Wochen freitags"},
        {
            "date": "2026-03-27",
            "recurrence": "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR",
            "time": None,
            "duration_minutes": 1440,
        },
        (),
    ),
    (
        "en",
        {"title": "Mum's birthday", "recurrence": "every year on May 5th"},
        {"date": "2026-05-05", "recurrence": "FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=5"},
        (),
    ),
    (
        "de",
        {"title": "Yoga", "date": "nächsten Montag", "time": "18 Uhr", "recurrence": "wöchentlich"},
        {"date": "2026-03-30", "recurrence": "FREQ=WEEKLY"},
        (),
    ),
    (
        "en",
        {"title": "standup", "time": "9 am", "recurrence": "repeating"},
        {"recurrence": None},
        ("recurrence",),
    ),
    (
        "de",
        {"title": "Müll", "date": "übermorgen", "time": "um sieben", "reminder": "Erinnere"},
        {"date": "2026-03-28", "time": "07:00", "reminder_minutes": 0},
        (),
    ),
    (
        "en",
        {"title": "flight", "date": "tomorrow", "time": "6 am", "reminder": "an hour before"},
        {"reminder_minutes": 60},
        (),
    ),
    (
        "de",
        {
            "title": "Zahnarzt",
            "date": "morgen",
            "time": "15 Uhr",
            "reminder": "eine Viertelstunde vorher",
        },
        {"reminder_minutes": 15},
        (),
    ),
    (
        "en",
        {"title": "rent", "date": "friday", "reminder": "a day before"},
        {"reminder_minutes": 1440},
        (),
    ),
    (
        "en",
        {"title": "flight", "reminder": "remind"},
        {"reminder_minutes": 0, "date": None},
        ("date",),
    ),
    (
        "de",
        {"title": "Arzt", "date": "morgen", "reminder": "irgendwann"},
        {"reminder_minutes": None},
        ("reminder_minutes",),
    ),
]


@pytest.mark.parametrize(("language", "phrases", "expected", "missing"), CREATE)
def test_create_recurrence_and_reminder(language, phrases, expected, missing):
    call = resolved("create_event", language, **phrases)
    arguments = call.arguments_json()
    assert {name: arguments[name] for name in expected} == expected
    assert call.missing == missing


MOVE = [
    (
        "de",
        {"title": "Physiotherapie", "new_date": "Mittwoch"},
        {
            "title": "Physiotherapie",
            "new_date": "2026-04-01",
            "new_time": None,
            "relative_move": None,
        },
        (),
    ),
    ("en", {"title": "standup", "new_time": "10:15"}, {"new_date": None, "new_time": "10:15"}, ()),
    (
        "de",
        {"title": "Elterngespräch", "new_time": "eine Stunde später"},
        {"new_time": None, "relative_move": "eine Stunde später"},
        (),
    ),
    (
        "en",
        {"title": "dentist", "new_date": "two days earlier"},
        {"new_date": None, "relative_move": "two days earlier"},
        (),
    ),
    (
        "de",
        {"title": "Teammeeting", "date": "Freitag", "new_date": "Montag", "new_time": "14 Uhr"},
        {"date": "2026-03-27", "new_date": "2026-03-30", "new_time": "14:00"},
        (),
    ),
    (
        "en",
        {"title": "the appointment", "date": "today", "new_time": "3 pm"},
        {"title": None, "date": "2026-03-26", "new_time": "15:00"},
        (),
    ),
    ("de", {"title": "Friseur"}, {"new_date": None, "new_time": None}, ("new_date",)),
    ("en", {"new_time": "noon"}, {"title": None, "new_time": "12:00"}, ("title",)),
    ("de", {"title": "Arzt", "new_date": "irgendwann"}, {"new_date": None}, ("new_date",)),
]


@pytest.mark.parametrize(("language", "phrases", "expected", "missing"), MOVE)
def test_move_event(language, phrases, expected, missing):
    call = resolved("move_event", language, **phrases)
    arguments = call.arguments_json()
    assert set(arguments) == {"title", "date", "new_date", "new_time", "relative_move"}
    assert {name: arguments[name] for name in expected} == expected
    assert call.missing == missing


FIND = [
    (
        "de",
        {"title": "Physiotherapie"},
        {"start_date": "2026-03-26", "end_date": "2027-03-26", "title": "Physiotherapie"},
    ),
    (
        "en",
        {"title": "parent-teacher meeting"},
        {"start_date": "2026-03-26", "end_date": "2027-03-26"},
    ),
    (
        "de",
        {"range": "diese Woche", "title": "Friseurtermin"},
        {"start_date": "2026-03-26", "end_date": "2026-03-29", "title": "Friseurtermin"},
    ),
    (
        "en",
        {"range": "tomorrow"},
        {"start_date": "2026-03-27", "end_date": "2026-03-27", "title": None},
    ),
    ("en", {}, {"start_date": "2026-03-26", "end_date": "2026-03-26", "title": None}),
]


@pytest.mark.parametrize(("language", "phrases", "expected"), FIND)
def test_list_events_title(language, phrases, expected):
    call = resolved("list_events", language, **phrases)
    arguments = call.arguments_json()
    assert {name: arguments[name] for name in expected} == expected
    assert call.missing == ()


def test_a_year_ahead_from_the_29th_of_february_ends_on_the_28th():
    leap = datetime(2028, 2, 29, 9, 0, tzinfo=BERLIN)
    call = resolve_call(RawCall("list_events", {"title": "Zahnarzt"}, ""), "de", leap)
    assert call.arguments_json()["end_date"] == "2029-02-28"


@pytest.mark.parametrize(
    ("language", "said", "searched"),
    [
        ("en", "dentist appointment", "dentist"),
        ("en", "my next appointment", "my next appointment"),
        ("de", "den Termin Zahnarzt", "Zahnarzt"),
        ("de", "Physiotherapie", "Physiotherapie"),
        ("en", None, None),
    ],
)
def test_a_title_is_searched_without_the_words_for_an_appointment(language, said, searched):
    assert title_to_search(said, language) == searched
