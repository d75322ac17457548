"""A German window says what went wrong with the calendar in German: a file that is no
iCalendar file, a CalDAV server (Radicale) that refuses the password or is not running. Only
values (the path, the address, the parser's own detail) stay as they are."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from calendar_backend.secrets import PASSWORD_VARIABLE
from tests.app.test_calendar_problems import english_words
from tests.gui.test_main_window import Harness
from tests.radicale import PASSWORD, RadicaleServer, free_port


def shown_error(qtbot, harness: Harness) -> str:
    harness.window.open_calendar()
    qtbot.waitUntil(harness.window.error_banner.isVisible, timeout=20_000)
    return harness.window.error_banner.text()


def assert_no_english(shown: str, templates: list[str], values: str) -> None:
    words = {w.lower() for w in re.findall(r"[A-Za-z]{3,}", shown)}
    words -= {w.lower() for w in re.findall(r"[A-Za-z]{3,}", values)}
    for template in templates:
        leftover = english_words(template) & words
        assert not leftover, f"English {sorted(leftover)} in {shown!r}"


def test_a_file_that_is_no_calendar_is_explained_in_german(qtbot, tmp_path: Path) -> None:
    harness = Harness(qtbot, tmp_path, None, ui_language="de")
    path = harness.preferences.calendar_path
    path.write_bytes(b"\x00\x01 this is no calendar")
    shown = shown_error(qtbot, harness)
    assert shown.startswith(f"Die Kalenderdatei kann nicht verwendet werden: {path}: ")
    assert "sie ist keine gültige iCalendar-Datei (" in shown
    assert "öffnen Sie sie in einem anderen Kalenderprogramm" in shown
    detail = shown.split("iCalendar-Datei (", 1)[1].split(")", 1)[0]  # the parser's own words
    assert_no_english(
        shown,
        [
            "it is not a valid iCalendar file ({detail})",
            "It was left unchanged; open it in another calendar program to repair it, "
            "or choose another file.",
        ],
        f"{path} {detail}",
    )


@pytest.mark.parametrize("case", ["wrong password", "not running"])
def test_a_server_that_refuses_or_is_away_is_explained_in_german(
    qtbot, tmp_path: Path, radicale: RadicaleServer, monkeypatch, case: str
) -> None:
    monkeypatch.setenv(PASSWORD_VARIABLE, "not " + PASSWORD)
    if case == "wrong password":
        url = radicale.new_calendar()
        expected = "der Server hat den Benutzernamen oder das Passwort abgelehnt"
        templates = [
            "the server refused the user name or password",
            "Check the user name in the calendar URL and the password in the settings"
            " (scripts: {variable}).",
        ]
    else:
        url = f"http://anna@127.0.0.1:{free_port()}/anna/calendar/"
        expected = "der Server ist nicht erreichbar"
        templates = [
            "the server cannot be reached",
            "Check the network connection and that the server is running, then try again.",
        ]
    harness = Harness(qtbot, tmp_path, None, ui_language="de", calendar_url=url)
    shown = shown_error(qtbot, harness)
    assert shown.startswith("Der Kalender-Server ist nicht nutzbar: ")
    assert expected in shown
    assert_no_english(shown, [*templates, "read the calendar"], f"{url} {PASSWORD_VARIABLE}")
