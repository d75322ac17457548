"""The user's calendar, in a local .ics file or on a CalDAV server: read, list, find, create,
delete, move, edit (length, title) and undo, without losing a byte of what other programs
wrote. Knows nothing of speech or Qt."""

from calendar_backend.base import Calendar
from calendar_backend.errors import (
    AmbiguousEventError,
    CalendarChangedError,
    CalendarError,
    CalendarFileError,
    CannotUndoError,
    DateOutOfRangeError,
    EventNotFoundError,
    NothingToUndoError,
    SeriesDeletionRefusedError,
    SeriesEditRefusedError,
    SeriesMoveRefusedError,
)
from calendar_backend.models import Change, Occurrence
from calendar_backend.store import CalendarStore
from calendar_backend.timezones import local_zone, zone_named

__all__ = [
    "AmbiguousEventError",
    "Calendar",
    "CalendarChangedError",
    "CalendarError",
    "CalendarFileError",
    "CalendarStore",
    "CannotUndoError",
    "Change",
    "DateOutOfRangeError",
    "EventNotFoundError",
    "NothingToUndoError",
    "Occurrence",
    "SeriesDeletionRefusedError",
    "SeriesEditRefusedError",
    "SeriesMoveRefusedError",
    "local_zone",
    "zone_named",
]
