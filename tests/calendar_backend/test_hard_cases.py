"""Files and moments that real calendars produce and that are easy to get wrong."""

import os
import stat
import time
from datetime import UTC, date, datetime, timedelta

import pytest

from calendar_backend import (
    AmbiguousEventError,
    CalendarError,
    CalendarFileError,
    CalendarStore,
)
from calendar_backend import storage as storage_module
from tests.conftest import BERLIN, ics

TWO_EVENTS_ONE_UID = ics(
    "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:x",
    "BEGIN:VEVENT", "UID:same@x", "SUMMARY:Zahnarzt",
    "DTSTART:20261124T090000Z", "DTEND:20261124T100000Z", "END:VEVENT",
    "BEGIN:VEVENT", "UID:same@x", "SUMMARY:Friseur",
    "DTSTART:20261125T090000Z", "DTEND:20261125T100000Z", "END:VEVENT",
    "END:VCALENDAR",
)  # fmt: skip


def test_deleting_one_of_two_events_that_share_a_uid_keeps_the_other(make_store):
    store = make_store(TWO_EVENTS_ONE_UID)
    listed = [o.title for o in store.occurrences(date(2026, 11, 24), date(2026, 11, 25))]
    assert listed == ["Zahnarzt", "Friseur"]
    with pytest.raises(AmbiguousEventError, match="share one UID"):
        store.delete("same@x")
    assert store.path.read_bytes() == TWO_EVENTS_ONE_UID
    store.delete("same@x", date(2026, 11, 24))
    data = store.path.read_bytes()
    assert b"SUMMARY:Zahnarzt" not in data
    assert b"SUMMARY:Friseur" in data
    # Undone after another program touched the file: the twin does not block the restore.
    store.path.write_bytes(data.replace(b"PRODID:x", b"PRODID:y"))
    store.undo()
    titles = [o.title for o in store.occurrences(date(2026, 11, 24), date(2026, 11, 25))]
    assert "Zahnarzt" in titles and b"PRODID:y" in store.path.read_bytes()


def test_same_uid_in_two_calendars_of_one_file(make_store):
    content = TWO_EVENTS_ONE_UID.replace(
        b"END:VEVENT\r\nBEGIN:VEVENT",
        b"END:VEVENT\r\nEND:VCALENDAR\r\nBEGIN:VCALENDAR\r\nBEGIN:VEVENT",
    )
    store = make_store(content)
    store.delete("same@x", date(2026, 11, 25))
    data = store.path.read_bytes()
    assert b"SUMMARY:Zahnarzt" in data and b"SUMMARY:Friseur" not in data


MOVED_INSTANCE_BESIDE_A_BROKEN_EVENT = ics(
    "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:x",
    "BEGIN:VEVENT", "UID:broken@x", "SUMMARY:No start", "END:VEVENT",
    "BEGIN:VEVENT", "UID:s@x", "SUMMARY:Chor",
    "DTSTART;TZID=Europe/Berlin:20261109T190000", "DTEND;TZID=Europe/Berlin:20261109T200000",
    "RRULE:FREQ=WEEKLY;COUNT=4", "END:VEVENT",
    "BEGIN:VEVENT", "UID:s@x", "RECURRENCE-ID;TZID=Europe/Berlin:20261116T190000",
    "SUMMARY:Chor (moved)",
    "DTSTART;TZID=Europe/Berlin:20261117T180000", "DTEND;TZID=Europe/Berlin:20261117T190000",
    "END:VEVENT",
    "END:VCALENDAR",
)  # fmt: skip


def test_a_broken_event_does_not_make_a_moved_instance_appear_twice(make_store):
    store = make_store(MOVED_INSTANCE_BESIDE_A_BROKEN_EVENT)
    week = [(o.title, o.start) for o in store.occurrences(date(2026, 11, 16), date(2026, 11, 22))]
    assert week == [("Chor (moved)", datetime(2026, 11, 17, 18, 0, tzinfo=BERLIN))]


def test_this_and_future_changes_are_not_silently_undone(make_store):
    content = ics(
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:x",
        "BEGIN:VEVENT", "UID:s@x", "SUMMARY:Chor",
        "DTSTART;TZID=Europe/Berlin:20261109T190000", "DTEND;TZID=Europe/Berlin:20261109T200000",
        "RRULE:FREQ=WEEKLY;COUNT=6", "END:VEVENT",
        "BEGIN:VEVENT", "UID:s@x",
        "RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Berlin:20261116T190000",
        "SUMMARY:Chor neu",
        "DTSTART;TZID=Europe/Berlin:20261116T080000", "DTEND;TZID=Europe/Berlin:20261116T090000",
        "END:VEVENT",
        "END:VCALENDAR",
    )  # fmt: skip
    store = make_store(content)
    with pytest.raises(CalendarError, match="THISANDFUTURE"):
        store.delete("s@x", date(2026, 11, 16))
    assert store.path.read_bytes() == content


def test_undo_never_erases_a_change_made_right_after_our_save(make_store, monkeypatch):
    store = make_store(TWO_EVENTS_ONE_UID)
    real_fsync_directory = storage_module._fsync_directory
    calls = []

    def other_program_writes_just_after_our_rename(folder):
        real_fsync_directory(folder)
        if not calls:
            calls.append(folder)
            edited = store.path.read_bytes().replace(b"SUMMARY:Friseur", b"SUMMARY:Friseurin")
            store.path.write_bytes(edited)

    monkeypatch.setattr(
        storage_module, "_fsync_directory", other_program_writes_just_after_our_rename
    )
    created = store.create("Neu", datetime(2026, 11, 27, 9, 0))
    monkeypatch.undo()
    store.undo()
    data = store.path.read_bytes()
    assert b"SUMMARY:Friseurin" in data
    assert created.uid.encode() not in data


def test_read_only_calendar_is_refused_and_untouched(make_store):
    store = make_store(TWO_EVENTS_ONE_UID)
    store.path.chmod(0o444)
    with pytest.raises(CalendarFileError, match="read-only"):
        store.create("X", datetime(2026, 11, 27, 9, 0))
    assert store.path.read_bytes() == TWO_EVENTS_ONE_UID


def test_backups_are_private(make_store):
    store = make_store(TWO_EVENTS_ONE_UID)
    store.path.chmod(0o644)
    store.create("X", datetime(2026, 11, 27, 9, 0))
    (backup,) = store.storage.backups()
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert stat.S_IMODE(backup.parent.stat().st_mode) == 0o700


def test_a_full_disk_gives_an_actionable_error_and_no_damage(make_store, monkeypatch):
    store = make_store(TWO_EVENTS_ONE_UID)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage_module.tempfile, "mkstemp", disk_full)
    with pytest.raises(CalendarFileError, match=r"could not be saved \(No space left"):
        store.create("X", datetime(2026, 11, 27, 9, 0))
    assert store.path.read_bytes() == TWO_EVENTS_ONE_UID


def test_no_calendar_is_created_through_a_link_that_points_nowhere(tmp_path):
    link = tmp_path / "calendar.ics"
    link.symlink_to(tmp_path / "unmounted" / "calendar.ics")
    with pytest.raises(CalendarFileError, match="does not exist"):
        CalendarStore(link, zone=BERLIN, backup_dir=tmp_path / "b")
    assert not (tmp_path / "unmounted").exists()


def test_temporary_files_left_by_a_killed_save_are_cleaned_up(make_store):
    store = make_store(TWO_EVENTS_ONE_UID)
    old = store.path.parent / f".{store.path.name}.abc123{storage_module.TEMP_SUFFIX}"
    young = store.path.parent / f".{store.path.name}.def456{storage_module.TEMP_SUFFIX}"
    old.write_bytes(b"partial")
    young.write_bytes(b"being written")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    make_store()
    assert not old.exists() and young.exists()


HOURLY_UTC = ics(
    "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:x",
    "BEGIN:VEVENT", "UID:h@x", "SUMMARY:Messung",
    "DTSTART:20261024T230000Z", "DURATION:PT15M", "RRULE:FREQ=HOURLY;COUNT=4", "END:VEVENT",
    "END:VCALENDAR",
)  # fmt: skip


def test_the_repeated_hour_is_listed_in_real_order_and_each_pass_can_be_named(make_store):
    # 23:00Z 00:00Z 01:00Z 02:00Z = 01:00+02 02:00+02 02:00+01 03:00+01 in Berlin.
    store = make_store(HOURLY_UTC)
    listed = store.occurrences(date(2026, 10, 25), date(2026, 10, 25))
    assert [o.start.astimezone(UTC).hour for o in listed] == [23, 0, 1, 2]
    second_two_oclock = datetime(2026, 10, 25, 1, 0, tzinfo=UTC)
    store.delete("h@x", second_two_oclock)
    left = store.occurrences(date(2026, 10, 25), date(2026, 10, 25))
    assert [o.start.astimezone(UTC).hour for o in left] == [23, 0, 2]


def test_a_naive_start_means_wall_time_in_the_stores_zone(make_store):
    store = make_store(HOURLY_UTC)
    store.delete("h@x", datetime(2026, 10, 25, 1, 0))  # 01:00 in Berlin = 23:00Z the day before
    left = store.occurrences(date(2026, 10, 25), date(2026, 10, 25))
    assert [o.start.astimezone(UTC).hour for o in left] == [0, 1, 2]


def test_a_multi_day_event_can_be_named_by_any_of_its_days(make_store):
    store = make_store()
    created = store.create("Urlaub", date(2026, 12, 24), timedelta(days=3))
    assert [o.uid for o in store.find("urlaub", date(2026, 12, 25))] == [created.uid]
    store.delete(created.uid, date(2026, 12, 25))
    assert store.occurrences(date(2026, 12, 24), date(2026, 12, 26)) == []


def test_a_utc_day_long_duration_lasts_24_hours_across_the_change(make_store):
    content = ics(
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:x",
        "BEGIN:VEVENT", "UID:d@x", "SUMMARY:Messe",
        "DTSTART:20261024T120000Z", "DURATION:P1D", "END:VEVENT",
        "END:VCALENDAR",
    )  # fmt: skip
    (fair,) = make_store(content).occurrences(date(2026, 10, 24), date(2026, 10, 24))
    assert fair.end.astimezone(UTC) - fair.start.astimezone(UTC) == timedelta(hours=24)


def test_an_aware_start_in_the_spring_gap_is_normalised(make_store):
    created = make_store().create("X", datetime(2026, 3, 29, 2, 30, tzinfo=BERLIN))
    assert created.start.utcoffset() == timedelta(hours=2)
    assert created.start.hour == 3


def test_a_time_zone_defined_only_in_another_calendar_is_added_to_ours(make_store):
    content = ics(
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:first", "END:VCALENDAR",
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:second",
        "BEGIN:VTIMEZONE", "TZID:Europe/Berlin",
        "BEGIN:STANDARD", "DTSTART:19701025T030000", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100",
        "END:STANDARD", "END:VTIMEZONE", "END:VCALENDAR",
    )  # fmt: skip
    store = make_store(content)
    store.create("X", datetime(2026, 11, 27, 9, 0))
    first_calendar = store.path.read_bytes().split(b"END:VCALENDAR")[0]
    assert b"TZID:Europe/Berlin\r\n" in first_calendar


def test_an_edit_that_would_change_another_component_is_not_written(make_store):
    # icalendar joins " X-TAIL" after a blank line onto the line before it; cutting the event
    # out would join it onto the calendar's name instead.
    content = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nX-WR-CALNAME:Home\r\n"
        b"BEGIN:VEVENT\r\nUID:e@x\r\nSUMMARY:E\r\nDTSTART:20261124T090000Z\r\nEND:VEVENT\r\n"
        b"\r\n X-TAIL\r\nEND:VCALENDAR\r\n"
    )
    store = make_store(content)
    try:
        store.delete("e@x")
    except CalendarError:
        assert store.path.read_bytes() == content
    else:
        assert store.document().top_level[0].get("X-WR-CALNAME") == "Home"
