"""Where the week puts each event: its day, its minutes, and lanes for overlaps; across its
column, side by side where the lanes can be read, cascaded where they cannot."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.gui.week_layout import CASCADE_LEAST_STEP, LANE_GAP, Span, block_span, monday_of, plan_week
from calendar_backend import Occurrence
from tests.conftest import BERLIN

MONDAY = date(2026, 3, 23)


def timed(title: str, start: datetime, minutes: int) -> Occurrence:
    return Occurrence(title, title, start, start + timedelta(minutes=minutes), False, False, None)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 23 + day, hour, minute, tzinfo=BERLIN)


def test_the_monday_of_any_day() -> None:
    assert monday_of(date(2026, 3, 29)) == MONDAY
    assert monday_of(MONDAY) == MONDAY


def test_overlapping_events_share_the_column_in_lanes() -> None:
    plan = plan_week(
        [
            timed("a", at(0, 9), 60),
            timed("b", at(0, 9, 30), 60),
            timed("c", at(0, 10), 30),
            timed("d", at(0, 14), 30),
        ],
        MONDAY,
    )
    placed = {piece.occurrence.title: piece for piece in plan.timed}
    assert (placed["a"].top, placed["a"].bottom) == (540, 600)
    assert [(placed[t].lane, placed[t].lanes) for t in "abc"] == [(0, 2), (1, 2), (0, 2)]
    assert (placed["d"].lane, placed["d"].lanes) == (0, 1)  # alone in the afternoon


def test_an_event_over_midnight_is_a_piece_on_each_day() -> None:
    plan = plan_week([timed("night", at(2, 22), 240)], MONDAY)
    pieces = [(p.day, p.top, p.bottom) for p in plan.timed]
    assert pieces == [(2, 22 * 60, 24 * 60), (3, 0, 120)]


def test_all_day_events_go_to_the_all_day_row_of_each_of_their_days() -> None:
    holiday = Occurrence("h", "Holiday", date(2026, 3, 28), date(2026, 3, 30), True, False, None)
    plan = plan_week([holiday], MONDAY)
    assert [len(day) for day in plan.all_day] == [0, 0, 0, 0, 0, 1, 1]
    assert plan.timed == ()


def test_a_lone_block_takes_its_whole_column() -> None:
    assert block_span(91, 0, 1, 60) == Span(0, 91)


def test_lanes_wide_enough_to_read_go_side_by_side() -> None:
    spans = [block_span(200, lane, 3, 60) for lane in range(3)]
    assert spans == [Span(0, 65), Span(66, 66), Span(133, 66)]
    assert not any(span.cascaded for span in spans)


def test_lanes_too_narrow_to_read_cascade_with_a_small_step() -> None:
    """A 91-pixel column at 800x600 with three overlapping events: lanes of 29 pixels would
    be slivers; cascaded, each block keeps most of the column and the later one lies 15
    pixels further right."""
    spans = [block_span(91, lane, 3, 60) for lane in range(3)]
    assert spans == [Span(0, 61, True), Span(15, 61, True), Span(30, 61, True)]
    two = [block_span(91, lane, 2, 60) for lane in range(2)]
    assert two == [Span(0, 76, True), Span(15, 76, True)]


def test_the_step_shrinks_so_that_every_block_stays_readable() -> None:
    spans = [block_span(80, lane, 5, 60) for lane in range(5)]
    assert [span.x for span in spans] == [0, 5, 10, 15, 20]
    assert {span.width for span in spans} == {60}


def test_a_column_too_narrow_to_read_still_shows_each_block_below_by_its_edge() -> None:
    assert [block_span(50, lane, 2, 60) for lane in range(2)] == [
        Span(0, 47, True),
        Span(3, 47, True),
    ]
    last = block_span(40, 11, 12, 60)  # the steps together take half the column at most
    assert last.cascaded and last.x + last.width == 40 and last.width >= 20


@given(
    column=st.integers(1, 600),
    lanes=st.integers(1, 12),
    minimum=st.integers(1, 120),
    data=st.data(),
)
def test_every_block_stays_in_its_column_and_as_readable_as_the_column_allows(
    column: int, lanes: int, minimum: int, data: st.DataObject
) -> None:
    lane = data.draw(st.integers(0, lanes - 1))
    span = block_span(column, lane, lanes, minimum)
    assert span.x >= 0 and span.x + span.width <= column
    assert span.width >= min(
        minimum, column - (lanes - 1) * CASCADE_LEAST_STEP, column - column // 2
    )
    if span.cascaded:
        later = block_span(column, lane + 1, lanes, minimum) if lane + 1 < lanes else None
        assert later is None or later.x >= span.x
    elif lane + 1 < lanes:
        assert span.x + span.width + LANE_GAP <= block_span(column, lane + 1, lanes, minimum).x
