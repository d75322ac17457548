"""Moving events in real-world calendars from other projects (../shared/corpus/ics): a single
event and one occurrence of a series in each file move, every other byte stays, the listing
shows them at the new time, and undo gives the file back byte for byte."""

from datetime import date, datetime, timedelta

import pytest

from calendar_backend import CalendarError
from calendar_backend.document import CalendarDocument, PlacedComponent, occurrence_of
from calendar_backend.models import Occurrence
from calendar_backend.rawtext import iter_logical_lines
from tests.calendar_backend.test_corpus import VALID, open_copy
from tests.conftest import BERLIN

pytestmark = [pytest.mark.corpus, pytest.mark.usefixtures("quiet_vendor_quirks")]


def first_of_each_kind(document: CalendarDocument) -> list[tuple[PlacedComponent, Occurrence]]:
    """The first single event and the first series in the file, each with its own start."""
    recurring = document.recurring_uids()
    picked: dict[bool, tuple[PlacedComponent, Occurrence]] = {}
    masters = [e for e in document.events() if "RECURRENCE-ID" not in e.component]
    for event in masters:
        own = occurrence_of(event.component, BERLIN, recurring)
        is_series = event.uid in recurring
        if own is not None and is_series not in picked and 1950 < _day(own.start).year < 2090:
            picked[is_series] = (event, own)
    return list(picked.values())


def moved_by_a_day(start: datetime | date) -> datetime | date:
    if isinstance(start, datetime):
        return start.astimezone(BERLIN).replace(tzinfo=None) + timedelta(days=1, hours=1)
    return start + timedelta(days=1)


def logical_names(data: bytes) -> list[tuple[str, bytes]]:
    return [
        (line.unfolded.split(b":", 1)[0].split(b";", 1)[0].upper().decode(), line.unfolded)
        for line in iter_logical_lines(data)
    ]


def only_time_lines_changed(original: bytes, after: bytes, event: PlacedComponent) -> bool:
    grown = len(after) - len(original)
    start, end = event.raw.start, event.raw.end
    if original[:start] != after[:start] or original[end:] != after[end + grown :]:
        return False
    old, new = logical_names(original[start:end]), logical_names(after[start : end + grown])
    return len(old) == len(new) and all(
        a == b or (a[0] == b[0] and a[0] in ("DTSTART", "DTEND"))
        for a, b in zip(old, new, strict=True)
    )


def _day(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


@pytest.mark.parametrize("relative", VALID)
def test_move_and_undo_keeps_every_other_byte(relative, tmp_path):
    store, original = open_copy(relative, tmp_path)
    store_document = store.document()
    for event, own in first_of_each_kind(store_document):
        new_start = moved_by_a_day(own.start)
        own_day = _day(own.start)
        listed = event.uid in [o.uid for o in store.occurrences(own_day, own_day)]
        try:
            if own.recurring:
                moved = store.move(event.uid, new_start, occurrence=own.start)
            else:
                moved = store.move(event.uid, new_start)
        except CalendarError as refused:
            # Refusing (shared UIDs, a start that cannot be written back as it was) is
            # allowed; a plan that fails its own check is not.
            assert "Please report" not in str(refused)
            assert store.path.read_bytes() == original
            continue
        after = store.path.read_bytes()
        if own.recurring:
            # A modified copy added after the series, or the one that was there retimed.
            added = after.startswith(original[: event.raw.end]) and after.endswith(
                original[event.raw.end :]
            )
            members = store_document.event_members(event.uid)
            assert added or any(only_time_lines_changed(original, after, m) for m in members)
        else:
            assert only_time_lines_changed(original, after, event)
        day = _day(moved.start)
        # Where the listing could show the event before (not an unreadable one), it shows
        # it at the new time.
        assert not listed or event.uid in [o.uid for o in store.occurrences(day, day)]
        store.undo()
        assert store.path.read_bytes() == original


def test_the_corpus_has_events_of_both_kinds_to_move(tmp_path):
    kinds: set[bool] = set()
    for relative in VALID:
        store, _ = open_copy(relative, tmp_path)
        try:
            kinds |= {own.recurring for _, own in first_of_each_kind(store.document())}
        except CalendarError:
            continue
        if kinds == {True, False}:
            return
    pytest.fail("no corpus file has both a single event and a series to move")
