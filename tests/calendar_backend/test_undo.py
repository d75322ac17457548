from datetime import date, datetime

import pytest

from calendar_backend import CalendarStore, CannotUndoError, NothingToUndoError
from tests.calendar_backend.test_recurring import SERIES


def test_undo_of_create_restores_the_exact_bytes(make_store):
    store = make_store(SERIES)
    store.create("Zahnarzt", datetime(2026, 11, 27, 9, 0))
    assert store.can_undo()
    change = store.undo()
    assert change.kind == "undone" and change.occurrence.title == "Zahnarzt"
    assert store.path.read_bytes() == SERIES
    assert not store.can_undo()


def test_undo_of_occurrence_delete_brings_it_back(make_store):
    store = make_store(SERIES)
    store.delete("weekly@test", date(2026, 11, 17))
    store.undo()
    assert store.path.read_bytes() == SERIES


def test_undo_steps_back_through_several_changes(make_store):
    store = make_store(SERIES)
    first = store.create("A", datetime(2026, 11, 27, 9, 0))
    store.delete("birthday@test", series=True)
    store.undo()
    assert b"birthday@test" in store.path.read_bytes()
    assert first.uid.encode() in store.path.read_bytes()
    store.undo()
    assert store.path.read_bytes() == SERIES


def test_undo_after_another_program_wrote_reverses_only_our_change(make_store):
    store = make_store(SERIES)
    created = store.create("Zahnarzt", datetime(2026, 11, 27, 9, 0))
    # Another program renames the birthday in the meantime.
    edited = store.path.read_bytes().replace(b"Omas Geburtstag", b"Omas 80. Geburtstag")
    store.path.write_bytes(edited)
    store.undo()
    data = store.path.read_bytes()
    assert b"Omas 80. Geburtstag" in data
    assert created.uid.encode() not in data


def test_undo_of_series_delete_after_an_external_change_restores_the_series(make_store):
    store = make_store(SERIES)
    store.delete("weekly@test", series=True)
    store.path.write_bytes(store.path.read_bytes().replace(b"Standup", b"Daily"))
    store.undo()
    titles = {o.title for o in store.occurrences(date(2026, 11, 16), date(2026, 11, 22))}
    assert {"Chorprobe (Generalprobe)", "Daily"} <= titles


def test_undo_of_occurrence_delete_after_an_external_change(make_store):
    store = make_store(SERIES)
    store.delete("weekly@test", date(2026, 11, 23))
    store.path.write_bytes(store.path.read_bytes().replace(b"Standup", b"Daily"))
    store.undo()
    assert "Chorprobe" in [
        o.title for o in store.occurrences(date(2026, 11, 23), date(2026, 11, 23))
    ]
    assert b"20261123T190000" not in store.path.read_bytes()


def test_nothing_to_undo(make_store):
    with pytest.raises(NothingToUndoError):
        make_store().undo()


def test_undo_of_an_event_someone_else_deleted_is_refused_and_older_changes_stay_undoable(
    make_store,
):
    store = make_store(SERIES)
    store.create("First", datetime(2026, 11, 26, 9, 0))
    second = store.create("Second", datetime(2026, 11, 27, 9, 0))
    store.path.write_bytes(
        store.path.read_bytes().replace(b"SUMMARY:Second", b"SUMMARY:Second (edited)")
    )
    other = CalendarStore(store.path, zone=store.zone, backup_dir=store.backup_dir)
    other.delete(second.uid)
    with pytest.raises(CannotUndoError, match="cannot be undone"):
        store.undo()
    store.undo()
    assert b"SUMMARY:First" not in store.path.read_bytes()
    assert not store.can_undo()


def test_last_change_names_what_undo_would_revert(make_store):
    store = make_store()
    assert store.last_change() is None
    first = store.create("Zahnarzt", datetime(2026, 3, 28, 15, 0))
    store.create("Friseur", datetime(2026, 3, 28, 17, 0))
    store.delete(first.uid)
    change = store.last_change()
    assert change is not None and (change.kind, change.occurrence.uid) == ("deleted", first.uid)
    store.undo()
    change = store.last_change()
    assert change is not None and (change.kind, change.occurrence.title) == ("created", "Friseur")
