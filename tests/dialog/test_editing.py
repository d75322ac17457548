"""An edit of an event's length and title (and start) made in the window: the same kind of
question as a move, the same wait for a yes (a click or a spoken "ja"), one change, and the
same undo; what cannot be done is refused before anything is asked or written."""

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


def on(dialog: Dialog, day: date) -> list[tuple[str, timedelta]]:
    return [(o.title, o.end - o.start) for o in dialog.store.occurrences(day, day)]


def test_a_german_edit_asks_waits_for_ja_and_is_undone_as_one(dialog):
    dentist = dialog.store.create("Zahnarzt", FRIDAY_3PM, timedelta(hours=1))
    before = dialog.store.path.read_bytes()
    asked = dialog.ask_to_edit(dentist, "de", NOW.date(), minutes=90, title="Zahnarzt, Dr. Weber")
    assert asked.status == "needs_confirmation"
    assert asked.message == (
        "Soll ich Zahnarzt am Freitag, 27. März um 15:00 ändern auf den Titel "
        "„Zahnarzt, Dr. Weber“ und eine Dauer von 1 Stunde und 30 Minuten?"
    )
    assert isinstance(dialog.pending, PendingChoice)
    assert on(dialog, FRIDAY_3PM.date()) == [("Zahnarzt", timedelta(hours=1))]

    done = dialog.follow_up("ja", NOW)
    assert done is not None and done.status == "done"
    assert done.message.startswith("Ich habe Zahnarzt geändert auf den Titel")
    assert on(dialog, FRIDAY_3PM.date()) == [("Zahnarzt, Dr. Weber", timedelta(minutes=90))]

    undone = dialog.undo("de", NOW)
    assert undone.message == "Rückgängig gemacht: Zahnarzt, Dr. Weber ist wieder wie vorher."
    assert dialog.store.path.read_bytes() == before


def test_an_english_edit_with_a_new_start_names_the_overlap(dialog):
    dentist = dialog.store.create("Dentist", FRIDAY_3PM, timedelta(minutes=45))
    dialog.store.create("Team", datetime(2026, 3, 28, 11, 0, tzinfo=BERLIN), timedelta(hours=1))
    asked = dialog.ask_to_edit(
        dentist, "en", NOW.date(), start=datetime(2026, 3, 28, 10, 0), minutes=90
    )
    assert asked.message.startswith(
        "Shall I change Dentist on Friday, March 27 at 3:00 PM to a length of 1 hour and "
        "30 minutes and a start on Saturday, March 28 at 10:00 AM?"
    )
    assert "Team" in asked.message
    assert dialog.confirm(0, NOW).status == "done"
    assert on(dialog, SATURDAY)[0] == ("Dentist", timedelta(minutes=90))
    assert on(dialog, FRIDAY_3PM.date()) == []
    dialog.undo("en", NOW)
    assert on(dialog, FRIDAY_3PM.date()) == [("Dentist", timedelta(minutes=45))]


def test_one_occurrence_of_a_series_changes_and_the_rest_stays(dialog):
    dialog.store.create("Choir", FRIDAY_3PM, timedelta(hours=1), recurrence="FREQ=DAILY;COUNT=3")
    second = dialog.store.occurrences(SATURDAY, SATURDAY)[0]
    asked = dialog.ask_to_edit(second, "en", NOW.date(), title="Choir rehearsal")
    assert asked.message == (
        "Shall I change this one time of Choir on Saturday, March 28 at 3:00 PM to the title "
        "“Choir rehearsal”? The rest of the series stays."
    )
    dialog.confirm(0, NOW)
    assert on(dialog, SATURDAY) == [("Choir rehearsal", timedelta(hours=1))]
    assert on(dialog, FRIDAY_3PM.date()) == [("Choir", timedelta(hours=1))]
    assert on(dialog, SATURDAY + timedelta(days=1)) == [("Choir", timedelta(hours=1))]


@pytest.mark.parametrize(
    ("changes", "reply"),
    [
        ({"title": "   "}, "An appointment needs a title, so I changed nothing."),
        ({"minutes": 0}, "An appointment must last longer than zero minutes"),
        ({"minutes": -15}, "An appointment must last longer than zero minutes"),
        ({"minutes": 60, "title": "Dentist"}, "Dentist already is like that"),
    ],
)
def test_what_cannot_or_need_not_be_done_is_not_asked(dialog, changes, reply):
    dentist = dialog.store.create("Dentist", FRIDAY_3PM, timedelta(hours=1))
    before = dialog.store.path.read_bytes()
    answered = dialog.ask_to_edit(dentist, "en", NOW.date(), **changes)
    assert answered.message.startswith(reply)
    assert dialog.pending is None
    assert dialog.store.path.read_bytes() == before
