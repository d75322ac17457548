"""Generated moves: whatever event is moved to whatever time, only its time lines change (or
one modified copy is added after its series), the listing shows it at the new time with its
old length, and undo gives back the file byte for byte."""

import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from calendar_backend import CalendarStore
from tests.calendar_backend.test_move import SINGLE_EVENTS, WEEKLY_YOGA
from tests.conftest import BERLIN

CONTENT = SINGLE_EVENTS.replace(
    b"END:VCALENDAR\r\n",
    WEEKLY_YOGA[WEEKLY_YOGA.index(b"BEGIN:VEVENT") :],
)
TIMED = ["dentist@elsewhere", "call@elsewhere", "floating@elsewhere"]
FIRST_DAY = date(2026, 12, 1)


def open_store(folder: Path) -> CalendarStore:
    (folder / "calendar.ics").write_bytes(CONTENT)
    return CalendarStore(folder / "calendar.ics", zone=BERLIN, backup_dir=folder / "backups")


def lines_of(data: bytes, uid: bytes) -> list[bytes]:
    start = data.rindex(b"BEGIN:VEVENT", 0, data.index(b"UID:" + uid))
    return data[start : data.index(b"END:VEVENT", start)].split(b"\r\n")


def only_time_lines_differ(before: bytes, after: bytes, uid: str) -> bool:
    old, new = lines_of(before, uid.encode()), lines_of(after, uid.encode())
    differing = [a for a, b in zip(old, new, strict=True) if a != b]
    untouched_outside = before.replace(b"\r\n".join(old), b"") == after.replace(
        b"\r\n".join(new), b""
    )
    return untouched_outside and all(line.startswith((b"DTSTART", b"DTEND")) for line in differing)


def length(occurrence) -> timedelta:
    if isinstance(occurrence.start, datetime):
        return occurrence.end.astimezone(UTC) - occurrence.start.astimezone(UTC)
    return occurrence.end - occurrence.start


wall_times = st.builds(
    lambda days, minutes: (
        datetime.combine(FIRST_DAY + timedelta(days=days), datetime.min.time())
        + timedelta(minutes=minutes)
    ),
    st.integers(0, 150),
    st.integers(0, 24 * 60 - 1).map(lambda m: m - m % 5),
)


@settings(max_examples=60, deadline=None)
@given(uid=st.sampled_from(TIMED), new_start=wall_times)
def test_a_moved_timed_event_changes_only_its_time_lines(uid, new_start):
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder))
        (before,) = [o for o in store.occurrences(FIRST_DAY, date(2026, 12, 31)) if o.uid == uid]
        moved = store.move(uid, new_start)
        after = store.path.read_bytes()
        assert only_time_lines_differ(CONTENT, after, uid)
        day = moved.start.date()
        (listed,) = [
            o for o in store.occurrences(day, day) if o.uid == uid and o.start == moved.start
        ]
        assert listed.start.astimezone(UTC) == store.localize(new_start).astimezone(UTC)
        assert length(listed) == length(before)
        store.undo()
        assert store.path.read_bytes() == CONTENT


@settings(max_examples=30, deadline=None)
@given(days=st.integers(-300, 300))
def test_a_moved_all_day_event_changes_only_its_date_lines(days):
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder))
        new_start = date(2026, 12, 24) + timedelta(days=days)
        moved = store.move("holiday@elsewhere", new_start)
        assert only_time_lines_differ(CONTENT, store.path.read_bytes(), "holiday@elsewhere")
        listed = [o for o in store.occurrences(new_start, new_start) if o.title == "Urlaub"]
        assert [(o.start, o.end) for o in listed] == [(new_start, new_start + timedelta(days=3))]
        assert moved.all_day
        store.undo()
        assert store.path.read_bytes() == CONTENT


@settings(max_examples=40, deadline=None)
@given(week=st.integers(0, 3), new_start=wall_times)
def test_a_moved_occurrence_adds_only_its_copy_and_leaves_the_others(week, new_start):
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder))
        window = (FIRST_DAY, date(2027, 5, 31))
        series_before = [o for o in store.occurrences(*window) if o.uid == "yoga@elsewhere"]
        target = series_before[week]
        moved = store.move("yoga@elsewhere", new_start, occurrence=target.start)
        after = store.path.read_bytes()
        series_end = CONTENT.rindex(b"END:VEVENT\r\n") + len(b"END:VEVENT\r\n")
        added = len(after) - len(CONTENT)
        assert after[:series_end] == CONTENT[:series_end]
        assert after[series_end + added :] == CONTENT[series_end:]
        series_after = [o for o in store.occurrences(*window) if o.uid == "yoga@elsewhere"]
        others_after = [o for o in series_after if o.recurrence_id != target.recurrence_id]
        assert others_after == [o for o in series_before if o != target]
        (instance,) = [o for o in series_after if o.recurrence_id == target.recurrence_id]
        assert instance.start == moved.start and length(instance) == length(target)
        store.undo()
        assert store.path.read_bytes() == CONTENT


def as_read(wall: datetime) -> datetime:
    """A wall time as the calendar reads it: one that a clock change skips (02:30 on the last
    Sunday of March) is read an hour later, as RFC 5545 says."""
    return wall.replace(tzinfo=BERLIN).astimezone(UTC).astimezone(BERLIN).replace(tzinfo=None)


@settings(max_examples=30, deadline=None)
@example(new_start=datetime(2027, 3, 21, 2, 0))  # the next week's 02:00 does not exist
@example(new_start=datetime(2027, 3, 28, 2, 0))  # the first 02:00 does not exist
@example(new_start=datetime(2027, 3, 28, 1, 0))  # the first ends in the hour the clocks skip
@example(new_start=datetime(2027, 3, 28, 2, 30))  # the same, half an hour later
@given(new_start=wall_times)
def test_a_moved_series_shifts_every_occurrence_by_the_same_wall_time(new_start):
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder))
        window = (FIRST_DAY, date(2027, 6, 30))
        before = [o for o in store.occurrences(*window) if o.uid == "yoga@elsewhere"]
        store.move("yoga@elsewhere", new_start, series=True)
        assert only_time_lines_differ(CONTENT, store.path.read_bytes(), "yoga@elsewhere")
        after = [o for o in store.occurrences(*window) if o.uid == "yoga@elsewhere"]
        shift = new_start - before[0].start.replace(tzinfo=None)
        assert [o.start.replace(tzinfo=None) for o in after] == [
            as_read(o.start.replace(tzinfo=None) + shift) for o in before
        ]
        assert all(length(o) == timedelta(hours=1) for o in after)
        store.undo()
        assert store.path.read_bytes() == CONTENT
