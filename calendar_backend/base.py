"""What every calendar store offers the dialog and the window, whether the events live in a
local file or on a CalDAV server: list, find, conflicts, create, delete, move, edit and undo.
The stores differ only in where the bytes come from and how a change is written back."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from calendar_backend.document import CalendarDocument
from calendar_backend.editing import checked_length, checked_title, plan_edit
from calendar_backend.errors import CannotUndoError, EventNotFoundError, NothingToUndoError
from calendar_backend.matching import MATCH_THRESHOLD, title_similarity
from calendar_backend.models import Change, Occurrence
from calendar_backend.moving import plan_move
from calendar_backend.phrases import phrase
from calendar_backend.planning import (
    EditPlanner,
    NewEvent,
    PlannedEdit,
    localize,
    new_event,
    within_years,
)
from calendar_backend.repeating import checked_recurrence, checked_reminder
from calendar_backend.timezones import local_zone

UNDO_DEPTH = 20
FIND_HORIZON = timedelta(days=366)


@dataclass
class UndoRecord:
    """One change that can be reverted: exactly (its target still holds what the change
    wrote) or by its inverse edit on whatever the target holds now."""

    change: Change
    inverse: Callable[[CalendarDocument], PlannedEdit]
    before: bytes | None
    """The target's bytes before the change; None when the change created it."""
    after: str | None
    """What identified the target's content right after the change (its SHA-256 or ETag);
    None when the change removed it."""
    resource: str = ""
    """Which part of the calendar the change touched (a CalDAV resource); "" for a file."""


@dataclass(kw_only=True)
class Calendar(ABC):
    """A calendar the assistant reads and edits. Times are read and written in `zone`."""

    zone: ZoneInfo = field(default_factory=local_zone)
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    _undo: list[UndoRecord] = field(default_factory=list, init=False, repr=False)

    @property
    @abstractmethod
    def name(self) -> str:
        """How the calendar is named to the person: its file path or its URL."""

    @property
    def planner(self) -> EditPlanner:
        return EditPlanner(self.zone, self.clock, self.name)

    # --- reading -------------------------------------------------------------------------

    def occurrences(self, first_day: date, last_day: date) -> list[Occurrence]:
        """Occurrences overlapping first_day..last_day (both inclusive), series expanded,
        in order of their start."""
        within_years(first_day, last_day)
        return self._occurrences(first_day, last_day)

    def find(
        self,
        title: str | None = None,
        day: date | None = None,
        *,
        today: date | None = None,
    ) -> list[Occurrence]:
        """Events matching a spoken title and/or a day, best match first. Without a day, the
        next occurrence of each event in the coming year."""
        if day is not None:
            candidates = self.occurrences(day, day)
        else:
            first = today or self.clock().astimezone(self.zone).date()
            upcoming = self.occurrences(first, first + FIND_HORIZON)
            seen: set[str] = set()
            candidates = []
            for occurrence in upcoming:
                if occurrence.uid not in seen:
                    seen.add(occurrence.uid)
                    candidates.append(occurrence)
        if title is None or not title.strip():
            return candidates
        scored = [
            (title_similarity(title, o.title), index, o) for index, o in enumerate(candidates)
        ]
        matching = [entry for entry in scored if entry[0] >= MATCH_THRESHOLD]
        matching.sort(key=lambda entry: (-entry[0], entry[1]))
        return [occurrence for _, _, occurrence in matching]

    def conflicts(self, start: datetime | date, end: datetime | date) -> list[Occurrence]:
        """Busy occurrences overlapping a proposed slot. A timed slot conflicts with timed
        events; an all-day slot with all-day events. Transparent events never conflict."""
        if isinstance(start, datetime) and isinstance(end, datetime):
            # Compared in UTC: within one zone Python compares wall times, blind to DST folds.
            slot_start = self.localize(start).astimezone(UTC)
            slot_end = self.localize(end).astimezone(UTC)
            found = self.occurrences(
                slot_start.astimezone(self.zone).date(), slot_end.astimezone(self.zone).date()
            )
            return [
                o
                for o in found
                if not o.all_day
                and not o.transparent
                and isinstance(o.start, datetime)
                and isinstance(o.end, datetime)
                and o.start.astimezone(UTC) < slot_end
                and slot_start < o.end.astimezone(UTC)
            ]
        first_day = _as_date(start)
        last_day = _as_date(end) - timedelta(days=1)
        found = self.occurrences(first_day, max(first_day, last_day))
        return [o for o in found if o.all_day and not o.transparent]

    def localize(self, value: datetime) -> datetime:
        """Wall time in the user's zone → aware datetime (see planning.localize)."""
        return localize(value, self.zone)

    # --- changing ------------------------------------------------------------------------

    def create(
        self,
        title: str,
        start: datetime | date,
        duration: timedelta | None = None,
        *,
        recurrence: str | None = None,
        reminder_minutes: int | None = None,
    ) -> Occurrence:
        """A new event. A datetime start is a timed event (default one hour); a date start is
        an all-day event (default one day). `recurrence` is an RRULE value without "RRULE:"
        (FREQ=WEEKLY;COUNT=4) and makes a series; `reminder_minutes` adds a reminder that
        many minutes before the start. Returns the (first) occurrence. ValueError for a
        recurrence rule or reminder that cannot be written as given."""
        occurrence = new_event(title, start, duration, self.zone)
        rule = None
        if recurrence is not None:
            rule = checked_recurrence(recurrence, occurrence.start)
            occurrence = replace(occurrence, recurring=True, recurrence_id=occurrence.start)
        reminder = None if reminder_minutes is None else checked_reminder(reminder_minutes)
        occurrence = replace(occurrence, reminder_minutes=reminder)
        return self._create(NewEvent(occurrence, rule, reminder))

    def delete(
        self, uid: str, occurrence: date | datetime | None = None, *, series: bool = False
    ) -> Occurrence:
        """Delete an event. For a recurring event, pass the occurrence (its day, or its exact
        start) to remove that one instance with an EXDATE, or series=True for all of it."""
        if occurrence is not None and series:
            raise ValueError("give either one occurrence or the whole series, not both")
        if occurrence is not None:
            within_years(occurrence.date() if isinstance(occurrence, datetime) else occurrence)
        return self._delete(uid, occurrence, series)

    def move(
        self,
        uid: str,
        new_start: datetime | date,
        *,
        occurrence: date | datetime | None = None,
        series: bool = False,
    ) -> Occurrence:
        """Move an event to a new start; it keeps its length, time zone and kind (an all-day
        event moves to a day; a day given for a timed event keeps its time of day). For a
        recurring event, pass the occurrence (its day, or its exact start) to move that one
        instance, or series=True to move every occurrence alike. Returns the (first) moved
        occurrence at its new time. Only the DTSTART/DTEND lines change (DTSTAMP and
        SEQUENCE stay as they were); one occurrence gets a modified copy with RECURRENCE-ID."""
        if occurrence is not None and series:
            raise ValueError("give either one occurrence or the whole series, not both")
        within_years(_as_date(new_start))
        if occurrence is not None:
            within_years(_as_date(occurrence))
        planner = self.planner

        def plan(document: CalendarDocument) -> PlannedEdit:
            return plan_move(planner, document, uid, new_start, occurrence, series)

        return self._edit_event(uid, plan).occurrence

    def edit(
        self,
        uid: str,
        *,
        new_start: datetime | date | None = None,
        length: timedelta | None = None,
        title: str | None = None,
        occurrence: date | datetime | None = None,
        series: bool = False,
    ) -> Occurrence:
        """Change an event's length (its end; an all-day event by whole days) and/or title,
        and with them, if given, its start (as `move` does), in one change that one undo
        reverts. For a recurring event, pass the occurrence to change that one instance (a
        modified copy with RECURRENCE-ID), or series=True for all of it. Only the DTEND or
        DURATION and SUMMARY lines change (and DTSTART for a new start). ValueError, before
        anything is read or written, for an empty title, a length of zero or less, or
        nothing to change."""
        if occurrence is not None and series:
            raise ValueError("give either one occurrence or the whole series, not both")
        if new_start is None and length is None and title is None:
            raise ValueError("nothing to change: give a new start, length or title")
        clean_title = None if title is None else checked_title(title)
        if length is not None:
            checked_length(length)
        if new_start is not None:
            within_years(_as_date(new_start))
        if occurrence is not None:
            within_years(_as_date(occurrence))
        planner = self.planner

        def plan(document: CalendarDocument) -> PlannedEdit:
            return plan_edit(
                planner,
                document,
                uid,
                new_start=new_start,
                length=length,
                title=clean_title,
                which=occurrence,
                series=series,
            )

        return self._edit_event(uid, plan).occurrence

    def can_undo(self) -> bool:
        return bool(self._undo)

    def last_change(self) -> Change | None:
        """The change `undo()` would revert, if any."""
        return self._undo[-1].change if self._undo else None

    def undo(self) -> Change:
        """Revert the last change this store made. If nobody touched its target since, the
        earlier bytes come back exactly; otherwise the change is reversed on the new content."""
        if not self._undo:
            raise NothingToUndoError(phrase("There is no change to undo."))
        record = self._undo[-1]
        try:
            self._revert(record)
        except (CannotUndoError, EventNotFoundError) as error:
            self._undo.pop()
            raise CannotUndoError(
                phrase(
                    "{change:sentence} cannot be undone: another program changed that event "
                    "since ({reason}).",
                    change=record.change.description_phrase,
                    reason=error.message_phrase,
                )
            ) from error
        self._undo.pop()
        undone = phrase("undid: {change}", change=record.change.description_phrase)
        return Change.said("undone", record.change.occurrence, undone)

    def _remember(self, record: UndoRecord) -> None:
        self._undo.append(record)
        del self._undo[:-UNDO_DEPTH]

    @abstractmethod
    def _occurrences(self, first_day: date, last_day: date) -> list[Occurrence]: ...

    @abstractmethod
    def _create(self, new: NewEvent) -> Occurrence: ...

    @abstractmethod
    def _delete(self, uid: str, which: date | datetime | None, series: bool) -> Occurrence: ...

    @abstractmethod
    def _edit_event(self, uid: str, plan: Callable[[CalendarDocument], PlannedEdit]) -> Change:
        """Apply a planned edit to the part of the calendar that holds the event uid."""

    @abstractmethod
    def _revert(self, record: UndoRecord) -> None:
        """Undo one change; CannotUndoError or EventNotFoundError when another program's
        change since makes that impossible."""


def _as_date(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value
