"""Moving in the dialog: asked before it happens, overlaps named, one occurrence of a series,
shifts of the current start, undo."""

from datetime import date, datetime, time, timedelta

import pytest

from app.dialog import Dialog, PendingChoice
from app.resolve import ResolvedCall, apply_policy
from tests.conftest import BERLIN

NOW = datetime(2026, 3, 26, 10, 0, tzinfo=BERLIN)  # a Thursday
FRIDAY = date(2026, 3, 27)
WEDNESDAY = date(2026, 4, 1)


def move(language="de", **arguments):
    values = {"title": None, "date": None, "new_date": None, "new_time": None}
    values["relative_move"] = None
    return apply_policy(ResolvedCall("move_event", language, {**values, **arguments}), NOW)


@pytest.fixture
def dialog(make_store):
    return Dialog(make_store())


def add(dialog, title, start, minutes=60):
    return dialog.store.create(title, start, timedelta(minutes=minutes))


def starts(dialog, title):
    return [
        o.start
        for o in dialog.store.occurrences(NOW.date(), NOW.date() + timedelta(days=30))
        if o.title == title
    ]


def test_a_move_waits_for_a_yes_and_keeps_the_length(dialog):
    add(dialog, "Physiotherapie", datetime(2026, 3, 27, 10, 0), 45)
    outcome = dialog.handle(move(title="Physiotherapie", new_date=WEDNESDAY), NOW)
    assert outcome.status == "needs_confirmation"
    assert outcome.message == (
        "Soll ich Physiotherapie von Freitag, 27. März um 10:00 auf Mittwoch, 1. April "
        "um 10:00 verschieben?"
    )
    assert starts(dialog, "Physiotherapie") == [datetime(2026, 3, 27, 10, 0, tzinfo=BERLIN)]
    done = dialog.follow_up("ja", NOW)
    assert done is not None and done.status == "done"
    (moved,) = done.events
    assert moved.start == datetime(2026, 4, 1, 10, 0, tzinfo=BERLIN)
    assert moved.end - moved.start == timedelta(minutes=45)
    assert starts(dialog, "Physiotherapie") == [moved.start]


def test_a_no_leaves_it_where_it_was(dialog):
    add(dialog, "Standup", datetime(2026, 3, 27, 9, 0))
    dialog.handle(move("en", title="standup", new_time=time(10, 15)), NOW)
    outcome = dialog.follow_up("no", NOW)
    assert outcome is not None and outcome.status == "done"
    assert starts(dialog, "Standup") == [datetime(2026, 3, 27, 9, 0, tzinfo=BERLIN)]


@pytest.mark.parametrize(
    ("language", "shift", "expected"),
    [
        ("de", "eine Stunde später", datetime(2026, 3, 27, 16, 0)),
        ("en", "two days earlier", datetime(2026, 3, 25, 15, 0)),
        ("de", "auf nächste Woche", datetime(2026, 4, 3, 15, 0)),
    ],
)
def test_a_shift_moves_the_current_start(dialog, language, shift, expected):
    add(dialog, "Elterngespräch", datetime(2026, 3, 27, 15, 0))
    outcome = dialog.handle(
        move(language, title="Elterngespräch", relative_move=shift), NOW, confirmed=True
    )
    assert outcome.status == "done", outcome.message
    assert outcome.events[0].start == expected.replace(tzinfo=BERLIN)


def test_the_overlap_a_move_would_make_is_named_before(dialog):
    add(dialog, "Zahnarzt", datetime(2026, 3, 27, 10, 0))
    add(dialog, "Team", datetime(2026, 3, 27, 14, 0))
    outcome = dialog.handle(move("en", title="Zahnarzt", new_time=time(14, 30)), NOW)
    assert outcome.status == "needs_confirmation"
    assert "overlap with Team at 2:00 PM" in outcome.message


def test_one_occurrence_of_a_series_moves_alone(dialog):
    dialog.store.create(
        "Schwimmen", datetime(2026, 3, 26, 8, 0, tzinfo=BERLIN), recurrence="FREQ=WEEKLY"
    )
    outcome = dialog.handle(move(title="Schwimmen", date=date(2026, 4, 2), new_time=time(9)), NOW)
    assert "dieses eine Mal" in outcome.message
    done = dialog.confirm(0, NOW)
    assert done.status == "done"
    assert starts(dialog, "Schwimmen")[:3] == [
        datetime(2026, 3, 26, 8, 0, tzinfo=BERLIN),
        datetime(2026, 4, 2, 9, 0, tzinfo=BERLIN),
        datetime(2026, 4, 9, 8, 0, tzinfo=BERLIN),
    ]


def test_several_matches_offer_a_choice_and_the_meeting_alone_needs_no_title(dialog):
    add(dialog, "Meeting mit Anna", datetime(2026, 3, 27, 9, 0))
    add(dialog, "Meeting mit Ben", datetime(2026, 3, 27, 11, 0))
    outcome = dialog.handle(move(date=FRIDAY, new_time=time(16)), NOW)
    assert outcome.status == "needs_confirmation"
    assert isinstance(dialog.pending, PendingChoice) and len(dialog.pending.candidates) == 2
    done = dialog.follow_up("den zweiten", NOW)
    assert done is not None and done.events[0].title == "Meeting mit Ben"
    assert done.events[0].start == datetime(2026, 3, 27, 16, 0, tzinfo=BERLIN)

    alone = Dialog(dialog.store)
    add(dialog, "Meeting", datetime(2026, 4, 1, 9, 0))
    outcome = alone.handle(move("en", date=WEDNESDAY, new_time=time(10)), NOW)
    assert outcome.status == "needs_confirmation" and len(outcome.events) == 1


def test_a_move_is_undone(dialog):
    add(dialog, "Friseur", datetime(2026, 3, 27, 17, 0))
    dialog.handle(move(title="Friseur", new_date=WEDNESDAY), NOW, confirmed=True)
    outcome = dialog.undo("de", NOW)
    assert outcome.status == "done"
    assert outcome.message == "Rückgängig gemacht: Friseur ist wieder zur alten Zeit."
    assert starts(dialog, "Friseur") == [datetime(2026, 3, 27, 17, 0, tzinfo=BERLIN)]


def test_nothing_to_move_says_so(dialog):
    outcome = dialog.handle(move("en", title="Dentist", new_time=time(9)), NOW)
    assert outcome.status == "error"
    assert outcome.message == "I found no upcoming appointment “Dentist”."


def test_a_move_without_a_target_asks_where_to(dialog):
    add(dialog, "Friseur", datetime(2026, 3, 27, 17, 0))
    outcome = dialog.handle(move(title="Friseur"), NOW)
    assert outcome.status == "needs_input"
    assert outcome.message == "Wohin soll ich ihn verschieben?"
    follow = dialog.follow_up("auf Mittwoch", NOW)
    assert follow is not None and follow.status == "needs_confirmation"
    assert dialog.confirm(0, NOW).events[0].start == datetime(2026, 4, 1, 17, 0, tzinfo=BERLIN)
