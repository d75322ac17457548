"""The microphone through the real capture path (sounddevice, PortAudio, ALSA) without
hardware: an ALSA configuration whose capture device is a `file` plugin playing a recording
(`infile`) at 48 kHz, and a null playback device. PortAudio reads the configuration when it
starts, so every recording runs in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import av
import numpy as np
import pytest

from app.early_start import only_silence_added
from app.speech import devices, microphone
from app.speech.asr import Recognizer
from app.speech.audio import SAMPLE_RATE, load_audio
from app.speech.evaluation import word_errors
from app.speech.microphone import (
    DeviceVanishedError,
    EnergyEndpointer,
    Microphone,
    MicrophoneSettings,
    SileroEndpointer,
    SpeechEnd,
)
from app.speech.no_speech import heard_nothing

from .conftest import FIXTURES

HELPER = Path(__file__).with_name("microphone_helper.py")
DEVICE_RATE = 48_000

CONFIG = """
pcm.!default {{
    type asym
    playback.pcm "speaker"
    {capture}
}}
pcm.speaker {{
    type asym
    playback.pcm {{ type null }}
}}
{microphone}
"""

MICROPHONE = """
pcm.testmic {{
    type plug
    slave {{
        pcm {{
            type file
            slave.pcm {{ type null }}
            file "/dev/null"
            infile "{infile}"
            format "raw"
        }}
        rate {rate}
        format S16_LE
        channels 1
    }}
}}
"""


def at_device_rate(samples: np.ndarray) -> bytes:
    resampler = av.AudioResampler(format="s16", layout="mono", rate=DEVICE_RATE)
    frame = av.AudioFrame.from_ndarray(
        samples.astype(np.float32).reshape(1, -1), format="flt", layout="mono"
    )
    frame.sample_rate = SAMPLE_RATE
    frame.pts = 0
    frames = [*resampler.resample(frame), *resampler.resample(None)]
    return b"".join(f.to_ndarray().astype("<i2").tobytes() for f in frames)


def record(
    tmp_path: Path,
    samples: np.ndarray | None,
    mode: str = "utterance",
    device: str = "testmic",
    endpointer: str = "silero",
    default_is_microphone: bool = False,
) -> tuple[dict[str, Any], np.ndarray | None, str]:
    """Play `samples` (16 kHz; None: no microphone at all) into the capture path."""
    if samples is None:
        config = CONFIG.format(capture="", microphone="")
    else:
        infile = tmp_path / "microphone.raw"
        infile.write_bytes(at_device_rate(samples))
        config = CONFIG.format(
            capture='capture.pcm "testmic"' if default_is_microphone else "",
            microphone=MICROPHONE.format(infile=infile, rate=DEVICE_RATE),
        )
    (tmp_path / "asound.conf").write_text(config)
    env = {
        **os.environ,
        "ALSA_CONFIG_PATH": str(tmp_path / "asound.conf"),
        "HOME": str(tmp_path),
        "HF_HUB_OFFLINE": "1",
    }
    out = tmp_path / "recording.npy"
    result = subprocess.run(
        [sys.executable, str(HELPER), mode, device, endpointer, str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    return report, (np.load(out) if out.exists() else None), result.stderr


def with_silence(samples: np.ndarray, before_s: float, after_s: float) -> np.ndarray:
    rng = np.random.default_rng(5)
    out = np.concatenate(
        [
            np.zeros(int(before_s * SAMPLE_RATE), np.float32),
            samples,
            np.zeros(int(after_s * SAMPLE_RATE), np.float32),
        ]
    )
    return (out + rng.standard_normal(len(out)) * 3e-4).astype(np.float32)


@pytest.mark.parametrize("endpointer", ["silero", "energy"])
def test_recording_ends_when_the_speaker_stops(
    tmp_path: Path, recognizer: Recognizer, endpointer: str
):
    speech = load_audio(FIXTURES / "en_list_saturday.flac")
    report, samples, _ = record(tmp_path, with_silence(speech, 1.0, 2.0), endpointer=endpointer)
    assert "error" not in report, report
    assert report["ended_by"] == "speech_end"
    assert report["device_name"] == "testmic"
    assert report["device_sample_rate"] == DEVICE_RATE
    # The speech and up to about a second of silence after it, not the whole file.
    assert samples is not None
    assert len(speech) / SAMPLE_RATE + 1 < report["duration_s"] < len(speech) / SAMPLE_RATE + 2.5
    assert report["levels"] > 50
    assert report["levels_with_speech"] > 10
    assert report["loudest_level_dbfs"] > -30
    transcript = recognizer.transcribe(samples, "en")
    assert word_errors("Show me my appointments on Saturday.", transcript.text)[0] <= 1


def test_push_to_talk_records_until_stopped(tmp_path: Path, recognizer: Recognizer):
    speech = load_audio(FIXTURES / "en_none_weather.flac")
    report, samples, _ = record(tmp_path, with_silence(speech, 0.3, 0.5), mode="push-to-talk")
    assert "error" not in report, report
    # The test microphone delivers sound faster than real time, so the maximum length can
    # come before the stop; a real one is stopped by the button.
    assert report["ended_by"] in ("stopped", "max_length")
    assert samples is not None
    transcript = recognizer.transcribe(samples, "en")
    assert word_errors("What's the weather like in Berlin today?", transcript.text)[0] <= 1


def test_missing_saved_device_falls_back_to_the_default_with_a_warning(tmp_path: Path):
    speech = load_audio(FIXTURES / "de_none_witz.flac")
    report, _, stderr = record(
        tmp_path,
        with_silence(speech, 0.5, 1.5),
        device="USB Microphone (hw:2,0)",
        default_is_microphone=True,
    )
    assert "error" not in report, report
    assert report["device_name"] == "default"
    assert "'USB Microphone (hw:2,0)' is not connected" in stderr


def test_reply_plays_through_the_named_output_device(tmp_path: Path):
    report, _, stderr = record(tmp_path, None, mode="play", device="speaker")
    assert report["played_s"] > 0.5
    assert "not connected" not in stderr


def test_no_input_device(tmp_path: Path):
    report, samples, _ = record(tmp_path, None)
    assert report["error"] == "NoInputDeviceError"
    assert "no microphone" in report["message"]
    assert samples is None


def test_only_silence_is_handed_over_for_the_shared_decision(
    tmp_path: Path, recognizer: Recognizer
):
    rng = np.random.default_rng(1)
    hiss = (rng.standard_normal(10 * SAMPLE_RATE) * 1e-3).astype(np.float32)
    report, samples, _ = record(tmp_path, hiss)
    assert "error" not in report, report
    assert report["speech_detected"] is False
    assert report["ended_by"] == "no_speech"
    assert 8.0 <= report["duration_s"] < 8.1  # MicrophoneSettings.wait_for_speech_s
    assert samples is not None
    assert heard_nothing(recognizer.transcribe(samples))


def test_clipping(tmp_path: Path):
    speech = load_audio(FIXTURES / "en_list_tomorrow.flac")
    too_loud = np.clip(speech * 6, -1, 1).astype(np.float32)
    report, samples, _ = record(tmp_path, with_silence(too_loud, 0.5, 1.5))
    assert report["error"] == "ClippingError"
    assert "input level down" in report["message"]
    assert report["clipped_fraction"] > 0.005
    assert samples is not None  # the recording is still handed over with the error


class VanishingStream:
    """A sounddevice.InputStream stand-in whose device goes away after a few blocks."""

    def __init__(self, *, callback, finished_callback, samplerate, **_: Any) -> None:
        self.callback = callback
        self.finished_callback = finished_callback
        self.samplerate = samplerate

    def start(self) -> None:
        def deliver() -> None:
            t = np.arange(480) / self.samplerate
            block = (9000 * np.sin(2 * np.pi * 200 * t)).astype(np.int16).reshape(-1, 1)
            for _ in range(20):
                self.callback(block, len(block), None, None)
                time.sleep(0.005)
            self.finished_callback()

        threading.Thread(target=deliver, daemon=True).start()

    def stop(self) -> None:
        raise RuntimeError("Device unavailable")

    def close(self) -> None:
        pass


def test_device_vanishing_mid_recording_is_reported(monkeypatch):
    import sounddevice

    device = devices.Device(index=3, name="USB Mic", default_sample_rate=16_000, channels=1)
    monkeypatch.setattr(microphone, "choose_device", lambda name, direction: device)
    monkeypatch.setattr(sounddevice, "InputStream", VanishingStream)
    mic = Microphone(MicrophoneSettings(endpointer="energy"))
    with pytest.raises(DeviceVanishedError, match="'USB Mic' stopped working"):
        mic.record_utterance()
    assert not mic.recording


def test_choose_device_by_name(monkeypatch):
    listed = [
        devices.Device(0, "HDA Intel PCH: ALC892 Analog (hw:0,0)", 44100, 2),
        devices.Device(1, "USB Audio Device: Mic (hw:1,0)", 48000, 1),
        devices.Device(2, "default", 44100, 2),
    ]
    monkeypatch.setattr(devices, "list_devices", lambda direction: listed)
    monkeypatch.setattr(devices, "default_device", lambda direction: listed[2])
    # After a reboot the card number changed: the name still finds it.
    assert devices.choose_device("USB Audio Device: Mic (hw:2,0)", "input").index == 1
    assert devices.choose_device("usb audio", "input").index == 1
    assert devices.choose_device(None, "input").index == 2
    assert devices.choose_device("Bluetooth headset", "input").index == 2
    monkeypatch.setattr(devices, "list_devices", lambda direction: [])
    with pytest.raises(devices.DeviceNotFoundError):
        devices.choose_device("USB Audio Device", "input")


@pytest.mark.parametrize("endpointer_class", [EnergyEndpointer, SileroEndpointer])
def test_endpointer_finds_start_and_end_of_speech(endpointer_class):
    speech = load_audio(FIXTURES / "de_list_morgen.flac")
    stream = with_silence(speech, 1.0, 2.0)
    endpointer = endpointer_class()
    started_at = ended_at = None
    for start in range(0, len(stream), 480):
        endpointer.feed(stream[start : start + 480])
        if endpointer.speech_started and started_at is None:
            started_at = start / SAMPLE_RATE
        if endpointer.speech_ended:
            ended_at = start / SAMPLE_RATE
            break
    loud = np.flatnonzero(np.abs(speech) > 0.02)
    assert started_at is not None and ended_at is not None
    assert 0.9 < started_at < 1.0 + loud[0] / SAMPLE_RATE + 0.3
    assert 1.0 + loud[-1] / SAMPLE_RATE < ended_at < 1.0 + loud[-1] / SAMPLE_RATE + 1.5


class FedStream:
    """A sounddevice.InputStream stand-in that the test feeds: `deliver` hands a recording at
    the device's rate to the microphone's callback block by block, as a device would."""

    opened: ClassVar[list[FedStream]] = []

    def __init__(self, *, callback, blocksize, **_: Any) -> None:
        self.callback = callback
        self.blocksize = blocksize
        FedStream.opened.append(self)

    def deliver(self, samples: np.ndarray) -> None:
        import sounddevice

        device_samples = np.frombuffer(at_device_rate(samples), dtype="<i2")
        for start in range(0, len(device_samples), self.blocksize):
            block = device_samples[start : start + self.blocksize].reshape(-1, 1)
            try:
                self.callback(block, len(block), None, None)
            except sounddevice.CallbackStop:
                return

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def close(self) -> None:
        pass


@pytest.fixture
def fed_microphone(monkeypatch) -> Callable[..., tuple[Microphone, FedStream]]:
    """A push-to-talk microphone on a 48 kHz device whose stream the test feeds."""
    import sounddevice

    device = devices.Device(index=3, name="USB Mic", default_sample_rate=DEVICE_RATE, channels=1)
    monkeypatch.setattr(microphone, "choose_device", lambda name, direction: device)
    monkeypatch.setattr(sounddevice, "InputStream", FedStream)

    def start(on_speech_end: Callable[[SpeechEnd], None]) -> tuple[Microphone, FedStream]:
        mic = Microphone(MicrophoneSettings(), on_speech_end=on_speech_end)
        mic.start()
        return mic, FedStream.opened[-1]

    return start


def test_push_to_talk_reports_the_end_of_speech_and_records_on(
    fed_microphone, recognizer: Recognizer
):
    speech = load_audio(FIXTURES / "en_list_saturday.flac")
    ends: list[SpeechEnd] = []
    mic, stream = fed_microphone(ends.append)
    stream.deliver(with_silence(speech, 0.5, 1.2))
    assert len(ends) == 1
    assert mic.recording
    stream.deliver(with_silence(np.zeros(0, np.float32), 0.0, 1.0))  # the button still held
    final = mic.stop()
    early = ends[0].recording
    assert early.ended_by == "speech_end" and final.ended_by == "stopped"
    assert len(final.samples) > len(early.samples) + SAMPLE_RATE * 0.9
    assert only_silence_added(early, final) is None
    transcript = recognizer.transcribe(early.samples, "en")
    assert word_errors("Show me my appointments on Saturday.", transcript.text)[0] <= 1


def test_speech_after_the_reported_end_is_noticed_at_the_release(fed_microphone):
    first = load_audio(FIXTURES / "en_list_saturday.flac")
    second = load_audio(FIXTURES / "en_none_weather.flac")
    ends: list[SpeechEnd] = []
    mic, stream = fed_microphone(ends.append)
    stream.deliver(with_silence(first, 0.5, 1.2))
    stream.deliver(with_silence(second, 0.0, 0.3))  # released before a second end is heard
    final = mic.stop()
    assert len(ends) == 1
    early = ends[0].recording
    assert early.last_speech_sample is not None and final.last_speech_sample is not None
    assert final.last_speech_sample > len(early.samples)
    assert only_silence_added(early, final) == "spoke_again"


def test_every_pause_is_reported_and_the_last_one_stands_for_the_recording(fed_microphone):
    first = load_audio(FIXTURES / "en_list_saturday.flac")
    second = load_audio(FIXTURES / "en_none_weather.flac")
    ends: list[SpeechEnd] = []
    mic, stream = fed_microphone(ends.append)
    stream.deliver(with_silence(first, 0.5, 1.2))
    stream.deliver(with_silence(second, 0.0, 1.5))
    final = mic.stop()
    assert len(ends) == 2
    assert only_silence_added(ends[0].recording, final) == "spoke_again"
    assert only_silence_added(ends[1].recording, final) is None
    assert ends[0].noticed_at <= ends[1].noticed_at


def test_automatic_recording_reports_no_early_end(fed_microphone, monkeypatch):
    samples = with_silence(load_audio(FIXTURES / "de_list_morgen.flac"), 0.5, 1.5)

    def start(stream: FedStream) -> None:
        threading.Thread(target=stream.deliver, args=(samples,), daemon=True).start()

    monkeypatch.setattr(FedStream, "start", start)
    ends: list[SpeechEnd] = []
    recording = Microphone(MicrophoneSettings(), on_speech_end=ends.append).record_utterance()
    assert recording.ended_by == "speech_end"
    assert ends == []
