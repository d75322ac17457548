"""Where a calendar lives: a local .ics file, or a CalDAV collection named by its URL with the
user name in it (`https://anna@cloud.example/remote.php/dav/calendars/anna/personal/`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from calendar_backend.errors import CalendarAddressError
from calendar_backend.phrases import phrase

CALDAV_SCHEMES = ("http", "https")
EXAMPLE_URL = "https://anna@cloud.example/remote.php/dav/calendars/anna/personal/"
"""What a CalDAV address looks like, for a person who wrote something else."""
PASSWORD_VARIABLE = "VOICE_CALENDAR_CALDAV_PASSWORD"
"""Where scripts and tests give the password (calendar_backend.secrets reads it)."""
_ANY_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


def is_caldav_url(location: str) -> bool:
    """Whether a calendar location names a server rather than a file."""
    return location.strip().lower().startswith(tuple(f"{s}://" for s in CALDAV_SCHEMES))


def looks_like_url(location: str) -> bool:
    """Whether a location is a URL of any kind (so it must not be taken for a file name)."""
    return _ANY_URL.match(location.strip()) is not None


@dataclass(frozen=True)
class CalDAVLocation:
    """A CalDAV collection: its URL without credentials, and the user who signs in."""

    url: str
    """The collection's URL, ending in "/", with no user name or password in it."""
    user: str | None

    @classmethod
    def parse(cls, text: str) -> CalDAVLocation:
        """The location a person wrote; CalendarAddressError (a ValueError) says what is
        wrong with it."""
        parts = urlsplit(text.strip())
        if parts.scheme.lower() not in CALDAV_SCHEMES or not parts.hostname:
            raise CalendarAddressError(
                phrase(
                    "{text!r} is not a CalDAV address: it should look like {example}",
                    text=text,
                    example=EXAMPLE_URL,
                )
            )
        if parts.password is not None:
            raise CalendarAddressError(
                phrase(
                    "a password does not belong in the calendar URL, where it would be seen "
                    "and kept in plain text: keep it in the desktop's secret store (the "
                    "settings dialog) or, for scripts, in {variable}",
                    variable=PASSWORD_VARIABLE,
                )
            )
        if parts.query or parts.fragment:
            raise CalendarAddressError(
                phrase("{text!r}: a calendar URL has no '?' or '#' part", text=text)
            )
        host = parts.hostname
        if ":" in host:
            host = f"[{host}]"
        netloc = host if parts.port is None else f"{host}:{parts.port}"
        path = parts.path if parts.path.endswith("/") else f"{parts.path}/"
        url = urlunsplit((parts.scheme.lower(), netloc, path, "", ""))
        user = unquote(parts.username) if parts.username else None
        return cls(url, user)

    @property
    def server(self) -> str:
        """scheme://host[:port], the part a password belongs to."""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"

    def __str__(self) -> str:
        """The URL as the person wrote it: the user name in it, never a password."""
        if self.user is None:
            return self.url
        parts = urlsplit(self.url)
        netloc = f"{quote(self.user, safe='')}@{parts.netloc}"
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
