"""Runs in a subprocess with a test ALSA configuration (PortAudio reads it once, when it
starts): records with app.speech.microphone (or plays a reply) and prints what happened as
JSON."""

from __future__ import annotations

import json
import logging
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.speech.microphone import (
    Level,
    Microphone,
    MicrophoneError,
    MicrophoneSettings,
    RecordingQualityError,
)


def main() -> None:
    mode, device, endpointer, out = sys.argv[1:5]
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    if mode == "play":
        from app.speech.tts import Synthesizer, play

        started = time.perf_counter()
        chunks = list(Synthesizer().synthesize("Okay. Done.", "en"))
        play(chunks, device=device or None)
        seconds = sum(chunk.duration_s for chunk in chunks)
        print(json.dumps({"played_s": seconds, "wall_s": time.perf_counter() - started}))
        return
    levels: list[Level] = []
    settings = MicrophoneSettings(device_name=device or None, endpointer=endpointer)
    if mode == "push-to-talk":
        settings = replace(settings, max_seconds=12.0)
    microphone = Microphone(settings, on_level=levels.append)
    report: dict[str, object] = {}
    try:
        if mode == "push-to-talk":
            microphone.start()
            time.sleep(0.5)
            recording = microphone.stop()
        else:
            recording = microphone.record_utterance()
    except RecordingQualityError as error:
        report["error"] = type(error).__name__
        report["message"] = str(error)
        recording = error.recording
    except MicrophoneError as error:
        report["error"] = type(error).__name__
        report["message"] = str(error)
        print(json.dumps(report))
        return
    np.save(out, recording.samples)
    report.update(
        device_name=recording.device_name,
        device_sample_rate=recording.device_sample_rate,
        ended_by=recording.ended_by,
        speech_detected=recording.speech_detected,
        clipped_fraction=recording.clipped_fraction,
        duration_s=recording.duration_s,
        levels=len(levels),
        loudest_level_dbfs=max((level.rms_dbfs for level in levels), default=-200.0),
        levels_with_speech=sum(level.speech for level in levels),
    )
    print(json.dumps(report))


if __name__ == "__main__":
    main()
