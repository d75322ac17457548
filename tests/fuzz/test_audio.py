"""`transcribe` and `run-wav`: recordings in every shape and mutated ones, through real
decoding and the real models; the calendar is touched only by a request carried out."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from tests.calendar_backend.test_recurring import SERIES
from tests.fuzz.doors import assert_contract, call, fuzz_settings
from tests.fuzz.inputs import AUDIO_MUTATIONS, recordings

CONTEXT = ("--now", "2026-03-26T10:00", "--tz", "Europe/Berlin")
EXTENSIONS = ["wav", "flac", "mp3", "ogg", "m4a", ""]


@cache
def _recordings() -> dict[str, tuple[str, bytes]]:
    return recordings()


MUTATION = st.tuples(
    st.sampled_from(sorted(AUDIO_MUTATIONS)), st.integers(0, 2**31), st.integers(0, 2**16)
)
RECORDING = st.tuples(
    st.sampled_from(sorted(_recordings())),
    st.lists(MUTATION, max_size=3),
    st.one_of(st.none(), st.sampled_from(EXTENSIONS)),
)


def write_recording(folder: Path, recording: tuple[str, list, str | None]) -> Path:
    name, mutations, extension = recording
    own_extension, data = _recordings()[name]
    for mutation, first, second in mutations:
        data = AUDIO_MUTATIONS[mutation](data, first, second)
    path = folder / f"recording.{own_extension if extension is None else extension}"
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("recordings")


@given(recording=RECORDING, language=st.sampled_from(["auto", "de", "en"]))
@fuzz_settings(50)
def test_transcribe(models, folder: Path, recording, language: str) -> None:
    path = write_recording(folder, recording)
    reply = call("transcribe", str(path), "--lang", language)
    result = assert_contract(reply)
    assert reply.code != 2
    if reply.code == 0:
        assert set(result) == {"text", "language", "language_probability", "duration_s", "ms"}
        assert result["language"] in ("de", "en")
        assert result["duration_s"] <= 60


@given(
    recording=RECORDING,
    language=st.sampled_from(["auto", "de", "en"]),
    confirmed=st.booleans(),
    speak=st.booleans(),
)
@fuzz_settings(40)
def test_run_wav(models, folder: Path, recording, language: str, confirmed: bool, speak: bool):
    path = write_recording(folder, recording)
    calendar = folder / "calendar.ics"
    calendar.write_bytes(SERIES)
    reply_wav = folder / "reply.wav"
    reply_wav.unlink(missing_ok=True)
    options = [
        *(["--yes"] if confirmed else []),
        *(["--speak-to", str(reply_wav)] if speak else []),
    ]
    reply = call(
        "run-wav", str(path), "--calendar", str(calendar), "--lang", language, *CONTEXT, *options
    )
    result = assert_contract(reply)
    assert reply.code != 2
    if reply.code == 0:
        status = result["result"]["status"]
        event(f"status {status}")
        assert status in (
            "done",
            "needs_confirmation",
            "needs_input",
            "rejected",
            "no_speech",
            "error",
        )
        assert result["result"]["message"]
        if status == "no_speech":
            assert result["parse"]["function"] is None and result["transcript"]["text"] == ""
        assert reply_wav.exists() == speak
    changed = calendar.read_bytes() != SERIES
    if changed:
        assert reply.code == 0 and result["result"]["status"] == "done", reply
        assert result["parse"]["function"] in ("create_event", "delete_event"), reply
