"""Repeat rules in words, per language."""

from datetime import date, time

import pytest

from app.dialog.rule_words import rule_in_words

TODAY = date(2026, 3, 26)
CASES = [
    ("FREQ=WEEKLY;BYDAY=MO", None, "jeden Montag", "every Monday"),
    (
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR",
        time(9),
        "jeden zweiten Freitag um 09:00",
        "every other Friday at 9:00 AM",
    ),
    (
        "FREQ=WEEKLY;INTERVAL=3;BYDAY=TU",
        None,
        "alle 3 Wochen am Dienstag",
        "every 3 weeks on Tuesday",
    ),
    ("FREQ=WEEKLY;BYDAY=MO,TH", None, "jeden Montag und Donnerstag", "every Monday and Thursday"),
    ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", None, "jeden Werktag", "every weekday"),
    ("FREQ=DAILY", None, "jeden Tag", "every day"),
    ("FREQ=DAILY;INTERVAL=2", None, "alle 2 Tage", "every 2 days"),
    (
        "FREQ=MONTHLY;BYDAY=3WE",
        None,
        "jeden dritten Mittwoch im Monat",
        "on the third Wednesday of every month",
    ),
    (
        "FREQ=MONTHLY;BYDAY=-1FR",
        None,
        "jeden letzten Freitag im Monat",
        "on the last Friday of every month",
    ),
    ("FREQ=MONTHLY;BYMONTHDAY=15", None, "jeden Monat am 15.", "every month on day 15"),
    ("FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=5", None, "jedes Jahr am 5. Mai", "every year on May 5"),
    ("FREQ=WEEKLY;COUNT=10;BYDAY=TU", None, "jeden Dienstag, 10 Mal", "every Tuesday, 10 times"),
    (
        "FREQ=WEEKLY;UNTIL=20260630;BYDAY=MO",
        time(18, 30),
        "jeden Montag um 18:30, bis Dienstag, 30. Juni",
        "every Monday at 6:30 PM, until Tuesday, June 30",
    ),
    (
        "FREQ=DAILY;UNTIL=20270115",
        None,
        "jeden Tag, bis Freitag, 15. Januar 2027",
        "every day, until Friday, January 15, 2027",
    ),
]


@pytest.mark.parametrize(("rule", "at", "german", "english"), CASES)
def test_rules_in_words(rule, at, german, english):
    assert rule_in_words(rule, "de", TODAY, at) == german
    assert rule_in_words(rule, "en", TODAY, at) == english


def test_a_rule_without_words_is_refused():
    with pytest.raises(ValueError):
        rule_in_words("FREQ=HOURLY", "en", TODAY)
