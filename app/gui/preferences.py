"""What the person chose in the settings dialog, kept with QSettings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import platformdirs
from PySide6.QtCore import QSettings

from app.private_files import make_private, private_folder, write_private
from app.speech.voices import APP_NAME

RECOGNITION_LANGUAGES = ("auto", "de", "en")
UI_LANGUAGE_CHOICES = ("system", "de", "en")
CALENDAR_VIEWS = ("agenda", "week")


def default_calendar_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "calendar.ics"


@dataclass(frozen=True)
class Preferences:
    microphone: str = ""
    """The input device's name; empty: the system's default."""
    recognition_language: str = "auto"
    voices: dict[str, str] = field(default_factory=dict)
    """Language → Piper voice file (.onnx) to speak it with; missing: chosen automatically."""
    calendar_path: Path = field(default_factory=default_calendar_path)
    calendar_url: str = ""
    """A CalDAV collection (with the user name in it) used instead of the file; empty: the
    file. Its password is in the desktop's secret store, never here."""
    speak_replies: bool = True
    ui_language: str = "system"
    calendar_view: str = "agenda"
    """What the calendar column shows: "agenda" (the coming days) or "week"."""

    @property
    def calendar_location(self) -> str:
        """What the assistant opens: the server's calendar if one is chosen, else the file."""
        return self.calendar_url or str(self.calendar_path)

    def voice_files(self) -> tuple[Path, ...]:
        """The chosen voices that still exist (a deleted one falls back to the automatic
        choice instead of stopping the app from loading)."""
        return tuple(Path(path) for path in self.voices.values() if path and Path(path).is_file())


def load_preferences(settings: QSettings) -> Preferences:
    defaults = Preferences()
    language = str(settings.value("recognition/language", defaults.recognition_language))
    ui = str(settings.value("ui/language", defaults.ui_language))
    voices = {
        language_code: str(settings.value(f"voices/{language_code}", ""))
        for language_code in ("de", "en")
        if settings.value(f"voices/{language_code}", "")
    }
    calendar = str(settings.value("calendar/path", "")) or str(defaults.calendar_path)
    view = str(settings.value("ui/calendar_view", defaults.calendar_view))
    return Preferences(
        microphone=str(settings.value("microphone/name", "")),
        recognition_language=language if language in RECOGNITION_LANGUAGES else "auto",
        voices=voices,
        calendar_path=Path(calendar).expanduser(),
        calendar_url=str(settings.value("calendar/url", "")),
        speak_replies=_flag(settings.value("speech/speak_replies", True)),
        ui_language=ui if ui in UI_LANGUAGE_CHOICES else "system",
        calendar_view=view if view in CALENDAR_VIEWS else defaults.calendar_view,
    )


def save_preferences(settings: QSettings, preferences: Preferences) -> None:
    _keep_private(Path(settings.fileName()))
    settings.setValue("microphone/name", preferences.microphone)
    settings.setValue("recognition/language", preferences.recognition_language)
    for language in ("de", "en"):
        settings.setValue(f"voices/{language}", preferences.voices.get(language, ""))
    settings.setValue("calendar/path", str(preferences.calendar_path))
    settings.setValue("calendar/url", preferences.calendar_url)
    settings.setValue("speech/speak_replies", preferences.speak_replies)
    settings.setValue("ui/language", preferences.ui_language)
    settings.setValue("ui/calendar_view", preferences.calendar_view)
    settings.sync()


def _flag(value: object) -> bool:
    """QSettings' INI backend gives booleans back as the strings "true"/"false"."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def _keep_private(path: Path) -> None:
    """The settings file readable by its user only. Qt saves it by replacing it with a new
    file that keeps the old one's permissions, so an empty private file made before the first
    save stays private through every later one."""
    private_folder(path.parent)
    if path.exists():
        make_private(path)
    else:
        write_private(path, b"")
