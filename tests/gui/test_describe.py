"""What the window says it understood, per language."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from app.gui.describe import describe_call, reminder_lead, reminder_notice
from app.gui.text import UiText
from app.nlu.call_format import parse_call, render
from app.resolve import ResolvedCall, resolve_call
from calendar_backend import Occurrence
from tests.conftest import BERLIN

NOW = datetime(2026, 3, 26, 10, 0, tzinfo=BERLIN)
TODAY = NOW.date()


def call(function: str, language: str, **phrases: str) -> ResolvedCall:
    return resolve_call(parse_call(render(function, phrases)), language, NOW)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "Termin anlegen: Zahnarzt, Samstag, 28. März, 15:00\u201316:00"),
        ("en", "Create appointment: Zahnarzt, Saturday, March 28, 3:00 PM\u20134:00 PM"),
    ],
)
def test_a_create_names_title_day_and_times(language: str, expected: str) -> None:
    understood = call("create_event", "de", title="Zahnarzt", date="Samstag", time="15 Uhr")
    assert describe_call(understood, UiText(language), TODAY) == expected


def test_an_all_day_create_says_so() -> None:
    understood = call("create_event", "en", title="Holiday", date="April 2")
    assert describe_call(understood, UiText("en"), TODAY) == (
        "Create appointment: Holiday, Thursday, April 2, all day"
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "Termin anlegen: noch ohne Titel (fehlt noch: Titel, Datum)"),
        ("en", "Create appointment: no title yet (still missing: title, date)"),
    ],
)
def test_what_is_still_missing_is_named(language: str, expected: str) -> None:
    understood = call("create_event", "en")
    assert describe_call(understood, UiText(language), TODAY) == expected


def test_delete_list_and_none() -> None:
    english = UiText("en")
    deleting = call("delete_event", "en", title="dentist", date="tomorrow")
    assert describe_call(deleting, english, TODAY) == (
        "Delete appointment: Dentist, Friday, March 27"
    )
    listing = call("list_events", "en", range="next week")
    assert describe_call(listing, UiText("de"), TODAY) == (
        "Termine zeigen: vom Montag, 30. März bis Sonntag, 5. April"
    )
    assert describe_call(call("list_events", "en"), english, TODAY) == ("Show appointments: today")
    assert describe_call(call("none", "en"), english, TODAY) == "Not a calendar request"
    assert describe_call(call("none", "de"), UiText("de"), date(2026, 1, 1)) == (
        "Keine Kalenderanfrage"
    )


def move(**arguments: object) -> ResolvedCall:
    values = {"title": None, "date": None, "new_date": None, "new_time": None}
    values.update(arguments)
    values.setdefault("relative_move", None)
    return ResolvedCall("move_event", "de", values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "de",
            "Termin verschieben: Physio, von Freitag, 3. April \u2192 Mittwoch, 8. April, 10:00",
        ),
        (
            "en",
            "Move appointment: Physio, from Friday, April 3 \u2192 Wednesday, April 8, 10:00 AM",
        ),
    ],
)
def test_a_move_names_the_old_day_and_the_new_place(language: str, expected: str) -> None:
    moving = move(
        title="Physio", date=date(2026, 4, 3), new_date=date(2026, 4, 8), new_time=time(10, 0)
    )
    assert describe_call(moving, UiText(language), TODAY) == expected


def test_a_move_to_a_new_time_alone_keeps_the_day_unsaid() -> None:
    moving = move(title="Standup", new_time=time(10, 15))
    assert describe_call(moving, UiText("en"), TODAY) == "Move appointment: Standup \u2192 10:15 AM"


@pytest.mark.parametrize(
    ("language", "utterance_language", "phrase", "expected"),
    [
        (
            "de",
            "de",
            "eine Stunde später",
            "Termin verschieben: Elterngespräch, eine Stunde später",
        ),
        ("en", "en", "one hour later", "Move appointment: Elterngespräch, one hour later"),
    ],
)
def test_a_shift_is_described_as_it_was_said(
    language: str, utterance_language: str, phrase: str, expected: str
) -> None:
    shifting = call("move_event", utterance_language, title="Elterngespräch", new_time=phrase)
    assert shifting.text("relative_move") == phrase
    assert describe_call(shifting, UiText(language), TODAY) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "Termin verschieben: Physio (fehlt noch: neuer Tag)"),
        ("en", "Move appointment: Physio (still missing: new day)"),
    ],
)
def test_a_move_without_a_new_place_says_what_is_missing(language: str, expected: str) -> None:
    understood = call("move_event", "de", title="Physio")
    assert describe_call(understood, UiText(language), TODAY) == expected


def series(rule: str, **arguments: object) -> ResolvedCall:
    values: dict[str, object] = {
        "title": "Yoga",
        "date": date(2026, 3, 30),
        "time": time(9, 0),
        "duration_minutes": 60,
        "recurrence": rule,
        "reminder_minutes": None,
    }
    values.update(arguments)
    return ResolvedCall("create_event", "de", values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "de",
            "Termin anlegen: Yoga, Montag, 30. März, 09:00\u201310:00, jeden Montag,"
            " bis Dienstag, 30. Juni",
        ),
        (
            "en",
            "Create appointment: Yoga, Monday, March 30, 9:00 AM\u201310:00 AM, every Monday,"
            " until Tuesday, June 30",
        ),
    ],
)
def test_a_series_says_its_rule_in_words(language: str, expected: str) -> None:
    weekly = series("FREQ=WEEKLY;BYDAY=MO;UNTIL=20260630")
    assert describe_call(weekly, UiText(language), TODAY) == expected


@pytest.mark.parametrize(
    ("language", "minutes", "expected"),
    [
        ("de", 15, "Erinnerung 15 Min. vorher"),
        ("en", 15, "reminder 15 min before"),
        ("de", 0, "Erinnerung zu Beginn"),
        ("en", 0, "reminder at the start"),
        ("de", 120, "Erinnerung 2 Std. vorher"),
        ("en", 60, "reminder 1 h before"),
        ("de", 24 * 60, "Erinnerung 1 Tag vorher"),
        ("en", 24 * 60, "reminder 1 day before"),
        ("de", 7 * 24 * 60, "Erinnerung 7 Tage vorher"),
        ("en", 2 * 24 * 60, "reminder 2 days before"),
        ("en", 90, "reminder 90 min before"),
    ],
)
def test_a_reminder_is_named_with_its_lead_time(language: str, minutes: int, expected: str) -> None:
    understood = series(None, reminder_minutes=minutes)  # type: ignore[arg-type]
    described = describe_call(understood, UiText(language), TODAY)
    assert described.endswith(", " + expected)
    assert reminder_lead(minutes, UiText(language)) == expected


def test_a_spoken_reminder_request_is_shown_with_its_lead_time() -> None:
    understood = call(
        "create_event",
        "de",
        title="Zahnarzt",
        date="morgen",
        time="15 Uhr",
        reminder="eine Viertelstunde vorher",
    )
    assert describe_call(understood, UiText("de"), TODAY) == (
        "Termin anlegen: Zahnarzt, Freitag, 27. März, 15:00\u201316:00, Erinnerung 15 Min. vorher"
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "Termin suchen: Physiotherapie"),
        ("en", "Find appointment: Physiotherapie"),
    ],
)
def test_a_question_about_one_appointment_names_it(language: str, expected: str) -> None:
    finding = call("list_events", "de", title="Physiotherapie")
    assert describe_call(finding, UiText(language), TODAY) == expected


def test_a_question_about_one_appointment_in_a_said_range_names_both() -> None:
    finding = call("list_events", "de", title="Friseurtermin", range="diese Woche")
    assert describe_call(finding, UiText("de"), TODAY) == (
        "Termin suchen: Friseurtermin, vom Donnerstag, 26. März bis Sonntag, 29. März"
    )


@pytest.mark.parametrize(
    ("language", "start", "expected"),
    [
        ("en", datetime(2026, 3, 26, 15, 0, tzinfo=BERLIN), "Reminder: Dentist at 3:00 PM"),
        ("de", datetime(2026, 3, 26, 15, 0, tzinfo=BERLIN), "Erinnerung: Dentist um 15:00"),
        (
            "en",
            datetime(2026, 3, 27, 9, 30, tzinfo=BERLIN),
            "Reminder: Dentist tomorrow at 9:30 AM",
        ),
        ("de", datetime(2026, 3, 27, 9, 30, tzinfo=BERLIN), "Erinnerung: Dentist morgen um 09:30"),
        (
            "en",
            datetime(2026, 4, 2, 8, 0, tzinfo=BERLIN),
            "Reminder: Dentist on Thursday, April 2 at 8:00 AM",
        ),
        (
            "de",
            datetime(2026, 4, 2, 8, 0, tzinfo=BERLIN),
            "Erinnerung: Dentist am Donnerstag, 2. April um 08:00",
        ),
        ("en", date(2026, 3, 26), "Reminder: Dentist today"),
        ("de", date(2026, 3, 27), "Erinnerung: Dentist morgen"),
        ("de", date(2026, 4, 2), "Erinnerung: Dentist am Donnerstag, 2. April"),
    ],
)
def test_a_reminder_notice_says_what_and_when(
    language: str, start: datetime | date, expected: str
) -> None:
    timed = isinstance(start, datetime)
    occurrence = Occurrence(
        uid="dentist",
        title="Dentist",
        start=start,
        end=start + timedelta(hours=1 if timed else 24),
        all_day=not timed,
        recurring=False,
        recurrence_id=None,
        reminder_minutes=15,
    )
    assert reminder_notice(occurrence, UiText(language), TODAY) == expected
