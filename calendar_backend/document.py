"""One read of a calendar file, parsed: icalendar's tree paired with each component's bytes."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from icalendar import Calendar, Component

from calendar_backend.errors import CalendarFileError
from calendar_backend.models import Occurrence
from calendar_backend.phrases import Phrase, phrase
from calendar_backend.rawtext import (
    RawComponent,
    RawStructureError,
    detect_newline,
    scan_components,
)
from calendar_backend.storage import Fingerprint

log = logging.getLogger(__name__)
_PARSE_LOCK = threading.Lock()

NEW_CALENDAR = (
    b"BEGIN:VCALENDAR\r\n"
    b"VERSION:2.0\r\n"
    b"PRODID:-//Voice Calendar//voice-calendar//EN\r\n"
    b"CALSCALE:GREGORIAN\r\n"
    b"END:VCALENDAR\r\n"
)

NOT_EDITABLE_ADVICE = (
    "It was left unchanged; open it in another calendar program to repair it, "
    "or choose another file."
)


@dataclass(frozen=True)
class PlacedComponent:
    """A parsed component and where its bytes are in the file."""

    component: Component
    raw: RawComponent

    @property
    def uid(self) -> str:
        return str(self.component.get("UID", ""))


def synthetic_uid(raw_bytes: bytes, copy: int) -> str:
    """Identifier for an event without a UID (old or hand-written files), made from its own
    bytes (and which copy it is, for identical ones) so that it stays the same between reads."""
    return f"no-uid-{hashlib.sha256(raw_bytes).hexdigest()[:16]}-{copy}"


def name_of(component: Component) -> str:
    return (component.name or "").upper()


def decoded_single(component: Component, name: str) -> Any:
    """A property that should occur once, decoded; None when it is absent, repeated or
    unreadable (other programs write all of these)."""
    if name not in component:
        return None
    try:
        value = component.decoded(name)
    except (ValueError, TypeError, KeyError):
        return None
    return None if isinstance(value, list) else value


def _walk(components: Iterable[Component]) -> Iterator[Component]:
    for component in components:
        yield component
        yield from _walk(component.subcomponents)


class CalendarDocument:
    """Immutable parsed view of the file's bytes as they were at one read."""

    def __init__(self, path: Path | str, data: bytes, fingerprint: Fingerprint | None) -> None:
        self.path = path
        self.data = data
        self.fingerprint = fingerprint
        self.newline = detect_newline(data)
        self.blank = not data.strip()
        self.top_level: list[Component] = [] if self.blank else self._parse(data)
        self.placed: list[PlacedComponent] = []
        self.structure_problem: Phrase | None = None
        self._place()
        self._name_uidless_events()

    def _parse(self, data: bytes) -> list[Component]:
        try:
            with _PARSE_LOCK:
                # icalendar caches custom VTIMEZONEs process-wide, the first definition of a
                # TZID winning; starting afresh makes every read use its own file's ones.
                icalendar.use_zoneinfo()  # type: ignore[no-untyped-call]
                components: list[Component] = list(Calendar.from_ical(data, multiple=True))
        except (ValueError, IndexError, KeyError, TypeError) as error:
            raise CalendarFileError(
                self.path,
                phrase("it is not a valid iCalendar file ({detail})", detail=_one_line(error)),
                NOT_EDITABLE_ADVICE,
            ) from error
        if not components:
            raise CalendarFileError(self.path, "it contains no iCalendar data", NOT_EDITABLE_ADVICE)
        return components

    def _place(self) -> None:
        if self.blank:
            return
        try:
            raw = scan_components(self.data)
        except RawStructureError as error:
            self.structure_problem = error.problem
            return
        parsed = list(_walk(self.top_level))
        names_parsed = [name_of(component) for component in parsed]
        names_raw = [component.name for component in raw]
        if names_parsed != names_raw:
            self.structure_problem = phrase("its components could not be located exactly")
            return
        self.placed = [
            PlacedComponent(component, span) for component, span in zip(parsed, raw, strict=True)
        ]

    def _name_uidless_events(self) -> None:
        """Give events without a UID one in the parsed tree only (never written), so that
        they can be listed, matched and deleted like any other."""
        spans = {id(placed.component): placed.raw for placed in self.placed}
        seen: Counter[bytes] = Counter()
        for component in _walk(self.top_level):
            if name_of(component) != "VEVENT" or str(component.get("UID", "")).strip():
                continue
            span = spans.get(id(component))
            raw = self.data[span.start : span.end] if span else component.to_ical()
            raw = raw.rstrip(b"\r\n")  # a final line break may be added when appending after it
            seen[raw] += 1
            component["UID"] = synthetic_uid(raw, seen[raw])

    def require_editable(self) -> None:
        if self.structure_problem is not None:
            raise CalendarFileError(
                self.path,
                phrase(
                    "its structure cannot be edited safely ({detail})",
                    detail=self.structure_problem,
                ),
                NOT_EDITABLE_ADVICE,
            )

    # --- lookups -------------------------------------------------------------------------

    def events(self) -> list[PlacedComponent]:
        return [placed for placed in self.placed if name_of(placed.component) == "VEVENT"]

    def event_members(self, uid: str) -> list[PlacedComponent]:
        """Every VEVENT of one event: a series' master and its modified instances."""
        return [placed for placed in self.events() if placed.uid == uid]

    def recurring_uids(self) -> set[str]:
        recurring: set[str] = set()
        for placed in self.events():
            component = placed.component
            if any(key in component for key in ("RRULE", "RDATE", "RECURRENCE-ID")):
                recurring.add(placed.uid)
        return recurring

    def container(self) -> PlacedComponent | None:
        """Where new events go: the first VCALENDAR. None for a file of bare components."""
        for placed in self.placed:
            if placed.raw.depth == 0 and name_of(placed.component) == "VCALENDAR":
                return placed
        return None

    def has_timezone(self, tzid: str) -> bool:
        """Whether the place new events go (the first VCALENDAR, or the top level of a file of
        bare components) defines tzid itself."""
        container = self.container()
        parent = None if container is None else self.placed.index(container)
        return any(
            name_of(placed.component) == "VTIMEZONE"
            and placed.raw.parent == parent
            and str(placed.component.get("TZID", "")) == tzid
            for placed in self.placed
        )

    def signatures(self) -> Counter[tuple[str, str, tuple[tuple[str, bytes], ...]]]:
        """Every component as (owning event's UID, name, own content lines as parsed). Two
        reads mean the same for an iCalendar reader where their signatures agree."""
        found: Counter[tuple[str, str, tuple[tuple[str, bytes], ...]]] = Counter()

        def visit(component: Component, owner: str) -> None:
            if name_of(component) == "VEVENT":
                owner = str(component.get("UID", ""))
            lines = tuple(
                (name, value.to_ical() if hasattr(value, "to_ical") else repr(value).encode())
                for name, value in component.property_items(recursive=False, sorted=False)
            )
            found[(owner, name_of(component), lines)] += 1
            for child in component.subcomponents:
                visit(child, owner)

        for component in self.top_level:
            visit(component, "")
        return found

    # --- expansion -----------------------------------------------------------------------

    def occurrences(self, first_day: date, last_day: date, zone: ZoneInfo) -> list[Occurrence]:
        """Occurrences that overlap the days first_day..last_day (inclusive) in zone."""
        if self.blank:
            return []
        return self._occurrences_in(self._queryable_calendars(), first_day, last_day, zone)

    def _occurrences_in(
        self, calendars: list[Component], first_day: date, last_day: date, zone: ZoneInfo
    ) -> list[Occurrence]:
        start = datetime.combine(first_day, time.min, zone)
        end = datetime.combine(last_day + timedelta(days=1), time.min, zone)
        recurring = self.recurring_uids()
        durations = self._durations()
        found: list[Occurrence] = []
        for calendar in (part for whole in calendars for part in _split_shared_uids(whole)):
            for component in self._expand(calendar, start, end):
                occurrence = occurrence_of(component, zone, recurring)
                if occurrence is None:
                    continue
                duration = _duration_for(durations, component)
                own_start = decoded_single(component, "DTSTART")
                if duration is not None and isinstance(own_start, datetime):
                    exact_end = add_duration(own_start, duration, zone)
                    occurrence = replace(occurrence, end=exact_end)
                found.append(occurrence)
        found.sort(key=lambda occurrence: (_sort_key(occurrence.start, zone), occurrence.title))
        return found

    def occurrences_of(
        self, uid: str, first_day: date, last_day: date, zone: ZoneInfo
    ) -> list[Occurrence]:
        """One event's occurrences (a series with its modified instances), expanded alone."""
        holder = Calendar()
        holder.subcomponents = [
            *(p.component for p in self.placed if name_of(p.component) == "VTIMEZONE"),
            *(placed.component for placed in self.event_members(uid)),
        ]
        found = self._occurrences_in([holder], first_day, last_day, zone)
        return [occurrence for occurrence in found if occurrence.uid == uid]

    def _durations(self) -> dict[tuple[str, object], timedelta | None]:
        """DURATION of each event, keyed by (UID, RECURRENCE-ID or None); None where the
        component gives DTEND. recurring_ical_events adds a DURATION in wall-clock time,
        which is wrong across a DST change for its hours and minutes."""
        durations: dict[tuple[str, object], timedelta | None] = {}
        for component in _walk(self.top_level):
            if name_of(component) != "VEVENT":
                continue
            key = (str(component.get("UID", "")), _recurrence_key(component))
            duration = decoded_single(component, "DURATION")
            durations[key] = duration if isinstance(duration, timedelta) else None
        return durations

    def _queryable_calendars(self) -> list[Component]:
        calendars = [c for c in self.top_level if name_of(c) == "VCALENDAR"]
        bare = [c for c in self.top_level if name_of(c) != "VCALENDAR"]
        if bare:
            holder = Calendar()
            holder.subcomponents = bare
            calendars.append(holder)
        return calendars

    def _expand(self, calendar: Component, start: datetime, end: datetime) -> list[Component]:
        try:
            return list(recurring_ical_events.of(calendar).between(start, end))
        except Exception as error:
            log.warning("%s: expanding all events at once failed (%s)", self.path, error)
        # One event at a time, a series together with its modified instances.
        by_uid: dict[str, list[Component]] = {}
        for event in calendar.walk("VEVENT"):
            by_uid.setdefault(str(event.get("UID", "")), []).append(event)
        zones = [c for c in calendar.subcomponents if name_of(c) == "VTIMEZONE"]
        found: list[Component] = []
        for members in by_uid.values():
            single = Calendar()
            single.subcomponents = [*zones, *members]
            try:
                found.extend(recurring_ical_events.of(single).between(start, end))
            except Exception as error:
                log.warning(
                    "%s: skipped event %r that cannot be read (%s)",
                    self.path,
                    str(members[0].get("SUMMARY", "")),
                    _one_line(error),
                )
        return found


def _split_shared_uids(calendar: Component) -> list[Component]:
    """recurring_ical_events shows only one of several events that wrongly share a UID in
    one calendar; each further one is expanded from a calendar of its own."""
    seen: set[str] = set()
    kept: list[Component] = []
    extra: list[Component] = []
    for component in calendar.subcomponents:
        if name_of(component) == "VEVENT" and "RECURRENCE-ID" not in component:
            uid = str(component.get("UID", ""))
            if uid in seen:
                extra.append(component)
                continue
            seen.add(uid)
        kept.append(component)
    if not extra:
        return [calendar]
    zones = [c for c in calendar.subcomponents if name_of(c) == "VTIMEZONE"]
    parts: list[Component] = []
    for members in (kept, *([*zones, event] for event in extra)):
        part = Calendar()
        part.update(calendar)  # calendar properties such as X-WR-TIMEZONE apply to each part
        part.subcomponents = list(members)
        parts.append(part)
    return parts


def occurrence_of(
    component: Component, zone: ZoneInfo, recurring_uids: set[str]
) -> Occurrence | None:
    """An expanded occurrence (or a single event) as an Occurrence in zone; None for a
    component that is not an event or has no readable start."""
    start_value = decoded_single(component, "DTSTART")
    if name_of(component) != "VEVENT" or not isinstance(start_value, date):
        return None
    end_value = decoded_single(component, "DTEND")
    duration = decoded_single(component, "DURATION")
    if not isinstance(end_value, date) and isinstance(duration, timedelta):
        end_value = start_value + duration
    if not isinstance(end_value, date):
        end_value = start_value if isinstance(start_value, datetime) else start_value + timedelta(1)
    start: datetime | date = start_value
    end: datetime | date = end_value
    if isinstance(start_value, datetime):
        skipped = skipped_by_clock_change(start_value, zone)
        start = _in_zone(start_value, zone)
        end = _in_zone(end_value + skipped, zone) if isinstance(end_value, datetime) else start
    uid = str(component.get("UID", ""))
    is_recurring = uid in recurring_uids
    return Occurrence(
        uid=uid,
        title=str(component.get("SUMMARY", "")),
        start=start,
        end=end,
        all_day=not isinstance(start_value, datetime),
        recurring=is_recurring,
        recurrence_id=decoded_single(component, "RECURRENCE-ID") if is_recurring else None,
        transparent=str(component.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT",
        reminder_minutes=reminder_minutes_of(component),
    )


def reminder_minutes_of(event: Component) -> int | None:
    """Minutes before the start of the event's first alarm that goes off at or before its
    start (TRIGGER a duration, not RELATED=END); None when it has none. An alarm at an
    absolute time, after the start or relative to the end is no reminder before the start."""
    for alarm in event.subcomponents:
        if name_of(alarm) != "VALARM":
            continue
        # As parsed, not decoded: other programs write TRIGGERs that decoding fails on
        # (VALUE=TIME); several TRIGGER lines come as a list, and none of them counts.
        trigger = alarm.get("TRIGGER")
        related = str(getattr(trigger, "params", {}).get("RELATED", "START")).upper()
        lead = getattr(trigger, "dt", None)
        if related == "START" and isinstance(lead, timedelta) and lead <= timedelta(0):
            return int(-lead.total_seconds()) // 60
    return None


def _recurrence_key(component: Component) -> object:
    value = decoded_single(component, "RECURRENCE-ID")
    return value.astimezone(UTC) if isinstance(value, datetime) and value.tzinfo else value


def _duration_for(
    durations: dict[tuple[str, object], timedelta | None], occurrence: Component
) -> timedelta | None:
    uid = str(occurrence.get("UID", ""))
    key = (uid, _recurrence_key(occurrence))
    if key in durations:
        return durations[key]
    return durations.get((uid, None))


def add_duration(start: datetime, duration: timedelta, zone: ZoneInfo) -> datetime:
    """start + duration as RFC 5545 means it, shown in zone: whole days in the wall time of
    the start's own zone (floating: zone; UTC: exactly 24 hours), the rest in exact time."""
    own_zone = start.tzinfo or zone
    day_part = timedelta(days=duration.days)
    exact_part = duration - day_part
    wall = (start.replace(tzinfo=None) + day_part).replace(tzinfo=own_zone)
    return (wall.astimezone(UTC) + exact_part).astimezone(zone)


def skipped_by_clock_change(value: datetime, zone: ZoneInfo) -> timedelta:
    """How far a clock change moves a wall time it skips (an hour for 02:30 on the last Sunday
    of March in Europe); zero for any time that exists. An occurrence that starts in the gap
    keeps its length, so its end moves as far."""
    aware = value.replace(tzinfo=zone) if value.tzinfo is None else value
    wall = aware.replace(tzinfo=None, fold=0)
    for fold in (0, 1):  # a time said twice (the hour the clocks go back) exists
        back = aware.replace(fold=fold).astimezone(UTC).astimezone(aware.tzinfo)
        if back.replace(tzinfo=None, fold=0) == wall:
            return timedelta(0)
    read = aware.astimezone(UTC).astimezone(aware.tzinfo)
    return max(read.replace(tzinfo=None, fold=0) - wall, timedelta(0))


def _in_zone(value: datetime, zone: ZoneInfo) -> datetime:
    """Floating times are read as the user's wall time. A wall time a clock change skips (a
    series at 02:30 on the last Sunday of March) is read as the instant RFC 5545 gives it: an
    hour later."""
    aware = value.replace(tzinfo=zone) if value.tzinfo is None else value
    return aware.astimezone(UTC).astimezone(zone)


def _sort_key(value: datetime | date, zone: ZoneInfo) -> datetime:
    """The instant (same-zone comparison would ignore DST folds); a day from its midnight."""
    moment = value if isinstance(value, datetime) else datetime.combine(value, time.min, zone)
    return moment.astimezone(UTC)


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:200]
