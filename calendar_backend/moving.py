"""Moving an event, one occurrence of a series, or a whole series. Only the lines that say
when it happens are rewritten, each in the value type and time zone it already had; one
occurrence is moved by a modified copy of the series (RECURRENCE-ID) next to it. DTSTAMP and
SEQUENCE are left as they were: the edit is just the time, and undo can put those lines back."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from calendar_backend.document import (
    CalendarDocument,
    PlacedComponent,
    add_duration,
    decoded_single,
    occurrence_of,
    skipped_by_clock_change,
)
from calendar_backend.errors import (
    AmbiguousEventError,
    CalendarError,
    CannotUndoError,
    EventNotFoundError,
    SeriesMoveRefusedError,
)
from calendar_backend.models import Change, Occurrence
from calendar_backend.phrases import Phrase, phrase
from calendar_backend.planning import (
    SERIES_CHECK_SPAN,
    EditPlanner,
    PlannedEdit,
    applies_to_later_instances,
    instance_line,
    instant,
    is_second_of_repeated_hour,
    localize,
    no_event,
    same_instant,
    within_years,
)
from calendar_backend.rawtext import Splice, apply_splices, insertion_at, iter_logical_lines

INSTANCE_PROPERTIES = ("RRULE", "RDATE", "EXDATE", "EXRULE")
"""What makes a component a series; a modified occurrence has none of them."""
SERIES_SAMPLE = 20
"""How many occurrences of a moved series are compared with the old ones, shifted."""


@dataclass(frozen=True)
class _Line:
    """One content line of a component: where its bytes are, and what it says unfolded."""

    name: str
    start: int
    end: int
    text: bytes
    unfolded: bytes


def plan_move(
    planner: EditPlanner,
    document: CalendarDocument,
    uid: str,
    new_start: datetime | date,
    which: date | datetime | None,
    series: bool,
) -> PlannedEdit:
    """Move a single event, one occurrence of a series (which), or a series (series=True)."""
    members = document.event_members(uid)
    if not members:
        raise EventNotFoundError(no_event(uid, planner.name))
    title = str(members[0].component.get("SUMMARY", ""))
    if not any(line.name == "UID" for line in _own_lines(document, members[0])):
        if not title:
            raise CalendarError(
                phrase(
                    "'That event' has no UID, so a moved copy could not be told apart from a "
                    "new event; move it in the calendar program that made it."
                )
            )
        raise CalendarError(
            phrase(
                "{title!r} has no UID, so a moved copy could not be told apart from a new "
                "event; move it in the calendar program that made it.",
                title=title,
            )
        )
    masters = [m for m in members if "RECURRENCE-ID" not in m.component]
    recurring = uid in document.recurring_uids()
    if len(masters) > 1:
        raise AmbiguousEventError(
            phrase(
                "Several events in {name} share one UID with {title!r}, so it was not moved; "
                "move it in another calendar program.",
                name=planner.name,
                title=title,
            ),
            [],
        )
    if not recurring:
        if which is not None:
            planner.find_occurrence(document, uid, title, which)  # it happens then, or an error
        return _plan_move_component(planner, document, _the_master(masters, title), new_start)
    if any(applies_to_later_instances(m.component) for m in members):
        raise SeriesMoveRefusedError(
            phrase(
                "{title!r} has changes that apply to all later occurrences "
                "(RANGE=THISANDFUTURE); move it in the calendar program that made them.",
                title=title,
            )
        )
    if which is not None:
        target = planner.find_occurrence(document, uid, title, which)
        override = _override_for(members, target)
        if override is not None:
            return _plan_move_component(planner, document, override, new_start)
        return _plan_add_override(planner, document, _the_master(masters, title), target, new_start)
    if not series:
        raise SeriesMoveRefusedError(
            phrase(
                "{title!r} is a recurring event. Name the occurrence to move, or confirm that "
                "the whole series should move.",
                title=title,
            )
        )
    return _plan_move_series(planner, document, _the_master(masters, title), members, new_start)


def _the_master(masters: list[PlacedComponent], title: str) -> PlacedComponent:
    if not masters:
        raise SeriesMoveRefusedError(
            phrase(
                "{title!r} has only modified occurrences here and no series to take them from.",
                title=title,
            )
        )
    return masters[0]


def _override_for(members: list[PlacedComponent], target: Occurrence) -> PlacedComponent | None:
    if target.recurrence_id is None:
        return None
    for member in members:
        instance = decoded_single(member.component, "RECURRENCE-ID")
        if isinstance(instance, date) and same_instant(instance, target.recurrence_id):
            return member
    return None


# --- one component: a single event, an existing modified occurrence, a series' first one ---


def _plan_move_component(
    planner: EditPlanner,
    document: CalendarDocument,
    member: PlacedComponent,
    new_start: datetime | date,
    *,
    series: bool = False,
) -> PlannedEdit:
    zone = planner.zone
    old = occurrence_of(member.component, zone, document.recurring_uids())
    if old is None:
        raise EventNotFoundError(
            phrase("Event {uid} has no readable start, so it cannot move.", uid=member.uid)
        )
    _require_start_and_end_alike(member, old.title)
    moved = _moved(old, new_start, zone)
    duration = decoded_single(member.component, "DURATION")
    if isinstance(moved.start, datetime) and isinstance(duration, timedelta):
        # The DURATION line stays: its whole days are wall-clock days from the new start.
        own_start = moved.start.astimezone(_own_zone(member, zone))
        moved = replace(moved, end=add_duration(own_start, duration, zone))
    written: dict[str, datetime | date] = {"DTSTART": moved.start, "DTEND": moved.end}
    walls = _series_wall_times(member, new_start, zone) if series else None
    if walls is not None:
        written = {"DTSTART": walls.start, "DTEND": walls.end}
        moved = replace(moved, start=walls.read_start, end=walls.read_end)
    lines = _own_lines(document, member)
    swaps = [
        (line, _rewritten(line, member, value, zone))
        for name, value in written.items()
        for line in lines
        if line.name == name
    ]
    identity = _identity(member)
    data = apply_splices(document.data, [Splice(ln.start, ln.end, new) for ln, new in swaps])
    others = _other_members(document, member)

    def check(result: CalendarDocument) -> bool:
        now = _member_in(result, member.uid, identity)
        if now is None or _other_members(result, now) != others:
            return False
        found = occurrence_of(now.component, zone, result.recurring_uids())
        return found is not None and _same_times(found, moved, zone)

    def inverse(current: CalendarDocument) -> PlannedEdit:
        return _plan_swap_back(planner, current, member.uid, identity, swaps, old)

    description = phrase("moved {title!r} to {when}", title=old.title, when=_when(moved.start))
    change = Change.said("moved", moved, description)
    return PlannedEdit(data, change, member.uid, check, inverse)


def _plan_swap_back(
    planner: EditPlanner,
    document: CalendarDocument,
    uid: str,
    identity: datetime | date | None,
    swaps: list[tuple[_Line, bytes]],
    old: Occurrence,
) -> PlannedEdit:
    """Put the lines a move replaced back, if the lines it wrote are still there."""
    member = _member_in(document, uid, identity)
    if member is None:
        raise EventNotFoundError(gone(old.title))
    current = {line.text: line for line in _own_lines(document, member)}
    splices = []
    for line, written in swaps:
        now = current.get(written)
        if now is None:
            raise CannotUndoError(phrase("{title!r} was moved again since", title=old.title))
        splices.append(Splice(now.start, now.end, line.text))
    data = apply_splices(document.data, splices)
    zone = planner.zone

    def check(result: CalendarDocument) -> bool:
        back = _member_in(result, uid, identity)
        found = None if back is None else occurrence_of(back.component, zone, set())
        return found is not None and _same_times(found, old, zone)

    change = Change.said("moved", old, moved_back(old))
    return PlannedEdit(data, change, uid, check)


# --- one occurrence of a series, not modified before ----------------------------------------


def _plan_add_override(
    planner: EditPlanner,
    document: CalendarDocument,
    master: PlacedComponent,
    target: Occurrence,
    new_start: datetime | date,
) -> PlannedEdit:
    """A modified copy of the series for this one instance: the series' properties and
    alarms, its RECURRENCE-ID in the series' value type and zone, the new times."""
    zone = planner.zone
    recurrence_id = target.recurrence_id
    if recurrence_id is None:
        raise EventNotFoundError(
            phrase("{title!r} is not an occurrence of a series.", title=target.title)
        )
    if any(
        line.name == "RDATE" and b"PERIOD" in line.unfolded[: _value_colon(line.unfolded)].upper()
        for line in _own_lines(document, master)
    ):
        raise SeriesMoveRefusedError(
            phrase(
                "{title!r} has extra dates with lengths of their own (RDATE periods), so one "
                "occurrence cannot be moved safely here; move it in the program that made it.",
                title=target.title,
            )
        )
    moved = replace(_moved(target, new_start, zone), recurring=True)
    override = _override_text(document, master, recurrence_id, moved, zone)
    data = apply_splices(
        document.data, [insertion_at(document.data, master.raw.end, override, document.newline)]
    )
    uid = master.uid
    first, last = _check_window(target, moved)
    expected = [o for o in document.occurrences_of(uid, first, last, zone) if o != target]

    def check(result: CalendarDocument) -> bool:
        now = result.occurrences_of(uid, first, last, zone)
        rest = [o for o in now if not _is_instance(o, recurrence_id)]
        instance = [o for o in now if _is_instance(o, recurrence_id)]
        return rest == expected and len(instance) == 1 and _same_times(instance[0], moved, zone)

    def inverse(current: CalendarDocument) -> PlannedEdit:
        return _plan_remove_override(current, uid, recurrence_id, override, target)

    description = phrase(
        "moved {title!r} on {old} to {when}",
        title=target.title,
        old=_when(target.start),
        when=_when(moved.start),
    )
    return PlannedEdit(data, Change.said("moved", moved, description), uid, check, inverse)


def _override_text(
    document: CalendarDocument,
    master: PlacedComponent,
    recurrence_id: datetime | date,
    moved: Occurrence,
    zone: ZoneInfo,
) -> bytes:
    data = document.data
    pieces: list[bytes] = [data[master.raw.start : _first_property(document, master)]]
    for line in _own_lines(document, master):
        if line.name in INSTANCE_PROPERTIES:
            continue
        if line.name == "DTSTART":
            ending = _ending(line.text)
            pieces.append(_rewritten(line, master, moved.start, zone))
            pieces.append(instance_line("RECURRENCE-ID", master, recurrence_id) + ending)
        elif line.name == "DTEND":
            pieces.append(_rewritten(line, master, moved.end, zone))
        else:
            pieces.append(line.text)
    pieces.append(data[master.raw.properties_end : master.raw.end])
    text = b"".join(pieces)
    return text if text.endswith(b"\n") else text + document.newline


def _plan_remove_override(
    document: CalendarDocument,
    uid: str,
    recurrence_id: datetime | date,
    override: bytes,
    target: Occurrence,
) -> PlannedEdit:
    member = _member_in(document, uid, recurrence_id)
    if member is None:
        raise CannotUndoError(
            phrase("the moved occurrence of {title!r} is gone", title=target.title)
        )
    if document.data[member.raw.start : member.raw.end].rstrip(b"\r\n") != override.rstrip(b"\r\n"):
        raise CannotUndoError(
            phrase("the moved occurrence of {title!r} was changed since", title=target.title)
        )
    data = apply_splices(document.data, [Splice(member.raw.start, member.raw.end, b"")])

    def check(result: CalendarDocument) -> bool:
        return _member_in(result, uid, recurrence_id) is None

    change = Change.said("moved", target, moved_back(target))
    return PlannedEdit(data, change, uid, check)


# --- a whole series ----------------------------------------------------------------------


def _plan_move_series(
    planner: EditPlanner,
    document: CalendarDocument,
    master: PlacedComponent,
    members: list[PlacedComponent],
    new_start: datetime | date,
) -> PlannedEdit:
    """Shift the series' DTSTART/DTEND, where that shifts every occurrence alike."""
    title = str(master.component.get("SUMMARY", ""))
    tied = [
        name
        for name in ("EXDATE", "RDATE", "EXRULE")
        if any(line.name == name for line in _own_lines(document, master))
    ]
    if len(members) > 1:
        raise SeriesMoveRefusedError(
            phrase(
                "{title!r} has modified occurrences tied to its old times, so the whole series "
                "was not moved; move single occurrences, or move the series in the program "
                "that made it.",
                title=title,
            )
        )
    if tied:
        raise SeriesMoveRefusedError(
            phrase(
                "{title!r} has {properties} tied to its old times, so the whole series was not "
                "moved; move single occurrences, or move the series in the program that made "
                "it.",
                title=title,
                properties=_listed(tied),
            )
        )
    edit = _plan_move_component(planner, document, master, new_start, series=True)
    said = _wall_time(new_start, planner.zone) if isinstance(new_start, datetime) else None
    if not _shifts_alike(
        document, CalendarDocument(document.path, edit.data, None), master, planner.zone, said
    ):
        raise SeriesMoveRefusedError(
            phrase(
                "{title!r} repeats by a rule (such as its weekdays or its end) that does not "
                "move with its start, so the whole series was not moved; move single "
                "occurrences.",
                title=title,
            )
        )
    return edit


@dataclass(frozen=True)
class _WallTimes:
    """A series' new DTSTART and DTEND as wall-clock times in the user's zone, and its first
    occurrence's start and end as a calendar reads them."""

    start: datetime
    end: datetime
    read_start: datetime
    read_end: datetime


def _series_wall_times(
    master: PlacedComponent, new_start: datetime | date, zone: ZoneInfo
) -> _WallTimes | None:
    """The wall times to write for a series written in the user's own zone (or floating),
    which readers apply to every occurrence: the start as said, even where the clocks skip it
    on the first day (only that occurrence is read an hour later), and the end as long after
    it in wall-clock time as before, so that every later occurrence keeps its length. None
    where the series is written in another zone, in UTC, or all day."""
    start = decoded_single(master.component, "DTSTART")
    end = decoded_single(master.component, "DTEND")
    if not isinstance(start, datetime) or not isinstance(end, datetime):
        return None  # all day, or its length is a DURATION line, which stays
    if decoded_single(master.component, "DURATION") is not None:
        return None
    if start.tzinfo is not None and getattr(start.tzinfo, "key", None) != zone.key:
        return None
    if end.tzinfo is not None and getattr(end.tzinfo, "key", None) != zone.key:
        return None
    if isinstance(new_start, datetime):
        wall_start = _wall_time(new_start, zone)
    else:
        wall_start = datetime.combine(new_start, start.time())
    wall_end = wall_start + (end.replace(tzinfo=None) - start.replace(tzinfo=None))
    read_end = localize(wall_end + skipped_by_clock_change(wall_start, zone), zone)
    return _WallTimes(wall_start, wall_end, localize(wall_start, zone), read_end)


def _wall_time(said: datetime, zone: ZoneInfo) -> datetime:
    """A start as said, as a wall-clock time in the user's zone (an aware one converted)."""
    return said if said.tzinfo is None else said.astimezone(zone).replace(tzinfo=None)


def _listed(names: list[str]) -> str | Phrase:
    """Names joined by "and" in the language they are said in ("EXDATE and RDATE")."""
    listed: str | Phrase = names[0]
    for name in names[1:]:
        listed = phrase("{names} and {name}", names=listed, name=name)
    return listed


def _shifts_alike(
    before: CalendarDocument,
    after: CalendarDocument,
    master: PlacedComponent,
    zone: ZoneInfo,
    said_start: datetime | None,
) -> bool:
    """Whether the series' first occurrences after the move are the old ones, each moved by
    the same wall-clock shift as its start (the wall time said, where the clocks skip it on
    the first day), and the series ends after as many."""
    uid = master.uid
    old_first = occurrence_of(master.component, zone, {uid})
    moved_master = _member_in(after, uid, None)
    new_first = None if moved_master is None else occurrence_of(moved_master.component, zone, {uid})
    if old_first is None or new_first is None:
        return False
    old = _sample(before, uid, old_first, zone)
    new = _sample(after, uid, new_first, zone)
    own_zone = _own_zone(master, zone)
    new_wall = _wall(new_first.start, own_zone)
    if said_start is not None and _as_read(said_start, own_zone) == new_wall:
        new_wall = said_start
    shift = new_wall - _wall(old_first.start, own_zone)
    shifted = [_as_read(_wall(o.start, own_zone) + shift, own_zone) for o in old]
    return len(old) == len(new) and shifted == [_wall(o.start, own_zone) for o in new]


def _sample(
    document: CalendarDocument, uid: str, first: Occurrence, zone: ZoneInfo
) -> list[Occurrence]:
    day = _as_date(first.start)
    return document.occurrences_of(uid, day, day + SERIES_CHECK_SPAN, zone)[:SERIES_SAMPLE]


def _own_zone(master: PlacedComponent, zone: ZoneInfo) -> tzinfo:
    start = decoded_single(master.component, "DTSTART")
    if isinstance(start, datetime) and start.tzinfo is not None:
        return start.tzinfo
    return zone


def _wall(value: datetime | date, zone: tzinfo) -> datetime:
    """A start as wall time in the series' own zone (a day as its midnight)."""
    if isinstance(value, datetime):
        return value.astimezone(zone).replace(tzinfo=None)
    return datetime(value.year, value.month, value.day)


def _as_read(wall: datetime, zone: tzinfo) -> datetime:
    """A wall time as a calendar reads it: one a clock change skips is an hour later."""
    return wall.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None)


def _require_start_and_end_alike(member: PlacedComponent, title: str) -> None:
    """A start and end of different kinds (a date and a time, a floating time and one with a
    zone) have no one length to keep, so such an event is not moved."""
    start = decoded_single(member.component, "DTSTART")
    end = decoded_single(member.component, "DTEND")
    if end is None:
        return
    if isinstance(start, datetime) != isinstance(end, datetime) or (
        isinstance(start, datetime)
        and isinstance(end, datetime)
        and (start.tzinfo is None) != (end.tzinfo is None)
    ):
        raise CalendarError(
            phrase(
                "{title!r} has a start and an end written in different ways (one with a time "
                "zone or a time of day, one without), so it was not moved; move it in the "
                "calendar program that made it.",
                title=title,
            )
        )


# --- lines and times -----------------------------------------------------------------------


def _moved(old: Occurrence, new_start: datetime | date, zone: ZoneInfo) -> Occurrence:
    """The occurrence at its new start, as long as before (all-day ones stay all-day; a day
    given for a timed one keeps its time of day)."""
    if old.all_day:
        if isinstance(new_start, datetime):
            raise ValueError(f"{old.title!r} is an all-day event: move it to a day, not a time")
        start: datetime | date = new_start
        end: datetime | date = _as_date(old.end) + (new_start - _as_date(old.start))
        within_years(new_start, end - timedelta(days=1))
        return replace(old, start=start, end=end)
    if not isinstance(new_start, datetime) and isinstance(old.start, datetime):
        new_start = datetime.combine(new_start, old.start.astimezone(zone).time())
    if not isinstance(new_start, datetime):
        raise CalendarError(phrase("{title!r} has no start time to keep", title=old.title))
    begin = localize(new_start, zone)
    length = instant(old.end, zone) - instant(old.start, zone)
    finish = (begin.astimezone(UTC) + length).astimezone(zone)
    within_years(begin.date(), finish.date())
    return replace(old, start=begin, end=finish)


def _rewritten(
    line: _Line, member: PlacedComponent, value: datetime | date, zone: ZoneInfo
) -> bytes:
    """The line with a new value written like its old one: same parameters (TZID, VALUE),
    same kind of value (a date, a UTC time, a time in its zone, a floating time)."""
    colon = _value_colon(line.unfolded)
    head, old_text = line.unfolded[:colon], line.unfolded[colon + 1 :].strip()
    old = decoded_single(member.component, line.name)
    return (
        head
        + b":"
        + _formatted(value, old, old_text, zone, line.name).encode()
        + _ending(line.text)
    )


def _formatted(
    value: datetime | date, old: object, old_text: bytes, zone: ZoneInfo, name: str
) -> str:
    if isinstance(old, datetime) and isinstance(value, datetime):
        if value.tzinfo is None:  # a wall time in the line's own zone, written as it is
            return f"{value:%Y%m%dT%H%M%S}"
        if old.tzinfo is None:
            return f"{value.astimezone(zone):%Y%m%dT%H%M%S}"
        if old_text.upper().endswith(b"Z"):
            return f"{value.astimezone(UTC):%Y%m%dT%H%M%S}Z"
        local = value.astimezone(old.tzinfo)
        if is_second_of_repeated_hour(local):
            raise CalendarError(
                phrase(
                    "{name} at {time} falls in the hour the clocks repeat, which its time zone "
                    "cannot say; choose another time.",
                    name=name,
                    time=f"{value:%H:%M}",
                )
            )
        return f"{local:%Y%m%dT%H%M%S}"
    if isinstance(old, date) and not isinstance(old, datetime) and not isinstance(value, datetime):
        return f"{value:%Y%m%d}"
    raise CalendarError(
        phrase("its {name} is not a plain date or time, so it was not moved", name=name)
    )


def _own_lines(document: CalendarDocument, member: PlacedComponent) -> list[_Line]:
    """The component's own content lines (not its BEGIN line, not its alarms')."""
    base = member.raw.start
    span = document.data[base : member.raw.properties_end]
    lines = []
    for line in list(iter_logical_lines(span))[1:]:
        name = line.unfolded.split(b":", 1)[0].split(b";", 1)[0].strip().upper()
        text = span[line.start : line.end]
        lines.append(
            _Line(
                name.decode("ascii", "replace"),
                base + line.start,
                base + line.end,
                text,
                line.unfolded,
            )
        )
    return lines


def _first_property(document: CalendarDocument, member: PlacedComponent) -> int:
    lines = _own_lines(document, member)
    return lines[0].start if lines else member.raw.properties_end


def _value_colon(unfolded: bytes) -> int:
    """Where the value starts: the first colon outside a quoted parameter value."""
    quoted = False
    for index, byte in enumerate(unfolded):
        if byte == ord('"'):
            quoted = not quoted
        elif byte == ord(":") and not quoted:
            return index
    raise CalendarError(phrase("a time line without a value"))


def _ending(text: bytes) -> bytes:
    return text[len(text.rstrip(b"\r\n")) :]


def _identity(member: PlacedComponent) -> datetime | date | None:
    value = decoded_single(member.component, "RECURRENCE-ID")
    return value if isinstance(value, date) else None


def _member_in(
    document: CalendarDocument, uid: str, identity: datetime | date | None
) -> PlacedComponent | None:
    """The event's component with this RECURRENCE-ID (None: its series or single event)."""
    for member in document.event_members(uid):
        own = _identity(member)
        if (own is None and identity is None and "RECURRENCE-ID" not in member.component) or (
            own is not None and identity is not None and same_instant(own, identity)
        ):
            return member
    return None


def _other_members(document: CalendarDocument, member: PlacedComponent) -> list[bytes]:
    return [
        document.data[m.raw.start : m.raw.end]
        for m in document.event_members(member.uid)
        if m.raw.start != member.raw.start
    ]


def _is_instance(occurrence: Occurrence, recurrence_id: datetime | date) -> bool:
    own = occurrence.recurrence_id
    return own is not None and same_instant(own, recurrence_id)


def _same_times(found: Occurrence, expected: Occurrence, zone: ZoneInfo) -> bool:
    return instant(found.start, zone) == instant(expected.start, zone) and instant(
        found.end, zone
    ) == instant(expected.end, zone)


def _check_window(target: Occurrence, moved: Occurrence) -> tuple[date, date]:
    days = [_as_date(target.start), _as_date(moved.start)]
    return min(days) - SERIES_CHECK_SPAN, max(days) + SERIES_CHECK_SPAN


def _as_date(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


def gone(title: str) -> Phrase:
    """The event called `title` is no longer there."""
    return phrase("{title!r} is gone", title=title)


def moved_back(old: Occurrence) -> Phrase:
    """The description of a move undone: back to the old start."""
    return phrase("moved {title!r} back to {when}", title=old.title, when=_when(old.start))


def _when(value: datetime | date) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()
