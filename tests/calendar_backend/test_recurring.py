from datetime import UTC, date, datetime, timedelta

import pytest

from calendar_backend import (
    AmbiguousEventError,
    EventNotFoundError,
    SeriesDeletionRefusedError,
)
from tests.conftest import BERLIN, ics

SERIES = ics(
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Test//EN",
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Berlin",
    "BEGIN:STANDARD",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "END:STANDARD",
    "BEGIN:DAYLIGHT",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "END:DAYLIGHT",
    "END:VTIMEZONE",
    "BEGIN:VEVENT",
    "UID:weekly@test",
    "SUMMARY:Chorprobe",
    "DTSTART;TZID=Europe/Berlin:20261102T190000",
    "DTEND;TZID=Europe/Berlin:20261102T210000",
    "RRULE:FREQ=WEEKLY;BYDAY=MO",
    "EXDATE;TZID=Europe/Berlin:20261109T190000",
    "X-CUSTOM;X-PARAM=keep:value",
    "BEGIN:VALARM",
    "ACTION:DISPLAY",
    "DESCRIPTION:Chorprobe",
    "TRIGGER:-PT15M",
    "END:VALARM",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:weekly@test",
    "RECURRENCE-ID;TZID=Europe/Berlin:20261116T190000",
    "SUMMARY:Chorprobe (Generalprobe)",
    "DTSTART;TZID=Europe/Berlin:20261117T180000",
    "DTEND;TZID=Europe/Berlin:20261117T220000",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:birthday@test",
    "SUMMARY:Omas Geburtstag",
    "DTSTART;VALUE=DATE:20201124",
    "DTEND;VALUE=DATE:20201125",
    "RRULE:FREQ=YEARLY",
    "TRANSP:TRANSPARENT",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:utc-daily@test",
    "SUMMARY:Standup",
    "DTSTART:20261116T080000Z",
    "DURATION:PT15M",
    "RRULE:FREQ=DAILY;COUNT=10",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:floating@test",
    "SUMMARY:Yoga",
    "DTSTART:20261118T070000",
    "DTEND:20261118T080000",
    "RRULE:FREQ=WEEKLY",
    "END:VEVENT",
    "BEGIN:VTODO",
    "UID:todo@test",
    "SUMMARY:Noten kaufen",
    "END:VTODO",
    "END:VCALENDAR",
)


def titles_on(store, day: date) -> list[str]:
    return [o.title for o in store.occurrences(day, day)]


def test_rrule_exdate_and_recurrence_id_are_expanded(make_store):
    store = make_store(SERIES)
    mondays = store.occurrences(date(2026, 11, 2), date(2026, 11, 30))
    chor = [o for o in mondays if o.uid == "weekly@test"]
    assert [o.start for o in chor] == [
        datetime(2026, 11, 2, 19, 0, tzinfo=BERLIN),
        # 9 November is excluded; 16 November was moved to Tuesday 17th, 18:00.
        datetime(2026, 11, 17, 18, 0, tzinfo=BERLIN),
        datetime(2026, 11, 23, 19, 0, tzinfo=BERLIN),
        datetime(2026, 11, 30, 19, 0, tzinfo=BERLIN),
    ]
    assert chor[1].title == "Chorprobe (Generalprobe)"
    assert all(o.recurring for o in chor)


def test_list_range_is_inclusive_and_all_day_events_are_dates(make_store):
    store = make_store(SERIES)
    day = store.occurrences(date(2026, 11, 24), date(2026, 11, 24))
    birthday = next(o for o in day if o.uid == "birthday@test")
    assert birthday.all_day and birthday.start == date(2026, 11, 24)
    assert birthday.end == date(2026, 11, 25)
    assert birthday.to_json()["start"] == "2026-11-24"
    assert "Standup" in titles_on(store, date(2026, 11, 24))


def test_utc_and_floating_times_are_shown_in_the_users_zone(make_store):
    store = make_store(SERIES)
    day = store.occurrences(date(2026, 11, 18), date(2026, 11, 18))
    standup = next(o for o in day if o.title == "Standup")
    yoga = next(o for o in day if o.title == "Yoga")
    assert standup.start == datetime(2026, 11, 18, 9, 0, tzinfo=BERLIN)
    assert standup.to_json()["start"] == "2026-11-18T09:00:00+01:00"
    assert yoga.start == datetime(2026, 11, 18, 7, 0, tzinfo=BERLIN)


def test_series_across_dst_keeps_its_wall_time(make_store):
    store = make_store(SERIES)
    (before,) = [
        o for o in store.occurrences(date(2027, 3, 22), date(2027, 3, 22)) if o.title == "Chorprobe"
    ]
    (after,) = [
        o for o in store.occurrences(date(2027, 3, 29), date(2027, 3, 29)) if o.title == "Chorprobe"
    ]
    assert before.start.hour == after.start.hour == 19
    assert before.start.utcoffset() == timedelta(hours=1)
    assert after.start.utcoffset() == timedelta(hours=2)


def test_deleting_a_series_without_saying_so_is_refused(make_store):
    store = make_store(SERIES)
    with pytest.raises(SeriesDeletionRefusedError, match="recurring"):
        store.delete("weekly@test")
    assert store.path.read_bytes() == SERIES


def test_deleting_one_occurrence_adds_an_exdate_like_dtstart(make_store):
    store = make_store(SERIES)
    removed = store.delete("weekly@test", date(2026, 11, 23))
    assert removed.start == datetime(2026, 11, 23, 19, 0, tzinfo=BERLIN)
    data = store.path.read_bytes()
    assert b"EXDATE;TZID=Europe/Berlin:20261123T190000\r\nBEGIN:VALARM" in data
    assert "Chorprobe" not in titles_on(store, date(2026, 11, 23))
    assert "Chorprobe" in titles_on(store, date(2026, 11, 30))
    # Only the one line was added.
    assert data.replace(b"EXDATE;TZID=Europe/Berlin:20261123T190000\r\n", b"", 1) == SERIES


def test_deleting_a_moved_occurrence_removes_its_override_too(make_store):
    store = make_store(SERIES)
    removed = store.delete("weekly@test", date(2026, 11, 17))
    assert removed.title == "Chorprobe (Generalprobe)"
    data = store.path.read_bytes()
    assert b"RECURRENCE-ID" not in data
    assert b"EXDATE;TZID=Europe/Berlin:20261116T190000" in data
    week = [o.title for o in store.occurrences(date(2026, 11, 16), date(2026, 11, 22))]
    assert not any(title.startswith("Chorprobe") for title in week)


@pytest.mark.parametrize(
    ("uid", "day", "line"),
    [
        ("birthday@test", date(2027, 11, 24), b"EXDATE;VALUE=DATE:20271124"),
        ("utc-daily@test", date(2026, 11, 19), b"EXDATE:20261119T080000Z"),
        ("floating@test", date(2026, 11, 25), b"EXDATE:20261125T070000"),
    ],
)
def test_exdate_matches_the_value_type_of_dtstart(make_store, uid, day, line):
    store = make_store(SERIES)
    store.delete(uid, day)
    assert line + b"\r\n" in store.path.read_bytes()
    assert uid not in {o.uid for o in store.occurrences(day, day)}
    assert uid in {
        o.uid for o in store.occurrences(day + timedelta(days=1), day + timedelta(days=400))
    }


def test_deleting_the_whole_series_removes_master_and_overrides(make_store):
    store = make_store(SERIES)
    store.delete("weekly@test", series=True)
    data = store.path.read_bytes()
    assert b"weekly@test" not in data
    assert b"birthday@test" in data and b"BEGIN:VTODO" in data


def test_unknown_uid_and_day_without_occurrence_are_reported(make_store):
    store = make_store(SERIES)
    with pytest.raises(EventNotFoundError, match="no event"):
        store.delete("missing@test")
    with pytest.raises(EventNotFoundError, match="no occurrence on 2026-11-24"):
        store.delete("weekly@test", date(2026, 11, 24))
    assert store.path.read_bytes() == SERIES


def test_single_event_can_be_deleted_by_its_day(make_store):
    store = make_store()
    created = store.create("Zahnarzt", datetime(2026, 11, 27, 9, 0))
    with pytest.raises(EventNotFoundError):
        store.delete(created.uid, date(2026, 11, 28))
    store.delete(created.uid, date(2026, 11, 27))
    assert store.occurrences(date(2026, 11, 27), date(2026, 11, 27)) == []


def test_several_occurrences_on_one_day_need_the_exact_start(make_store):
    hourly = ics(
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:x",
        "BEGIN:VEVENT",
        "UID:pill@test",
        "SUMMARY:Tablette",
        "DTSTART:20261124T080000Z",
        "DURATION:PT5M",
        "RRULE:FREQ=HOURLY;INTERVAL=6;COUNT=4",
        "END:VEVENT",
        "END:VCALENDAR",
    )
    store = make_store(hourly)
    with pytest.raises(AmbiguousEventError, match="happens 3 times") as ambiguous:
        store.delete("pill@test", date(2026, 11, 24))
    assert [o.start.hour for o in ambiguous.value.candidates] == [9, 15, 21]
    store.delete("pill@test", datetime(2026, 11, 24, 14, 0, tzinfo=UTC))
    starts = [
        o.start.astimezone(UTC).hour
        for o in store.occurrences(date(2026, 11, 24), date(2026, 11, 25))
    ]
    assert starts == [8, 20, 2]
