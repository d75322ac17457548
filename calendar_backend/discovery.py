"""Which calendars a CalDAV account has: the settings dialog asks the server with the address,
user name and password a person typed, and offers the calendars it names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from caldav.davclient import DAVClient

from calendar_backend.caldav_store import DEFAULT_TIMEOUT_S, server_errors
from calendar_backend.location import CalDAVLocation


@dataclass(frozen=True)
class CalendarChoice:
    """One calendar of the account: its name as the server shows it, and where it is."""

    name: str
    location: CalDAVLocation


def discover_calendars(
    server_url: str, user: str, password: str, *, timeout_s: float = DEFAULT_TIMEOUT_S
) -> list[CalendarChoice]:
    """The account's calendars, found from any address on the server (its root, the DAV
    path, the principal or one calendar): the server names the user's principal and its
    calendar home. CalendarServerError when the server cannot be asked; ValueError for an
    address that is not one."""
    start = CalDAVLocation.parse(server_url)
    with server_errors(
        str(start), "find your calendars", timeout_s=timeout_s, user=user, password_given=True
    ):
        client = DAVClient(
            url=start.url,
            username=user,
            password=password,
            timeout=cast(Any, timeout_s),
            enable_rfc6764=False,
        )
        found = cast(list[Any], cast(Any, client).principal().calendars())
        choices = []
        for calendar in found:
            url = str(calendar.url)
            name = calendar.get_display_name() or url.rstrip("/").rsplit("/", 1)[-1]
            choices.append(
                CalendarChoice(
                    str(name), CalDAVLocation(url if url.endswith("/") else f"{url}/", user)
                )
            )
    return sorted(choices, key=lambda choice: choice.name.casefold())
