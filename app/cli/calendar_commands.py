"""`python -m app calendar list|add|delete`: direct calendar operations, no model, no speech."""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import Any

from app.cli.options import (
    Context,
    add_calendar_option,
    parse_day,
    parse_day_or_minute,
    parse_minute,
)
from calendar_backend import Calendar
from calendar_backend.opening import open_calendar

DEFAULT_LIST_DAYS = 30
MAX_EVENT_MINUTES = 100 * 366 * 24 * 60
"""A hundred years: longer is a typo, and far longer cannot even be computed with."""


def add_parser(subcommands: Any, shared: argparse.ArgumentParser) -> None:
    calendar = subcommands.add_parser(
        "calendar", help="list, add or delete events directly (no model, no speech)"
    )
    actions = calendar.add_subparsers(dest="action", required=True, metavar="ACTION")

    listing = actions.add_parser(
        "list",
        parents=[shared],
        help="occurrences in a date range, recurring events expanded",
        description="Print a JSON list of occurrences. Timed events carry ISO 8601 times with "
        "offset; all-day events carry dates, with 'end' exclusive as in iCalendar.",
    )
    add_calendar_option(listing)
    listing.add_argument(
        "--from",
        dest="first_day",
        type=parse_day,
        metavar="YYYY-MM-DD",
        help="first day (default: today)",
    )
    listing.add_argument(
        "--to",
        dest="last_day",
        type=parse_day,
        metavar="YYYY-MM-DD",
        help=f"last day, inclusive (default: {DEFAULT_LIST_DAYS} days on)",
    )
    listing.set_defaults(handler=_list)

    adding = actions.add_parser("add", parents=[shared], help="create an event")
    add_calendar_option(adding)
    adding.add_argument("--title", required=True)
    when = adding.add_mutually_exclusive_group(required=True)
    when.add_argument(
        "--start", type=parse_minute, metavar="YYYY-MM-DDTHH:MM", help="start in local wall time"
    )
    when.add_argument(
        "--date",
        type=parse_day,
        metavar="YYYY-MM-DD",
        help="day of an all-day event (with --all-day)",
    )
    adding.add_argument(
        "--duration", type=_minutes, metavar="MINUTES", help="length of a timed event (default 60)"
    )
    adding.add_argument("--all-day", action="store_true")
    adding.set_defaults(handler=_add)

    deleting = actions.add_parser(
        "delete", parents=[shared], help="delete an event or one occurrence of a series"
    )
    add_calendar_option(deleting)
    deleting.add_argument("--uid", required=True)
    which = deleting.add_mutually_exclusive_group()
    which.add_argument(
        "--occurrence",
        type=parse_day_or_minute,
        metavar="YYYY-MM-DD[THH:MM]",
        help="delete only this occurrence of a recurring event: its day, or its start "
        "(local wall time) when it happens several times that day",
    )
    which.add_argument("--series", action="store_true", help="delete a whole recurring series")
    deleting.set_defaults(handler=_delete)


def _minutes(text: str) -> int:
    try:
        minutes = int(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of minutes") from error
    if minutes <= 0:
        raise argparse.ArgumentTypeError("the duration must be at least one minute")
    if minutes > MAX_EVENT_MINUTES:
        raise argparse.ArgumentTypeError(
            f"the duration must be at most {MAX_EVENT_MINUTES} minutes"
        )
    return minutes


def _store(args: argparse.Namespace, context: Context) -> Calendar:
    return open_calendar(args.calendar, zone=context.zone)


def _list(args: argparse.Namespace, context: Context, parser: argparse.ArgumentParser) -> Any:
    first_day = args.first_day or context.now.date()
    last_day = args.last_day or first_day + timedelta(days=DEFAULT_LIST_DAYS)
    if last_day < first_day:
        parser.error("--to is before --from")
    return [o.to_json() for o in _store(args, context).occurrences(first_day, last_day)]


def _add(args: argparse.Namespace, context: Context, parser: argparse.ArgumentParser) -> Any:
    if args.date is not None and not args.all_day:
        parser.error("--date makes an all-day event: add --all-day, or use --start")
    if args.all_day and args.date is None:
        parser.error("--all-day needs --date")
    if args.all_day and args.duration is not None:
        parser.error("--duration is for timed events")
    store = _store(args, context)
    if args.all_day:
        return store.create(args.title, args.date).to_json()
    duration = timedelta(minutes=args.duration or 60)
    return store.create(args.title, args.start, duration).to_json()


def _delete(args: argparse.Namespace, context: Context, parser: argparse.ArgumentParser) -> Any:
    del parser
    store = _store(args, context)
    return store.delete(args.uid, args.occurrence, series=args.series).to_json()
