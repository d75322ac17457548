"""What the window says it understood, per language."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.gui.describe import describe_call
from app.gui.text import UiText
from app.nlu.call_format import parse_call, render
from app.resolve import ResolvedCall, resolve_call
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
