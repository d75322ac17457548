"""The commands of ../shared/INTERFACE.md with a CalDAV collection URL in place of the file
path, against a real Radicale server: the same output, replies and exit statuses as on a
file, and a second client sees the changes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from app.cli.options import Context
from app.cli.run_wav import run_wav
from app.pipeline import Pipeline, load_pipeline
from benchmarks.recordings import FIXTURES, recordings, seed
from calendar_backend import zone_named
from calendar_backend.opening import open_calendar
from tests.conftest import REPO_ROOT
from tests.radicale import PASSWORD, RadicaleServer


def run(capsys, *argv: str) -> tuple[int, Any, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out.strip() else None, captured.err


def summaries(radicale: RadicaleServer, url: str) -> list[str]:
    calendar = radicale.client().calendar(url=radicale.plain_url(url))
    return sorted(str(item.icalendar_component["SUMMARY"]) for item in calendar.events())


def test_calendar_verbs_on_a_server(capsys, radicale, caldav_url):
    zone = ("--tz", "Europe/Berlin")
    code, created, _ = run(
        capsys, "calendar", "add", "--calendar", caldav_url, "--title", "Zahnarzt",
        "--start", "2026-12-03T14:30", "--duration", "90", *zone,
    )  # fmt: skip
    assert code == 0
    assert created["start"] == "2026-12-03T14:30:00+01:00"
    assert created["end"] == "2026-12-03T16:00:00+01:00"
    assert summaries(radicale, caldav_url) == ["Zahnarzt"]

    code, listed, _ = run(
        capsys, "calendar", "list", "--calendar", caldav_url,
        "--from", "2026-12-01", "--to", "2026-12-31", *zone,
    )  # fmt: skip
    assert code == 0 and listed == [created]

    code, removed, _ = run(
        capsys, "calendar", "delete", "--calendar", caldav_url, "--uid", created["uid"], *zone
    )
    assert code == 0 and removed["uid"] == created["uid"]
    assert summaries(radicale, caldav_url) == []


def test_a_wrong_password_fails_with_one_line_and_exit_1(capsys, radicale, caldav_url, monkeypatch):
    monkeypatch.setenv("VOICE_CALENDAR_CALDAV_PASSWORD", "wrong")
    code, output, error = run(capsys, "calendar", "list", "--calendar", caldav_url)
    assert (code, output) == (1, None)
    assert error.count("\n") == 1 and "refused the user name or password" in error
    assert "wrong" not in error


def test_a_server_that_is_down_fails_with_one_line_and_exit_1(capsys, monkeypatch):
    monkeypatch.setenv("VOICE_CALENDAR_CALDAV_PASSWORD", PASSWORD)
    from tests.radicale import free_port

    url = f"http://anna@127.0.0.1:{free_port()}/anna/personal/"
    code, output, error = run(
        capsys, "calendar", "add", "--calendar", url, "--title", "Zahnarzt",
        "--start", "2026-12-03T14:30",
    )  # fmt: skip
    assert (code, output) == (1, None)
    assert error.count("\n") == 1 and "cannot be reached" in error


def test_a_password_on_the_command_line_is_a_usage_error(radicale, caldav_url):
    with_password = caldav_url.replace("anna@", f"anna:{PASSWORD}@")
    completed = subprocess.run(
        [sys.executable, "-m", "app", "calendar", "list", "--calendar", with_password],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={**os.environ},
    )
    assert completed.returncode == 2
    assert "password does not belong in the calendar URL" in completed.stderr
    assert completed.stdout == ""


@pytest.fixture(scope="module")
def pipeline() -> Iterator[Pipeline]:
    yield load_pipeline(speech_output=False)


@pytest.mark.parametrize(
    "recording_file",
    ["en_create_dentist.flac", "en_delete_dentist.flac", "en_list_tomorrow.flac"],
)
def test_run_wav_answers_the_same_on_a_server_as_on_a_file(
    pipeline, radicale, caldav_url, tmp_path: Path, recording_file: str
):
    recording = next(r for r in recordings() if r["file"] == recording_file)
    zone = zone_named(recording["tz"])
    context = Context(
        now=datetime.fromisoformat(recording["now"]).replace(tzinfo=zone),
        zone=zone,
        language="auto",
    )
    results = {}
    for name, location in (("file", str(tmp_path / "calendar.ics")), ("server", caldav_url)):
        seed(open_calendar(location, zone=zone), recording["seed_events"])
        results[name] = run_wav(
            pipeline, FIXTURES / recording["file"], location, context, confirmed=True
        )
    on_file, on_server = results["file"]["result"], results["server"]["result"]
    assert on_server["status"] == on_file["status"] == "done"
    assert on_server["message"] == on_file["message"]
    assert [e["title"] for e in on_server["events"]] == [e["title"] for e in on_file["events"]]

    listed_file = open_calendar(str(tmp_path / "calendar.ics"), zone=zone).occurrences(
        context.now.date(), context.now.date().replace(year=context.now.year + 1)
    )
    assert summaries(radicale, caldav_url) == sorted(o.title for o in listed_file)
