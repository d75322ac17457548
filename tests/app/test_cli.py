"""What every command promises on failure: exit 1 and one line on stderr, whatever failed."""

from __future__ import annotations

import json

from app.cli import calendar_commands, main
from app.cli.json_output import json_text


def test_a_reason_with_a_line_break_is_one_line(capsys, tmp_path):
    folder = tmp_path / "Kalender\nEND:VCALENDAR"
    folder.write_text("a file where a folder should be")
    assert main(["calendar", "list", "--calendar", str(folder / "c.ics")]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "Kalender END:VCALENDAR" in captured.err


def test_a_failure_nobody_planned_for_is_one_line_that_says_so(capsys, monkeypatch, tmp_path):
    def broken(_args, _context, _parser):
        raise KeyError("DTSTART")

    monkeypatch.setattr(calendar_commands, "_list", broken)
    assert main(["calendar", "list", "--calendar", str(tmp_path / "c.ics")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: unexpected failure: KeyError: 'DTSTART' (please report it")
    assert err.count("\n") == 1


def test_json_output_escapes_what_some_readers_take_for_line_breaks():
    value = {"text": "Yoga\u2028Pilates\x85Tanz\u2029", "ok": "äß\U0001f600"}
    written = json_text(value)
    assert written.splitlines() == [written]
    assert "äß\U0001f600" in written
    assert json.loads(written) == value
