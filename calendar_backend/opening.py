"""Opening the calendar a person named: a file path, or a CalDAV collection URL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from calendar_backend.base import Calendar
from calendar_backend.caldav_store import CalDAVStore
from calendar_backend.errors import CalendarAddressError
from calendar_backend.location import CalDAVLocation, is_caldav_url, looks_like_url
from calendar_backend.phrases import phrase
from calendar_backend.secrets import stored_password
from calendar_backend.store import CalendarStore
from calendar_backend.timezones import local_zone


def open_calendar(
    location: str | Path,
    *,
    zone: ZoneInfo | None = None,
    clock: Callable[[], datetime] | None = None,
    backup_dir: Path | None = None,
) -> Calendar:
    """The store for a location. A URL opens a CalDAV collection with the password from the
    secret store (or VOICE_CALENDAR_CALDAV_PASSWORD) and contacts nobody yet; anything else is
    a file path, created when missing. CalendarAddressError (a ValueError) for a malformed
    URL."""
    options: dict[str, object] = {"zone": zone or local_zone()}
    if clock is not None:
        options["clock"] = clock
    if isinstance(location, str) and is_caldav_url(location):
        server = CalDAVLocation.parse(location)
        return CalDAVStore(location=server, password=stored_password(server), **options)  # type: ignore[arg-type]
    if isinstance(location, str) and looks_like_url(location):
        raise CalendarAddressError(
            phrase(
                "{location!r}: only http:// and https:// (CalDAV) calendars can be opened, "
                "besides a file path",
                location=location,
            )
        )
    if backup_dir is not None:
        options["backup_dir"] = backup_dir
    return CalendarStore(Path(location), **options)  # type: ignore[arg-type]
