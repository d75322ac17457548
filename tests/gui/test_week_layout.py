"""Where the week puts each event: its day, its minutes, and lanes for overlaps."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from app.gui.week_layout import monday_of, plan_week
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
