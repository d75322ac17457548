"""The talk session: the microphone opened and closed on the audio lane, its level shown while
listening, each end of speech heard while the button is held (recognition and understanding
start early, `app.early_start`), the recording handed to the window at the release, and
replies spoken. Microphone and speaker problems are explained in the window's language."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from app.early_start import EarlyStarts, start_early
from app.gui.answers import Answer
from app.gui.conversation import Conversation
from app.gui.preferences import Preferences
from app.gui.services import MicrophoneLike, Services
from app.gui.text import UiText
from app.gui.workers import Lane, Report, as_sentence, message_for
from app.pipeline import Pipeline
from app.speech.microphone import (
    ClippingError,
    DeviceVanishedError,
    Level,
    MicrophoneSettings,
    NoInputDeviceError,
    Recording,
    SpeechEnd,
)
from app.speech.tts import AudioChunk, NoSpeakerError

_log = logging.getLogger(__name__)


class TalkHost(Protocol):
    """What the talk session uses of the window."""

    state: str
    closing: bool
    pipeline: Pipeline | None
    preferences: Preferences
    services: Services
    text: UiText
    audio_lane: Lane
    assistant_lane: Lane
    conversation: Conversation

    def set_state(self, state: str) -> None: ...

    def idle_state(self) -> str: ...

    def heard(self, recording: Recording, early_starts: EarlyStarts, released_at: float) -> None:
        """The recording at the release, with what was started before it."""


class _Relays(QObject):
    """Carry the microphone's levels and ends of speech (with the recording's number) from
    the audio thread to the GUI thread."""

    level = Signal(float)
    ended = Signal(int, object)


class TalkSession:
    def __init__(self, host: TalkHost) -> None:
        self.host = host
        self.microphone: MicrophoneLike | None = None
        self.attempt = 0
        """Counts recordings, so that a late failure of an old one is not shown."""
        self.failed_attempts: set[int] = set()
        self.early_starts = EarlyStarts()
        self._relays = _Relays()
        self._relays.level.connect(self._show_level)
        self._relays.ended.connect(self._speech_ended)

    # --- listening -------------------------------------------------------------------------

    def toggle(self) -> None:
        host = self.host
        if host.state == "listening":
            self.stop()
        elif host.state in ("ready", "waiting") and host.pipeline is not None:
            self.start()

    def start(self) -> None:
        host = self.host
        host.conversation.clear_error()
        self.attempt += 1
        attempt = self.attempt
        settings = MicrophoneSettings(device_name=host.preferences.microphone or None)
        self.early_starts = EarlyStarts()
        relays = self._relays

        def relay_speech_end(speech_end: SpeechEnd) -> None:
            relays.ended.emit(attempt, speech_end)

        def relay_level(level: Level) -> None:
            relays.level.emit(level.rms_dbfs)

        try:
            microphone = host.services.microphone(settings, relay_level, relay_speech_end)
        except Exception as error:  # the factory may fail on a missing audio library
            self._microphone_failed(attempt, error)
            return
        self.microphone = microphone
        host.set_state("listening")
        host.audio_lane.submit(
            lambda _report: microphone.start(),
            _ignore,
            lambda error: self._microphone_failed(attempt, error),
        )

    def stop(self) -> None:
        microphone, self.microphone = self.microphone, None
        if microphone is None:
            return
        released_at = time.perf_counter()
        attempt, early_starts = self.attempt, self.early_starts
        self.host.set_state("transcribing")
        self.host.audio_lane.submit(
            lambda _report: microphone.stop(),
            lambda recording: self._heard(attempt, recording, early_starts, released_at),
            lambda error: self._microphone_failed(attempt, error),
        )

    def close(self) -> None:
        """The window closes: a microphone still open is closed."""
        microphone, self.microphone = self.microphone, None
        if microphone is not None:
            self.host.audio_lane.submit(lambda _report: microphone.stop(), _ignore, _ignore)

    def _heard(
        self, attempt: int, recording: Recording, early_starts: EarlyStarts, released_at: float
    ) -> None:
        if not self.host.closing and attempt not in self.failed_attempts:
            self.host.heard(recording, early_starts, released_at)

    def _speech_ended(self, attempt: int, speech_end: SpeechEnd) -> None:
        """The speaker paused with the button still held: recognition and understanding start
        on the audio so far, on the assistant lane, so the release's work (queued after it)
        finds them. Nothing is changed until the release."""
        host = self.host
        pipeline = host.pipeline
        if host.closing or attempt != self.attempt or host.state != "listening":
            return
        if pipeline is None:
            return
        early_starts = self.early_starts
        early_starts.heard(speech_end)
        language = host.preferences.recognition_language
        services = host.services

        def work(_report: Report) -> None:
            if early_starts.is_latest(speech_end):  # else a later pause is queued already
                now = services.local_now()
                early_starts.finished(start_early(pipeline, speech_end, language, now))

        # A failure is logged by the lane; the release then works on the whole recording.
        host.assistant_lane.submit(work, _ignore, _ignore)

    def _show_level(self, rms_dbfs: float) -> None:
        if self.host.state == "listening":
            self.host.conversation.show_level(rms_dbfs)

    def _microphone_failed(self, attempt: int, error: BaseException) -> None:
        """Shown once per recording: when starting failed, stopping fails too."""
        host = self.host
        if host.closing or attempt in self.failed_attempts:
            return
        self.failed_attempts.add(attempt)
        if attempt != self.attempt:
            return
        self.microphone = None
        host.conversation.show_error(microphone_problem(error, host.text))
        host.set_state(host.idle_state())

    # --- speaking --------------------------------------------------------------------------

    def speak(
        self, message: str, language: str, on_first_chunk: Callable[[], None] | None = None
    ) -> None:
        host = self.host
        synthesizer = host.pipeline.synthesizer if host.pipeline else None
        if not host.preferences.speak_replies or synthesizer is None or not message:
            return
        host.set_state("speaking")
        player = host.services.player

        def work(_report: Report) -> None:
            chunks = synthesizer.synthesize(message, language)
            player(chunks if on_first_chunk is None else _noting_first(chunks, on_first_chunk))

        host.audio_lane.submit(work, self._spoken, self._speaking_failed)

    def _spoken(self, _result: object) -> None:
        if not self.host.closing:
            self.host.set_state(self.host.idle_state())

    def _speaking_failed(self, error: BaseException) -> None:
        host = self.host
        if host.closing:
            return
        text = host.text
        if isinstance(error, NoSpeakerError):
            problem = text(
                "The reply could not be spoken: no loudspeaker or headphones could be used."
                " Connect them, choose another output in Settings, or turn spoken replies off."
            )
        else:
            problem = text(
                "The reply could not be spoken: {reason}. Check the voice and the speakers in"
                " Settings, or turn spoken replies off.",
                reason=message_for(error, text.language).rstrip("."),
            )
        host.conversation.show_error(problem)
        host.set_state(host.idle_state())


def microphone_problem(error: BaseException, text: UiText) -> str:
    if isinstance(error, NoInputDeviceError):
        return text("No microphone could be opened. Connect one, or choose another in Settings.")
    if isinstance(error, DeviceVanishedError):
        return text(
            "The microphone stopped delivering sound. Check that it is still connected,"
            " then try again."
        )
    if isinstance(error, ClippingError):
        return text(
            "The recording is distorted. Turn the microphone's input level down in the"
            " system's sound settings."
        )
    return text(
        "{problem}. Check the microphone in Settings and try again.",
        problem=as_sentence(message_for(error, text.language).rstrip(".")),
    )


def _ignore(_value: Any) -> None:
    return None


def _noting_first(chunks: Iterable[AudioChunk], note: Callable[[], None]) -> Iterator[AudioChunk]:
    """`chunks`, calling `note` when the first one is made."""
    noted = False
    for chunk in chunks:
        if not noted:
            note()
            noted = True
        yield chunk


def latency_note(answer: Answer) -> Callable[[], None] | None:
    """For a spoken request: logs how long after the release (and after the end of speech,
    when that was reused) the reply's first audio was ready."""
    released_at, speech_end_at = answer.released_at, answer.speech_end_at
    if released_at is None:
        return None
    verdict = answer.reuse.verdict if answer.reuse is not None else "none"

    def note() -> None:
        ready = time.perf_counter()
        after_speech = (
            ""
            if speech_end_at is None
            else f", {(ready - speech_end_at) * 1000:.0f} ms after the end of speech"
        )
        _log.info(
            "first reply audio %.0f ms after the release%s (%s)",
            (ready - released_at) * 1000,
            after_speech,
            verdict,
        )

    return note
