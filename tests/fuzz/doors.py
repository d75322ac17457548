"""The command line as the fuzz tests drive it: in this process, with the models loaded once,
and the contract of ../shared/INTERFACE.md asserted on every reply."""

from __future__ import annotations

import io
import json
import os
import re
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, event, settings
from hypothesis.control import currently_in_test_context

from app.cli import UNEXPECTED, main

SCALE = float(os.environ.get("VOICE_CALENDAR_FUZZ_SCALE", "1"))
"""More examples for a longer hunt (`VOICE_CALENDAR_FUZZ_SCALE=20 ./scripts/test -m fuzz`);
the suite runs with 1, a fixed seed and no example database, so CI sees the same inputs."""


def fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=max(1, round(examples * SCALE)),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )


@dataclass(frozen=True)
class Reply:
    code: int
    out: str
    err: str


def call(*argv: str, stdin: bytes = b"") -> Reply:
    """`python -m app ARGV` in this process: its exit status, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    saved_stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin))
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(list(argv))
            except SystemExit as exit_:  # argparse's usage errors
                code = exit_.code if isinstance(exit_.code, int) else 1
    finally:
        sys.stdin = saved_stdin
    return Reply(code, out.getvalue(), err.getvalue())


def assert_contract(reply: Reply, *, jsonl: bool = False) -> Any:
    """Exit 0 with JSON (JSON lines) on stdout, 1 with one line of reason on stderr, or 2 for
    a usage error; never a failure nobody planned for. Returns the JSON of a success."""
    assert reply.code in (0, 1, 2), reply
    assert UNEXPECTED not in reply.err, reply.err
    if currently_in_test_context():
        event(f"exit {reply.code}")
    if reply.code == 0:
        reply.out.encode("utf-8")  # a real stdout must be able to write it
        if jsonl:
            return [json.loads(line) for line in reply.out.splitlines()]
        return json.loads(reply.out)
    if reply.code == 1:
        assert reply.out == "", reply
        assert reply.err.endswith("\n") and reply.err.count("\n") == 1, reply.err
        assert reply.err.startswith("error: ") and reply.err.strip() != "error:", reply.err
    else:
        assert "usage:" in reply.err, reply.err
    return None


FUNCTIONS = {"create_event", "delete_event", "list_events", "move_event", "none"}
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_CLOCK = re.compile(r"\d{2}:\d{2}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def assert_parse_object(result: dict[str, Any], text: str) -> None:
    """The `parse` object as the contract describes it."""
    assert list(result) == ["text", "language", "function", "arguments", "missing", "call", "ms"]
    assert result["text"] == text
    assert result["language"] in ("de", "en")
    assert result["function"] in FUNCTIONS
    arguments = result["arguments"]
    assert set(result["missing"]) <= set(arguments)
    for name, value in arguments.items():
        if value is None:
            continue
        if name in ("date", "start_date", "end_date", "new_date"):
            assert _DAY.fullmatch(value), (name, value)
        elif name in ("time", "new_time"):
            assert _CLOCK.fullmatch(value), (name, value)
        elif name in ("duration_minutes", "reminder_minutes"):
            assert isinstance(value, int) and value >= 0, (name, value)
        elif name == "title":
            assert value.strip() and not _CONTROL.search(value), value
