"""python -m benchmarks [--repeat N] [--nlu-per-language N] [--load idle,single,multi]
                      [--out FOLDER]

Cold starts in fresh processes (headless and the window), then, with every model loaded once:
recognition, understanding (MASSIVE dev utterances and full held-out commands), synthesis, end
of command to first reply audio; the same stages again, fewer calls each, under every load
condition of `--load` (idle, one CPU-bound thread, BLAS on every core: see benchmarks.load;
"none" skips them); and accuracy per language on text and on the recorded commands. Writes
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
from benchmarks.load import CONDITIONS, parse_conditions
from benchmarks.report import markdown
from benchmarks.under_load import under_load

DEFAULT_OUT = Path(__file__).resolve().parent / "results"


def run(repeat: int, nlu_per_language: int, conditions: tuple[str, ...]) -> dict[str, Any]:
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
    results["understanding_full_commands"] = suite.understanding_full_commands(pipeline)
    logging.info("speech synthesis")
    results["speech_synthesis"] = suite.speech_synthesis(pipeline, max(5, repeat))
    logging.info("end to end")
    results["end_to_end"] = suite.end_to_end(pipeline, repeat)
    if conditions:
        results["under_load"] = under_load(pipeline, conditions)
    logging.info("accuracy on the recorded commands")
    results["accuracy"] = suite.accuracy(pipeline)
    results["peak_rss_mb_all_models"] = suite.peak_rss_mb()
    results["seconds"] = round(time.perf_counter() - started, 1)
    return results


def _conditions(text: str) -> tuple[str, ...]:
    try:
        return parse_conditions(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--nlu-per-language", type=int, default=120)
    parser.add_argument(
        "--load",
        type=_conditions,
        default=CONDITIONS,
        help=f"load conditions, comma-separated (default {','.join(CONDITIONS)}; none: skip)",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    logging.getLogger("faster_whisper").setLevel(logging.WARNING)
    results = run(arguments.repeat, arguments.nlu_per_language, arguments.load)
    arguments.out.mkdir(parents=True, exist_ok=True)
    (arguments.out / "latest.json").write_text(json.dumps(results, indent=1) + "\n", "utf-8")
    (arguments.out / "latest.md").write_text(markdown(results), "utf-8")
    print(markdown(results))


if __name__ == "__main__":
    main()
