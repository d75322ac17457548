from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
import soundfile

from app.limits import MAX_RECORDING_S
from app.speech.audio import (
    SAMPLE_RATE,
    AudioFileError,
    RecordingTooLongError,
    Resampler,
    load_audio,
    resample,
    write_wav,
)


def tone(rate: int, seconds: float, frequency: float = 440.0) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return (0.5 * np.sin(2 * np.pi * frequency * t)).astype(np.float32)


def dominant_frequency(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[int(np.argmax(spectrum))])


@pytest.mark.parametrize(
    ("rate", "channels", "extension"),
    [(8000, 1, "wav"), (44100, 2, "wav"), (48000, 1, "flac"), (22050, 2, "flac")],
)
def test_any_rate_and_channels_become_16k_mono(tmp_path: Path, rate, channels, extension):
    samples = tone(rate, 1.5)
    data = np.stack([samples] * channels, axis=1) if channels > 1 else samples
    path = tmp_path / f"tone.{extension}"
    soundfile.write(path, data, rate)
    decoded = load_audio(path)
    assert decoded.dtype == np.float32
    assert decoded.ndim == 1
    assert abs(len(decoded) - 1.5 * SAMPLE_RATE) <= 0.01 * SAMPLE_RATE
    assert dominant_frequency(decoded, SAMPLE_RATE) == pytest.approx(440, abs=2)
    assert 0.3 < np.max(np.abs(decoded)) <= 1.0


def mp3_bytes(samples: np.ndarray, rate: int, bit_rate: int = 128_000) -> bytes:
    """Bare MP3 frames: no ID3 tag and no header frame that states the length."""
    import av

    buffer = io.BytesIO()
    options = {"id3v2_version": "0", "write_xing": "0"}
    with av.open(buffer, "w", format="mp3", options=options) as container:
        stream = container.add_stream("mp3", rate=rate, layout="mono")
        stream.bit_rate = bit_rate
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="flt", layout="mono")
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return buffer.getvalue()


def test_mp3_is_decoded(tmp_path: Path):
    path = tmp_path / "tone.mp3"
    path.write_bytes(mp3_bytes(tone(44100, 1.0), 44100))
    decoded = load_audio(path)
    assert abs(len(decoded) - SAMPLE_RATE) < 0.1 * SAMPLE_RATE
    assert dominant_frequency(decoded, SAMPLE_RATE) == pytest.approx(440, abs=3)


def test_missing_and_unreadable_files_raise_clear_errors(tmp_path: Path):
    with pytest.raises(AudioFileError, match="no such file"):
        load_audio(tmp_path / "nothing.wav")
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"this is not audio" * 100)
    with pytest.raises(AudioFileError, match=r"junk\.wav"):
        load_audio(junk)


def test_write_wav_round_trip(tmp_path: Path):
    samples = tone(SAMPLE_RATE, 0.5)
    write_wav(tmp_path / "out.wav", samples, SAMPLE_RATE)
    info = soundfile.info(tmp_path / "out.wav")
    assert (info.samplerate, info.channels, info.subtype) == (SAMPLE_RATE, 1, "PCM_16")
    assert np.max(np.abs(load_audio(tmp_path / "out.wav") - samples)) < 1e-3


@pytest.mark.parametrize(("rate", "channels"), [(48000, 1), (44100, 2), (16000, 1)])
def test_streaming_resampler_matches_whole_conversion(rate, channels):
    samples = tone(rate, 2.0, 300.0)
    block = np.stack([samples] * channels, axis=1) if channels > 1 else samples.reshape(-1, 1)
    resampler = Resampler(rate, channels)
    pieces = [resampler.convert(block[i : i + 1323]) for i in range(0, len(block), 1323)]
    streamed = np.concatenate([*pieces, resampler.flush()])
    whole = resample(block, rate, channels)
    assert abs(len(streamed) - 2 * SAMPLE_RATE) <= 32
    assert len(streamed) == len(whole)
    assert dominant_frequency(streamed, SAMPLE_RATE) == pytest.approx(300, abs=2)


def test_a_recording_longer_than_a_command_is_refused_by_its_header(tmp_path: Path):
    path = tmp_path / "lecture.flac"
    soundfile.write(
        path, np.zeros(int(SAMPLE_RATE * (MAX_RECORDING_S + 1)), np.float32), SAMPLE_RATE
    )
    with pytest.raises(
        RecordingTooLongError, match=r"is 61 s long by its header; a command may take at most 60 s"
    ):
        load_audio(path)
    assert len(load_audio(path, max_seconds=None)) == SAMPLE_RATE * (MAX_RECORDING_S + 1)


def test_a_recording_whose_header_understates_its_length_is_stopped_while_decoding(
    tmp_path: Path,
):
    # Bare MP3 frames state no length: it is estimated from the first frames' bit rate, so a
    # loud start at 320 kbit/s and a long quiet rest at 32 kbit/s look like a few seconds.
    path = tmp_path / "joined.mp3"
    path.write_bytes(
        mp3_bytes(tone(44100, 2.0), 44100, 320_000)
        + mp3_bytes(tone(44100, MAX_RECORDING_S + 10), 44100, 32_000)
    )
    with pytest.raises(RecordingTooLongError, match=r"longer than 60 s; a command may take at"):
        load_audio(path)
