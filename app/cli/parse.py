"""`python -m app parse [TEXT] [--jsonl]`: text → resolved call, no side effects."""

from __future__ import annotations

import argparse
import codecs
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from app.cli.json_output import json_text
from app.cli.options import Context
from app.limits import MAX_LINE_BYTES

_SKIP_CHUNK = 1 << 16


def add_parser(subcommands: Any, parent: argparse.ArgumentParser) -> None:
    parser = subcommands.add_parser(
        "parse",
        parents=[parent],
        help="text → resolved calendar call (no side effects)",
        description="Understand a command. With --jsonl, read one utterance per line on stdin "
        "and write one JSON object per line; a line that cannot be understood (empty, too "
        'long, not UTF-8 text) gets {"text": …, "error": …} and the batch goes on.',
    )
    parser.add_argument("text", nargs="?", metavar="TEXT", help="the utterance")
    parser.add_argument(
        "--jsonl", action="store_true", help="one utterance per stdin line, JSON lines out"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, context: Context, parser: argparse.ArgumentParser) -> Any:
    if (args.text is None) == (not args.jsonl):
        parser.error("give TEXT, or --jsonl with utterances on stdin (not both)")
    from app.nlu.understand import Understander, UtteranceError, check_utterance

    if args.text is not None:
        check_utterance(args.text)  # refused before the model loads
        understander = Understander(_load_model())
        return understander.understand(args.text, context.language, context.now).to_json()
    understander = Understander(_load_model())
    for line in read_lines(_binary_stdin()):
        row: dict[str, Any] = {"text": line.text, "error": line.problem}
        if line.problem is None:
            try:
                row = understander.understand(line.text, context.language, context.now).to_json()
            except UtteranceError as error:
                row["error"] = str(error)
        sys.stdout.write(json_text(row) + "\n")
        sys.stdout.flush()
    return None


@dataclass(frozen=True)
class Line:
    text: str
    """Without its line break; undecodable bytes replaced by U+FFFD."""
    problem: str | None
    """Why it is not an utterance as it was read (not UTF-8, too long), or None."""


def read_lines(stream: IO[bytes], limit: int = MAX_LINE_BYTES) -> Iterator[Line]:
    """The stream's lines, one at a time as they arrive. A line longer than `limit` bytes is
    kept up to there, the rest of it skipped unread into memory."""
    first = True
    while raw := stream.readline(limit + 1):
        problem = None
        if len(raw) > limit and not raw.endswith(b"\n"):
            problem = f"utterance too long (more than {limit} bytes)"
            raw = raw[:limit]
            while (rest := stream.readline(_SKIP_CHUNK)) and not rest.endswith(b"\n"):
                pass
        raw = raw.removesuffix(b"\n").removesuffix(b"\r")
        if first:
            raw = raw.removeprefix(codecs.BOM_UTF8)
            first = False
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            text = raw.decode("utf-8", errors="replace")
            # A line cut at the limit may end inside a character: that one is not the fault.
            if problem is None:
                problem = (
                    f"not UTF-8 text (byte 0x{raw[error.start]:02x} at position {error.start})"
                )
        yield Line(text, problem)


def _binary_stdin() -> IO[bytes]:
    buffer: IO[bytes] | None = getattr(sys.stdin, "buffer", None)
    if buffer is None:
        raise RuntimeError("stdin is not a byte stream")
    return buffer


def _load_model() -> Any:
    from app.nlu.llama_model import load_call_model

    return load_call_model()
