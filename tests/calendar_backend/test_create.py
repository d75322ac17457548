from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from calendar_backend import CalendarStore
from calendar_backend.errors import DateOutOfRangeError
from tests.conftest import BERLIN, ics


def elapsed(start: datetime, end: datetime) -> timedelta:
    """Real time between two instants (same-zone subtraction ignores DST folds)."""
    return end.astimezone(UTC) - start.astimezone(UTC)


def events_of(path) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


def test_missing_file_is_created_with_its_folder(tmp_path):
    path = tmp_path / "new" / "folder" / "calendar.ics"
    store = CalendarStore(path, zone=BERLIN, backup_dir=tmp_path / "backups")
    assert path.exists()
    assert store.occurrences(date(2026, 1, 1), date(2026, 12, 31)) == []
    assert icalendar.Calendar.from_ical(path.read_bytes()).get("VERSION") == "2.0"


def test_timed_event_is_written_with_tzid_and_vtimezone(make_store):
    store = make_store()
    created = store.create("Zahnarzt", datetime(2026, 11, 27, 14, 30), timedelta(minutes=90))
    assert created.start == datetime(2026, 11, 27, 14, 30, tzinfo=BERLIN)
    assert created.end == datetime(2026, 11, 27, 16, 0, tzinfo=BERLIN)
    data = store.path.read_bytes()
    assert b"DTSTART;TZID=Europe/Berlin:20261127T143000\r\n" in data
    assert b"DTEND;TZID=Europe/Berlin:20261127T160000\r\n" in data
    assert data.count(b"BEGIN:VTIMEZONE") == 1
    (event,) = events_of(store.path)
    assert str(event["UID"]) == created.uid
    assert str(event["SUMMARY"]) == "Zahnarzt"
    assert "DTSTAMP" in event


def test_vtimezone_is_added_once(make_store):
    store = make_store()
    store.create("A", datetime(2026, 11, 27, 9, 0))
    store.create("B", datetime(2026, 11, 28, 9, 0))
    assert store.path.read_bytes().count(b"BEGIN:VTIMEZONE") == 1
    assert len(events_of(store.path)) == 2


def test_default_duration_is_one_hour(make_store):
    created = make_store().create("Call", datetime(2026, 12, 1, 8, 0))
    assert created.end - created.start == timedelta(hours=1)


def test_all_day_event_uses_dates(make_store):
    store = make_store()
    created = store.create("Urlaub", date(2026, 12, 24), timedelta(days=3))
    assert created.all_day and created.start == date(2026, 12, 24)
    assert created.end == date(2026, 12, 27)
    data = store.path.read_bytes()
    assert b"DTSTART;VALUE=DATE:20261224" in data
    assert b"DTEND;VALUE=DATE:20261227" in data
    assert b"VTIMEZONE" not in data


def test_spring_forward_gap_moves_the_start_forward(make_store):
    # 2026-03-29 02:00 → 03:00 in Berlin: 02:30 never happens.
    created = make_store().create("Nachtschicht", datetime(2026, 3, 29, 2, 30))
    assert created.start.replace(tzinfo=None) == datetime(2026, 3, 29, 3, 30)
    assert created.start.utcoffset() == timedelta(hours=2)
    assert created.end - created.start == timedelta(hours=1)


def test_fall_back_overlap_means_the_first_time_and_keeps_real_length(make_store):
    # 2026-10-25 03:00 → 02:00 in Berlin: 02:00-03:00 happens twice.
    store = make_store()
    created = store.create("Wartung", datetime(2026, 10, 25, 2, 0), timedelta(hours=1))
    assert created.start.utcoffset() == timedelta(hours=2)
    assert elapsed(created.start, created.end) == timedelta(hours=1)
    # The end is the second 02:00, which a TZID time cannot name: DURATION is used instead.
    data = store.path.read_bytes()
    assert b"DTSTART;TZID=Europe/Berlin:20261025T020000" in data
    assert b"DURATION:PT1H" in data
    (listed,) = store.occurrences(date(2026, 10, 25), date(2026, 10, 25))
    assert elapsed(listed.start, listed.end) == timedelta(hours=1)
    assert listed.start.astimezone(UTC) == created.start.astimezone(UTC)


def test_event_across_the_night_of_the_change_lasts_the_time_asked_for(make_store):
    created = make_store().create("Party", datetime(2026, 3, 28, 22, 0), timedelta(hours=6))
    assert created.end == datetime(2026, 3, 29, 5, 0, tzinfo=BERLIN)


def test_utc_zone_writes_utc_times(tmp_path):
    store = CalendarStore(tmp_path / "c.ics", zone=ZoneInfo("UTC"), backup_dir=tmp_path / "b")
    store.create("Standup", datetime(2026, 11, 23, 9, 0))
    data = store.path.read_bytes()
    assert b"DTSTART:20261123T090000Z" in data
    assert b"VTIMEZONE" not in data


def test_other_zone_than_the_system(tmp_path):
    store = CalendarStore(
        tmp_path / "c.ics", zone=ZoneInfo("America/New_York"), backup_dir=tmp_path / "b"
    )
    created = store.create("Meeting", datetime(2026, 7, 1, 9, 0))
    assert created.start.utcoffset() == timedelta(hours=-4)
    assert b"TZID:America/New_York" in store.path.read_bytes()


@pytest.mark.parametrize("title", ["", "   ", "\n"])
def test_a_title_is_required(make_store, title):
    store = make_store()
    before = store.path.read_bytes()
    with pytest.raises(ValueError, match="title"):
        store.create(title, datetime(2026, 11, 27, 9, 0))
    assert store.path.read_bytes() == before


def test_title_with_special_characters_round_trips(make_store):
    store = make_store()
    title = "Treffen: Anna, Jörg; Café \\ Bar"
    store.create(title, datetime(2026, 11, 27, 9, 0))
    (listed,) = store.occurrences(date(2026, 11, 27), date(2026, 11, 27))
    assert listed.title == title


def test_control_characters_in_a_title_become_spaces(make_store):
    store = make_store()
    created = store.create("Zahn\x00arzt\x1b[31m\r\nEND:VEVENT", datetime(2026, 11, 27, 9, 0))
    assert created.title == "Zahn arzt [31m END:VEVENT"
    (listed,) = store.occurrences(date(2026, 11, 27), date(2026, 11, 27))
    assert listed.title == created.title
    assert store.path.read_bytes().count(b"\nEND:VEVENT") == 1


def test_a_title_that_is_not_text_is_refused(make_store):
    # Found by the fuzz tests: bytes of another encoding in argv become lone surrogates,
    # and the codec's own complaint was all the reason given.
    store = make_store()
    before = store.path.read_bytes()
    with pytest.raises(ValueError, match="the title is not text"):
        store.create("Caf\udce9", datetime(2026, 11, 27, 9, 0))
    assert store.path.read_bytes() == before


@pytest.mark.parametrize(
    ("start", "duration"),
    [
        (datetime(9999, 12, 31, 23, 30), timedelta(hours=1)),  # found by the fuzz tests
        (datetime(1, 1, 1, 0, 30), timedelta(hours=1)),
        (datetime(2999, 12, 31, 23, 30), timedelta(hours=1)),
        (datetime(2026, 11, 27, 9, 0), timedelta(days=999_999_999)),
        (date(3000, 1, 1), None),
        (date(1899, 12, 31), None),
    ],
)
def test_an_event_outside_the_years_kept_is_refused(make_store, start, duration):
    store = make_store()
    before = store.path.read_bytes()
    with pytest.raises(DateOutOfRangeError):
        store.create("X", start, duration)
    assert store.path.read_bytes() == before


def test_listing_and_deleting_outside_the_years_kept_is_refused(make_store):
    store = make_store()
    created = store.create("X", date(2999, 12, 31))
    assert [o.uid for o in store.occurrences(date(2999, 12, 31), date(2999, 12, 31))] == [
        created.uid
    ]
    with pytest.raises(DateOutOfRangeError, match="1900 to 2999"):
        store.occurrences(date(9999, 12, 31), date(9999, 12, 31))  # found by the fuzz tests
    with pytest.raises(DateOutOfRangeError):
        store.occurrences(date(1, 1, 1), date(2026, 1, 1))
    with pytest.raises(DateOutOfRangeError):
        store.delete(created.uid, date(1, 1, 1))


@pytest.mark.parametrize("duration", [timedelta(0), timedelta(minutes=-5)])
def test_non_positive_duration_is_refused(make_store, duration):
    with pytest.raises(ValueError):
        make_store().create("X", datetime(2026, 11, 27, 9, 0), duration)


def test_all_day_duration_must_be_whole_days(make_store):
    with pytest.raises(ValueError, match="whole number of days"):
        make_store().create("X", date(2026, 11, 27), timedelta(hours=5))


def test_file_with_lf_line_endings_stays_lf(make_store):
    original = ics("BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:x", "END:VCALENDAR", newline="\n")
    store = make_store(original)
    store.create("Zahnarzt", datetime(2026, 11, 27, 9, 0))
    data = store.path.read_bytes()
    assert b"\r\n" not in data
    assert data.startswith(b"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\n")


def test_new_event_goes_inside_the_first_calendar_and_nothing_else_moves(make_store):
    original = ics(
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:first",
        "X-WR-CALNAME:Privat",
        "BEGIN:VTODO",
        "UID:todo",
        "SUMMARY:Steuer",
        "END:VTODO",
        "END:VCALENDAR",
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:second",
        "END:VCALENDAR",
    )
    store = make_store(original)
    store.create("Zahnarzt", datetime(2026, 11, 27, 9, 0))
    data = store.path.read_bytes()
    first_end = data.index(b"END:VCALENDAR")
    assert data.index(b"BEGIN:VEVENT") < first_end
    assert data.index(b"BEGIN:VTIMEZONE") < data.index(b"BEGIN:VTODO")
    assert data.endswith(ics("BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:second", "END:VCALENDAR"))


def test_blank_file_becomes_a_calendar(make_store):
    store = make_store(b"")
    store.create("Zahnarzt", datetime(2026, 11, 27, 9, 0))
    calendar = icalendar.Calendar.from_ical(store.path.read_bytes())
    assert [e["SUMMARY"] for e in calendar.walk("VEVENT")] == ["Zahnarzt"]


def test_file_of_bare_events_gets_another_bare_event(make_store):
    original = b"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Alt\r\nDTSTART:20261127T080000Z\r\nEND:VEVENT"
    store = make_store(original)
    store.create("Neu", datetime(2026, 11, 27, 12, 0))
    data = store.path.read_bytes()
    assert data.startswith(original + b"\r\n")
    titles = {o.title for o in store.occurrences(date(2026, 11, 27), date(2026, 11, 27))}
    assert titles == {"Alt", "Neu"}
