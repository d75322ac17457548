"""Options every command shares (see ../shared/INTERFACE.md): --now, --tz, --lang."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from calendar_backend import local_zone, zone_named
from calendar_backend.location import CalDAVLocation, is_caldav_url

LANGUAGES = ("auto", "de", "en")


def parse_minute(text: str) -> datetime:
    """YYYY-MM-DDTHH:MM, naive (local wall time)."""
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M")
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not YYYY-MM-DDTHH:MM") from error


def parse_day(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not YYYY-MM-DD") from error


def parse_day_or_minute(text: str) -> date | datetime:
    """YYYY-MM-DD, or YYYY-MM-DDTHH:MM for an exact (local wall) time."""
    return parse_minute(text) if "T" in text else parse_day(text)


def parse_calendar_location(text: str) -> str:
    """A calendar file path, or a CalDAV collection URL with the user name in it."""
    if is_caldav_url(text):
        try:
            CalDAVLocation.parse(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from error
    elif not text.strip():
        raise argparse.ArgumentTypeError("the calendar path is empty")
    return text


def add_calendar_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--calendar",
        type=parse_calendar_location,
        required=True,
        metavar="PATH|URL",
        help="the .ics file (created if missing), or a CalDAV collection URL with the user "
        "name in it (https://anna@cloud.example/dav/calendars/anna/personal/); the password "
        "comes from the secret store or VOICE_CALENDAR_CALDAV_PASSWORD",
    )


def parse_zone(text: str) -> ZoneInfo:
    try:
        return zone_named(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def shared_options() -> argparse.ArgumentParser:
    """A parent parser with the shared options, for every subcommand."""
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("shared options")
    group.add_argument(
        "--now",
        type=parse_minute,
        metavar="YYYY-MM-DDTHH:MM",
        help="reference 'now' in local wall time (default: the clock)",
    )
    group.add_argument(
        "--tz",
        type=parse_zone,
        metavar="Area/City",
        help="time zone (default: the system's)",
    )
    group.add_argument("--lang", choices=LANGUAGES, default="auto", help="language (default auto)")
    return parent


@dataclass(frozen=True)
class Context:
    """The shared options, resolved."""

    now: datetime
    """Aware, in zone."""
    zone: ZoneInfo
    language: str

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Context:
        zone: ZoneInfo = args.tz or local_zone()
        now = (
            args.now.replace(tzinfo=zone)
            if args.now is not None
            else datetime.now(UTC).astimezone(zone)
        )
        return cls(now=now, zone=zone, language=args.lang)
