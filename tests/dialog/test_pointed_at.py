"""Deletes and moves of an event the person pointed at in the window: the same question, the
same wait for a yes (a click or a spoken "ja"), the same change and the same undo as when the
event is named aloud."""

from datetime import date, datetime, timedelta

import pytest

from app.dialog import Dialog, PendingChoice
from tests.conftest import BERLIN

NOW = datetime(2026, 3, 26, 10, 0, tzinfo=BERLIN)  # a Thursday
FRIDAY_3PM = datetime(2026, 3, 27, 15, 0, tzinfo=BERLIN)
SATURDAY = date(2026, 3, 28)


@pytest.fixture
def dialog(make_store):
    return Dialog(make_store())


def titles_on(dialog: Dialog, day: date) -> list[str]:
    return [o.title for o in dialog.store.occurrences(day, day)]


def test_a_delete_asks_like_a_spoken_one_and_a_spoken_yes_confirms_it(dialog):
    dentist = dialog.store.create("Zahnarzt", FRIDAY_3PM, timedelta(hours=1))
    asked = dialog.ask_to_delete(dentist, "de", NOW.date())
    assert asked.status == "needs_confirmation"
    assert asked.message == "Soll ich Zahnarzt am Freitag, 27. März um 15:00 löschen?"
    assert isinstance(dialog.pending, PendingChoice)
    assert titles_on(dialog, FRIDAY_3PM.date()) == ["Zahnarzt"]  # nothing before the yes

    done = dialog.follow_up("ja", NOW)
    assert done is not None and done.status == "done"
    assert titles_on(dialog, FRIDAY_3PM.date()) == []
    dialog.undo("de", NOW)
    assert titles_on(dialog, FRIDAY_3PM.date()) == ["Zahnarzt"]


def test_a_delete_of_one_occurrence_keeps_the_rest_of_the_series(dialog):
    dialog.store.create("Choir", FRIDAY_3PM, timedelta(hours=1), recurrence="FREQ=DAILY;COUNT=3")
    second = dialog.store.occurrences(SATURDAY, SATURDAY)[0]
    asked = dialog.ask_to_delete(second, "en", NOW.date())
    assert asked.message == "Shall I delete Choir on Saturday, March 28 at 3:00 PM from the series?"
    dialog.confirm(0, NOW)
    assert titles_on(dialog, SATURDAY) == []
    assert titles_on(dialog, FRIDAY_3PM.date()) == ["Choir"]
    assert titles_on(dialog, SATURDAY + timedelta(days=1)) == ["Choir"]


def test_a_move_names_the_overlap_and_keeps_the_length(dialog):
    dentist = dialog.store.create("Dentist", FRIDAY_3PM, timedelta(minutes=45))
    dialog.store.create("Team", datetime(2026, 3, 28, 10, 0, tzinfo=BERLIN), timedelta(hours=1))
    asked = dialog.ask_to_move(dentist, datetime(2026, 3, 28, 10, 30), "en", NOW.date())
    assert asked.message.startswith(
        "Shall I move Dentist from Friday, March 27 at 3:00 PM to Saturday, March 28 at 10:30 AM?"
    )
    assert "Team" in asked.message
    done = dialog.confirm(0, NOW)
    assert done.status == "done"
    (moved,) = dialog.store.occurrences(SATURDAY, SATURDAY)[1:]
    assert moved.title == "Dentist"
    assert moved.start == datetime(2026, 3, 28, 10, 30, tzinfo=BERLIN)
    assert moved.end - moved.start == timedelta(minutes=45)
    dialog.undo("en", NOW)
    assert titles_on(dialog, FRIDAY_3PM.date()) == ["Dentist"]


def test_no_keeps_the_event(dialog):
    dentist = dialog.store.create("Dentist", FRIDAY_3PM, timedelta(hours=1))
    dialog.ask_to_move(dentist, datetime(2026, 3, 28, 9, 0), "en", NOW.date())
    assert dialog.cancel().status == "done"
    assert dialog.pending is None
    assert titles_on(dialog, FRIDAY_3PM.date()) == ["Dentist"]
