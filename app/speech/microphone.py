"""The microphone: sounddevice capture from a device chosen by name, converted to 16 kHz mono,
with a level callback for a meter, push-to-talk (`start`/`stop`, with a callback when the
speaker stops talking while the button is still held) or automatic end of speech
(`record_utterance`), and clear errors for the usual problems (a recording without speech is
not one of them: see `app.speech.no_speech`)."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from app.speech.audio import SAMPLE_RATE, Resampler, Samples
from app.speech.devices import DeviceNotFoundError, choose_device

LOG = logging.getLogger(__name__)

EndReason = Literal["speech_end", "no_speech", "stopped", "max_length"]
"""Why a recording ended: the speaker stopped talking, nobody started talking in time (see
`MicrophoneSettings.wait_for_speech_s`), push-to-talk was released, or it got too long."""


class MicrophoneError(RuntimeError):
    """Recording from the microphone did not give a usable recording."""


class NoInputDeviceError(MicrophoneError):
    """There is no microphone, or it cannot be opened."""


class DeviceVanishedError(MicrophoneError):
    """The microphone went away while recording."""


class RecordingQualityError(MicrophoneError):
    """A recording was made but is not usable as it is; `recording` holds it."""

    def __init__(self, message: str, recording: Recording) -> None:
        super().__init__(message)
        self.recording = recording


class ClippingError(RecordingQualityError):
    """The input was too loud: many samples hit full scale."""


@dataclass(frozen=True)
class Level:
    """One block's loudness, for a level meter."""

    rms_dbfs: float
    peak: float
    speech: bool
    """Whether the end-of-speech detector currently hears speech."""


@dataclass(frozen=True)
class Recording:
    samples: Samples
    """16 kHz mono float32."""
    device_name: str
    device_sample_rate: int
    ended_by: EndReason
    speech_detected: bool
    """Whether the end-of-speech detector heard speech start. Whether the recording holds
    speech at all is decided after it, for every door alike (`app.speech.no_speech`)."""
    clipped_fraction: float
    """Share of the device's samples at full scale."""
    last_speech_sample: int | None = None
    """Where the last frame the end-of-speech detector took for speech ends (an index into
    `samples`); None when it took none for speech."""

    @property
    def duration_s(self) -> float:
        return len(self.samples) / SAMPLE_RATE


@dataclass(frozen=True)
class SpeechEnd:
    """Push-to-talk: the end-of-speech detector heard the speaker stop while the recording
    goes on (the button is still held)."""

    recording: Recording
    """The audio up to that moment (not checked for clipping; `stop` does that)."""
    noticed_at: float
    """`time.perf_counter()` when it was noticed."""


# --- end of speech ---------------------------------------------------------------------------


class Endpointer:
    """Finds where speech starts and ends in a 16 kHz stream, frame by frame: speech starts
    after `start_frames` speech frames in a row and ends after `hangover_s` without speech."""

    frame_size = 480

    def __init__(self, start_frames: int = 3, hangover_s: float = 0.8) -> None:
        self.start_frames = start_frames
        self.hangover_frames = math.ceil(hangover_s * SAMPLE_RATE / self.frame_size)
        self.speech_started = False
        self.speech_ended = False
        """True from the first end of speech on, even when the speaker talks again."""
        self.in_speech = False
        self.ends_heard = 0
        """How many stretches of speech have ended (a pause in push-to-talk ends one)."""
        self.last_speech_sample: int | None = None
        """Where the last frame taken for speech ends, as an index into the samples fed."""
        self._talking = False
        self._frames = 0
        self._pending = np.zeros(0, dtype=np.float32)
        self._speech_run = 0
        self._silence_run = 0

    def feed(self, samples: Samples) -> None:
        pending = np.concatenate([self._pending, samples])
        whole = len(pending) // self.frame_size * self.frame_size
        for start in range(0, whole, self.frame_size):
            self._step(self._is_speech(pending[start : start + self.frame_size]))
        self._pending = pending[whole:]

    def _step(self, speech: bool) -> None:
        self._frames += 1
        self.in_speech = speech
        if speech:
            self.last_speech_sample = self._frames * self.frame_size
            self._speech_run += 1
            self._silence_run = 0
            if self._speech_run >= self.start_frames:
                self.speech_started = True
                self._talking = True
        else:
            self._speech_run = 0
            self._silence_run += 1
            if self._talking and self._silence_run >= self.hangover_frames:
                self._talking = False
                self.speech_ended = True
                self.ends_heard += 1

    def _is_speech(self, frame: Samples) -> bool:
        raise NotImplementedError


class EnergyEndpointer(Endpointer):
    """Speech is a 30 ms frame clearly louder than the noise floor (which follows the quietest
    recent frames) and louder than an absolute minimum."""

    frame_size = 480

    def __init__(
        self,
        start_frames: int = 3,
        hangover_s: float = 0.8,
        margin_db: float = 12.0,
        minimum_dbfs: float = -50.0,
    ) -> None:
        super().__init__(start_frames, hangover_s)
        self.margin_db = margin_db
        self.minimum_dbfs = minimum_dbfs
        self._floor_dbfs: float | None = None

    def _is_speech(self, frame: Samples) -> bool:
        level = dbfs(frame)
        if self._floor_dbfs is None:
            self._floor_dbfs = level
        # The floor drops at once to a quieter frame and rises slowly (about 3 dB a second).
        self._floor_dbfs = min(level, self._floor_dbfs + 0.1)
        return level > max(self._floor_dbfs + self.margin_db, self.minimum_dbfs)


class SileroEndpointer(Endpointer):
    """Silero VAD (bundled with faster-whisper), streamed 32 ms window by window."""

    frame_size = 512
    _context_size = 64

    def __init__(
        self,
        start_frames: int = 2,
        hangover_s: float = 0.8,
        threshold: float = 0.5,
        end_threshold: float = 0.35,
    ) -> None:
        super().__init__(start_frames, hangover_s)
        from faster_whisper.vad import get_vad_model  # type: ignore[import-untyped]

        self._session: Any = get_vad_model().session
        self.threshold = threshold
        self.end_threshold = end_threshold
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(self._context_size, dtype=np.float32)

    def _is_speech(self, frame: Samples) -> bool:
        window = np.concatenate([self._context, frame]).reshape(1, -1).astype(np.float32)
        output, self._h, self._c = self._session.run(
            None, {"input": window, "h": self._h, "c": self._c}
        )
        self._context = frame[-self._context_size :]
        probability = float(np.asarray(output).reshape(-1)[0])
        return probability > (self.end_threshold if self.in_speech else self.threshold)


def dbfs(samples: npt.NDArray[np.float32]) -> float:
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if len(samples) else 0.0
    return 20 * math.log10(max(rms, 1e-10))


ENDPOINTERS: dict[str, Callable[[], Endpointer]] = {
    "energy": EnergyEndpointer,
    "silero": SileroEndpointer,
}


# --- capture ---------------------------------------------------------------------------------

CLIPPING_LEVEL = 0.99
CLIPPING_LIMIT = 0.005
"""More than this share of samples at full scale is an error."""
STALL_S = 2.0
"""No audio for this long while recording: the device is gone."""


@dataclass(frozen=True)
class MicrophoneSettings:
    device_name: str | None = None
    """The saved device; None or a missing one: the default input."""
    endpointer: str = "silero"
    max_seconds: float = 30.0
    wait_for_speech_s: float = 8.0
    """Automatic mode: give up when no speech starts within this much audio."""
    block_s: float = 0.03


class Microphone:
    """One recording at a time. `on_level` is called from the audio thread for every block;
    in push-to-talk, `on_speech_end` is called from the audio thread each time the speaker
    stops talking (it must return quickly: hand the work to another thread)."""

    def __init__(
        self,
        settings: MicrophoneSettings | None = None,
        on_level: Callable[[Level], None] | None = None,
        on_speech_end: Callable[[SpeechEnd], None] | None = None,
    ) -> None:
        self.settings = settings or MicrophoneSettings()
        self.on_level = on_level
        self.on_speech_end = on_speech_end
        self._stream: Any = None
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._finished = threading.Event()
        self._reason: EndReason = "stopped"
        self._automatic = False
        self._pieces: list[Samples] = []
        self._captured = 0
        self._device_samples = 0
        self._clipped = 0
        self._ends_reported = 0
        self._last_block_at = 0.0
        self._error: BaseException | None = None
        self._endpointer: Endpointer = EnergyEndpointer()
        self._resampler: Resampler | None = None
        self.device_name = ""
        self.device_sample_rate = 0

    # -- public -----------------------------------------------------------------------------

    def start(self) -> None:
        """Push-to-talk: start recording; `stop` ends it."""
        self._open(automatic=False)

    def stop(self) -> Recording:
        """Push-to-talk: stop and return the recording (see `_checked` for the errors)."""
        if self._stream is None:
            raise MicrophoneError("the microphone is not recording")
        if not self._done.is_set():
            self._reason = "stopped"
            self._done.set()
        return self._close_and_collect()

    def record_utterance(self) -> Recording:
        """Record until the speaker stops talking (or the maximum length)."""
        self._open(automatic=True)
        wall_limit = self.settings.max_seconds * 2 + 5
        started = time.monotonic()
        while not self._done.wait(0.05):
            if time.monotonic() - started > wall_limit:
                self._reason = "max_length"
                self._done.set()
        return self._close_and_collect()

    @property
    def recording(self) -> bool:
        return self._stream is not None and not self._done.is_set()

    # -- internals --------------------------------------------------------------------------

    def _open(self, automatic: bool) -> None:
        import sounddevice  # type: ignore[import-untyped]

        if self._stream is not None:
            raise MicrophoneError("the microphone is already recording")
        try:
            device = choose_device(self.settings.device_name, "input")
        except DeviceNotFoundError as error:
            raise NoInputDeviceError("no microphone found: connect one and try again") from error
        self.device_name = device.name
        self.device_sample_rate = device.default_sample_rate
        self._automatic = automatic
        self._done.clear()
        self._finished.clear()
        self._reason = "stopped"
        self._pieces = []
        self._captured = 0
        self._device_samples = 0
        self._clipped = 0
        self._ends_reported = 0
        self._error = None
        self._endpointer = ENDPOINTERS[self.settings.endpointer]()
        stream: Any = None
        last_error: Exception | None = None
        for channels in sorted({1, min(2, device.channels)}):
            self._resampler = Resampler(device.default_sample_rate, channels)
            try:
                stream = sounddevice.InputStream(
                    device=device.index,
                    channels=channels,
                    samplerate=device.default_sample_rate,
                    # 16-bit integers, as most devices deliver them: some ALSA plugin chains
                    # lose blocks when converting to float for PortAudio.
                    dtype="int16",
                    blocksize=max(1, int(self.settings.block_s * device.default_sample_rate)),
                    callback=self._on_block,
                    finished_callback=self._finished.set,
                )
                break
            except sounddevice.PortAudioError as error:
                last_error = error
        if stream is None:
            raise NoInputDeviceError(
                f"the microphone {device.name!r} cannot be opened ({last_error})"
            )
        self._last_block_at = time.monotonic()
        self._stream = stream
        stream.start()
        threading.Thread(target=self._watch, name="microphone-watch", daemon=True).start()

    def _on_block(self, raw: npt.NDArray[np.int16], frames: int, when: Any, status: Any) -> None:
        import sounddevice

        del frames, when, status
        self._last_block_at = time.monotonic()
        if self._done.is_set():
            raise sounddevice.CallbackStop
        try:
            block = raw.astype(np.float32) / 32768.0
            self._device_samples += block.size
            self._clipped += int(np.count_nonzero(np.abs(block) >= CLIPPING_LEVEL))
            assert self._resampler is not None
            samples = self._resampler.convert(block)
            self._endpointer.feed(samples)
            self._pieces.append(samples)
            self._captured += len(samples)
            if self.on_level is not None and len(samples):
                peak = float(np.max(np.abs(block))) if block.size else 0.0
                self.on_level(Level(dbfs(samples), peak, self._endpointer.in_speech))
        except Exception as error:  # an exception must not vanish in the audio thread
            self._error = error
            self._done.set()
            raise sounddevice.CallbackAbort from error
        self._check_end()
        if self._done.is_set():
            raise sounddevice.CallbackStop
        self._report_speech_end()

    def _report_speech_end(self) -> None:
        """Push-to-talk: tell `on_speech_end` about an end of speech not reported yet."""
        ends = self._endpointer.ends_heard
        if self._automatic or self.on_speech_end is None or ends == self._ends_reported:
            return
        self._ends_reported = ends
        noticed_at = time.perf_counter()
        try:
            self.on_speech_end(SpeechEnd(self._recording_so_far("speech_end"), noticed_at))
        except Exception:  # hearing the end early only saves time; the recording goes on
            LOG.warning("the end-of-speech callback failed", exc_info=True)

    def _check_end(self) -> None:
        settings = self.settings
        if self._captured >= settings.max_seconds * SAMPLE_RATE:
            self._reason = "max_length"
            self._done.set()
        elif not self._automatic:
            return
        elif self._endpointer.speech_ended:
            self._reason = "speech_end"
            self._done.set()
        elif (
            not self._endpointer.speech_started
            and self._captured >= settings.wait_for_speech_s * SAMPLE_RATE
        ):
            self._reason = "no_speech"
            self._done.set()

    def _watch(self) -> None:
        """Notices a device that stops delivering audio or a stream that stops by itself."""
        while not self._done.is_set():
            if self._finished.wait(0.1) and not self._done.is_set():
                self._error = DeviceVanishedError(
                    f"the microphone {self.device_name!r} stopped working during the recording"
                )
                self._done.set()
            elif time.monotonic() - self._last_block_at > STALL_S:
                self._error = DeviceVanishedError(
                    f"the microphone {self.device_name!r} stopped delivering sound"
                )
                self._done.set()

    def _close_and_collect(self) -> Recording:
        stream, self._stream = self._stream, None
        try:
            stream.stop()
        except Exception as error:  # a vanished device may fail to stop
            LOG.debug("stopping the input stream failed: %s", error)
        try:
            stream.close()
        except Exception as error:
            LOG.debug("closing the input stream failed: %s", error)
        if self._error is not None:
            if isinstance(self._error, MicrophoneError):
                raise self._error
            raise DeviceVanishedError(
                f"recording from {self.device_name!r} failed: {self._error}"
            ) from self._error
        assert self._resampler is not None
        self._pieces.append(self._resampler.flush())
        return _checked(self._recording_so_far(self._reason))

    def _recording_so_far(self, ended_by: EndReason) -> Recording:
        samples = np.concatenate(self._pieces) if self._pieces else np.zeros(0, np.float32)
        limit = int(self.settings.max_seconds * SAMPLE_RATE)
        return Recording(
            samples=samples[:limit].astype(np.float32),
            device_name=self.device_name,
            device_sample_rate=self.device_sample_rate,
            ended_by=ended_by,
            speech_detected=self._endpointer.speech_started,
            clipped_fraction=self._clipped / max(1, self._device_samples),
            last_speech_sample=self._endpointer.last_speech_sample,
        )


def _checked(recording: Recording) -> Recording:
    if len(recording.samples) == 0:
        raise DeviceVanishedError(f"the microphone {recording.device_name!r} delivered no sound")
    if recording.clipped_fraction > CLIPPING_LIMIT:
        raise ClippingError(
            f"the recording is distorted ({recording.clipped_fraction:.1%} of it at full "
            "volume): turn the microphone's input level down",
            recording,
        )
    return recording
