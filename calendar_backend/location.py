"""Where a calendar lives: a local .ics file, or a CalDAV collection named by its URL with the
user name in it (`https://anna@cloud.example/remote.php/dav/calendars/anna/personal/`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit, urlunsplit

CALDAV_SCHEMES = ("http", "https")
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
        """The location a person wrote; ValueError says what is wrong with it."""
        parts = urlsplit(text.strip())
        if parts.scheme.lower() not in CALDAV_SCHEMES or not parts.hostname:
            raise ValueError(
                f"{text!r} is not a CalDAV address: it should look like "
                "https://anna@cloud.example/remote.php/dav/calendars/anna/personal/"
            )
        if parts.password is not None:
            raise ValueError(
                "a password does not belong in the calendar URL, where it would be seen and "
                "kept in plain text: keep it in the desktop's secret store (the settings "
                "dialog) or, for scripts, in VOICE_CALENDAR_CALDAV_PASSWORD"
            )
        if parts.query or parts.fragment:
            raise ValueError(f"{text!r}: a calendar URL has no '?' or '#' part")
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
