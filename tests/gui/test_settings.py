"""Settings: stored with QSettings, shown and changed in the dialog, voices added by file."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from app.gui import settings_dialog
from app.gui.preferences import Preferences, load_preferences, save_preferences
from app.gui.settings_dialog import SettingsDialog, add_voice_file
from app.gui.text import UiText
from tests.gui.screenshots import save_screenshot


def ini(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def fake_voice(folder: Path, name: str, language: str) -> Path:
    """A file pair shaped like a Piper voice: the model bytes are not read here."""
    folder.mkdir(parents=True, exist_ok=True)
    model = folder / f"{name}.onnx"
    model.write_bytes(b"not a real network")
    model.with_name(model.name + ".json").write_text(
        json.dumps({"language": {"family": language}}), encoding="utf-8"
    )
    return model


def test_defaults_when_nothing_was_saved(tmp_path: Path) -> None:
    preferences = load_preferences(ini(tmp_path))
    assert preferences.microphone == ""
    assert preferences.recognition_language == "auto"
    assert preferences.speak_replies is True
    assert preferences.ui_language == "system"
    assert preferences.calendar_path.name == "calendar.ics"


def test_preferences_survive_a_restart(tmp_path: Path) -> None:
    chosen = Preferences(
        microphone="USB Headset",
        recognition_language="de",
        voices={"de": str(tmp_path / "thorsten.onnx")},
        calendar_path=tmp_path / "mine.ics",
        speak_replies=False,
        ui_language="de",
    )
    save_preferences(ini(tmp_path), chosen)
    assert load_preferences(ini(tmp_path)) == chosen


def test_values_another_version_wrote_fall_back_to_defaults(tmp_path: Path) -> None:
    settings = ini(tmp_path)
    settings.setValue("recognition/language", "fr")
    settings.setValue("ui/language", "klingon")
    settings.sync()
    preferences = load_preferences(ini(tmp_path))
    assert (preferences.recognition_language, preferences.ui_language) == ("auto", "system")


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_dialog_shows_the_preferences_and_returns_the_changes(
    qtbot, tmp_path: Path, language: str
) -> None:
    before = Preferences(
        microphone="USB Headset",
        recognition_language="en",
        calendar_path=tmp_path / "mine.ics",
        speak_replies=True,
        ui_language="system",
    )
    dialog = SettingsDialog(before, UiText(language))
    qtbot.addWidget(dialog)
    dialog.show()
    save_screenshot(dialog, f"{language}-settings")
    assert dialog.chosen() == before
    assert "USB Headset" in dialog.microphone.currentText()
    dialog.recognition_language.setCurrentIndex(dialog.recognition_language.findData("de"))
    dialog.speak_replies.setChecked(False)
    dialog.calendar.calendar_path.setText(str(tmp_path / "other.ics"))
    dialog.ui_language.setCurrentIndex(dialog.ui_language.findData("de"))
    after = dialog.chosen()
    assert after.recognition_language == "de"
    assert after.speak_replies is False
    assert after.calendar_path == tmp_path / "other.ics"
    assert after.ui_language == "de"
    assert after.microphone == "USB Headset"


def test_adding_a_voice_copies_it_and_chooses_it(qtbot, tmp_path: Path, monkeypatch) -> None:
    voices_folder = tmp_path / "voices"
    monkeypatch.setattr(settings_dialog, "user_voices_dir", lambda: voices_folder)
    downloaded = fake_voice(tmp_path / "Downloads", "de_DE-thorsten-medium", "de")
    dialog = SettingsDialog(Preferences(calendar_path=tmp_path / "c.ics"), UiText("en"))
    qtbot.addWidget(dialog)
    assert dialog.add_voice("de", downloaded)
    copied = voices_folder / downloaded.name
    assert copied.read_bytes() == downloaded.read_bytes()
    assert (voices_folder / (downloaded.name + ".json")).is_file()
    assert dialog.chosen().voices == {"de": str(copied)}


def test_a_voice_in_the_wrong_language_is_refused_with_a_reason(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(settings_dialog, "user_voices_dir", lambda: tmp_path / "voices")
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, _title, message: warnings.append(message)
    )
    english = fake_voice(tmp_path / "Downloads", "en_US-amy-low", "en")
    dialog = SettingsDialog(Preferences(calendar_path=tmp_path / "c.ics"), UiText("de"))
    qtbot.addWidget(dialog)
    assert not dialog.add_voice("de", english)
    assert warnings and "spricht en, nicht de" in warnings[0]
    assert not (tmp_path / "voices").exists()
    assert dialog.chosen().voices == {}


def test_a_file_without_its_configuration_is_no_voice(tmp_path: Path) -> None:
    lonely = tmp_path / "voice.onnx"
    lonely.write_bytes(b"x")
    with pytest.raises(ValueError, match="configuration"):
        add_voice_file(lonely, tmp_path / "voices")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_a_copied_voice_is_readable_by_its_user_only(tmp_path: Path) -> None:
    downloaded = fake_voice(tmp_path / "Downloads", "de_DE-thorsten-medium", "de")
    voices = tmp_path / "share" / "voice-calendar" / "voices"
    old_umask = os.umask(0o022)
    try:
        copied = add_voice_file(downloaded, voices)
    finally:
        os.umask(old_umask)
    assert copied == voices / downloaded.name
    assert mode(copied) == mode(voices / (downloaded.name + ".json")) == 0o600
    assert mode(voices) == mode(voices.parent) == mode(voices.parent.parent) == 0o700


@pytest.mark.parametrize("linked", [".onnx", ".onnx.json"])
def test_a_voice_given_as_a_link_is_refused(tmp_path: Path, linked: str) -> None:
    real = fake_voice(tmp_path / "real", "de_DE-eva-low", "de")
    offered = fake_voice(tmp_path / "Downloads", "de_DE-eva-low", "de")
    link = offered.with_name(f"de_DE-eva-low{linked}")
    link.unlink()
    link.symlink_to(real.with_name(link.name))
    with pytest.raises(ValueError, match="is a link"):
        add_voice_file(offered, tmp_path / "voices")
    assert not (tmp_path / "voices").exists()


def test_a_link_in_the_voices_folder_is_replaced_not_written_through(tmp_path: Path) -> None:
    downloaded = fake_voice(tmp_path / "Downloads", "de_DE-thorsten-medium", "de")
    voices = tmp_path / "voices"
    voices.mkdir()
    outside = tmp_path / "bashrc"
    outside.write_text("alias ls='ls --color'\n")
    for name in (downloaded.name, downloaded.name + ".json"):
        (voices / name).symlink_to(outside)
    copied = add_voice_file(downloaded, voices)
    assert outside.read_text() == "alias ls='ls --color'\n"
    assert not copied.is_symlink() and copied.read_bytes() == downloaded.read_bytes()
    assert sorted(p.name for p in voices.iterdir()) == sorted(
        [downloaded.name, downloaded.name + ".json"]
    )


def test_a_path_through_dot_dot_lands_by_its_name_inside_the_voices_folder(tmp_path: Path):
    downloaded = fake_voice(tmp_path / "Downloads", "de_DE-kerstin-low", "de")
    roundabout = tmp_path / "Downloads" / ".." / "Downloads" / downloaded.name
    copied = add_voice_file(roundabout, tmp_path / "voices")
    assert copied == tmp_path / "voices" / downloaded.name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Downloads", "voices"]


@pytest.mark.parametrize("name", ["..", ".", "de_DE-x.onnx.json"])
def test_a_name_that_is_no_voice_file_is_refused(tmp_path: Path, name: str) -> None:
    fake_voice(tmp_path / "Downloads", "de_DE-x", "de")
    with pytest.raises(ValueError, match="not the name of a voice file"):
        add_voice_file(tmp_path / "Downloads" / name, tmp_path / "Downloads" / "voices")
    assert not (tmp_path / "Downloads" / "voices").exists()


def test_the_settings_file_is_readable_by_its_user_only(tmp_path: Path) -> None:
    settings = QSettings(
        str(tmp_path / "config" / "voice-calendar" / "settings.ini"), QSettings.Format.IniFormat
    )
    old_umask = os.umask(0o022)
    try:
        save_preferences(settings, Preferences(microphone="USB Headset"))
        save_preferences(settings, Preferences(microphone="Other"))
    finally:
        os.umask(old_umask)
    path = Path(settings.fileName())
    assert "Other" in path.read_text()
    assert mode(path) == 0o600
    assert mode(path.parent) == mode(path.parent.parent) == 0o700
