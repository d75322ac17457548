"""python -m benchmarks [--repeat N] [--nlu-per-language N] [--out FOLDER]

Cold starts in fresh processes (headless and the window), then, with every model loaded once:
recognition, understanding, synthesis, end of command to first reply audio, and accuracy per
language on text and on the recorded commands. Writes
latest.json and latest.md into FOLDER (default benchmarks/results)."""

from __future__ import annotations

import argparse
import json
import logging
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import suite
from benchmarks.report import markdown

DEFAULT_OUT = Path(__file__).resolve().parent / "results"


def run(repeat: int, nlu_per_language: int) -> dict[str, Any]:
    from app.pipeline import load_pipeline

    started = time.perf_counter()
    results: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="minutes"),
        "machine": suite.machine(),
        "repeat": repeat,
    }
    logging.info("cold starts (%d each)", repeat)
    results["cold_start"] = suite.cold_starts(repeat, window=False)
    results["cold_start_window"] = suite.cold_starts(repeat, window=True)
    pipeline = load_pipeline()
    logging.info("speech recognition")
    results["speech_recognition_ms_per_audio_s"] = suite.speech_recognition(pipeline, repeat)
    logging.info("understanding")
    results["understanding"] = suite.understanding(pipeline, nlu_per_language)
    logging.info("speech synthesis")
    results["speech_synthesis"] = suite.speech_synthesis(pipeline, max(5, repeat))
    logging.info("end to end")
    results["end_to_end"] = suite.end_to_end(pipeline, repeat)
    logging.info("accuracy on the recorded commands")
    results["accuracy"] = suite.accuracy(pipeline)
    results["peak_rss_mb_all_models"] = suite.peak_rss_mb()
    results["seconds"] = round(time.perf_counter() - started, 1)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--nlu-per-language", type=int, default=120)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    logging.getLogger("faster_whisper").setLevel(logging.WARNING)
    results = run(arguments.repeat, arguments.nlu_per_language)
    arguments.out.mkdir(parents=True, exist_ok=True)
    (arguments.out / "latest.json").write_text(json.dumps(results, indent=1) + "\n", "utf-8")
    (arguments.out / "latest.md").write_text(markdown(results), "utf-8")
    print(markdown(results))


if __name__ == "__main__":
    main()
