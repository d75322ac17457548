"""Creating a repeating appointment and one with a reminder: written as RRULE and VALARM, said
back in words."""

from datetime import date, datetime, time

import pytest

from app.dialog import Dialog
from app.dialog.creating import rule_for_calendar
from app.resolve import ResolvedCall, apply_policy
from tests.conftest import BERLIN

NOW = datetime(2026, 3, 26, 10, 0, tzinfo=BERLIN)  # a Thursday


def create(language, **arguments):
    values = {"title": None, "date": None, "time": None, "duration_minutes": None}
    values |= {"recurrence": None, "reminder_minutes": None}
    return apply_policy(ResolvedCall("create_event", language, {**values, **arguments}), NOW)


@pytest.fixture
def dialog(make_store):
    return Dialog(make_store())


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "de",
            "Ich habe Schwimmen eingetragen: jeden Donnerstag um 08:00, bis Dienstag, 30. Juni, "
            "ab Donnerstag, 2. April.",
        ),
        (
            "en",
            "I added Schwimmen every Thursday at 8:00 AM, until Tuesday, June 30, starting "
            "Thursday, April 2.",
        ),
    ],
)
def test_a_series_is_written_and_said_back(dialog, language, expected):
    outcome = dialog.handle(
        create(
            language,
            title="Schwimmen",
            date=date(2026, 4, 2),
            time=time(8),
            recurrence="FREQ=WEEKLY;UNTIL=20260630;BYDAY=TH",
        ),
        NOW,
    )
    assert outcome.status == "done"
    assert outcome.message == expected
    thursdays = [o.start for o in dialog.store.occurrences(date(2026, 4, 1), date(2026, 7, 31))]
    assert len(thursdays) == 13  # 2 April … 25 June
    assert thursdays[-1] == datetime(2026, 6, 25, 8, 0, tzinfo=BERLIN)
    text = dialog.store.path.read_text()
    assert "RRULE:FREQ=WEEKLY;UNTIL=20260630T215959Z;BYDAY=TH" in text


def test_until_is_a_utc_moment_for_timed_and_a_day_for_all_day_series():
    rule = "FREQ=DAILY;UNTIL=20261231"
    timed = rule_for_calendar(rule, datetime(2026, 12, 1, 9, 0, tzinfo=BERLIN), BERLIN)
    assert timed == "FREQ=DAILY;UNTIL=20261231T225959Z"
    assert rule_for_calendar(rule, date(2026, 12, 1), BERLIN) == rule
    assert rule_for_calendar("FREQ=WEEKLY;COUNT=3", date(2026, 12, 1), BERLIN).endswith("=3")


@pytest.mark.parametrize(
    ("language", "minutes", "sentence"),
    [
        ("de", 15, "Ich erinnere dich 15 Minuten vorher."),
        ("en", 90, "I'll remind you 1 hour and 30 minutes before."),
        ("en", 1440, "I'll remind you 1 day before."),
        ("de", 0, "Ich erinnere dich, wenn es losgeht."),
    ],
)
def test_a_reminder_is_an_alarm_and_said(dialog, language, minutes, sentence):
    outcome = dialog.handle(
        create(
            language, title="Müll", date=date(2026, 3, 28), time=time(7), reminder_minutes=minutes
        ),
        NOW,
    )
    assert outcome.status == "done"
    assert outcome.message.endswith(sentence)
    text = dialog.store.path.read_text()
    assert "BEGIN:VALARM" in text and "ACTION:DISPLAY" in text
    assert "TRIGGER" in text
