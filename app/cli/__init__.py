"""The headless command line (../shared/INTERFACE.md): JSON on stdout, messages on stderr;
exit 0 on success, 2 on a usage error, 1 on any other failure."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from app import command_name
from app.cli import calendar_commands, parse, run_wav, selftest, transcribe
from app.cli.json_output import json_text
from app.cli.options import Context, shared_options
from calendar_backend import CalendarError

UNEXPECTED = "unexpected failure"
"""Starts the reason of a failure nobody planned for: a bug (the fuzz tests look for it)."""


def one_line(text: str) -> str:
    """A reason as one line: line breaks inside it (a file name, a library's message) would
    read as several."""
    return " ".join(text.splitlines()) or "(no reason given)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=command_name(),
        description="Offline German/English voice calendar.",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="say on stderr what the app does (model loading, the window's states)",
    )
    subcommands = parser.add_subparsers(dest="verb", metavar="VERB")
    calendar_commands.add_parser(subcommands, shared_options())
    transcribe.add_parser(subcommands, shared_options())
    parse.add_parser(subcommands, shared_options())
    run_wav.add_parser(subcommands, shared_options())
    selftest.add_parser(subcommands, shared_options())
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s: %(message)s",
    )
    if args.verb is None:
        from app.gui import run_gui

        return run_gui()
    context = Context.from_args(args)
    try:
        result = args.handler(args, context, parser)
    except (CalendarError, ValueError, OSError, RuntimeError) as error:
        # Model, audio and calendar errors all say what happened and what to do.
        logging.debug("failed", exc_info=True)
        print(f"error: {one_line(str(error) or type(error).__name__)}", file=sys.stderr)
        return 1
    except Exception as error:  # a bug: still one line, as the contract says, and named so
        logging.info("unexpected failure", exc_info=True)
        print(
            f"error: {UNEXPECTED}: {type(error).__name__}: {one_line(str(error))}"
            " (please report it; --verbose shows where)",
            file=sys.stderr,
        )
        return 1
    if result is not None:
        sys.stdout.write(json_text(result, indent=2) + "\n")
    return 0
