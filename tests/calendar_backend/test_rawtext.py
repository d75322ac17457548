import pytest

from calendar_backend.rawtext import (
    RawStructureError,
    Splice,
    apply_splices,
    detect_newline,
    insertion_at,
    iter_logical_lines,
    scan_components,
)
from tests.conftest import ics

NESTED = ics(
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "BEGIN:VEVENT",
    "UID:1",
    "SUMMARY:A very long title that is fol",
    " ded over two lines",
    "BEGIN:VALARM",
    "ACTION:DISPLAY",
    "END:VALARM",
    "END:VEVENT",
    "END:VCALENDAR",
)


def test_logical_lines_unfold_and_keep_offsets():
    lines = list(iter_logical_lines(NESTED))
    summary = next(line for line in lines if line.unfolded.startswith(b"SUMMARY"))
    assert summary.unfolded == b"SUMMARY:A very long title that is folded over two lines"
    assert NESTED[summary.start : summary.end].endswith(b"lines\r\n")
    assert b"".join(NESTED[line.start : line.end] for line in lines) == NESTED


def test_components_in_document_order_with_exact_spans():
    calendar, event, alarm = scan_components(NESTED)
    assert [calendar.name, event.name, alarm.name] == ["VCALENDAR", "VEVENT", "VALARM"]
    assert (calendar.depth, event.depth, alarm.depth) == (0, 1, 2)
    assert event.parent == 0 and alarm.parent == 1
    assert NESTED[event.start : event.end].startswith(b"BEGIN:VEVENT\r\n")
    assert NESTED[event.start : event.end].endswith(b"END:VEVENT\r\n")
    assert NESTED[event.properties_end :].startswith(b"BEGIN:VALARM")
    assert NESTED[calendar.end_line_start :] == b"END:VCALENDAR\r\n"


def test_marker_lines_are_case_insensitive_and_may_be_folded():
    data = b"begin:vcalendar\nBEGIN:VEV\n ENT\nEND:VEVENT\nEnd:VCalendar"
    names = [component.name for component in scan_components(data)]
    assert names == ["VCALENDAR", "VEVENT"]


def test_misspelt_end_closes_the_innermost_component_like_icalendar_reads_it():
    data = b"BEGIN:VCALENDAR\nBEGIN:VTODO\nEND:VTOOD\nEND:VCALENDARD\n"
    calendar, todo = scan_components(data)
    assert (calendar.name, todo.name) == ("VCALENDAR", "VTODO")
    assert data[todo.start : todo.end] == b"BEGIN:VTODO\nEND:VTOOD\n"
    assert calendar.end == len(data)


def test_byte_order_mark_before_begin():
    (calendar,) = scan_components(b"\xef\xbb\xbfBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    assert calendar.start == 0


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"BEGIN:VCALENDAR\r\n", "never closed"),
        (b"END:VEVENT\r\n", "without a matching BEGIN"),
    ],
)
def test_bad_nesting_is_reported(data, problem):
    with pytest.raises(RawStructureError, match=problem):
        scan_components(data)


def test_newline_detection():
    assert detect_newline(b"A\r\nB\r\n") == b"\r\n"
    assert detect_newline(b"A\nB\n") == b"\n"
    assert detect_newline(b"") == b"\r\n"


def test_splices_apply_together_and_refuse_overlap():
    assert apply_splices(b"0123456789", [Splice(8, 9, b"X"), Splice(1, 3, b"")]) == b"034567X9"
    with pytest.raises(ValueError, match="overlapping"):
        apply_splices(b"0123", [Splice(0, 2, b""), Splice(1, 3, b"")])


def test_insertion_after_a_last_line_without_line_break():
    data = b"BEGIN:VEVENT\nEND:VEVENT"
    splice = insertion_at(data, len(data), b"NEW\n", b"\n")
    assert apply_splices(data, [splice]) == b"BEGIN:VEVENT\nEND:VEVENT\nNEW\n"
