"""Inputs to break doors with: recordings in many shapes, calendars from the shared corpus, and
the mutations both get (truncation, flipped bits, overwritten headers, duplicated UIDs, mixed
line endings). Every mutation is a pure function of its arguments, so hypothesis can shrink."""

from __future__ import annotations

import io
import random
import re
from collections.abc import Callable

import av
import numpy as np
import soundfile

from app.speech.audio import SAMPLE_RATE, load_audio
from tests.conftest import REPO_ROOT, shared_dir

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "audio"
SPOKEN = "en_list_tomorrow.flac"
"""'What's on my calendar tomorrow?': short, and it never changes the calendar."""


def _sound_file(samples: np.ndarray, rate: int, format_: str, subtype: str | None) -> bytes:
    buffer = io.BytesIO()
    soundfile.write(buffer, samples, rate, format=format_, subtype=subtype)
    return buffer.getvalue()


def _mp3(samples: np.ndarray, rate: int) -> bytes:
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp3") as container:
        stream = container.add_stream("mp3", rate=rate, layout="mono")
        frame = av.AudioFrame.from_ndarray(
            samples.astype(np.float32).reshape(1, -1), format="flt", layout="mono"
        )
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return buffer.getvalue()


def recordings() -> dict[str, tuple[str, bytes]]:
    """Name → (file extension, bytes): one spoken command in many encodings, and things that
    only look like recordings."""
    speech = load_audio(FIXTURES / SPOKEN)
    at_8k = speech[::2]  # 8 kHz, aliasing and all, as a cheap recorder makes it
    six = np.stack([speech] * 6, axis=1)
    rng = np.random.default_rng(3)
    return {
        "wav 16 kHz 16-bit": ("wav", _sound_file(speech, SAMPLE_RATE, "WAV", "PCM_16")),
        "wav 8 kHz 8-bit": ("wav", _sound_file(at_8k, 8000, "WAV", "PCM_U8")),
        "wav 6 channels float": ("wav", _sound_file(six, SAMPLE_RATE, "WAV", "FLOAT")),
        "flac": ("flac", (FIXTURES / SPOKEN).read_bytes()),
        "mp3": ("mp3", _mp3(speech, SAMPLE_RATE)),
        "wav without frames": ("wav", _sound_file(np.zeros(0), SAMPLE_RATE, "WAV", "PCM_16")),
        "wav of ten minutes": (
            "wav",
            _sound_file(np.zeros(600 * 8000, np.float32), 8000, "WAV", "PCM_U8"),
        ),
        "white noise": ("wav", _sound_file(rng.uniform(-0.6, 0.6, 32_000), 16_000, "WAV", None)),
        "random bytes": ("wav", rng.bytes(3000)),
        "text": ("mp3", b"ID3 this is not a recording\n" * 20),
        "nothing": ("wav", b""),
    }


def corpus_calendars() -> list[bytes]:
    """Every file of the shared corpus (valid, invalid and empty), or where it is missing the
    calendars of this repository's tests."""
    folder = shared_dir() / "corpus" / "ics"
    files = sorted(folder.rglob("*.ics")) if folder.is_dir() else []
    if files:
        return [path.read_bytes() for path in files]
    from tests.calendar_backend.test_recurring import SERIES

    return [SERIES, b""]


# --- mutations -------------------------------------------------------------------------------


def truncate(data: bytes, share: float) -> bytes:
    return data[: int(len(data) * share)]


def flip_bit(data: bytes, position: int, bit: int) -> bytes:
    if not data:
        return data
    index = position % len(data)
    return data[:index] + bytes([data[index] ^ (1 << (bit % 8))]) + data[index + 1 :]


def flip_in_header(data: bytes, position: int, bit: int) -> bytes:
    """Headers (the first 64 bytes) hold what decoders trust most: sizes, rates, channels."""
    return flip_bit(data, position % min(64, max(1, len(data))), bit)


def scramble_header(data: bytes, seed: int) -> bytes:
    size = min(len(data), 12 + seed % 52)
    return random.Random(seed).randbytes(size) + data[size:]


def zero_a_size(data: bytes, position: int) -> bytes:
    """Four bytes of the header set to zero or all ones: a chunk or stream size that lies."""
    index = position % max(1, min(len(data) - 4, 60))
    filler = b"\x00" * 4 if position % 2 else b"\xff" * 4
    return data[:index] + filler + data[index + 4 :]


def repeat_a_piece(data: bytes, start: int, length: int) -> bytes:
    if not data:
        return data
    index = start % len(data)
    return data[:index] + data[index : index + 1 + length % 4096] * 2 + data[index:]


def duplicate_a_uid(data: bytes, which: int) -> bytes:
    """One event appears twice; or a second event takes the first one's UID."""
    events = list(re.finditer(rb"BEGIN:VEVENT.*?END:VEVENT\r?\n?", data, re.S))
    if not events:
        return data
    chosen = events[which % len(events)]
    if which % 2 or len(events) < 2:
        return data[: chosen.end()] + chosen.group() + data[chosen.end() :]
    uids = re.findall(rb"^UID:[^\r\n]*", data, re.M)
    if len(uids) < 2:
        return data
    return data.replace(uids[1], uids[0], 1)


def mix_line_endings(data: bytes, seed: int) -> bytes:
    """Some lines end in CRLF and others in LF, whichever the file used before."""
    rng = random.Random(seed)
    lines = data.split(b"\n")
    mixed = [
        line + b"\r" if rng.random() < 0.5 and not line.endswith(b"\r") else line.rstrip(b"\r")
        for line in lines[:-1]
    ]
    return b"\n".join([*mixed, lines[-1]])


AUDIO_MUTATIONS: dict[str, Callable[[bytes, int, int], bytes]] = {
    "truncate": lambda data, a, _b: truncate(data, (a % 1000) / 1000),
    "flip a bit": lambda data, a, b: flip_bit(data, a, b),
    "flip a header bit": lambda data, a, b: flip_in_header(data, a, b),
    "scramble the header": lambda data, a, _b: scramble_header(data, a),
    "break a size": lambda data, a, _b: zero_a_size(data, a),
    "repeat a piece": lambda data, a, b: repeat_a_piece(data, a, b),
}

CALENDAR_MUTATIONS: dict[str, Callable[[bytes, int, int], bytes]] = {
    "truncate": lambda data, a, _b: truncate(data, (a % 1000) / 1000),
    "flip a bit": lambda data, a, b: flip_bit(data, a, b),
    "duplicate a UID": lambda data, a, _b: duplicate_a_uid(data, a),
    "mix line endings": lambda data, a, _b: mix_line_endings(data, a),
    "repeat a piece": lambda data, a, b: repeat_a_piece(data, a, b),
}
