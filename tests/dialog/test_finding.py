"""Asking about one appointment: its next date and time, or that there is none."""

from datetime import date, datetime, timedelta

import pytest

from app.dialog import Dialog
from app.resolve import ResolvedCall, apply_policy
from tests.conftest import BERLIN

NOW = datetime(2026, 3, 26, 10, 0, tzinfo=BERLIN)  # a Thursday
TODAY = NOW.date()
A_YEAR_ON = date(2027, 3, 26)


def find(language, title, first=TODAY, last=A_YEAR_ON):
    arguments = {"start_date": first, "end_date": last, "title": title}
    return apply_policy(ResolvedCall("list_events", language, arguments), NOW)


@pytest.fixture
def dialog(make_store):
    store = make_store()
    store.create("Physiotherapie", datetime(2026, 3, 26, 8, 0), timedelta(hours=1))  # over
    store.create("Physiotherapie", datetime(2026, 4, 7, 14, 30), timedelta(hours=1))
    store.create("Physiotherapie", datetime(2026, 4, 14, 14, 30), timedelta(hours=1))
    store.create("Elternabend", date(2026, 5, 4))
    return Dialog(store)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "de",
            "Der nächste Termin „Physiotherapie“ ist am Dienstag, 7. April um 14:30. "
            "Danach: am Dienstag, 14. April um 14:30.",
        ),
        (
            "en",
            "The next Physiotherapie is on Tuesday, April 7 at 2:30 PM. "
            "After that: on Tuesday, April 14 at 2:30 PM.",
        ),
    ],
)
def test_the_next_one_is_named_with_day_and_time(dialog, language, expected):
    outcome = dialog.handle(find(language, "Physiotherapie"), NOW)
    assert outcome.status == "done"
    assert outcome.message == expected


def test_an_all_day_appointment_is_named_with_its_day(dialog):
    outcome = dialog.handle(find("en", "parent evening"), NOW)
    assert "no appointment" in outcome.message
    outcome = dialog.handle(find("de", "Elternabend"), NOW)
    assert outcome.message == "Der nächste Termin „Elternabend“ ist am Montag, 4. Mai."


def test_none_in_the_next_year_is_said(dialog):
    outcome = dialog.handle(find("de", "Friseur"), NOW)
    assert outcome.message == "Ich habe im nächsten Jahr keinen Termin „Friseur“ gefunden."


def test_a_said_range_limits_the_search(dialog):
    this_week = find("en", "Physiotherapie", NOW.date(), date(2026, 3, 29))
    outcome = dialog.handle(this_week, NOW)
    assert outcome.message == (
        "I found no appointment “Physiotherapie” from Thursday, March 26 to Sunday, March 29."
    )
