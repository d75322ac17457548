"""Changing an event's length or title: only DTEND/DURATION and SUMMARY change (SUMMARY escaped
and folded), in the way they were written; a series or one occurrence of it; bad input and
unsafe cases are refused with nothing written; undo puts every byte back."""

from datetime import date, datetime, timedelta

import icalendar
import pytest

from calendar_backend import SeriesEditRefusedError
from calendar_backend.editing import folded
from tests.calendar_backend.test_move import DECEMBER, SINGLE_EVENTS, WEEKLY_YOGA
from tests.conftest import BERLIN


def only(store, uid: str):
    (found,) = [o for o in store.occurrences(*DECEMBER) if o.uid == uid]
    return found


def test_a_new_length_rewrites_only_dtend_in_its_own_zone_and_undo_is_exact(make_store):
    store = make_store(SINGLE_EVENTS)
    edited = store.edit("dentist@elsewhere", length=timedelta(minutes=90))
    assert edited.end - edited.start == timedelta(minutes=90)
    assert store.path.read_bytes() == SINGLE_EVENTS.replace(
        b"DTEND;TZID=America/New_York:20261203T093000",
        b"DTEND;TZID=America/New_York:20261203T103000",
    )
    assert only(store, "dentist@elsewhere").end == datetime(2026, 12, 3, 16, 30, tzinfo=BERLIN)
    store.undo()
    assert store.path.read_bytes() == SINGLE_EVENTS


def test_a_duration_stays_a_duration_and_an_all_day_event_changes_by_days(make_store):
    store = make_store(SINGLE_EVENTS)
    store.edit("call@elsewhere", length=timedelta(hours=2, minutes=15))
    store.edit("holiday@elsewhere", length=timedelta(days=5))
    assert store.path.read_bytes() == SINGLE_EVENTS.replace(
        b"DURATION:PT45M", b"DURATION:PT2H15M"
    ).replace(b"DTEND;VALUE=DATE:20261227", b"DTEND;VALUE=DATE:20261229")
    assert only(store, "holiday@elsewhere").end == date(2026, 12, 29)
    store.undo()
    store.undo()
    assert store.path.read_bytes() == SINGLE_EVENTS


def test_a_title_with_commas_and_semicolons_is_escaped_and_only_summary_changes(make_store):
    store = make_store(SINGLE_EVENTS)
    title = "Zahnarzt, Dr. Weber; Kontrolle \\ Röntgen"
    edited = store.edit("dentist@elsewhere", title=title)
    assert edited.title == title
    assert store.path.read_bytes() == SINGLE_EVENTS.replace(
        b"SUMMARY:Zahnarzt\r\n",
        "SUMMARY:Zahnarzt\\, Dr. Weber\\; Kontrolle \\\\ Röntgen\r\n".encode(),
    )
    assert only(store, "dentist@elsewhere").title == title
    parsed = icalendar.Calendar.from_ical(store.path.read_bytes())
    assert next(str(e["SUMMARY"]) for e in parsed.walk("VEVENT")) == title
    store.undo()
    assert store.path.read_bytes() == SINGLE_EVENTS


def test_a_long_title_is_folded_at_75_octets_without_splitting_a_character(make_store):
    store = make_store(SINGLE_EVENTS)
    title = "Jahresgespräch mit der Geschäftsführung über Ziele, Budget und Überstunden 2027"
    store.edit("floating@elsewhere", title=title, length=timedelta(hours=1))
    data = store.path.read_bytes()
    summary_at = data.index(b"SUMMARY:Jahres")
    block = data[summary_at : data.index(b"\r\nEND:VEVENT", summary_at)]
    physical = block.split(b"\r\n")
    assert len(physical) == 2 and physical[1].startswith(b" ")
    assert all(len(line) <= 75 for line in physical)
    for line in physical:
        line.decode("utf-8")  # no character cut in two
    assert only(store, "floating@elsewhere").title == title
    assert data.replace(block, b"SUMMARY:Laufen") == SINGLE_EVENTS.replace(
        b"DTEND:20261206T083000", b"DTEND:20261206T090000"
    )
    store.undo()
    assert store.path.read_bytes() == SINGLE_EVENTS


def test_folding_keeps_an_escape_together():
    line = b"SUMMARY:" + b"x" * 66 + b"\\,tail"
    assert folded(line, b"\n") == b"SUMMARY:" + b"x" * 66 + b"\n \\,tail"


def test_a_start_length_and_title_change_together_is_one_undo(make_store):
    store = make_store(SINGLE_EVENTS)
    edited = store.edit(
        "floating@elsewhere",
        new_start=datetime(2026, 12, 7, 7, 0),
        length=timedelta(minutes=50),
        title="Lauftreff",
    )
    assert (edited.start, edited.end, edited.title) == (
        datetime(2026, 12, 7, 7, 0, tzinfo=BERLIN),
        datetime(2026, 12, 7, 7, 50, tzinfo=BERLIN),
        "Lauftreff",
    )
    assert store.path.read_bytes() == SINGLE_EVENTS.replace(
        b"DTSTART:20261206T080000\r\nDTEND:20261206T083000\r\nSUMMARY:Laufen",
        b"DTSTART:20261207T070000\r\nDTEND:20261207T075000\r\nSUMMARY:Lauftreff",
    )
    store.undo()
    assert store.path.read_bytes() == SINGLE_EVENTS
    assert not store.can_undo()


def test_a_whole_series_gets_the_new_length_and_title(make_store):
    store = make_store(WEEKLY_YOGA)
    store.edit("yoga@elsewhere", length=timedelta(minutes=75), title="Yin Yoga", series=True)
    assert store.path.read_bytes() == WEEKLY_YOGA.replace(
        b"DTEND;TZID=Europe/Berlin:20261201T190000", b"DTEND;TZID=Europe/Berlin:20261201T191500"
    ).replace(b"SUMMARY:Yoga", b"SUMMARY:Yin Yoga")
    found = store.occurrences(*DECEMBER)
    assert [o.title for o in found] == ["Yin Yoga"] * 4
    assert {o.end - o.start for o in found} == {timedelta(minutes=75)}
    store.undo()
    assert store.path.read_bytes() == WEEKLY_YOGA


def test_one_occurrence_gets_a_modified_copy_and_the_rest_stays(make_store):
    store = make_store(WEEKLY_YOGA)
    store.edit(
        "yoga@elsewhere",
        length=timedelta(minutes=30),
        title="Yoga kurz",
        occurrence=date(2026, 12, 8),
    )
    found = store.occurrences(*DECEMBER)
    assert [(o.title, o.end - o.start) for o in found] == [
        ("Yoga", timedelta(hours=1)),
        ("Yoga kurz", timedelta(minutes=30)),
        ("Yoga", timedelta(hours=1)),
        ("Yoga", timedelta(hours=1)),
    ]
    data = store.path.read_bytes()
    assert data.startswith(WEEKLY_YOGA[: WEEKLY_YOGA.index(b"END:VCALENDAR")])
    assert b"RECURRENCE-ID;TZID=Europe/Berlin:20261208T180000" in data
    # A second change of that occurrence edits its copy, and undo goes back one step at a time.
    store.edit("yoga@elsewhere", title="Yoga ganz kurz", occurrence=date(2026, 12, 8))
    assert [o.title for o in store.occurrences(*DECEMBER)][1] == "Yoga ganz kurz"
    store.undo()
    assert store.path.read_bytes() == data
    store.undo()
    assert store.path.read_bytes() == WEEKLY_YOGA


def test_undo_after_another_program_wrote_reverses_only_the_edit(make_store):
    store = make_store(SINGLE_EVENTS)
    store.edit("dentist@elsewhere", length=timedelta(hours=2), title="Zahnarzt lang")
    elsewhere = store.path.read_bytes().replace(b"SUMMARY:Urlaub", b"SUMMARY:Ferien")
    store.path.write_bytes(elsewhere)
    store.undo()
    assert store.path.read_bytes() == SINGLE_EVENTS.replace(b"SUMMARY:Urlaub", b"SUMMARY:Ferien")


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"title": "  \n "}, "needs a title"),
        ({"length": timedelta(0)}, "more than zero"),
        ({"length": timedelta(minutes=-30)}, "end after it starts"),
        ({}, "nothing to change"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(make_store, changes, reason):
    store = make_store(SINGLE_EVENTS)
    with pytest.raises(ValueError, match=reason):
        store.edit("dentist@elsewhere", **changes)
    assert store.path.read_bytes() == SINGLE_EVENTS
    assert not store.can_undo()


def test_unsafe_series_changes_are_refused_with_a_reason(make_store):
    store = make_store(WEEKLY_YOGA)
    with pytest.raises(SeriesEditRefusedError, match="recurring event"):
        store.edit("yoga@elsewhere", title="Pilates")
    holidays = make_store(SINGLE_EVENTS, "holidays.ics")
    with pytest.raises(ValueError, match="whole days"):
        holidays.edit("holiday@elsewhere", length=timedelta(hours=3))
    assert holidays.path.read_bytes() == SINGLE_EVENTS
    store.edit("yoga@elsewhere", title="Yoga kurz", occurrence=date(2026, 12, 8))
    with pytest.raises(SeriesEditRefusedError, match="modified occurrences"):
        store.edit("yoga@elsewhere", title="Pilates", series=True)
    assert b"Pilates" not in store.path.read_bytes()


def test_undo_of_one_changed_occurrence_after_another_program_wrote(make_store):
    store = make_store(WEEKLY_YOGA)
    store.edit("yoga@elsewhere", title="Yoga, kurz", occurrence=date(2026, 12, 8))
    elsewhere = store.path.read_bytes().replace(b"LOCATION:Studio 3", b"LOCATION:Studio 4", 1)
    store.path.write_bytes(elsewhere)
    store.undo()
    assert store.path.read_bytes() == WEEKLY_YOGA.replace(b"Studio 3", b"Studio 4")
