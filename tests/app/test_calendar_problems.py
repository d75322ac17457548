"""Every problem the calendar backend reports has a German wording, and German words say it:
the templates found in calendar_backend's source, and the real failures of a file and of a
CalDAV server (Radicale) as the window and the dialog show them."""

from __future__ import annotations

import ast
import os
import re
from datetime import date, datetime, time
from pathlib import Path

import pytest

from app.calendar_problems import error_words, problem_words, wordings
from app.dialog import Dialog
from app.resolve import ResolvedCall, apply_policy
from calendar_backend import storage
from calendar_backend.errors import (
    CalendarChangedError,
    CalendarError,
    CalendarFileError,
    CalendarServerError,
)
from calendar_backend.opening import open_calendar
from calendar_backend.secrets import PASSWORD_VARIABLE
from calendar_backend.storage import CalendarStorage
from tests.conftest import BERLIN
from tests.radicale import PASSWORD, RadicaleServer, free_port

NOW = datetime(2026, 3, 26, 10, 0, tzinfo=BERLIN)
SATURDAY = date(2026, 3, 28)

BACKEND = Path(__file__).resolve().parents[2] / "calendar_backend"
WORDED = {"CalendarFileError": (1, 2), "CalendarServerError": (1, 2)}
WORDED |= {"CalendarAccessDeniedError": (1, 2), "CalendarChangedError": (1,)}
SHARED_WORDS = {"icalendar", "etag", "caldav", "ics", "url", "bytes", "server", "computer"}
"""Names that are the same in both languages."""


def _strings(node: ast.expr, constants: dict[str, str]) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Name) and node.id in constants:
        return [constants[node.id]]
    return []  # a phrase(...) call, found on its own


def backend_templates() -> set[str]:
    """The English words of every error raised on purpose: phrase() templates, plain problem,
    advice and detail strings, and what a server could not do (`doing`)."""
    found: set[str] = set()
    for source in BACKEND.glob("*.py"):
        tree = ast.parse(source.read_text())
        constants = {
            target.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call):
                continue
            name = getattr(call.func, "id", getattr(call.func, "attr", ""))
            if name == "phrase":
                found.update(_strings(call.args[0], constants))
            elif name in WORDED:
                for index in WORDED[name]:
                    if index < len(call.args):
                        found.update(_strings(call.args[index], constants))
            elif name == "_talking":
                found.update(_strings(call.args[0], constants))
            elif name == "server_errors" and len(call.args) > 1:
                found.update(_strings(call.args[1], constants))
    return found


def english_words(template: str) -> set[str]:
    """The template's words that are words (no {fields}), in lower case."""
    bare = re.sub(r"\{[^}]*\}", " ", template)
    return {w.lower() for w in re.findall(r"[A-Za-z]{3,}", bare)} - SHARED_WORDS


def assert_german(said: str, error: CalendarError) -> None:
    """No English word of the error's own templates is left in what was said."""
    templates = [
        getattr(error, part).template
        for part in ("problem_phrase", "advice_phrase", "detail_phrase")
        if hasattr(error, part)
    ]
    if isinstance(error, CalendarServerError) and error.doing:
        templates.append(error.doing)
    assert templates, error
    values = " ".join(
        [str(getattr(error, part, "")) for part in ("path", "url")]
        + [
            str(value)
            for part in ("problem_phrase", "advice_phrase", "detail_phrase")
            if hasattr(error, part)
            for value in getattr(error, part).values.values()
        ]
    )
    spoken = {w.lower() for w in re.findall(r"[A-Za-z]{3,}", said)}
    spoken -= {w.lower() for w in re.findall(r"[A-Za-z]{3,}", values)}
    for template in templates:
        leftover = english_words(template) & spoken
        assert not leftover, f"English {sorted(leftover)} in {said!r}"


def test_the_source_scan_finds_the_backend_problems() -> None:
    templates = backend_templates()
    assert "the file does not exist" in templates
    assert "it is {size} bytes, more than the {limit} MB a calendar file may have" in templates
    assert "the server refused the user name or password" in templates
    assert "read the calendar" in templates
    assert len(templates) >= 45


def test_every_backend_problem_has_a_german_wording_with_the_same_fields() -> None:
    german = wordings("de")
    missing = sorted(backend_templates() - german.keys())
    assert not missing, f"no German wording for {missing}"
    for template, wording in german.items():
        fields = set(re.findall(r"\{(\w+)\}", template))
        assert set(re.findall(r"\{(\w+)\}", wording)) == fields, template
        assert english_words(template) & english_words(wording) == set(), wording


def _read_error(path: Path) -> CalendarError:
    """What reading the file raises: its storage, then the store's parse."""
    try:
        CalendarStorage(path, path.parent / "backups").read()
        open_calendar(path, zone=BERLIN).occurrences(SATURDAY, SATURDAY)
    except CalendarError as error:
        return error
    raise AssertionError(f"{path} was read")


def real_file_failures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[CalendarError]:
    not_ical = tmp_path / "notes.ics"
    not_ical.write_bytes(b"\x00\x01 this is no calendar")
    empty_ical = tmp_path / "empty.ics"
    empty_ical.write_text("")
    folder = tmp_path / "folder.ics"
    folder.mkdir()
    large = tmp_path / "large.ics"
    large.write_bytes(b"BEGIN:VCALENDAR\r\n" + b"X" * 2048)
    failures = [_read_error(tmp_path / "missing.ics"), _read_error(folder), _read_error(not_ical)]
    with monkeypatch.context() as patched:
        patched.setattr(storage, "MAX_CALENDAR_BYTES", 1024)
        failures.append(_read_error(large))
    if os.geteuid() != 0:  # root reads every file
        unreadable = tmp_path / "locked.ics"
        unreadable.write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
        unreadable.chmod(0)
        failures.append(_read_error(unreadable))
    return failures


def test_real_file_failures_are_said_in_german(tmp_path: Path, monkeypatch) -> None:
    failures = real_file_failures(tmp_path, monkeypatch)
    problems = {error.problem_phrase.template for error in failures}  # type: ignore[attr-defined]
    assert {"the file does not exist", "this is a folder, not a file"} <= problems
    assert "it is not a valid iCalendar file ({detail})" in problems
    assert "it is {size} bytes, more than the {limit} MB a calendar file may have" in problems
    for error in failures:
        assert error_words(error, "en") == str(error)  # English stays as it was
        german = error_words(error, "de")
        assert german.startswith(f"{error.path}: ")  # type: ignore[attr-defined]
        assert_german(german, error)
    sized = next(e for e in failures if "bytes" in str(e))
    assert "Bytes groß, mehr als die 0 MB" in error_words(sized, "de")


def test_a_change_by_another_program_is_said_in_german(tmp_path: Path) -> None:
    error = CalendarChangedError(tmp_path / "a.ics", "it was written while we saved")
    german = error_words(error, "de")
    assert "von einem anderen Programm geändert" in german
    assert_german(german, error)


def test_an_error_without_a_wording_is_a_german_sentence_with_the_detail_in_parentheses() -> None:
    german = error_words(OSError(5, "Input/output error"), "de")
    assert (
        german == "ein unerwarteter Fehler ist aufgetreten (OSError: [Errno 5] Input/output error)"
    )
    assert error_words(OSError(5, "Input/output error"), "en") == "[Errno 5] Input/output error"


def test_a_refused_password_and_an_absent_server_are_said_in_german(
    radicale: RadicaleServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = radicale.new_calendar()
    monkeypatch.setenv(PASSWORD_VARIABLE, "not " + PASSWORD)
    refused = _server_error(url)
    assert refused.problem_phrase.template == "the server refused the user name or password"
    gone = _server_error(f"http://anna@127.0.0.1:{free_port()}/anna/cal/")
    assert gone.problem_phrase.template == "the server cannot be reached"
    for error in (refused, gone):
        assert error_words(error, "en") == str(error)
        german = error_words(error, "de")
        assert german.startswith(f"{error.url}: ")
        assert_german(german, error)
        assert_german(problem_words(error, "de"), error)
    assert "der Server ist nicht erreichbar" in error_words(gone, "de")


def _server_error(url: str) -> CalendarServerError:
    try:
        open_calendar(url, zone=BERLIN).occurrences(SATURDAY, SATURDAY)
    except CalendarServerError as error:
        return error
    raise AssertionError(f"{url} was read")


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_dialog_reply_for_a_file_problem_is_in_the_language_of_the_request(
    make_store, language: str
) -> None:
    dialog = Dialog(make_store(b"\x00\x01 this is no calendar"))
    request = ResolvedCall(
        "create_event",
        language,
        {"title": "Zahnarzt", "date": SATURDAY, "time": time(15), "duration_minutes": None},
    )
    outcome = dialog.handle(apply_policy(request, NOW), NOW)
    assert outcome.status == "error"
    if language == "en":
        assert outcome.message.startswith("I could not edit the calendar: ")
        assert "it is not a valid iCalendar file" in outcome.message
        return
    assert outcome.message.startswith("Ich konnte den Kalender nicht bearbeiten: ")
    assert "sie ist keine gültige iCalendar-Datei" in outcome.message
    with pytest.raises(CalendarFileError) as caught:
        dialog.store.occurrences(SATURDAY, SATURDAY)
    assert_german(outcome.message, caught.value)
