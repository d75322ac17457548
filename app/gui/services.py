"""What the window takes from outside (the models, the microphone, the speaker, the zone and
the clock); tests swap the microphone and the speaker. Qt-free."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from app.gui.preferences import Preferences
from app.gui.workers import Report
from app.pipeline import Pipeline, load_pipeline
from app.speech.microphone import Level, Microphone, MicrophoneSettings, Recording, SpeechEnd
from app.speech.tts import AudioChunk, play
from calendar_backend import local_zone


class MicrophoneLike(Protocol):
    def start(self) -> None: ...

    def stop(self) -> Recording: ...


MicrophoneFactory = Callable[
    [MicrophoneSettings, Callable[[Level], None], Callable[[SpeechEnd], None]], MicrophoneLike
]
"""Makes a microphone that reports levels and, in push-to-talk, each end of speech."""
Player = Callable[[Iterable[AudioChunk]], None]


def _real_microphone(
    settings: MicrophoneSettings,
    on_level: Callable[[Level], None],
    on_speech_end: Callable[[SpeechEnd], None],
) -> Microphone:
    return Microphone(settings, on_level, on_speech_end)


def _load(preferences: Preferences, report: Report) -> Pipeline:
    return load_pipeline(voice_files=preferences.voice_files(), on_stage=report)


@dataclass
class Services:
    """What the window takes from outside; tests swap the microphone and the speaker."""

    load_pipeline: Callable[[Preferences, Report], Pipeline] = _load
    microphone: MicrophoneFactory = _real_microphone
    player: Player = play
    zone: ZoneInfo = field(default_factory=local_zone)
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    system_locale: str = "en_US"

    def local_now(self) -> datetime:
        """Now, in the person's zone."""
        return self.clock().astimezone(self.zone)
