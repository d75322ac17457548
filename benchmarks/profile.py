"""Where the time of a spoken command goes: `python -m benchmarks.profile [--repeat N]`.

Runs the suite's 3-5 s recorded commands from the recording in hand to the first reply audio
under cProfile, with every model loaded and warm, and splits the time into the parts that
matter for speed: voice activity detection, whisper's features, encoder, language detection
and decoder; the call model's prompt and its generation (llama.cpp's decode against the
grammar and the rest); the calendar; the first sentence of speech. Writes profile.md (and
profile.pstats for snakeviz or pstats) into benchmarks/results.
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import pstats
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.stages import NOW, scratch_dialog
from benchmarks.suite import three_to_five_second_commands

DEFAULT_OUT = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class Part:
    label: str
    file_suffix: str
    function: str
    inside: str = ""
    """The stage it belongs to, for the indented rows."""


PARTS = (
    Part("recognition", "app/speech/asr.py", "transcribe"),
    Part(
        "voice activity detection (Silero)",
        "faster_whisper/vad.py",
        "get_speech_timestamps",
        "recognition",
    ),
    Part("features (log-mel)", "faster_whisper/feature_extractor.py", "__call__", "recognition"),
    Part("encoder (30-s window)", "~", "<built-in method ctranslate2._ext.encode>", "recognition"),
    Part(
        "language detection",
        "~",
        "<built-in method ctranslate2._ext.detect_language>",
        "recognition",
    ),
    Part("decoder", "faster_whisper/transcribe.py", "generate_with_fallback", "recognition"),
    Part("understanding", "app/nlu/llama_model.py", "complete"),
    Part("generation", "app/nlu/llama_model.py", "_generate", "understanding"),
    Part(
        "llama.cpp decode (prompt and tokens)", "llama_cpp/_internals.py", "decode", "understanding"
    ),
    Part("choosing tokens under the grammar", "app/nlu/llama_model.py", "_choose", "understanding"),
    Part("calendar and reply", "app/dialog/__init__.py", "handle"),
    Part("first sentence of speech", "app/speech/tts.py", "synthesize_with"),
)


def cumulative_ms(stats: pstats.Stats, part: Part) -> float:
    """Cumulative time of one function, summed over the places it is called from."""
    total = 0.0
    for (file_name, _line, function), row in stats.stats.items():  # type: ignore[attr-defined]
        if function == part.function and file_name.endswith(part.file_suffix):
            total += row[3]
    return total * 1000


def profile(repeat: int) -> tuple[pstats.Stats, int, float]:
    """Profiles `repeat` passes over the commands; returns the statistics, the number of
    commands run and the wall time of the profiled runs in ms (profiling included)."""
    from app.pipeline import load_pipeline

    pipeline = load_pipeline()
    commands = three_to_five_second_commands()
    profiler = cProfile.Profile()
    runs = 0
    wall = 0.0
    for _ in range(repeat):
        for _entry, samples in commands:
            with scratch_dialog() as dialog:
                started = time.perf_counter()
                profiler.enable()
                turn = pipeline.run_recording(samples, "auto", NOW, dialog)
                next(pipeline.speak(turn.outcome))
                profiler.disable()
                wall += (time.perf_counter() - started) * 1000
                runs += 1
    return pstats.Stats(profiler), runs, wall


def report(stats: pstats.Stats, runs: int, wall_ms: float) -> str:
    lines = [
        f"Profile of {runs} runs of the 3-5 s recorded commands, from the recording in hand to "
        f"the first reply audio (`python -m benchmarks.profile`). Mean per command: "
        f"{wall_ms / runs:.0f} ms with the profiler on (it adds a little to Python-heavy "
        "parts).",
        "",
        "| part | ms per command | share |",
        "|---|---|---|",
    ]
    for part in PARTS:
        ms = cumulative_ms(stats, part) / runs
        label = f"  {part.label}" if part.inside else f"**{part.label}**"
        lines.append(f"| {label} | {ms:.0f} | {100 * ms * runs / wall_ms:.0f} % |")
    lines += ["", "Functions with the most time of their own:", "", "| function | ms per command |"]
    lines.append("|---|---|")
    own = sorted(
        stats.stats.items(),  # type: ignore[attr-defined]
        key=lambda item: item[1][2],
        reverse=True,
    )
    for (file_name, line, function), row in own[:12]:
        where = function if file_name == "~" else f"{Path(file_name).name}:{line} {function}"
        lines.append(f"| `{where}` | {row[2] * 1000 / runs:.1f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    stats, runs, wall_ms = profile(arguments.repeat)
    arguments.out.mkdir(parents=True, exist_ok=True)
    stats.dump_stats(arguments.out / "profile.pstats")
    text = report(stats, runs, wall_ms)
    (arguments.out / "profile.md").write_text(text, encoding="utf-8")
    print(text, end="")


if __name__ == "__main__":
    main()
