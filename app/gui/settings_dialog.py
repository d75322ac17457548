"""Settings: microphone, recognition language, a voice per language, the calendar (a file or
a CalDAV server), spoken replies on or off, and the language of the window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QWidget,
)

from app.gui.calendar_settings import CalendarSettings
from app.gui.preferences import Preferences
from app.gui.text import UiText
from app.gui.workers import message_for
from app.private_files import copy_private, make_private, private_folder
from app.speech.voices import (
    VoiceError,
    bundled_voices,
    discover_piper_voices,
    read_piper_voice,
    user_voices_dir,
)
from calendar_backend import CalendarError

VOICE_LANGUAGES = ("de", "en")


def input_device_names() -> list[str]:
    """Microphones by name; none when the audio library cannot list them."""
    try:
        from app.speech.devices import list_devices

        return [device.name for device in list_devices("input")]
    except Exception:  # PortAudio missing or broken: only the system default is offered
        return []


def installed_voices(language: str) -> list[Path]:
    voices = discover_piper_voices([user_voices_dir()]) + bundled_voices()
    return [voice.model_path for voice in voices if voice.language == language]


def add_voice_file(model: Path, folder: Path | None = None) -> Path:
    """Copy a Piper voice (`x.onnx` and its `x.onnx.json`) into the user's voices folder,
    readable by the user only; returns the copied model. Raises VoiceError when the files are
    not a usable voice, are links, or would not land right inside the voices folder."""
    if model.name in ("", ".", "..") or not model.name.endswith(".onnx"):
        raise VoiceError(f"{model}: not the name of a voice file (x.onnx)")
    voice = read_piper_voice(model)
    for source in (voice.model_path, voice.config_path):
        if source.is_symlink():
            raise VoiceError(f"{source} is a link: choose the file it points to")
    # A file name alone (never a path, "..", or absolute) puts both copies right inside.
    target_folder = private_folder(folder or user_voices_dir())
    target = target_folder / model.name
    if not target.is_symlink() and target.resolve() == model.resolve():
        return make_private(target)
    # A copy replaces whatever lies at its name, a link too, without writing through it.
    copy_private(voice.config_path, target_folder / voice.config_path.name)
    copy_private(model, target)
    return target


class SettingsDialog(QDialog):
    def __init__(
        self, preferences: Preferences, text: UiText, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.text = text
        self._preferences = preferences
        self.setWindowTitle(text("Settings"))
        self.setMinimumWidth(560)
        form = QFormLayout(self)

        self.microphone = QComboBox()
        self.microphone.setObjectName("microphone")
        self.microphone.addItem(text("System default"), "")
        for name in input_device_names():
            self.microphone.addItem(name, name)
        if preferences.microphone and self.microphone.findData(preferences.microphone) < 0:
            self.microphone.addItem(
                text("{name} (not connected)", name=preferences.microphone),
                preferences.microphone,
            )
        _select(self.microphone, preferences.microphone)
        form.addRow(text("Microphone"), self.microphone)

        self.recognition_language = QComboBox()
        self.recognition_language.setObjectName("recognition-language")
        self.recognition_language.addItem(text("Automatic"), "auto")
        self.recognition_language.addItem("Deutsch", "de")
        self.recognition_language.addItem("English", "en")
        _select(self.recognition_language, preferences.recognition_language)
        form.addRow(text("Recognition language"), self.recognition_language)

        self.voices: dict[str, QComboBox] = {}
        for language, label in (("de", text("German voice")), ("en", text("English voice"))):
            combo = QComboBox()
            combo.setObjectName(f"voice-{language}")
            self._fill_voices(combo, language, preferences.voices.get(language, ""))
            add = QPushButton(text("Add voice file…"))
            add.setObjectName(f"add-voice-{language}")
            add.clicked.connect(lambda _checked=False, code=language: self._add_voice(code))
            row = QHBoxLayout()
            row.addWidget(combo, 1)
            row.addWidget(add)
            self.voices[language] = combo
            form.addRow(label, row)

        self.calendar = CalendarSettings(preferences, text)
        form.addRow(text("Calendar"), self.calendar)

        self.speak_replies = QCheckBox(text("Speak replies"))
        self.speak_replies.setObjectName("speak-replies")
        self.speak_replies.setChecked(preferences.speak_replies)
        form.addRow("", self.speak_replies)

        self.ui_language = QComboBox()
        self.ui_language.setObjectName("ui-language")
        self.ui_language.addItem(text("System language"), "system")
        self.ui_language.addItem("Deutsch", "de")
        self.ui_language.addItem("English", "en")
        _select(self.ui_language, preferences.ui_language)
        form.addRow(text("Window language"), self.ui_language)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(text("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(text("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def chosen(self) -> Preferences:
        voices = {
            language: str(combo.currentData())
            for language, combo in self.voices.items()
            if combo.currentData()
        }
        return Preferences(
            microphone=str(self.microphone.currentData() or ""),
            recognition_language=str(self.recognition_language.currentData()),
            voices=voices,
            calendar_path=self.calendar.chosen_path(),
            calendar_url=self.calendar.chosen_url(),
            speak_replies=self.speak_replies.isChecked(),
            ui_language=str(self.ui_language.currentData()),
        )

    def _fill_voices(self, combo: QComboBox, language: str, chosen: str) -> None:
        combo.clear()
        combo.addItem(self.text("Automatic"), "")
        for path in installed_voices(language):
            combo.addItem(path.stem, str(path))
        if chosen and combo.findData(chosen) < 0:
            combo.addItem(Path(chosen).stem, chosen)
        _select(combo, chosen)

    def _add_voice(self, language: str) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, self.text("Choose a Piper voice"), "", self.text("Piper voices (*.onnx)")
        )
        if name:
            self.add_voice(language, Path(name))

    def add_voice(self, language: str, model: Path) -> bool:
        """Copy the voice into the voices folder and choose it; says why when it cannot."""
        try:
            voice = read_piper_voice(model)
            if voice.language != language:
                raise VoiceError(
                    self.text(
                        "{file} speaks {found}, not {wanted}",
                        file=model.name,
                        found=voice.language,
                        wanted=language,
                    )
                )
            copied = add_voice_file(model)
        except (VoiceError, OSError) as error:
            QMessageBox.warning(
                self,
                self.text("Voice not added"),
                self.text(
                    "{reason}. Choose the .onnx file of a Piper voice; its .onnx.json must lie"
                    " beside it.",
                    reason=str(error).rstrip("."),
                ),
            )
            return False
        self._fill_voices(self.voices[language], language, str(copied))
        return True

    def accept(self) -> None:
        """Save only a usable calendar choice; a typed password goes to the secret store."""
        problem = self.calendar.problem()
        if problem is None:
            try:
                self.calendar.save_password()
            except CalendarError as error:
                problem = message_for(error, self.text.language)
        if problem is not None:
            QMessageBox.warning(self, self.text("Calendar not saved"), problem)
            return
        self.calendar.wait()
        super().accept()

    def reject(self) -> None:
        self.calendar.wait()
        super().reject()


def _select(combo: QComboBox, value: str) -> None:
    index = combo.findData(value)
    combo.setCurrentIndex(max(0, index))
