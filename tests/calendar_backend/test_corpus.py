"""Round trip over real-world calendars from other projects (../shared/corpus/ics): whatever
we add and remove again, every byte we did not mean to change stays as it was."""

import csv
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest

from calendar_backend import CalendarFileError, CalendarStore
from calendar_backend.rawtext import detect_newline, scan_components
from tests.conftest import BERLIN, shared_dir

CORPUS = shared_dir() / "corpus" / "ics"
if not (CORPUS / "MANIFEST.tsv").exists():
    pytest.skip(
        f"the shared .ics corpus is not at {CORPUS}: put the shared folder beside the checkout "
        "or set VOICE_CALENDAR_SHARED",
        allow_module_level=True,
    )

pytestmark = [pytest.mark.corpus, pytest.mark.usefixtures("quiet_vendor_quirks")]

with (CORPUS / "MANIFEST.tsv").open(newline="", encoding="utf-8") as manifest:
    ROWS = list(csv.DictReader(manifest, delimiter="\t"))
VALID = [row["relative_path"] for row in ROWS if row["valid"] == "yes"]
INVALID = [
    row["relative_path"] for row in ROWS if row["valid"] == "no" and row["size_bytes"] != "0"
]
EMPTY = [row["relative_path"] for row in ROWS if row["size_bytes"] == "0"]

DAY = date(2026, 11, 27)


def open_copy(relative: str, tmp_path: Path) -> tuple[CalendarStore, bytes]:
    path = tmp_path / "calendar.ics"
    shutil.copyfile(CORPUS / relative, path)
    return CalendarStore(path, zone=BERLIN, backup_dir=tmp_path / "backups"), path.read_bytes()


def without_span(data: bytes, predicate) -> tuple[bytes, int]:
    """data with the components for which predicate(component bytes) is true cut out."""
    kept, removed, position = [], 0, 0
    for component in scan_components(data):
        chunk = data[component.start : component.end]
        if component.start >= position and predicate(chunk):
            kept.append(data[position : component.start])
            position = component.end
            removed += 1
    kept.append(data[position:])
    return b"".join(kept), removed


def parsed_components(data: bytes) -> list[tuple[str, list[tuple[str, bytes]]]]:
    """Each component's own content lines as icalendar reads them, without its children."""
    components = []
    for top in icalendar.Calendar.from_ical(data, multiple=True):
        for component in top.walk():
            properties = component.property_items(recursive=False, sorted=False)
            components.append((component.name, [(name, value) for name, value in properties]))
    return components


def assert_only_the_event_came_and_went(
    original: bytes, with_event: bytes, after: bytes, uid: str
) -> None:
    """Adding and removing an event left only its time zone definition behind, if that, and
    while it was there everything else still meant the same to an iCalendar reader."""
    event_cut, events_removed = without_span(
        with_event, lambda c: c.startswith(b"BEGIN:VEVENT") and uid.encode() in c
    )
    assert events_removed == 1 and event_cut == after
    if after != original:
        zone_cut, zones_removed = without_span(
            after, lambda c: c.startswith(b"BEGIN:VTIMEZONE") and b"TZID:Europe/Berlin" in c
        )
        assert zones_removed == 1
        assert b"TZID:Europe/Berlin" not in original
        # Appending after a last line without a line break has to add one (RFC 5545 ends
        # every content line with one); nothing else may differ.
        assert zone_cut == original or (
            not original.endswith(b"\n") and zone_cut == original + detect_newline(original)
        )
    before_components = parsed_components(original)
    after_components = parsed_components(with_event)
    for component in before_components:
        assert component in after_components


@pytest.mark.parametrize("relative", VALID)
def test_add_and_remove_keeps_every_other_byte(relative, tmp_path):
    store, original = open_copy(relative, tmp_path)
    store.occurrences(date(2026, 1, 1), date(2026, 12, 31))

    created = store.create("Round trip", datetime(DAY.year, DAY.month, DAY.day, 9, 30))
    with_event = store.path.read_bytes()
    assert created.uid in [o.uid for o in store.occurrences(DAY, DAY)]

    store.delete(created.uid)
    assert_only_the_event_came_and_went(original, with_event, store.path.read_bytes(), created.uid)

    store.undo()
    store.undo()
    assert store.path.read_bytes() == original


@pytest.mark.parametrize("relative", VALID)
def test_add_and_remove_a_series_with_a_reminder_keeps_every_other_byte(relative, tmp_path):
    store, original = open_copy(relative, tmp_path)
    start = datetime(DAY.year, DAY.month, DAY.day, 9, 30)
    created = store.create(
        "Round trip", start, recurrence="FREQ=WEEKLY;COUNT=3", reminder_minutes=15
    )
    with_event = store.path.read_bytes()
    assert b"RRULE:FREQ=WEEKLY;COUNT=3" in with_event and b"TRIGGER:-PT15M" in with_event
    week_later = DAY + timedelta(days=7)
    assert created.uid in [o.uid for o in store.occurrences(week_later, week_later)]

    store.delete(created.uid, series=True)
    assert_only_the_event_came_and_went(original, with_event, store.path.read_bytes(), created.uid)

    store.undo()
    store.undo()
    assert store.path.read_bytes() == original


@pytest.mark.parametrize("relative", INVALID)
def test_invalid_file_is_refused_clearly_and_left_byte_identical(relative, tmp_path):
    store, original = open_copy(relative, tmp_path)
    with pytest.raises(CalendarFileError) as listing:
        store.occurrences(date(2026, 1, 1), date(2026, 12, 31))
    assert str(store.path) in str(listing.value)
    with pytest.raises(CalendarFileError):
        store.create("Must not be written", datetime(2026, 11, 27, 9, 30))
    assert store.path.read_bytes() == original


@pytest.mark.parametrize("relative", EMPTY)
def test_empty_file_is_an_empty_calendar(relative, tmp_path):
    store, _ = open_copy(relative, tmp_path)
    assert store.occurrences(date(2026, 1, 1), date(2026, 12, 31)) == []
    store.create("First", datetime(2026, 11, 27, 9, 30))
    assert [o.title for o in store.occurrences(DAY, DAY)] == ["First"]
