"""Push-to-talk as people use it: they stop speaking, pause, then release the button. The
3-5 s recorded commands, followed by a quiet room, in real time through
`app.early_start.measure_push_to_talk`: recognition and understanding start when the
end-of-speech detector notices the pause, and the release reuses them. Reported: from the
release, and from the end of speech, to the first reply audio, per pause.

`python -m benchmarks.push_to_talk [--repeat N]`"""

from __future__ import annotations

import argparse
import json
import logging
from typing import Any

import numpy as np

from app.early_start import find_speech_end, measure_push_to_talk
from app.pipeline import Pipeline
from app.speech.audio import SAMPLE_RATE
from benchmarks.stages import NOW, scratch_dialog
from benchmarks.stats import spread
from benchmarks.suite import three_to_five_second_commands

PAUSES_AFTER_NOTICE_S = (0.2, 0.5)
"""How long after the detector noticed the end of speech (0.8 s of quiet) the button is
released: a person who pauses about 1.0 or 1.3 s after the last word."""
QUIET_ROOM_S = 2.0


def push_to_talk(pipeline: Pipeline, repeat: int) -> dict[str, Any]:
    rng = np.random.default_rng(11)
    results: dict[str, Any] = {}
    for pause in PAUSES_AFTER_NOTICE_S:
        from_release: list[float] = []
        from_speech_end: list[float] = []
        reuses: dict[str, int] = {}
        for _ in range(repeat):
            for entry, speech in three_to_five_second_commands():
                quiet = (rng.standard_normal(int(QUIET_ROOM_S * SAMPLE_RATE)) * 3e-4).astype(
                    np.float32
                )
                samples = np.concatenate([speech, quiet]).astype(np.float32)
                speech_end = find_speech_end(samples)
                if speech_end is None:
                    continue
                release = min(len(samples), speech_end + int(pause * SAMPLE_RATE))
                with scratch_dialog() as dialog:
                    latency = measure_push_to_talk(
                        pipeline, samples, speech_end, release, str(entry["language"]), NOW, dialog
                    )
                if latency.first_audio is None:
                    continue
                from_release.append((latency.first_audio - latency.release) * 1000)
                from_speech_end.append((latency.first_audio - latency.speech_end) * 1000)
                decision = latency.reuse.verdict
                reuses[decision] = reuses.get(decision, 0) + 1
        results[f"{pause:g}"] = {
            "release_to_first_audio_ms": spread(from_release).to_json(),
            "speech_end_to_first_audio_ms": spread(from_speech_end).to_json(),
            "decisions": reuses,
        }
    return results


def main() -> None:
    from app.pipeline import load_pipeline

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    arguments = parser.parse_args()
    logging.getLogger("faster_whisper").setLevel(logging.WARNING)
    print(json.dumps(push_to_talk(load_pipeline(), arguments.repeat), indent=2))


if __name__ == "__main__":
    main()
