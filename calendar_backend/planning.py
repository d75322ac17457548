"""How a change to one calendar document is made: a byte splice that touches only the target
event, a check of the result, and the edit that reverses it. Shared by every store: the file
store plans on the whole file, the CalDAV store on the one resource that holds the event."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from icalendar import Component, Event, Timezone

from calendar_backend.document import (
    NEW_CALENDAR,
    CalendarDocument,
    PlacedComponent,
    decoded_single,
    occurrence_of,
)
from calendar_backend.errors import (
    AmbiguousEventError,
    CalendarError,
    CannotUndoError,
    DateOutOfRangeError,
    EventNotFoundError,
    SeriesDeletionRefusedError,
)
from calendar_backend.models import Change, Occurrence
from calendar_backend.phrases import Phrase, phrase
from calendar_backend.rawtext import Splice, apply_splices, insertion_at, with_newline
from calendar_backend.repeating import alarm_text
from calendar_backend.timezones import is_utc

APP_NAME = "voice-calendar"
SERIES_CHECK_SPAN = timedelta(days=3 * 366)
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
"""The days the calendar lists, finds and creates events on: beyond any real appointment, and
far enough from the ends of Python's dates that zones, ranges and checks never run past them."""
TIMEZONE_FIRST_DATE = date(1970, 1, 1)
TIMEZONE_LAST_DATE = date(2100, 1, 1)


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
"""Line breaks among them: a title is one line of text, whatever was passed in."""


def within_years(*days: date) -> None:
    """DateOutOfRangeError for a day outside FIRST_DAY..LAST_DAY."""
    for day in days:
        if not FIRST_DAY <= day <= LAST_DAY:
            raise DateOutOfRangeError(
                phrase(
                    "{day} is outside the years the calendar keeps ({first} to {last})",
                    day=day.isoformat(),
                    first=FIRST_DAY.year,
                    last=LAST_DAY.year,
                )
            )


@dataclass(frozen=True)
class NewEvent:
    """An event about to be created: its first occurrence, and what else goes into it."""

    occurrence: Occurrence
    recurrence: str | None = None
    """A checked RRULE value (see repeating.checked_recurrence); None for a single event."""
    reminder_minutes: int | None = None
    """Minutes before the start that a VALARM shows the title; None for no reminder."""


@dataclass(frozen=True)
class PlannedEdit:
    data: bytes
    change: Change
    touches: str
    """UID of the one event the edit may change; every other component must read the same."""
    check: Callable[[CalendarDocument], bool]
    """True when the planned bytes do what was meant; a False blocks the write."""
    inverse: Callable[[CalendarDocument], PlannedEdit] | None = None
    """Reverses the change on whatever the document holds later; None for an undo itself."""


def localize(value: datetime, zone: ZoneInfo) -> datetime:
    """Wall time in the user's zone → aware datetime. A time that the clocks skip (spring
    forward) moves forward by the gap (02:30 → 03:30); a time that happens twice (fall
    back) means the first one, as RFC 5545 reads it."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=zone, fold=0)
    return aware.astimezone(UTC).astimezone(zone)


def new_event(
    title: str, start: datetime | date, duration: timedelta | None, zone: ZoneInfo
) -> Occurrence:
    """A new single event with a fresh UID. A datetime start is a timed event (default one
    hour); a date start is an all-day event (default one day)."""
    clean_title = " ".join(_CONTROL_CHARACTERS.sub(" ", title).split())
    if not clean_title:
        raise ValueError("an event needs a title")
    try:
        clean_title.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("the title is not text: it holds bytes that are not UTF-8") from None
    begin: datetime | date
    end: datetime | date
    within_years(start if not isinstance(start, datetime) else start.date())
    try:
        if isinstance(start, datetime):
            length = duration if duration is not None else timedelta(hours=1)
            if length <= timedelta(0):
                raise ValueError("an event must last longer than zero minutes")
            begin = localize(start, zone)
            end = (begin.astimezone(UTC) + length).astimezone(zone)
        else:
            length = duration if duration is not None else timedelta(days=1)
            if length < timedelta(days=1) or length % timedelta(days=1):
                raise ValueError("an all-day event lasts a whole number of days")
            begin, end = start, start + length
    except OverflowError:
        raise DateOutOfRangeError(
            phrase(
                "an event of {days} days does not fit any calendar",
                days=round(length / timedelta(days=1)),
            )
        ) from None
    within_years(end.date() if isinstance(end, datetime) else end - timedelta(days=1))
    return Occurrence(
        uid=f"{uuid.uuid4()}@{APP_NAME}",
        title=clean_title,
        start=begin,
        end=end,
        all_day=not isinstance(begin, datetime),
        recurring=False,
        recurrence_id=None,
    )


def check_edit(document: CalendarDocument, edit: PlannedEdit, name: str) -> CalendarDocument:
    """The document the planned bytes make, if it does exactly what was meant and leaves every
    other component as it was; otherwise an error, and nothing may be written."""
    result = CalendarDocument(document.path, edit.data, None)
    result.require_editable()
    if not (edit.check(result) and only_target_changed(document, result, edit.touches)):
        raise CalendarError(unchecked_change(name, edit.change.description_phrase))
    return result


def unchecked_change(name: str, change: Phrase) -> Phrase:
    """What a planned change that did not check out says (a bug to report)."""
    return phrase(
        "{name}: the change ({change}) did not check out after planning it, so nothing was "
        "written. Please report this.",
        name=name,
        change=change,
    )


def no_event(uid: str, name: str) -> Phrase:
    """No event has this UID in the calendar named `name`."""
    return phrase("There is no event with UID {uid} in {name}.", uid=uid, name=name)


@dataclass(frozen=True)
class EditPlanner:
    """Plans creates, deletes and their reversals on a parsed calendar document."""

    zone: ZoneInfo
    clock: Callable[[], datetime]
    name: str
    """How the calendar is named in messages (its file name, or its URL)."""

    def plan_create(self, document: CalendarDocument, new: NewEvent) -> PlannedEdit:
        occurrence = new.occurrence
        event_text = with_newline(self._serialize_event(new), document.newline)
        timezone_text = b""
        zone_needed = isinstance(occurrence.start, datetime) and not is_utc(self.zone)
        if zone_needed and not document.has_timezone(self.zone.key):
            timezone_text = with_newline(
                Timezone.from_tzid(
                    self.zone.key, first_date=TIMEZONE_FIRST_DATE, last_date=TIMEZONE_LAST_DATE
                ).to_ical(),
                document.newline,
            )
        if document.blank:
            calendar = with_newline(NEW_CALENDAR, document.newline)
            closing = calendar.rindex(b"END:VCALENDAR")
            data = calendar[:closing] + timezone_text + event_text + calendar[closing:]
        else:
            data = apply_splices(
                document.data, self._creation_splices(document, timezone_text, event_text)
            )
        uid = occurrence.uid

        def check(result: CalendarDocument) -> bool:
            return (
                len(result.event_members(uid)) == 1
                and len(result.events()) == len(document.events()) + 1
            )

        def inverse(current: CalendarDocument) -> PlannedEdit:
            return self.plan_delete(current, uid, None, series=True)

        change = Change.said(
            "created", occurrence, phrase("created {title!r}", title=occurrence.title)
        )
        return PlannedEdit(data, change, uid, check, inverse)

    @staticmethod
    def _creation_splices(
        document: CalendarDocument, timezone_text: bytes, event_text: bytes
    ) -> list[Splice]:
        container = document.container()
        data = document.data
        if container is None:
            # A stream of bare components: the new ones join them at the end.
            return [insertion_at(data, len(data), timezone_text + event_text, document.newline)]
        timezone_at = container.raw.properties_end
        event_at = container.raw.end_line_start
        if timezone_at == event_at:
            return [insertion_at(data, event_at, timezone_text + event_text, document.newline)]
        splices = [insertion_at(data, event_at, event_text, document.newline)]
        if timezone_text:
            splices.append(insertion_at(data, timezone_at, timezone_text, document.newline))
        return splices

    def _serialize_event(self, new: NewEvent) -> bytes:
        occurrence = new.occurrence
        event = Event()
        stamp = self.clock().astimezone(UTC).replace(microsecond=0)
        event.add("UID", occurrence.uid)
        event.add("DTSTAMP", stamp)
        event.add("CREATED", stamp)
        event.add("SUMMARY", occurrence.title)
        start, end = occurrence.start, occurrence.end
        if isinstance(start, datetime) and isinstance(end, datetime):
            zone: tzinfo = UTC if is_utc(self.zone) else self.zone
            if is_second_of_repeated_hour(start):
                event.add("DTSTART", start.astimezone(UTC))
            else:
                event.add("DTSTART", start.astimezone(zone))
            if is_second_of_repeated_hour(end):
                event.add("DURATION", end.astimezone(UTC) - start.astimezone(UTC))
            else:
                event.add("DTEND", end.astimezone(zone))
        else:
            event.add("DTSTART", start)
            event.add("DTEND", end)
        serialized: bytes = event.to_ical()
        extra = b""
        if new.recurrence is not None:
            extra += f"RRULE:{new.recurrence}\r\n".encode()
        if new.reminder_minutes is not None:
            extra += alarm_text(occurrence.title, new.reminder_minutes)
        closing = serialized.rindex(b"END:VEVENT")
        return serialized[:closing] + extra + serialized[closing:]

    def plan_delete(
        self,
        document: CalendarDocument,
        uid: str,
        which: date | datetime | None,
        series: bool,
    ) -> PlannedEdit:
        members = document.event_members(uid)
        if not members:
            raise EventNotFoundError(no_event(uid, self.name))
        title = _title(members)
        masters = [m for m in members if "RECURRENCE-ID" not in m.component]
        recurring = uid in document.recurring_uids()
        if which is None:
            if recurring and not series:
                raise SeriesDeletionRefusedError(
                    phrase(
                        "{title!r} is a recurring event. Name the occurrence to delete, "
                        "or confirm that the whole series should go.",
                        title=title,
                    )
                )
            if len(masters) > 1:
                raise AmbiguousEventError(
                    phrase(
                        "Several different events in {name} share one UID ({titles}). "
                        "Name the day of the one to delete.",
                        name=self.name,
                        titles=", ".join(repr(_title([m])) for m in masters),
                    ),
                    [],
                )
            return self._plan_remove_members(document, uid, members)
        target = self.find_occurrence(document, uid, title, which)
        if len(masters) > 1:
            return self._plan_remove_members(
                document, uid, self._duplicate_producing(document, masters, target)
            )
        if not recurring:
            return self._plan_remove_members(document, uid, members)
        if any(applies_to_later_instances(m.component) for m in members):
            raise CalendarError(
                phrase(
                    "{title!r} has changes that apply to all later occurrences "
                    "(RANGE=THISANDFUTURE), so one occurrence cannot be removed safely here; "
                    "remove it in the calendar program that made the change.",
                    title=title,
                )
            )
        return self._plan_exclude(document, uid, members, target)

    def _duplicate_producing(
        self, document: CalendarDocument, masters: list[PlacedComponent], target: Occurrence
    ) -> list[PlacedComponent]:
        """Of several single events that wrongly share a UID, the one that is the target."""
        producing = [
            m
            for m in masters
            if not any(key in m.component for key in ("RRULE", "RDATE"))
            and (own := occurrence_of(m.component, self.zone, set())) is not None
            and instant(own.start, self.zone) == instant(target.start, self.zone)
            and own.title == target.title
        ]
        if len(producing) != 1:
            raise AmbiguousEventError(
                phrase(
                    "{title!r} shares its UID with other events in {name} in a way that does "
                    "not tell them apart, so it was not deleted; delete it in another "
                    "calendar program.",
                    title=target.title,
                    name=self.name,
                ),
                [],
            )
        return producing

    def find_occurrence(
        self, document: CalendarDocument, uid: str, title: str, which: date | datetime
    ) -> Occurrence:
        """The occurrence of an event on a day (one that overlaps it, so a multi-day event
        can be named by any of its days), or at an exact start."""
        if isinstance(which, datetime):
            exact = localize(which, self.zone).astimezone(UTC)
            day = exact.astimezone(self.zone).date()
        else:
            day = which
        candidates = [o for o in document.occurrences(day, day, self.zone) if o.uid == uid]
        if isinstance(which, datetime):
            candidates = [o for o in candidates if instant(o.start, self.zone) == exact]
        elif len(candidates) > 1:
            starting = [o for o in candidates if _as_date(o.start) == day]
            candidates = starting or candidates
        if not candidates:
            raise EventNotFoundError(
                phrase("{title!r} has no occurrence on {day}.", title=title, day=day.isoformat())
            )
        if len(candidates) > 1:
            times = ", ".join(_as_text(o.start) for o in candidates)
            raise AmbiguousEventError(
                phrase(
                    "{title!r} happens {count} times on {day} ({times}); name the one you "
                    "mean by its start time.",
                    title=title,
                    count=len(candidates),
                    day=day.isoformat(),
                    times=times,
                ),
                candidates,
            )
        return candidates[0]

    def _plan_remove_members(
        self, document: CalendarDocument, uid: str, members: list[PlacedComponent]
    ) -> PlannedEdit:
        data = document.data
        removed = [data[m.raw.start : m.raw.end] for m in members]
        new_data = apply_splices(data, [Splice(m.raw.start, m.raw.end, b"") for m in members])
        first = _first_occurrence(document, members, self.zone)

        def check(result: CalendarDocument) -> bool:
            removed_count = len(members)
            return (
                len(result.event_members(uid)) == len(document.event_members(uid)) - removed_count
                and len(result.events()) == len(document.events()) - removed_count
            )

        def inverse(current: CalendarDocument) -> PlannedEdit:
            return self._plan_restore(current, uid, removed, first)

        change = Change.said("deleted", first, phrase("deleted {title!r}", title=first.title))
        return PlannedEdit(new_data, change, uid, check, inverse)

    def _plan_restore(
        self,
        document: CalendarDocument,
        uid: str,
        removed: list[bytes],
        occurrence: Occurrence,
    ) -> PlannedEdit:
        if any(chunk.rstrip(b"\r\n") in document.data for chunk in removed):
            raise CannotUndoError(
                phrase("{title!r} is in the calendar again", title=occurrence.title)
            )
        text = b"".join(
            chunk if chunk.endswith(b"\n") else chunk + document.newline for chunk in removed
        )
        data = apply_splices(document.data, self._creation_splices(document, b"", text))
        present = len(document.event_members(uid))

        def check(result: CalendarDocument) -> bool:
            return len(result.event_members(uid)) == present + len(removed)

        change = Change.said(
            "restored", occurrence, phrase("restored {title!r}", title=occurrence.title)
        )
        return PlannedEdit(data, change, uid, check)

    def _plan_exclude(
        self,
        document: CalendarDocument,
        uid: str,
        members: list[PlacedComponent],
        target: Occurrence,
    ) -> PlannedEdit:
        """Remove one instance of a series: EXDATE on the master, and its modified copy (if
        the instance had been changed) removed."""
        recurrence_id = target.recurrence_id
        if recurrence_id is None:
            raise EventNotFoundError(phrase("Event {uid} is not a series.", uid=uid))
        master = next((m for m in members if "RECURRENCE-ID" not in m.component), None)
        overrides = [
            m
            for m in members
            if isinstance(instance := decoded_single(m.component, "RECURRENCE-ID"), date)
            and same_instant(instance, recurrence_id)
        ]
        splices = [Splice(m.raw.start, m.raw.end, b"") for m in overrides]
        exdate_line = b""
        if master is not None:
            exdate_line = instance_line("EXDATE", master, recurrence_id) + document.newline
            at = master.raw.properties_end
            splices.append(Splice(at, at, exdate_line))
        removed_overrides = [document.data[m.raw.start : m.raw.end] for m in overrides]
        data = apply_splices(document.data, splices)
        day = _as_date(target.start)
        zone = self.zone

        window = (day - SERIES_CHECK_SPAN, day + SERIES_CHECK_SPAN)
        expected = [o for o in document.occurrences_of(uid, *window, zone) if o != target]

        def check(result: CalendarDocument) -> bool:
            """Exactly the one occurrence is gone; every other one of the series is as it was."""
            return result.occurrences_of(uid, *window, zone) == expected

        def inverse(current: CalendarDocument) -> PlannedEdit:
            return self._plan_include(current, uid, exdate_line, removed_overrides, target)

        description = phrase(
            "deleted {title!r} on {day} from its series", title=target.title, day=day.isoformat()
        )
        change = Change.said("deleted_occurrence", target, description)
        return PlannedEdit(data, change, uid, check, inverse)

    def _plan_include(
        self,
        document: CalendarDocument,
        uid: str,
        exdate_line: bytes,
        overrides: list[bytes],
        target: Occurrence,
    ) -> PlannedEdit:
        """Undo an exclusion: take our EXDATE line out again and put a removed modified
        instance back."""
        members = document.event_members(uid)
        splices: list[Splice] = []
        if exdate_line:
            master = next((m for m in members if "RECURRENCE-ID" not in m.component), None)
            if master is None:
                raise CannotUndoError(phrase("the series {uid} is gone", uid=uid))
            span = document.data[master.raw.start : master.raw.properties_end]
            at = span.find(exdate_line)
            if at < 0:
                raise CannotUndoError(
                    phrase("the series {uid} no longer has that exception", uid=uid)
                )
            start = master.raw.start + at
            splices.append(Splice(start, start + len(exdate_line), b""))
        if overrides:
            splices += self._creation_splices(document, b"", b"".join(overrides))
        data = apply_splices(document.data, splices)
        day = _as_date(target.start)
        zone = self.zone

        def check(result: CalendarDocument) -> bool:
            return any(o.uid == uid for o in result.occurrences(day, day, zone))

        description = phrase("restored {title!r} on {day}", title=target.title, day=day.isoformat())
        change = Change.said("restored", target, description)
        return PlannedEdit(data, change, uid, check)


def instance_line(name: str, master: PlacedComponent, recurrence_id: datetime | date) -> bytes:
    """An EXDATE or RECURRENCE-ID naming one instance of a series, of the same value type and
    zone as the series' DTSTART, as RFC 5545 asks."""
    dtstart = master.component.get("DTSTART")
    start = decoded_single(master.component, "DTSTART")
    if dtstart is None or not isinstance(start, date):
        raise EventNotFoundError(
            phrase(
                "The series {uid} has no readable start, so one occurrence cannot be changed.",
                uid=master.uid,
            )
        )
    if not isinstance(start, datetime):
        day = recurrence_id.date() if isinstance(recurrence_id, datetime) else recurrence_id
        return f"{name};VALUE=DATE:{day:%Y%m%d}".encode()
    if not isinstance(recurrence_id, datetime):
        recurrence_id = datetime.combine(recurrence_id, start.timetz())
    if start.tzinfo is None:
        return f"{name}:{recurrence_id.replace(tzinfo=None):%Y%m%dT%H%M%S}".encode()
    tzid = dtstart.params.get("TZID")
    if tzid:
        local = recurrence_id.astimezone(start.tzinfo) if recurrence_id.tzinfo else recurrence_id
        quoted = f'"{tzid}"' if any(c in tzid for c in ":;,") else tzid
        return f"{name};TZID={quoted}:{local:%Y%m%dT%H%M%S}".encode()
    instant = recurrence_id.astimezone(UTC) if recurrence_id.tzinfo else recurrence_id
    return f"{name}:{instant:%Y%m%dT%H%M%S}Z".encode()


def same_instant(left: datetime | date, right: datetime | date) -> bool:
    """Whether two RECURRENCE-IDs name the same instance (floating ones by wall time)."""
    if isinstance(left, datetime) and isinstance(right, datetime):
        if left.tzinfo is None or right.tzinfo is None:
            return left.replace(tzinfo=None) == right.replace(tzinfo=None)
        return left.astimezone(UTC) == right.astimezone(UTC)
    return _as_date(left) == _as_date(right) and not (
        isinstance(left, datetime) or isinstance(right, datetime)
    )


def _first_occurrence(
    document: CalendarDocument, members: list[PlacedComponent], zone: ZoneInfo
) -> Occurrence:
    """The event being deleted, described by its own DTSTART (a series by its first one)."""
    main = next((m for m in members if "RECURRENCE-ID" not in m.component), members[0])
    described = occurrence_of(main.component, zone, document.recurring_uids())
    if described is None:
        return Occurrence(
            main.uid,
            str(main.component.get("SUMMARY", "")),
            date.min,
            date.min,
            all_day=True,
            recurring=False,
            recurrence_id=None,
        )
    return described


def is_second_of_repeated_hour(value: datetime) -> bool:
    """True for the second pass through a wall time the clocks repeat (fall back): a TZID
    time cannot say "the second 02:30", so such times are written another way."""
    if value.tzinfo is None:
        return False
    wall = value.replace(tzinfo=None)
    first = wall.replace(tzinfo=value.tzinfo, fold=0)
    second = wall.replace(tzinfo=value.tzinfo, fold=1)
    return first.utcoffset() != second.utcoffset() and value.utcoffset() == second.utcoffset()


def only_target_changed(before: CalendarDocument, after: CalendarDocument, uid: str) -> bool:
    """Every component that does not belong to the event uid reads the same after the edit,
    apart from one time zone definition that may have been added for it."""
    if before.blank:
        return True
    old, new = before.signatures(), after.signatures()
    removed = [key for key in old - new if key[0] != uid]
    added = [key for key in new - old if key[0] != uid]
    zone_parts = {"VTIMEZONE", "STANDARD", "DAYLIGHT"}
    return not removed and all(key[1] in zone_parts for key in added)


def applies_to_later_instances(component: Component) -> bool:
    recurrence_id = component.get("RECURRENCE-ID")
    params = getattr(recurrence_id, "params", {})
    return str(params.get("RANGE", "")).upper() == "THISANDFUTURE"


def instant(value: datetime | date, zone: ZoneInfo) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.combine(value, time.min, zone)
    return moment.astimezone(UTC)


def _title(members: list[PlacedComponent]) -> str:
    return str(members[0].component.get("SUMMARY", ""))


def _as_date(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _as_text(value: datetime | date) -> str:
    return value.strftime("%H:%M") if isinstance(value, datetime) else value.isoformat()
