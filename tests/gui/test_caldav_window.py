"""The window on a calendar that lives on a real CalDAV server (Radicale on 127.0.0.1): the
same requests and replies as on a file, another client's events in the agenda, an agenda that
says it is not current while the server is away, and the settings that find the calendars."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from caldav.collection import Calendar as Collection
from PySide6.QtWidgets import QDialog

from app.gui.preferences import Preferences
from app.gui.settings_dialog import SettingsDialog
from app.gui.text import UiText
from app.pipeline import Pipeline
from app.speech.audio import load_audio
from tests.gui.test_main_window import (
    FIXTURES,
    TOMORROW_3PM,
    Harness,
    seed_dentist,
)
from tests.radicale import PASSWORD, RadicaleServer

SATURDAY = date(2026, 3, 28)


def server_titles(radicale: RadicaleServer, url: str) -> list[str]:
    collection = Collection(client=radicale.client(), url=radicale.plain_url(url))
    return sorted(str(item.icalendar_component["SUMMARY"]) for item in collection.events())


def test_a_spoken_request_edits_the_server_calendar(
    qtbot, tmp_path: Path, pipeline: Pipeline, radicale: RadicaleServer, caldav_url: str
) -> None:
    harness = Harness(qtbot, tmp_path, pipeline, calendar_url=caldav_url)
    seed_dentist(harness.store)  # written by "another client" before the window opens
    harness.start()
    qtbot.waitUntil(lambda: "Dentist appointment" in harness.agenda_titles(), timeout=20_000)
    assert harness.window.agenda_file.text() == caldav_url

    harness.say(load_audio(FIXTURES / "en_create_lunch.flac"))
    assert "lunch with Sarah" in harness.window.reply_label.text()
    assert server_titles(radicale, caldav_url) == ["Dentist appointment", "lunch with Sarah"]
    assert "lunch with Sarah" in harness.agenda_titles()

    harness.click(harness.window.undo_button)
    assert server_titles(radicale, caldav_url) == ["Dentist appointment"]
    assert not harness.window.error_banner.isVisible()


def test_while_the_server_is_away_the_agenda_says_it_is_not_current(
    qtbot, tmp_path: Path, pipeline: Pipeline, monkeypatch
) -> None:
    server = RadicaleServer(tmp_path / "radicale")
    server.start()
    try:
        monkeypatch.setenv("VOICE_CALENDAR_CALDAV_PASSWORD", PASSWORD)
        url = server.new_calendar()
        harness = Harness(qtbot, tmp_path, pipeline, calendar_url=url)
        harness.store.create("Choir", TOMORROW_3PM, timedelta(hours=2))
        harness.start()
        qtbot.waitUntil(lambda: "Choir" in harness.agenda_titles(), timeout=20_000)

        server.stop()
        harness.window.refresh_agenda()
        qtbot.waitUntil(lambda: harness.window.agenda_stale.isVisible(), timeout=20_000)
        assert "Not up to date" in harness.window.agenda_stale.text()
        assert "cannot be reached" in harness.window.agenda_stale.text()
        assert "Choir" in harness.agenda_titles()  # what it last knew stays

        harness.say(load_audio(FIXTURES / "en_create_lunch.flac"))
        assert "can't reach the calendar server" in harness.window.reply_label.text()
        harness.screenshot("en-server-away")

        server.start()
        harness.window.refresh_agenda()
        qtbot.waitUntil(lambda: not harness.window.agenda_stale.isVisible(), timeout=20_000)
        assert harness.store.occurrences(SATURDAY, SATURDAY) == []  # nothing was queued
        assert "Choir" in harness.agenda_titles()
    finally:
        server.stop()


def test_the_settings_find_the_calendars_and_keep_the_password_in_the_secret_store(
    qtbot, tmp_path: Path, radicale: RadicaleServer, caldav_url: str, secret_store, monkeypatch
) -> None:
    monkeypatch.delenv("VOICE_CALENDAR_CALDAV_PASSWORD")
    dialog = SettingsDialog(Preferences(calendar_path=tmp_path / "mine.ics"), UiText("de"))
    qtbot.addWidget(dialog)
    dialog.show()
    calendar = dialog.calendar
    assert not calendar.uses_server
    calendar.kind.setCurrentIndex(calendar.kind.findData("server"))
    calendar.server.setText(radicale.base_url)
    calendar.user.setText("anna")
    calendar.password.setText(PASSWORD)
    calendar.find_calendars()
    qtbot.waitUntil(lambda: calendar.find_button.isEnabled(), timeout=20_000)
    index = calendar.calendars.findData(caldav_url)
    assert index >= 0, calendar.status.text()
    calendar.calendars.setCurrentIndex(index)
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    chosen = dialog.chosen()
    assert chosen.calendar_url == caldav_url
    assert chosen.calendar_location == caldav_url
    assert chosen.calendar_path == tmp_path / "mine.ics"  # kept for switching back
    assert list(secret_store.passwords.values()) == [PASSWORD]


def test_a_wrong_password_in_the_settings_is_explained(
    qtbot, tmp_path: Path, radicale: RadicaleServer
) -> None:
    dialog = SettingsDialog(Preferences(calendar_path=tmp_path / "mine.ics"), UiText("en"))
    qtbot.addWidget(dialog)
    calendar = dialog.calendar
    calendar.kind.setCurrentIndex(calendar.kind.findData("server"))
    calendar.server.setText(radicale.base_url)
    calendar.user.setText("anna")
    calendar.password.setText("wrong")
    calendar.find_calendars()
    qtbot.waitUntil(lambda: calendar.find_button.isEnabled(), timeout=20_000)
    assert "refused the user name or password" in calendar.status.text()
    assert calendar.calendars.count() == 0
    assert calendar.problem() is not None  # nothing to save yet


def test_the_settings_show_a_chosen_server_calendar(qtbot, tmp_path: Path, caldav_url) -> None:
    preferences = Preferences(calendar_path=tmp_path / "mine.ics", calendar_url=caldav_url)
    dialog = SettingsDialog(preferences, UiText("en"))
    qtbot.addWidget(dialog)
    assert dialog.calendar.uses_server
    assert dialog.calendar.user.text() == "anna"
    assert dialog.chosen() == preferences
