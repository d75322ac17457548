"""Audio files and sample-rate conversion: everything the recognizer reads is 16 kHz mono
float32 in [-1, 1]."""

from __future__ import annotations

import itertools
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt
import soundfile  # type: ignore[import-untyped]

from app.limits import MAX_RECORDING_S

SAMPLE_RATE = 16_000
"""The rate the recognizer and the voice activity detector work at."""

Samples = npt.NDArray[np.float32]


class AudioFileError(ValueError):
    """An audio file that cannot be read."""


class RecordingTooLongError(AudioFileError):
    """A recording longer than a command can be."""


def load_audio(path: Path, *, max_seconds: float | None = MAX_RECORDING_S) -> Samples:
    """Decode WAV, FLAC, MP3, … at any rate and channel count to 16 kHz mono float32.

    A recording longer than `max_seconds` is refused: by the length its header declares before
    anything is decoded, else as soon as decoding passes the limit."""
    if not path.is_file():
        raise AudioFileError(f"{path}: no such file")
    limit = None if max_seconds is None else round(max_seconds * SAMPLE_RATE)
    pieces: list[Samples] = []
    decoded = 0
    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise AudioFileError(f"{path}: no audio stream")
            stream = container.streams.audio[0]
            declared = _declared_seconds(container, stream)
            if max_seconds is not None and declared is not None and declared > max_seconds:
                raise _too_long(path, max_seconds, declared)
            resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
            # None at the end flushes the resampler.
            for frame in itertools.chain(container.decode(stream), [None]):
                for converted in resampler.resample(frame):
                    pieces.append(converted.to_ndarray().reshape(-1).astype(np.float32))
                    decoded += len(pieces[-1])
                if limit is not None and decoded > limit:
                    raise _too_long(path, limit / SAMPLE_RATE)
    except av.error.FFmpegError as error:
        reason = error.strerror or str(error)
        raise AudioFileError(f"{path}: not a readable audio file ({reason})") from error
    if not pieces:
        return np.zeros(0, dtype=np.float32)
    return np.clip(np.concatenate(pieces), -1.0, 1.0).astype(np.float32)


def _declared_seconds(
    container: av.container.InputContainer, stream: av.AudioStream
) -> float | None:
    """The length the file's header gives (for some formats an estimate), if any."""
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return float(container.duration / av.time_base)
    return None


def _too_long(
    path: Path, max_seconds: float, declared: float | None = None
) -> RecordingTooLongError:
    length = (
        f"{declared:.0f} s long by its header"
        if declared is not None
        else f"longer than {max_seconds:.0f} s"
    )
    return RecordingTooLongError(
        f"{path}: the recording is {length}; a command may take at most {max_seconds:.0f} s"
    )


def write_wav(path: Path, samples: npt.NDArray[np.floating], sample_rate: int) -> None:
    """16-bit PCM WAV; float samples in [-1, 1] (mono, or frames x channels)."""
    soundfile.write(str(path), np.clip(samples, -1.0, 1.0), sample_rate, subtype="PCM_16")


class Resampler:
    """Streaming conversion of float32 blocks (frames x channels) from a device's rate and
    channel count to 16 kHz mono, keeping the filter state between blocks."""

    def __init__(self, source_rate: int, channels: int) -> None:
        self.source_rate = source_rate
        self.channels = channels
        layout = "mono" if channels == 1 else "stereo"
        if channels > 2:
            raise ValueError("at most two input channels are supported")
        self._layout = layout
        self._resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        self._pts = 0

    def convert(self, block: npt.NDArray[np.float32]) -> Samples:
        frames = block.reshape(len(block), -1)
        if frames.shape[1] != self.channels:
            raise ValueError(f"expected {self.channels} channels, got {frames.shape[1]}")
        if self.source_rate == SAMPLE_RATE and self.channels == 1:
            return frames[:, 0].astype(np.float32)
        packed = np.ascontiguousarray(frames.astype(np.float32)).reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(packed, format="flt", layout=self._layout)
        frame.sample_rate = self.source_rate
        frame.pts = self._pts
        self._pts += len(frames)
        return _join(self._resampler.resample(frame))

    def flush(self) -> Samples:
        if self.source_rate == SAMPLE_RATE and self.channels == 1:
            return np.zeros(0, dtype=np.float32)
        return _join(self._resampler.resample(None))


def _join(frames: list[av.AudioFrame]) -> Samples:
    if not frames:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate([f.to_ndarray().reshape(-1) for f in frames]).astype(np.float32)


def resample(samples: npt.NDArray[np.float32], source_rate: int, channels: int = 1) -> Samples:
    """A whole recording (frames x channels) to 16 kHz mono."""
    resampler = Resampler(source_rate, channels)
    return np.concatenate([resampler.convert(samples), resampler.flush()]).astype(np.float32)
