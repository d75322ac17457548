"""Every recorded fixture through `run-wav` on the real models, against a temporary calendar,
judged by the calendar afterwards. The pass rate per language must not fall below the floor
last measured (README, "Measured"); raise the floor when the models get better."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.options import Context
from app.pipeline import Pipeline, load_pipeline
from app.run_wav_cli import run_wav
from calendar_backend import CalendarStore, Occurrence, zone_named
from calendar_backend.matching import MATCH_THRESHOLD, title_similarity
from tests.conftest import REPO_ROOT

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "audio"
ARTIFACTS = REPO_ROOT / "test-artifacts"
# German is 3 of 22: whisper base hears the espeak-ng voices badly, so the call model mostly
# sees garbled words ("Leuchschen den Termin, er hat morgen." passed with the previous model).
PASS_RATE_FLOOR = {"en": 0.9, "de": 0.13}


def recordings() -> list[dict[str, Any]]:
    return json.loads((FIXTURES / "manifest.json").read_text())["recordings"]


@pytest.fixture(scope="module")
def pipeline() -> Iterator[Pipeline]:
    yield load_pipeline(speech_output=False)


def seed(store: CalendarStore, events: list[dict[str, Any]]) -> list[Occurrence]:
    return [
        store.create(
            event["title"],
            datetime.fromisoformat(event["start"]),
            timedelta(minutes=event["duration_minutes"]),
        )
        for event in events
    ]


def everything(store: CalendarStore) -> list[Occurrence]:
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


@pytest.fixture(scope="module")
def verdicts(pipeline: Pipeline, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    found = []
    for index, recording in enumerate(recordings()):
        calendar = tmp_path_factory.mktemp("recordings") / f"{index}.ics"
        zone = zone_named(recording["tz"])
        store = CalendarStore(calendar, zone=zone, backup_dir=calendar.parent / "backups")
        before = seed(store, recording["seed_events"])
        context = Context(
            now=datetime.fromisoformat(recording["now"]).replace(tzinfo=zone),
            zone=zone,
            language="auto",
        )
        result = run_wav(pipeline, FIXTURES / recording["file"], calendar, context, confirmed=True)
        after = everything(CalendarStore(calendar, zone=zone, backup_dir=calendar.parent / "b"))
        failure = judge(recording, before, after, result)
        found.append(
            {
                "file": recording["file"],
                "language": recording["language"],
                "heard": result["transcript"]["text"],
                "call": result["parse"].get("call"),
                "passed": failure is None,
                "why": failure,
                "timings_ms": result["timings_ms"],
            }
        )
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "recordings.json").write_text(json.dumps(found, ensure_ascii=False, indent=2))
    return found


@pytest.mark.parametrize("language", ["en", "de"])
def test_pass_rate_per_language(verdicts: list[dict[str, Any]], language: str) -> None:
    mine = [verdict for verdict in verdicts if verdict["language"] == language]
    assert mine, f"no {language} recordings in the manifest"
    rate = sum(verdict["passed"] for verdict in mine) / len(mine)
    failures = "\n".join(
        f"  {v['file']}: heard {v['heard']!r} → {v['call']} — {v['why']}"
        for v in mine
        if not v["passed"]
    )
    print(f"\n{language}: {rate:.0%} of {len(mine)} recordings pass\n{failures}")
    assert rate >= PASS_RATE_FLOOR[language], failures


def test_run_wav_command_speaks_the_reply(tmp_path: Path) -> None:
    """The real command line, once: JSON per the contract and a WAV with the reply."""
    import subprocess
    import sys

    recording = next(r for r in recordings() if r["file"] == "en_create_dentist.flac")
    out = tmp_path / "reply.wav"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "run-wav",
            str(FIXTURES / recording["file"]),
            "--calendar",
            str(tmp_path / "cal.ics"),
            "--now",
            recording["now"],
            "--tz",
            recording["tz"],
            "--speak-to",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ},
        cwd=REPO_ROOT,
    )
    result = json.loads(completed.stdout)
    assert set(result) >= {"transcript", "parse", "result", "timings_ms"}
    assert set(result["timings_ms"]) >= {"asr", "nlu", "calendar", "tts_first_audio", "total"}
    assert result["result"]["status"] == "done"
    assert result["result"]["message"].startswith("I added")
    assert out.stat().st_size > 10_000
