"""Moving an event, one occurrence of a series, or a whole series: only the time lines change
(or one modified copy is added), in the value type and zone they had; undo puts them back."""

from datetime import date, datetime, timedelta

import icalendar
import pytest

from calendar_backend import (
    CalendarError,
    CannotUndoError,
    EventNotFoundError,
    SeriesMoveRefusedError,
)
from tests.conftest import BERLIN, ics

DECEMBER = (date(2026, 12, 1), date(2026, 12, 31))
SINGLE_EVENTS = ics(
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Other//EN",
    "BEGIN:VEVENT",
    "UID:dentist@elsewhere",
    "DTSTAMP:20261101T000000Z",
    "SEQUENCE:3",
    'DTSTART;TZID="America/New_York":20261203T090000',
    "DTEND;TZID=America/New_York:20261203T093000",
    "SUMMARY:Zahnarzt",
    "X-ODD;X-P=1:kept",
    "BEGIN:VALARM",
    "ACTION:DISPLAY",
    "DESCRIPTION:Zahnarzt",
    "TRIGGER:-PT15M",
    "END:VALARM",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:holiday@elsewhere",
    "DTSTAMP:20261101T000000Z",
    "DTSTART;VALUE=DATE:20261224",
    "DTEND;VALUE=DATE:20261227",
    "SUMMARY:Urlaub",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:call@elsewhere",
    "DTSTAMP:20261101T000000Z",
    "DTSTART:20261205T100000Z",
    "DURATION:PT45M",
    "SUMMARY:Call",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:floating@elsewhere",
    "DTSTAMP:20261101T000000Z",
    "DTSTART:20261206T080000",
    "DTEND:20261206T083000",
    "SUMMARY:Laufen",
    "END:VEVENT",
    "END:VCALENDAR",
)
WEEKLY_YOGA = ics(
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Other//EN",
    "BEGIN:VEVENT",
    "UID:yoga@elsewhere",
    "DTSTAMP:20261101T000000Z",
    "DTSTART;TZID=Europe/Berlin:20261201T180000",
    "DTEND;TZID=Europe/Berlin:20261201T190000",
    "RRULE:FREQ=WEEKLY;COUNT=4",
    "SUMMARY:Yoga",
    "LOCATION:Studio 3",
    "X-PHONE-COLOR;X-SHADE=dark:teal",
    "BEGIN:VALARM",
    "ACTION:DISPLAY",
    "DESCRIPTION:Yoga",
    "TRIGGER:-PT15M",
    "END:VALARM",
    "END:VEVENT",
    "END:VCALENDAR",
)


def starts(store, uid: str) -> list:
    return [o.start for o in store.occurrences(*DECEMBER) if o.uid == uid]


def test_a_timed_event_moves_in_its_own_zone_keeping_its_length(make_store):
    store = make_store(SINGLE_EVENTS)
    moved = store.move("dentist@elsewhere", datetime(2026, 12, 10, 16, 0))
    assert moved.start == datetime(2026, 12, 10, 16, 0, tzinfo=BERLIN)
    assert moved.end == datetime(2026, 12, 10, 16, 30, tzinfo=BERLIN)
    expected = SINGLE_EVENTS.replace(
        b'DTSTART;TZID="America/New_York":20261203T090000',
        b'DTSTART;TZID="America/New_York":20261210T100000',
    ).replace(
        b"DTEND;TZID=America/New_York:20261203T093000",
        b"DTEND;TZID=America/New_York:20261210T103000",
    )
    assert store.path.read_bytes() == expected
    assert starts(store, "dentist@elsewhere") == [moved.start]


def test_an_all_day_event_moves_to_a_day_and_stays_all_day(make_store):
    store = make_store(SINGLE_EVENTS)
    moved = store.move("holiday@elsewhere", date(2026, 12, 28))
    assert (moved.start, moved.end, moved.all_day) == (date(2026, 12, 28), date(2026, 12, 31), True)
    assert store.path.read_bytes() == SINGLE_EVENTS.replace(
        b"DTSTART;VALUE=DATE:20261224\r\nDTEND;VALUE=DATE:20261227",
        b"DTSTART;VALUE=DATE:20261228\r\nDTEND;VALUE=DATE:20261231",
    )
    with pytest.raises(ValueError, match="all-day"):
        store.move("holiday@elsewhere", datetime(2026, 12, 28, 9, 0))


def test_a_utc_event_with_a_duration_keeps_utc_and_its_duration(make_store):
    store = make_store(SINGLE_EVENTS)
    moved = store.move("call@elsewhere", datetime(2026, 12, 7, 12, 0))
    assert moved.end - moved.start == timedelta(minutes=45)
    assert store.path.read_bytes() == SINGLE_EVENTS.replace(
        b"DTSTART:20261205T100000Z", b"DTSTART:20261207T110000Z"
    )


def test_a_floating_event_stays_floating(make_store):
    store = make_store(SINGLE_EVENTS)
    store.move("floating@elsewhere", datetime(2026, 12, 6, 9, 15))
    assert store.path.read_bytes() == SINGLE_EVENTS.replace(
        b"DTSTART:20261206T080000\r\nDTEND:20261206T083000",
        b"DTSTART:20261206T091500\r\nDTEND:20261206T094500",
    )


def test_a_day_for_a_timed_event_keeps_its_time_of_day(make_store):
    store = make_store(SINGLE_EVENTS)
    moved = store.move("floating@elsewhere", date(2026, 12, 9))
    assert moved.start == datetime(2026, 12, 9, 8, 0, tzinfo=BERLIN)


def test_undo_of_a_move_is_exact_and_after_another_program_wrote_reverses_only_the_move(
    make_store,
):
    store = make_store(SINGLE_EVENTS)
    store.move("dentist@elsewhere", datetime(2026, 12, 10, 16, 0))
    store.undo()
    assert store.path.read_bytes() == SINGLE_EVENTS
    store.move("dentist@elsewhere", datetime(2026, 12, 10, 16, 0))
    edited = store.path.read_bytes().replace(b"SUMMARY:Zahnarzt", b"SUMMARY:Zahnarzt Dr. B")
    store.path.write_bytes(edited)
    store.undo()
    assert store.path.read_bytes() == SINGLE_EVENTS.replace(
        b"SUMMARY:Zahnarzt", b"SUMMARY:Zahnarzt Dr. B"
    )


def test_undo_of_a_move_that_another_program_moved_again_is_refused(make_store):
    store = make_store(SINGLE_EVENTS)
    store.move("call@elsewhere", datetime(2026, 12, 7, 12, 0))
    moved_again = store.path.read_bytes().replace(b"20261207T110000Z", b"20261208T110000Z")
    store.path.write_bytes(moved_again)
    with pytest.raises(CannotUndoError, match="moved again"):
        store.undo()
    assert store.path.read_bytes() == moved_again


def test_an_unknown_event_is_not_found(make_store):
    store = make_store(SINGLE_EVENTS)
    with pytest.raises(EventNotFoundError):
        store.move("nobody@elsewhere", datetime(2026, 12, 7, 12, 0))
    assert store.path.read_bytes() == SINGLE_EVENTS


def test_a_series_is_moved_only_when_asked(make_store):
    store = make_store(WEEKLY_YOGA)
    with pytest.raises(SeriesMoveRefusedError, match="recurring"):
        store.move("yoga@elsewhere", datetime(2026, 12, 2, 18, 0))
    assert store.path.read_bytes() == WEEKLY_YOGA
    with pytest.raises(ValueError, match="not both"):
        store.move(
            "yoga@elsewhere",
            datetime(2026, 12, 2, 18, 0),
            occurrence=date(2026, 12, 8),
            series=True,
        )


def test_the_whole_series_moves_alike_and_back(make_store):
    store = make_store(WEEKLY_YOGA)
    moved = store.move("yoga@elsewhere", datetime(2026, 12, 2, 19, 0), series=True)
    assert moved.recurring
    assert [s.day for s in starts(store, "yoga@elsewhere")] == [2, 9, 16, 23]
    assert all(s.hour == 19 for s in starts(store, "yoga@elsewhere"))
    assert store.path.read_bytes() == WEEKLY_YOGA.replace(
        b"20261201T180000", b"20261202T190000"
    ).replace(b"20261201T190000", b"20261202T200000")
    store.undo()
    assert store.path.read_bytes() == WEEKLY_YOGA


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ("RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=4", "rule"),
        ("RRULE:FREQ=WEEKLY;UNTIL=20261222T170000Z", "rule"),
        ("RRULE:FREQ=WEEKLY;COUNT=4\r\nEXDATE;TZID=Europe/Berlin:20261208T180000", "EXDATE"),
    ],
)
def test_a_series_tied_to_its_old_days_is_not_moved(make_store, extra, problem):
    content = WEEKLY_YOGA.replace(b"RRULE:FREQ=WEEKLY;COUNT=4", extra.encode())
    store = make_store(content)
    with pytest.raises(SeriesMoveRefusedError, match=problem):
        store.move("yoga@elsewhere", datetime(2026, 12, 2, 18, 0), series=True)
    assert store.path.read_bytes() == content


def test_one_occurrence_moves_as_a_modified_copy_of_the_series(make_store):
    store = make_store(WEEKLY_YOGA)
    moved = store.move(
        "yoga@elsewhere", datetime(2026, 12, 9, 19, 30), occurrence=date(2026, 12, 8)
    )
    assert moved.start == datetime(2026, 12, 9, 19, 30, tzinfo=BERLIN)
    assert moved.recurrence_id == datetime(2026, 12, 8, 18, 0, tzinfo=BERLIN)
    assert [(s.day, s.hour) for s in starts(store, "yoga@elsewhere")] == [
        (1, 18),
        (9, 19),
        (15, 18),
        (22, 18),
    ]
    data = store.path.read_bytes()
    series = WEEKLY_YOGA[: WEEKLY_YOGA.index(b"END:VCALENDAR")]
    assert data.startswith(series)
    override = data[len(series) : data.index(b"END:VCALENDAR")]
    assert override == ics(
        "BEGIN:VEVENT",
        "UID:yoga@elsewhere",
        "DTSTAMP:20261101T000000Z",
        "DTSTART;TZID=Europe/Berlin:20261209T193000",
        "RECURRENCE-ID;TZID=Europe/Berlin:20261208T180000",
        "DTEND;TZID=Europe/Berlin:20261209T203000",
        "SUMMARY:Yoga",
        "LOCATION:Studio 3",
        "X-PHONE-COLOR;X-SHADE=dark:teal",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "DESCRIPTION:Yoga",
        "TRIGGER:-PT15M",
        "END:VALARM",
        "END:VEVENT",
    )
    store.undo()
    assert store.path.read_bytes() == WEEKLY_YOGA


def test_a_moved_occurrence_moves_again_by_its_modified_copy(make_store):
    store = make_store(WEEKLY_YOGA)
    store.move("yoga@elsewhere", datetime(2026, 12, 9, 19, 30), occurrence=date(2026, 12, 8))
    once = store.path.read_bytes()
    store.move("yoga@elsewhere", datetime(2026, 12, 10, 7, 0), occurrence=date(2026, 12, 9))
    assert once.count(b"BEGIN:VEVENT") == store.path.read_bytes().count(b"BEGIN:VEVENT") == 2
    assert [(s.day, s.hour) for s in starts(store, "yoga@elsewhere")] == [
        (1, 18),
        (10, 7),
        (15, 18),
        (22, 18),
    ]
    store.undo()
    assert store.path.read_bytes() == once
    store.undo()
    assert store.path.read_bytes() == WEEKLY_YOGA


def test_undo_of_an_occurrence_move_changed_by_another_program_is_refused(make_store):
    store = make_store(WEEKLY_YOGA)
    store.move("yoga@elsewhere", datetime(2026, 12, 9, 19, 30), occurrence=date(2026, 12, 8))
    ending = b"TRIGGER:-PT15M\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR"
    changed = store.path.read_bytes().replace(ending, ending.replace(b"15M", b"5M"))
    assert changed.count(b"TRIGGER:-PT5M") == 1
    store.path.write_bytes(changed)
    with pytest.raises(CannotUndoError):
        store.undo()
    assert store.path.read_bytes() == changed


def test_an_all_day_series_occurrence_gets_a_date_recurrence_id(make_store):
    store = make_store()
    created = store.create("Lauf", date(2026, 12, 1), recurrence="FREQ=DAILY;COUNT=5")
    store.move(created.uid, date(2026, 12, 10), occurrence=date(2026, 12, 3))
    data = store.path.read_bytes()
    assert b"RECURRENCE-ID;VALUE=DATE:20261203\r\n" in data
    (override,) = [
        e for e in icalendar.Calendar.from_ical(data).walk("VEVENT") if "RECURRENCE-ID" in e
    ]
    assert "RRULE" not in override
    found = store.occurrences(*DECEMBER)
    assert [o.start.day for o in found] == [1, 2, 4, 5, 10]


def test_an_occurrence_that_does_not_exist_is_not_found(make_store):
    store = make_store(WEEKLY_YOGA)
    with pytest.raises(EventNotFoundError):
        store.move("yoga@elsewhere", datetime(2026, 12, 9, 19, 30), occurrence=date(2026, 12, 9))
    assert store.path.read_bytes() == WEEKLY_YOGA


def test_an_event_without_a_uid_or_with_mixed_start_and_end_is_not_moved(make_store):
    content = ics(
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Other//EN",
        "BEGIN:VEVENT",
        "DTSTART:20261203T090000Z",
        "DTEND:20261203T100000Z",
        "SUMMARY:Ohne UID",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:mixed@elsewhere",
        "DTSTART:20261204T090000",
        "DTEND;TZID=Europe/Berlin:20261204T100000",
        "SUMMARY:Gemischt",
        "END:VEVENT",
        "END:VCALENDAR",
    )
    store = make_store(content)
    (no_uid,) = [o for o in store.occurrences(*DECEMBER) if o.title == "Ohne UID"]
    with pytest.raises(CalendarError, match="no UID"):
        store.move(no_uid.uid, datetime(2026, 12, 5, 9, 0))
    with pytest.raises(CalendarError, match="different ways"):
        store.move("mixed@elsewhere", datetime(2026, 12, 5, 9, 0))
    assert store.path.read_bytes() == content


def test_a_duration_of_a_day_stays_a_calendar_day_across_the_clock_change(make_store):
    content = ics(
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Other//EN",
        "BEGIN:VEVENT",
        "UID:conference@elsewhere",
        "DTSTART;TZID=Europe/Berlin:20270320T090000",
        "DURATION:P1D",
        "SUMMARY:Konferenz",
        "END:VEVENT",
        "END:VCALENDAR",
    )
    store = make_store(content)
    moved = store.move("conference@elsewhere", datetime(2027, 3, 27, 9, 0))
    assert moved.end == datetime(2027, 3, 28, 9, 0, tzinfo=BERLIN)  # 23 hours: clocks go forward
    (listed,) = store.occurrences(date(2027, 3, 27), date(2027, 3, 27))
    assert (listed.start, listed.end) == (moved.start, moved.end)
    assert store.path.read_bytes() == content.replace(b"20270320T090000", b"20270327T090000")


def test_a_single_event_named_by_a_day_it_does_not_happen_on_is_not_found(make_store):
    store = make_store(SINGLE_EVENTS)
    with pytest.raises(EventNotFoundError):
        store.move("call@elsewhere", datetime(2026, 12, 7, 12, 0), occurrence=date(2026, 12, 6))
    moved = store.move("call@elsewhere", datetime(2026, 12, 7, 12, 0), occurrence=date(2026, 12, 5))
    assert moved.start == datetime(2026, 12, 7, 12, 0, tzinfo=BERLIN)


def test_a_timed_event_keeps_its_exact_length_across_the_clock_change(make_store):
    store = make_store()
    created = store.create("Nacht", datetime(2027, 3, 20, 22, 0), timedelta(hours=6))
    moved = store.move(created.uid, datetime(2027, 3, 27, 22, 0))
    assert moved.end == datetime(2027, 3, 28, 5, 0, tzinfo=BERLIN)  # still six hours
    assert b"DTEND;TZID=Europe/Berlin:20270328T050000\r\n" in store.path.read_bytes()
