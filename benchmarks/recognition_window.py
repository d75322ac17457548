"""Word error rate and time of recognition with Whisper's whole 30-second window against the
window cut to the speech (`RecognizerSettings.min_window_s`), side by side:
`python -m benchmarks.recognition_window [--massive N] [--windows 30,10]`.

Two sets: the recorded fixtures (all of them, degraded ones included), and MASSIVE dev
calendar commands spoken by the app's own voices (deterministic), `--massive` per language.
Each recording is recognized with every window in turn, so a busy machine affects them
alike."""

from __future__ import annotations

import argparse
import json
import logging
import statistics
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.speech.asr import Recognizer, RecognizerSettings
from app.speech.audio import Samples, load_audio, resample
from app.speech.evaluation import DEFAULT_MANIFEST, load_manifest, word_errors
from app.speech.tts import Style, Synthesizer
from benchmarks.suite import MASSIVE


@dataclass(frozen=True)
class Spoken:
    name: str
    language: str
    text: str
    samples: Samples


def fixtures(manifest: Path = DEFAULT_MANIFEST) -> list[Spoken]:
    return [
        Spoken(
            str(entry["file"]),
            str(entry["language"]),
            str(entry["text"]),
            load_audio(manifest.parent / str(entry["file"])),
        )
        for entry in load_manifest(manifest)
    ]


def massive_spoken(per_language: int) -> list[Spoken]:
    """The first `per_language` MASSIVE dev calendar commands of each language, spoken."""
    synthesizer = Synthesizer()
    spoken: list[Spoken] = []
    for language, locale in (("de", "de-DE"), ("en", "en-US")):
        lines = (MASSIVE / f"{locale}.dev.jsonl").read_text(encoding="utf-8").splitlines()
        for line in lines[:per_language]:
            text = json.loads(line)["utt"]
            chunks = list(synthesizer.synthesize(text, language, Style(deterministic=True)))
            audio = np.concatenate([resample(c.samples, c.sample_rate) for c in chunks])
            silence = np.zeros(8000, dtype=np.float32)
            samples = np.concatenate([silence, audio, silence]).astype(np.float32)
            spoken.append(Spoken(f"massive-{language}-{len(spoken)}", language, text, samples))
    return spoken


def compare(recordings: list[Spoken], windows: list[float]) -> dict[str, dict[str, object]]:
    recognizers = {w: Recognizer(RecognizerSettings(min_window_s=w)) for w in windows}
    errors = {w: {"de": [0, 0], "en": [0, 0]} for w in windows}
    times: dict[float, list[float]] = {w: [] for w in windows}
    differing = []
    for recording in recordings:
        heard = {}
        for window, recognizer in recognizers.items():
            transcript = recognizer.transcribe(recording.samples, None)
            wrong, words = word_errors(recording.text, transcript.text)
            errors[window][recording.language][0] += wrong
            errors[window][recording.language][1] += words
            times[window].append(transcript.ms)
            heard[window] = transcript.text
        if len(set(heard.values())) > 1:
            differing.append({"recording": recording.name, **{str(w): t for w, t in heard.items()}})
    return {
        f"{window:g} s": {
            "wer": {lang: round(e / max(n, 1), 4) for lang, (e, n) in errors[window].items()},
            "median_ms": round(statistics.median(times[window]), 1),
            "mean_ms": round(statistics.fmean(times[window]), 1),
        }
        for window in windows
    } | {"differing": {"count": len(differing), "examples": differing[:20]}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--massive", type=int, default=60, help="commands per language")
    parser.add_argument("--windows", default="30,20", help="minimum windows in seconds")
    parser.add_argument("--out", type=Path)
    arguments = parser.parse_args()
    logging.getLogger("faster_whisper").setLevel(logging.WARNING)
    windows = [float(value) for value in arguments.windows.split(",")]
    results = {
        "fixtures": compare(fixtures(), windows),
        "massive_spoken": compare(massive_spoken(arguments.massive), windows),
    }
    text = json.dumps(results, indent=2, ensure_ascii=False)
    print(text)
    if arguments.out:
        arguments.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
