"""Changing an event's length or title (and, with it, its start), for a single event, one
occurrence of a series, or a whole series. Like a move, only the lines that change are
rewritten: DTEND or DURATION in the value type and zone they had, SUMMARY escaped and folded as
RFC 5545 asks, its parameters kept. One occurrence gets a modified copy of the series
(RECURRENCE-ID) first, as a move makes, and the change is made to that copy."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from icalendar.prop import vText

from calendar_backend.document import (
    CalendarDocument,
    PlacedComponent,
    decoded_single,
    occurrence_of,
)
from calendar_backend.errors import (
    CalendarError,
    CannotUndoError,
    EventNotFoundError,
    SeriesEditRefusedError,
)
from calendar_backend.models import Change, Occurrence
from calendar_backend.moving import (
    _ending,
    _formatted,
    _Line,
    _member_in,
    _other_members,
    _override_for,
    _own_lines,
    _rewritten,
    _same_times,
    _value_colon,
    _when,
    plan_move,
)
from calendar_backend.phrases import phrase
from calendar_backend.planning import (
    EditPlanner,
    PlannedEdit,
    applies_to_later_instances,
    instant,
    no_event,
    unchecked_change,
    within_years,
)
from calendar_backend.rawtext import Splice, apply_splices, insertion_at

FOLD_OCTETS = 75
"""RFC 5545: content lines longer than this many octets are folded."""
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def checked_title(title: str) -> str:
    """A title as one line of text; ValueError for one that is empty or not text."""
    clean = " ".join(_CONTROL_CHARACTERS.sub(" ", title).split())
    if not clean:
        raise ValueError("an event needs a title")
    try:
        clean.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("the title is not text: it holds bytes that are not UTF-8") from None
    return clean


def checked_length(length: timedelta) -> timedelta:
    """ValueError for a length of zero or less (an end at or before the start)."""
    if length <= timedelta(0):
        raise ValueError("an event must end after it starts: its length must be more than zero")
    return length


def plan_edit(
    planner: EditPlanner,
    document: CalendarDocument,
    uid: str,
    *,
    new_start: datetime | date | None,
    length: timedelta | None,
    title: str | None,
    which: date | datetime | None,
    series: bool,
) -> PlannedEdit:
    """Change the start, length and/or title of a single event, one occurrence of a series
    (which), or a whole series (series=True). Arguments are checked already (base.edit)."""
    members = document.event_members(uid)
    if not members:
        raise EventNotFoundError(no_event(uid, planner.name))
    old_title = str(members[0].component.get("SUMMARY", ""))
    recurring = uid in document.recurring_uids()
    identity: datetime | date | None = None
    needs_copy = False
    if recurring:
        if any(applies_to_later_instances(m.component) for m in members):
            raise SeriesEditRefusedError(
                phrase(
                    "{title!r} has changes that apply to all later occurrences "
                    "(RANGE=THISANDFUTURE); change it in the calendar program that made them.",
                    title=old_title,
                )
            )
        if which is None and not series:
            raise SeriesEditRefusedError(
                phrase(
                    "{title!r} is a recurring event. Name the occurrence to change, or confirm "
                    "that the whole series should change.",
                    title=old_title,
                )
            )
        if which is None and len(members) > 1:
            raise SeriesEditRefusedError(
                phrase(
                    "{title!r} has modified occurrences that keep their own length and title, "
                    "so the whole series was not changed; change single occurrences, or the "
                    "series in the program that made them.",
                    title=old_title,
                )
            )
        if which is not None:
            target = planner.find_occurrence(document, uid, old_title, which)
            identity = target.recurrence_id
            needs_copy = _override_for(members, target) is None
            if new_start is None:
                new_start = target.start if needs_copy else None
    elif which is not None:
        planner.find_occurrence(document, uid, old_title, which)  # it happens then, or an error
    if new_start is None:
        return _plan_edit_component(planner, document, uid, identity, length, title)
    moved = plan_move(planner, document, uid, new_start, which, series)
    middle = CalendarDocument(document.path, moved.data, None)
    if not moved.check(middle):
        raise CalendarError(unchecked_change(planner.name, moved.change.description_phrase))
    edited = _plan_edit_component(planner, middle, uid, identity, length, title)
    return _one_after_the_other(moved, edited, document, needs_copy)


def _one_after_the_other(
    first: PlannedEdit, then: PlannedEdit, document: CalendarDocument, only_copied: bool
) -> PlannedEdit:
    """Two edits as one change, undone as one: the second one's reversal, then the first's."""
    assert first.inverse is not None and then.inverse is not None
    undo_first, undo_then = first.inverse, then.inverse
    before = first.change.occurrence if not only_copied else None

    def inverse(current: CalendarDocument) -> PlannedEdit:
        back = undo_then(current)
        between = CalendarDocument(current.path, back.data, None)
        if not back.check(between):
            raise CannotUndoError(
                phrase("{title!r} was changed again since", title=back.change.occurrence.title)
            )
        last = undo_first(between)
        return PlannedEdit(last.data, back.change, last.touches, last.check)

    description = then.change.description_phrase
    if before is not None:
        description = phrase(
            "{change}, moved to {when}", change=description, when=_when(before.start)
        )
    change = Change.said("edited", then.change.occurrence, description)
    return PlannedEdit(then.data, change, then.touches, then.check, inverse)


def _plan_edit_component(
    planner: EditPlanner,
    document: CalendarDocument,
    uid: str,
    identity: datetime | date | None,
    length: timedelta | None,
    title: str | None,
) -> PlannedEdit:
    """New lines for one component (a single event, a series, a modified occurrence)."""
    zone = planner.zone
    member = _member_in(document, uid, identity)
    recurring = document.recurring_uids()
    old = None if member is None else occurrence_of(member.component, zone, recurring)
    if member is None or old is None:
        raise EventNotFoundError(phrase("Event {uid} is gone or has no readable start.", uid=uid))
    lines = _own_lines(document, member)
    splices: list[Splice] = []
    new_title = old.title if title is None else title
    if new_title != old.title:
        splices.append(_title_splice(document, member, lines, new_title))
    new_end = old.end
    if length is not None:
        new_end = _end_after(old, length, member)
        splices.append(_end_splice(document, member, lines, new_end, planner))
    expected = replace(old, title=new_title, end=new_end)
    data = apply_splices(document.data, splices)
    others = _other_members(document, member)

    def check(result: CalendarDocument) -> bool:
        now = _member_in(result, uid, identity)
        if now is None or _other_members(result, now) != others:
            return False
        found = occurrence_of(now.component, zone, set())
        return found is not None and found.title == new_title and _same_times(found, expected, zone)

    def inverse(current: CalendarDocument) -> PlannedEdit:
        back = _plan_edit_component(
            planner,
            current,
            uid,
            identity,
            None if length is None else _length_of(old),
            None if new_title == old.title else old.title,
        )
        description = phrase(
            "changed {title!r} back to {old!r}, {start} to {end}",
            title=new_title,
            old=old.title,
            start=_when(old.start),
            end=_when(old.end),
        )
        return PlannedEdit(back.data, Change.said("edited", old, description), uid, back.check)

    description = phrase(
        "changed {old!r} to {title!r}, {start} to {end}",
        old=old.title,
        title=new_title,
        start=_when(expected.start),
        end=_when(expected.end),
    )
    return PlannedEdit(data, Change.said("edited", expected, description), uid, check, inverse)


# --- the title -----------------------------------------------------------------------------


def _title_splice(
    document: CalendarDocument, member: PlacedComponent, lines: list[_Line], title: str
) -> Splice:
    summary = next((line for line in lines if line.name == "SUMMARY"), None)
    if summary is None:
        text = folded(b"SUMMARY:" + vText(title).to_ical(), document.newline) + document.newline
        return insertion_at(document.data, member.raw.properties_end, text, document.newline)
    head = summary.unfolded[: _value_colon(summary.unfolded)]
    ending = _ending(summary.text)
    line = folded(head + b":" + vText(title).to_ical(), ending or document.newline)
    return Splice(summary.start, summary.end, line + ending)


def folded(line: bytes, newline: bytes) -> bytes:
    """A content line folded after at most FOLD_OCTETS octets, never inside a UTF-8 character
    or a backslash escape: newline and a space before each continuation, none at the end."""
    text = line.decode("utf-8")
    pieces: list[bytes] = []
    current = b""
    limit = FOLD_OCTETS
    index = 0
    while index < len(text):
        unit = text[index]
        if unit == "\\" and index + 1 < len(text):
            unit = text[index : index + 2]
        encoded = unit.encode("utf-8")
        if current and len(current) + len(encoded) > limit:
            pieces.append(current)
            current = b""
            limit = FOLD_OCTETS - 1  # the leading space counts
        current += encoded
        index += len(unit)
    pieces.append(current)
    return (newline + b" ").join(pieces)


# --- the length ----------------------------------------------------------------------------


def _end_after(old: Occurrence, length: timedelta, member: PlacedComponent) -> datetime | date:
    start = old.start
    if not isinstance(start, datetime):
        if length < timedelta(days=1) or length % timedelta(days=1):
            raise ValueError(f"{old.title!r} lasts all day: its length is a number of whole days")
        within_years(start + length - timedelta(days=1))
        return start + length
    declared_start = decoded_single(member.component, "DTSTART")
    declared_end = decoded_single(member.component, "DTEND")
    if declared_end is not None and (
        not isinstance(declared_end, datetime)
        or (declared_end.tzinfo is None) != (declared_start.tzinfo is None)
    ):
        raise CalendarError(
            phrase(
                "{title!r} has a start and an end written in different ways, so its length was "
                "not changed; change it in the calendar program that made it.",
                title=old.title,
            )
        )
    finish = (start.astimezone(UTC) + length).astimezone(start.tzinfo)
    within_years(finish.date())
    return finish


def _end_splice(
    document: CalendarDocument,
    member: PlacedComponent,
    lines: list[_Line],
    end: datetime | date,
    planner: EditPlanner,
) -> Splice:
    zone = planner.zone
    for line in lines:
        if line.name == "DTEND":
            return Splice(line.start, line.end, _rewritten(line, member, end, zone))
    start_line = next(line for line in lines if line.name == "DTSTART")
    start = decoded_single(member.component, "DTSTART")
    for line in lines:
        if line.name == "DURATION":
            head = line.unfolded[: _value_colon(line.unfolded)]
            value = _duration_text(instant(end, zone) - instant(start, zone), member)
            return Splice(line.start, line.end, head + b":" + value + _ending(line.text))
    # Neither: the end was implied (a timed event lasted no time, an all-day one a day).
    head = b"DTEND" + start_line.unfolded[len(b"DTSTART") : _value_colon(start_line.unfolded)]
    old_text = start_line.unfolded[_value_colon(start_line.unfolded) + 1 :].strip()
    value = _formatted(end, start, old_text, zone, "DTEND").encode()
    ending = _ending(start_line.text) or document.newline
    return Splice(start_line.end, start_line.end, head + b":" + value + ending)


def _duration_text(length: timedelta, member: PlacedComponent) -> bytes:
    """Whole days for an all-day event; hours and minutes for a timed one, since RFC 5545
    days in a DURATION are calendar days, which a clock change makes 23 or 25 hours."""
    if not isinstance(decoded_single(member.component, "DTSTART"), datetime):
        return f"P{length.days}D".encode()
    hours, minutes = divmod(int(length.total_seconds() // 60), 60)
    return f"PT{hours}H{minutes}M".encode()


def _length_of(occurrence: Occurrence) -> timedelta:
    start, end = occurrence.start, occurrence.end
    if isinstance(start, datetime) and isinstance(end, datetime):
        return end.astimezone(UTC) - start.astimezone(UTC)
    return _as_date(end) - _as_date(start)


def _as_date(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value
