"""Creating a series (RRULE) and an event with a reminder (VALARM): the bytes written, the
checks on what is passed in, expansion, conflicts and undo."""

from datetime import date, datetime, timedelta

import icalendar
import pytest

from calendar_backend import SeriesDeletionRefusedError
from tests.conftest import BERLIN, ics

OTHER_PROGRAM = ics(
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Other//EN",
    "BEGIN:VEVENT",
    "UID:other@elsewhere",
    "DTSTAMP:20261101T000000Z",
    "DTSTART:20261130T100000Z",
    "DTEND:20261130T110000Z",
    "SUMMARY:Standup",
    "X-ODD;X-P=1:kept",
    "END:VEVENT",
    "END:VCALENDAR",
)


def test_a_weekly_series_is_written_with_its_rrule_and_listed_expanded(make_store):
    store = make_store()
    created = store.create("Yoga", datetime(2026, 12, 1, 18, 0), recurrence="FREQ=WEEKLY;COUNT=4")
    assert created.recurring
    assert created.recurrence_id == created.start == datetime(2026, 12, 1, 18, tzinfo=BERLIN)
    data = store.path.read_bytes()
    assert b"RRULE:FREQ=WEEKLY;COUNT=4\r\nEND:VEVENT\r\n" in data
    found = store.occurrences(date(2026, 12, 1), date(2026, 12, 31))
    assert [o.start.day for o in found] == [1, 8, 15, 22]
    assert all(o.recurring and o.uid == created.uid for o in found)


def test_a_series_in_lower_case_is_written_in_upper_case(make_store):
    store = make_store()
    store.create("Lauf", date(2026, 12, 1), recurrence="freq=daily;count=3")
    assert b"RRULE:FREQ=DAILY;COUNT=3\r\n" in store.path.read_bytes()
    found = store.occurrences(date(2026, 12, 1), date(2026, 12, 10))
    assert [o.start for o in found] == [date(2026, 12, d) for d in (1, 2, 3)]
    assert all(o.all_day for o in found)


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        ("RRULE:FREQ=DAILY", "RRULE value alone"),
        ("FREQ=DAILY\r\nX-EVIL:1", "RRULE value alone"),
        ("COUNT=3", "needs a FREQ"),
        ("FREQ=SOMETIMES", "not a valid recurrence rule"),
        ("FREQ=WEEKLY;BYDAY=XX", "not a valid recurrence rule"),
        ("FREQ=DAILY;COUNT=2;UNTIL=20270101T000000Z", "both COUNT and UNTIL"),
        ("FREQ=DAILY;UNTIL=20270101T000000", "in UTC"),
        ("FREQ=DAILY;UNTIL=20270101", "in UTC"),
        ("FREQ=DAILY;UNTIL=20261101T000000Z", "ends before"),
        ("", "RRULE value alone"),
    ],
)
def test_a_bad_timed_recurrence_is_refused_and_nothing_is_written(make_store, rule, problem):
    store = make_store(OTHER_PROGRAM)
    with pytest.raises(ValueError, match=problem):
        store.create("Yoga", datetime(2026, 12, 1, 18, 0), recurrence=rule)
    assert store.path.read_bytes() == OTHER_PROGRAM
    assert not store.can_undo()


def test_an_all_day_series_ends_on_a_date(make_store):
    store = make_store()
    with pytest.raises(ValueError, match="ends on a date"):
        store.create("Urlaub", date(2026, 12, 1), recurrence="FREQ=DAILY;UNTIL=20261205T000000Z")
    store.create("Urlaub", date(2026, 12, 1), recurrence="FREQ=DAILY;UNTIL=20261203")
    found = store.occurrences(date(2026, 12, 1), date(2026, 12, 31))
    assert [o.start for o in found] == [date(2026, 12, d) for d in (1, 2, 3)]


def test_a_timed_series_until_a_utc_time_stops_there(make_store):
    store = make_store()
    store.create(
        "Yoga", datetime(2026, 12, 1, 18, 0), recurrence="FREQ=DAILY;UNTIL=20261203T170000Z"
    )
    found = store.occurrences(date(2026, 12, 1), date(2026, 12, 31))
    assert [o.start.day for o in found] == [1, 2, 3]


@pytest.mark.parametrize(
    ("minutes", "trigger"), [(15, b"TRIGGER:-PT15M"), (90, b"TRIGGER:-PT90M"), (0, b"TRIGGER:PT0S")]
)
def test_a_reminder_is_a_display_alarm_before_the_start(make_store, minutes, trigger):
    store = make_store()
    store.create("Zahnarzt", datetime(2026, 12, 1, 9, 0), reminder_minutes=minutes)
    data = store.path.read_bytes()
    alarm = b"BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Zahnarzt\r\n" + trigger
    assert alarm + b"\r\nEND:VALARM\r\nEND:VEVENT\r\n" in data
    (event,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    (parsed,) = event.walk("VALARM")
    assert parsed.decoded("TRIGGER") == -timedelta(minutes=minutes)


def test_the_reminder_text_is_escaped_and_folded(make_store):
    store = make_store()
    title = "Treffen; mit Anna, Ben und " + "sehr vielen anderen Übungsgästen " * 4
    created = store.create(title, datetime(2026, 12, 1, 9, 0), reminder_minutes=5)
    data = store.path.read_bytes()
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    assert data.count(b"\r\n ") >= 2
    (event,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    (alarm,) = event.walk("VALARM")
    assert str(alarm["DESCRIPTION"]) == created.title


@pytest.mark.parametrize("minutes", [-1, 4 * 7 * 24 * 60 + 1, True, 1.5])
def test_a_bad_reminder_is_refused(make_store, minutes):
    store = make_store(OTHER_PROGRAM)
    with pytest.raises(ValueError, match="reminder"):
        store.create("Zahnarzt", datetime(2026, 12, 1, 9, 0), reminder_minutes=minutes)
    assert store.path.read_bytes() == OTHER_PROGRAM


def test_series_with_reminder_keeps_the_other_program_bytes_and_undo_restores_them(make_store):
    store = make_store(OTHER_PROGRAM)
    store.create(
        "Yoga", datetime(2026, 12, 1, 18, 0), recurrence="FREQ=WEEKLY", reminder_minutes=10
    )
    data = store.path.read_bytes()
    other_event = OTHER_PROGRAM[
        OTHER_PROGRAM.index(b"BEGIN:VEVENT") : OTHER_PROGRAM.index(b"END:VCALENDAR")
    ]
    assert other_event in data
    (yoga,) = [e for e in icalendar.Calendar.from_ical(data).walk("VEVENT") if "RRULE" in e]
    assert yoga.walk("VALARM")
    store.undo()
    assert store.path.read_bytes() == OTHER_PROGRAM


def test_undo_of_a_series_after_another_program_wrote_removes_only_the_series(make_store):
    store = make_store(OTHER_PROGRAM)
    created = store.create("Yoga", datetime(2026, 12, 1, 18, 0), recurrence="FREQ=WEEKLY")
    written = store.path.read_bytes()
    store.path.write_bytes(written.replace(b"SUMMARY:Standup", b"SUMMARY:Standup lang"))
    with pytest.raises(SeriesDeletionRefusedError):
        store.delete(created.uid)
    store.undo()
    data = store.path.read_bytes()
    assert b"Yoga" not in data and b"RRULE" not in data
    other_event = OTHER_PROGRAM[
        OTHER_PROGRAM.index(b"BEGIN:VEVENT") : OTHER_PROGRAM.index(b"END:VCALENDAR")
    ]
    assert other_event.replace(b"Standup", b"Standup lang") in data


def test_every_instance_of_a_series_is_a_conflict(make_store):
    store = make_store()
    store.create("Yoga", datetime(2026, 12, 1, 18, 0), recurrence="FREQ=WEEKLY;COUNT=3")
    slot = datetime(2026, 12, 15, 18, 30, tzinfo=BERLIN)
    assert [o.title for o in store.conflicts(slot, slot + timedelta(hours=1))] == ["Yoga"]
    after = datetime(2026, 12, 22, 18, 30, tzinfo=BERLIN)
    assert store.conflicts(after, after + timedelta(hours=1)) == []


@pytest.mark.parametrize("minutes", [0, 15, 24 * 60])
def test_a_reminder_is_read_back_on_every_occurrence_of_a_series(make_store, minutes):
    store = make_store(OTHER_PROGRAM)
    created = store.create(
        "Yoga",
        datetime(2026, 12, 1, 18, 0),
        recurrence="FREQ=WEEKLY;COUNT=3",
        reminder_minutes=minutes,
    )
    assert created.reminder_minutes == minutes
    found = store.occurrences(date(2026, 11, 30), date(2026, 12, 31))
    assert [(o.title, o.reminder_minutes) for o in found] == [
        ("Standup", None),
        ("Yoga", minutes),
        ("Yoga", minutes),
        ("Yoga", minutes),
    ]


def test_an_event_without_an_alarm_has_no_reminder(make_store):
    store = make_store()
    created = store.create("Zahnarzt", datetime(2026, 12, 1, 9, 0))
    assert created.reminder_minutes is None
    (found,) = store.occurrences(date(2026, 12, 1), date(2026, 12, 1))
    assert found.reminder_minutes is None


def test_the_command_line_json_keeps_its_keys_with_a_reminder(make_store):
    store = make_store()
    store.create("Zahnarzt", datetime(2026, 12, 1, 9, 0), reminder_minutes=10)
    (found,) = store.occurrences(date(2026, 12, 1), date(2026, 12, 1))
    assert set(found.to_json()) == {"uid", "title", "start", "end", "all_day", "recurring"}


def other_program_event(*alarms: tuple[str, ...], extra: tuple[str, ...] = ()) -> bytes:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Other//EN",
        "BEGIN:VEVENT",
        "UID:alarmed@elsewhere",
        "DTSTAMP:20261101T000000Z",
        "DTSTART:20261201T090000Z",
        "DTEND:20261201T100000Z",
        "SUMMARY:Flug",
        *extra,
    ]
    for alarm in alarms:
        lines += ["BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:Flug", *alarm, "END:VALARM"]
    return ics(*lines, "END:VEVENT", "END:VCALENDAR")


@pytest.mark.parametrize(
    ("alarms", "minutes"),
    [
        ((("TRIGGER:-PT30M",),), 30),
        ((("TRIGGER;RELATED=START:-PT1H",),), 60),
        ((("TRIGGER:-P1D",),), 24 * 60),
        ((("TRIGGER:-P1W",),), 7 * 24 * 60),
        ((("TRIGGER:PT0S",),), 0),
        ((("TRIGGER:-PT90S",),), 1),
        ((("TRIGGER;VALUE=DATE-TIME:20261201T080000Z",),), None),
        ((("TRIGGER;RELATED=END:-PT5M",),), None),
        ((("TRIGGER:PT10M",),), None),
        ((("TRIGGER;RELATED=ENDE:-PT15M",),), None),
        ((("TRIGGER;VALUE=TIME:230000",), ("TRIGGER:-PT10M",)), 10),
        ((("TRIGGER:-PT5M", "TRIGGER:-PT7M"),), None),
        (((),), None),
        ((("TRIGGER;RELATED=END:-PT5M",), ("TRIGGER:-PT20M",), ("TRIGGER:-PT5M",)), 20),
    ],
)
def test_the_reminder_is_the_first_alarm_before_the_start_another_program_wrote(
    make_store, alarms, minutes
):
    store = make_store(other_program_event(*alarms))
    (found,) = store.occurrences(date(2026, 12, 1), date(2026, 12, 1))
    assert found.reminder_minutes == minutes


def test_a_changed_occurrence_has_its_own_alarm(make_store):
    series = other_program_event(("TRIGGER:-PT30M",), extra=("RRULE:FREQ=DAILY;COUNT=3",))
    changed = ics(
        "BEGIN:VEVENT",
        "UID:alarmed@elsewhere",
        "DTSTAMP:20261101T000000Z",
        "RECURRENCE-ID:20261202T090000Z",
        "DTSTART:20261202T110000Z",
        "DTEND:20261202T120000Z",
        "SUMMARY:Flug (später)",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "DESCRIPTION:Flug",
        "TRIGGER:-PT2H",
        "END:VALARM",
        "END:VEVENT",
    )
    closing = series.rindex(b"END:VCALENDAR")
    store = make_store(series[:closing] + changed + series[closing:])
    found = store.occurrences(date(2026, 12, 1), date(2026, 12, 3))
    assert [(o.start.day, o.reminder_minutes) for o in found] == [(1, 30), (2, 120), (3, 30)]
