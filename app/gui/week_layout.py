"""Where each event of a week goes: its day column, its minutes from midnight, and, when
events overlap, the lane it takes beside the others; across a day column, side by side in lanes
where each lane is wide enough to read, cascaded where it is not. Qt-free."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from app.gui.agenda import occurrences_by_day
from calendar_backend import Occurrence

DAYS_IN_WEEK = 7
MINUTES_PER_DAY = 24 * 60
SHORTEST_MINUTES = 30
"""A short event's block is drawn at least this long, so it takes that room among lanes."""
SHORT_MINUTES = 60
"""A block this long or shorter shows its time and title on one line."""
READABLE_CHARACTERS = 8
"""A block narrower than this many average characters (and its padding) cannot be read: lanes
that would be narrower cascade instead."""
DAY_CHARACTERS = 10
"""A day column is at least this many average characters wide (and its padding), enough for
the start of most titles; where seven of them do not fit, the days scroll sideways."""
CASCADE_STEPS_PER_READABLE = 4
"""A cascaded block lies this share of the readable width right of the block below it."""
CASCADE_LEAST_STEP = 3
"""The least step of a cascade, in pixels, where the column is too narrow for a readable one."""
LANE_GAP = 1
"""Pixels between blocks side by side."""


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_days(first: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range(DAYS_IN_WEEK)]


@dataclass(frozen=True)
class Placed:
    """A timed event's piece on one day: from `top` to `bottom` minutes after midnight, in
    lane `lane` of `lanes` side by side."""

    occurrence: Occurrence
    day: int
    """0 for the week's Monday."""
    top: int
    bottom: int
    lane: int = 0
    lanes: int = 1


@dataclass(frozen=True)
class WeekPlan:
    timed: tuple[Placed, ...]
    all_day: tuple[tuple[Occurrence, ...], ...]
    """Per day (Monday first), the all-day events on it."""


def plan_week(occurrences: Sequence[Occurrence], first: date) -> WeekPlan:
    """A multi-day event shows on each of its days: all day in the all-day row, a timed one as
    a piece per day (to midnight, from midnight)."""
    days = occurrences_by_day(occurrences, first, first + timedelta(days=DAYS_IN_WEEK - 1))
    timed: list[Placed] = []
    all_day: list[tuple[Occurrence, ...]] = []
    for index, (day, items) in enumerate(days.items()):
        all_day.append(tuple(o for o in items if _is_all_day(o)))
        pieces = [_piece(o, day, index) for o in items if not _is_all_day(o)]
        timed.extend(_in_lanes(pieces))
    return WeekPlan(tuple(timed), tuple(all_day))


def _is_all_day(occurrence: Occurrence) -> bool:
    return occurrence.all_day or not isinstance(occurrence.start, datetime)


def _piece(occurrence: Occurrence, day: date, index: int) -> Placed:
    start, end = occurrence.start, occurrence.end
    assert isinstance(start, datetime)
    midnight = datetime.combine(day, time.min, start.tzinfo)
    top = max(0, _minutes(start - midnight))
    bottom = MINUTES_PER_DAY
    if isinstance(end, datetime) and end.date() == day:
        bottom = _minutes(end - midnight)
    if not isinstance(end, datetime) or end <= start:
        bottom = top  # no length: shown with the least height a block has
    return Placed(occurrence, index, min(top, MINUTES_PER_DAY), max(top, bottom))


def _minutes(span: timedelta) -> int:
    return int(span.total_seconds() // 60)


def _in_lanes(pieces: list[Placed]) -> list[Placed]:
    """Overlapping pieces share the column in lanes: each group of pieces that overlap one
    another (directly or through others) is as many lanes wide as it needs at most."""
    pieces.sort(key=lambda piece: (piece.top, -piece.bottom))
    placed: list[Placed] = []
    group: list[Placed] = []
    lane_ends: list[int] = []
    group_bottom = -1
    for piece in pieces:
        if group and piece.top >= group_bottom:
            placed.extend(_widen(group, len(lane_ends)))
            group, lane_ends = [], []
        lane = next((i for i, end in enumerate(lane_ends) if end <= piece.top), len(lane_ends))
        bottom = max(piece.bottom, piece.top + SHORTEST_MINUTES)
        if lane == len(lane_ends):
            lane_ends.append(bottom)
        else:
            lane_ends[lane] = bottom
        group.append(Placed(piece.occurrence, piece.day, piece.top, piece.bottom, lane))
        group_bottom = max(group_bottom, bottom) if len(group) > 1 else bottom
    placed.extend(_widen(group, len(lane_ends)))
    return placed


def _widen(group: list[Placed], lanes: int) -> list[Placed]:
    return [
        Placed(piece.occurrence, piece.day, piece.top, piece.bottom, piece.lane, max(1, lanes))
        for piece in group
    ]


class Span(NamedTuple):
    """A block's left edge (from its column's left) and width; `cascaded`: it may lie over (or
    under) another block of its group."""

    x: int
    width: int
    cascaded: bool = False


def block_span(column_width: int, lane: int, lanes: int, minimum: int) -> Span:
    """Where a block in lane `lane` of `lanes` goes across a column `column_width` wide, when a
    block narrower than `minimum` cannot be read.

    Side by side while each lane is at least `minimum` wide. Otherwise cascaded: all blocks of
    the group equally wide, each later lane a small step further right (a quarter of `minimum`,
    less where the column is too narrow for that), so that each keeps most of the column, at
    least `minimum` where the column allows, and the later block lies over the earlier one and
    leaves its left edge in view (and its top, where it starts later). Where the column is too
    narrow even for that, the steps stay `CASCADE_LEAST_STEP` wide (a block below still shows
    its edge) and together take at most half the column."""
    column_width = max(1, column_width)
    lanes = max(1, lanes)
    lane = min(max(0, lane), lanes - 1)
    if lanes == 1:
        return Span(0, column_width)
    if column_width // lanes - LANE_GAP >= minimum:
        left = column_width * lane // lanes
        right = column_width * (lane + 1) // lanes
        return Span(left, right - left - LANE_GAP)
    spare = (column_width - min(max(1, minimum), column_width)) / (lanes - 1)
    step = min(minimum / CASCADE_STEPS_PER_READABLE, max(spare, CASCADE_LEAST_STEP))
    step = min(step, column_width / 2 / (lanes - 1))
    return Span(math.floor(lane * step), column_width - math.floor((lanes - 1) * step), True)
