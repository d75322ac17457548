"""The recorded commands through the whole assistant (`run-wav` on the real models, against a
temporary calendar), judged by the calendar afterwards. The test suite holds the pass rate per
language to a floor; the benchmarks report it beside the text accuracy."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from app.cli.options import Context
from app.cli.run_wav import run_wav
from app.pipeline import Pipeline
from calendar_backend import Calendar, CalendarStore, Occurrence, zone_named
from calendar_backend.matching import MATCH_THRESHOLD, title_similarity

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "audio"


def recordings() -> list[dict[str, Any]]:
    manifest: dict[str, Any] = json.loads((FIXTURES / "manifest.json").read_text("utf-8"))
    return list(manifest["recordings"])


def seed(store: Calendar, events: list[dict[str, Any]]) -> list[Occurrence]:
    return [
        store.create(
            event["title"],
            datetime.fromisoformat(event["start"]),
            timedelta(minutes=event["duration_minutes"]),
        )
        for event in events
    ]


def everything(store: Calendar) -> list[Occurrence]:
    return store.occurrences(date(2020, 1, 1), date(2035, 12, 31))


def judge(
    recording: dict[str, Any],
    before: list[Occurrence],
    after: list[Occurrence],
    result: dict[str, Any],
) -> str | None:
    """None when the calendar (and status) is what the recording asked for; else why not."""
    expected = recording["expected"]
    arguments = expected["arguments"]
    function = expected["function"]
    status = result["result"]["status"]
    before_ids = {o.uid for o in before}
    if function == "create_event":
        new = [o for o in after if o.uid not in before_ids]
        if len(new) != 1:
            return f"{len(new)} events created (status {status})"
        (event,) = new
        if title_similarity(arguments["title"], event.title) < MATCH_THRESHOLD:
            return f"title {event.title!r}, expected {arguments['title']!r}"
        if arguments["time"] is None:
            wanted_start: date = date.fromisoformat(arguments["date"])
        else:
            wanted_start = datetime.fromisoformat(f"{arguments['date']}T{arguments['time']}")
        start = (
            event.start.replace(tzinfo=None) if isinstance(event.start, datetime) else event.start
        )
        if start != wanted_start:
            return f"starts {start}, expected {wanted_start}"
        length = (event.end - event.start) if isinstance(event.start, datetime) else None
        if length is not None and length != timedelta(minutes=arguments["duration_minutes"]):
            return f"lasts {length}, expected {arguments['duration_minutes']} min"
        return None
    if function == "delete_event":
        targets = [
            o
            for o in before
            if title_similarity(arguments["title"] or "", o.title) >= MATCH_THRESHOLD
            and (arguments["date"] is None or o.start.isoformat()[:10] == arguments["date"])
        ]
        target = min(targets, key=lambda o: o.start.isoformat()) if targets else None
        wanted = {o.uid for o in before} - ({target.uid} if target else set())
        got = {o.uid for o in after}
        return None if got == wanted else f"left {sorted(o.title for o in after)} ({status})"
    if {o.uid for o in after} != before_ids:
        return "the calendar changed"
    if function == "list_events":
        first = date.fromisoformat(arguments["start_date"])
        last = date.fromisoformat(arguments["end_date"])
        wanted_titles = sorted(
            o.title for o in before if first <= datetime.fromisoformat(str(o.start)).date() <= last
        )
        listed = sorted(event["title"] for event in result["result"]["events"])
        if status != "done" or listed != wanted_titles:
            return f"listed {listed} ({status}), expected {wanted_titles}"
        return None
    return None if status == "rejected" else f"status {status}, expected rejected"


def judge_recordings(pipeline: Pipeline, folder: Path) -> list[dict[str, Any]]:
    """Every recording once, each against its own calendar in `folder`: what was heard, the
    call, whether the calendar came out right (and why not), and the stage timings."""
    found = []
    for index, recording in enumerate(recordings()):
        calendar = folder / f"{index}.ics"
        zone = zone_named(recording["tz"])
        store = CalendarStore(calendar, zone=zone, backup_dir=folder / "backups")
        before = seed(store, recording["seed_events"])
        context = Context(
            now=datetime.fromisoformat(recording["now"]).replace(tzinfo=zone),
            zone=zone,
            language="auto",
        )
        result = run_wav(pipeline, FIXTURES / recording["file"], calendar, context, confirmed=True)
        after = everything(CalendarStore(calendar, zone=zone, backup_dir=folder / "backups"))
        failure = judge(recording, before, after, result)
        found.append(
            {
                "file": recording["file"],
                "language": recording["language"],
                "degradation": recording["degradation"],
                "heard": result["transcript"]["text"],
                "call": result["parse"].get("call"),
                "passed": failure is None,
                "why": failure,
                "timings_ms": result["timings_ms"],
            }
        )
    return found
