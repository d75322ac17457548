import json
import subprocess
import sys

import pytest

from app.cli import main
from tests.calendar_backend.test_recurring import SERIES
from tests.conftest import REPO_ROOT


def run(capsys, *argv: str) -> tuple[int, object, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out.strip() else None, captured.err


@pytest.fixture
def calendar(tmp_path):
    path = tmp_path / "calendar.ics"
    path.write_bytes(SERIES)
    return str(path)


def test_add_then_list_then_delete(capsys, tmp_path):
    path = str(tmp_path / "new.ics")
    code, created, _ = run(
        capsys,
        "calendar",
        "add",
        "--calendar",
        path,
        "--title",
        "Zahnarzt",
        "--start",
        "2026-03-28T15:00",
        "--duration",
        "90",
        "--tz",
        "Europe/Berlin",
    )
    assert code == 0
    assert created["start"] == "2026-03-28T15:00:00+01:00"
    assert created["end"] == "2026-03-28T16:30:00+01:00"
    assert set(created) == {"uid", "title", "start", "end", "all_day", "recurring"}

    code, listed, _ = run(
        capsys,
        "calendar",
        "list",
        "--calendar",
        path,
        "--from",
        "2026-03-28",
        "--to",
        "2026-03-28",
        "--tz",
        "Europe/Berlin",
    )
    assert code == 0 and [e["uid"] for e in listed] == [created["uid"]]

    code, removed, _ = run(
        capsys,
        "calendar",
        "delete",
        "--calendar",
        path,
        "--uid",
        created["uid"],
        "--tz",
        "Europe/Berlin",
    )
    assert code == 0 and removed["title"] == "Zahnarzt"


def test_all_day_event(capsys, tmp_path):
    code, created, _ = run(
        capsys,
        "calendar",
        "add",
        "--calendar",
        str(tmp_path / "c.ics"),
        "--title",
        "Urlaub",
        "--date",
        "2026-12-24",
        "--all-day",
    )
    assert code == 0
    assert (created["start"], created["end"], created["all_day"]) == (
        "2026-12-24",
        "2026-12-25",
        True,
    )


def test_list_defaults_to_the_coming_month_from_now(capsys, calendar):
    code, listed, _ = run(
        capsys,
        "calendar",
        "list",
        "--calendar",
        calendar,
        "--now",
        "2026-11-21T10:00",
        "--tz",
        "Europe/Berlin",
    )
    assert code == 0
    starts = [e["start"] for e in listed]
    assert starts == sorted(starts, key=lambda s: s[:10])
    assert starts[0].startswith("2026-11-21") and starts[-1] <= "2026-12-21T23:59"
    chor = [e for e in listed if e["uid"] == "weekly@test"]
    assert chor[0]["recurring"] is True


def test_recurring_series_needs_series_flag(capsys, calendar):
    code, _, err = run(capsys, "calendar", "delete", "--calendar", calendar, "--uid", "weekly@test")
    assert code == 1
    assert "recurring" in err and err.count("\n") == 1
    code, removed, _ = run(
        capsys,
        "calendar",
        "delete",
        "--calendar",
        calendar,
        "--uid",
        "weekly@test",
        "--occurrence",
        "2026-11-23",
        "--tz",
        "Europe/Berlin",
    )
    assert code == 0 and removed["start"] == "2026-11-23T19:00:00+01:00"
    code, _, _ = run(
        capsys, "calendar", "delete", "--calendar", calendar, "--uid", "weekly@test", "--series"
    )
    assert code == 0


@pytest.mark.parametrize(
    "argv",
    [
        ["calendar", "add", "--calendar", "x.ics", "--title", "X", "--start", "tomorrow"],
        ["calendar", "add", "--calendar", "x.ics", "--title", "X", "--date", "2026-12-24"],
        [
            "calendar",
            "add",
            "--calendar",
            "x.ics",
            "--title",
            "X",
            "--start",
            "2026-12-24T10:00",
            "--duration",
            "0",
        ],
        [
            "calendar",
            "add",
            "--calendar",
            "x.ics",
            "--title",
            "X",
            "--start",
            "2026-12-24T10:00",
            "--duration",
            "1" + "0" * 15,  # more minutes than a timedelta holds
        ],
        ["calendar", "list", "--calendar", "x.ics", "--from", "2026-12-24", "--to", "2026-12-01"],
        ["calendar", "list", "--calendar", "x.ics", "--tz", "Mars/Olympus"],
        [
            "calendar",
            "delete",
            "--calendar",
            "x.ics",
            "--uid",
            "u",
            "--series",
            "--occurrence",
            "2026-12-24",
        ],
        ["calendar", "frobnicate"],
    ],
)
def test_usage_errors_exit_2_and_write_nothing(capsys, tmp_path, monkeypatch, argv):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    assert not (tmp_path / "x.ics").exists()


def test_corrupt_calendar_exits_1_with_one_line(capsys, tmp_path):
    path = tmp_path / "broken.ics"
    path.write_bytes(b"BEGIN:VCALENDAR\r\nX\r\nEND:VCALENDAR\r\n")
    code, out, err = run(capsys, "calendar", "list", "--calendar", str(path))
    assert code == 1 and out is None
    assert err.startswith("error: ") and str(path) in err and err.count("\n") == 1


def test_command_line_runs_as_a_module_without_qt(tmp_path):
    probe = (
        "import sys, app.cli\n"
        "code = app.cli.main(['calendar', 'list', '--calendar', sys.argv[1]])\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt was imported'\n"
        "sys.exit(code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "c.ics")],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []

    result = subprocess.run(
        [sys.executable, "-m", "app", "calendar", "list", "--calendar", str(tmp_path / "c.ics")],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and json.loads(result.stdout) == []


def test_an_occurrence_can_be_named_by_its_start(capsys, tmp_path):
    path = tmp_path / "pills.ics"
    path.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:p@x\r\n"
        b"SUMMARY:Tablette\r\nDTSTART;TZID=Europe/Berlin:20261124T080000\r\nDURATION:PT5M\r\n"
        b"RRULE:FREQ=HOURLY;INTERVAL=6;COUNT=3\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    common = ["--calendar", str(path), "--uid", "p@x", "--tz", "Europe/Berlin"]
    code, _, err = run(capsys, "calendar", "delete", *common, "--occurrence", "2026-11-24")
    assert code == 1 and "happens 3 times" in err and "08:00, 14:00, 20:00" in err
    code, removed, _ = run(
        capsys, "calendar", "delete", *common, "--occurrence", "2026-11-24T14:00"
    )
    assert code == 0 and removed["start"] == "2026-11-24T14:00:00+01:00"
