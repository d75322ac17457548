"""A/B speed comparison of this checkout (A) against another checkout (B), stage by stage.

B is e.g. an older commit in its own worktree; both sides run with the same Python environment
and the same inputs:

    python -m benchmarks.ab --baseline /path/to/other/checkout [--pairs 3]
        [--stages understanding-full,understanding-massive,recognition,recognition-real,
                  first-audio]
        [--full-commands-per-language N] [--massive-per-language N]
        [--first-audio-passes N] [--load idle|single|multi] [--out FOLDER]

Each run is a fresh process, `PYTHONPATH=<checkout> python -P benchmarks/stages.py …` with
this checkout's `stages.py`, so each side runs its own `app/` and the models its `models/`
holds (the code and model shipped at that commit). A and B alternate, the order swapped every
pair (AB, BA, AB, …), so that a machine getting slower or faster does not favour one side.
Per stage: the ratio A/B of the two runs' medians in each pair (median, min, max over the
pairs) and each side's median over all its calls. Writes ab.json and ab.md into FOLDER
(default benchmarks/results)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.full_commands import read_commands
from benchmarks.load import CONDITIONS, background_load
from benchmarks.report import ab_markdown
from benchmarks.stats import pair_ratios, spread

ROOT = Path(__file__).resolve().parents[1]
RUNNER = Path(__file__).resolve().with_name("stages.py")
DEFAULT_OUT = Path(__file__).resolve().parent / "results"
RUN_TIMEOUT_S = 900
LOG = logging.getLogger("benchmarks.ab")


@dataclass(frozen=True)
class Options:
    full_commands_per_language: int | None = None
    """None: every full command in benchmarks/data."""
    massive_per_language: int = 20
    first_audio_passes: int = 2


@dataclass(frozen=True)
class AbStage:
    name: str
    label: str
    runner_stage: str
    """The `--stage` of stages.py."""
    inputs: Callable[[Options], list[dict[str, Any]]]


def _full_commands(options: Options) -> list[dict[str, Any]]:
    commands = read_commands()
    limit = options.full_commands_per_language
    return [
        {key: command[key] for key in ("key", "text", "language", "now")}
        for language in ("de", "en")
        for command in [c for c in commands if c["language"] == language][:limit]
    ]


def _massive_dev(options: Options) -> list[dict[str, Any]]:
    from benchmarks.suite import massive_dev

    return [
        {"key": utterance.key, "text": utterance.text, "language": utterance.language}
        for language in ("de", "en")
        for utterance in massive_dev(language, options.massive_per_language)
    ]


def _clean_recordings(_options: Options) -> list[dict[str, Any]]:
    from benchmarks.suite import clean_recordings

    return [
        _recording(recording.key, recording.file, recording.language)
        for recording in clean_recordings()
    ]


def _real_voices(_options: Options) -> list[dict[str, Any]]:
    from benchmarks.suite import real_voice_recordings

    return [
        _recording(recording.key, recording.file, recording.language)
        for recording in real_voice_recordings()
    ]


def _three_to_five_second_commands(options: Options) -> list[dict[str, Any]]:
    from benchmarks.suite import three_to_five_second_recordings

    commands = three_to_five_second_recordings()
    return [
        _recording(command.key, command.file, command.language)
        for _ in range(options.first_audio_passes)
        for command in commands
    ]


def _recording(key: str, file: Path, language: str) -> dict[str, Any]:
    return {"key": key, "file": str(file), "language": language}


STAGES = (
    AbStage(
        "understanding-full",
        "understanding, full commands (de+en)",
        "understanding",
        _full_commands,
    ),
    AbStage(
        "understanding-massive", "understanding, MASSIVE dev (de+en)", "understanding", _massive_dev
    ),
    AbStage("recognition", "recognition per clean recording", "recognition", _clean_recordings),
    AbStage(
        "recognition-real",
        "recognition per recording of a real person (../shared/data/speech)",
        "recognition",
        _real_voices,
    ),
    AbStage(
        "first-audio",
        "end of a 3-5 s command → first reply audio",
        "first-audio",
        _three_to_five_second_commands,
    ),
)
STAGE_NAMES = tuple(stage.name for stage in STAGES)


def runner_command(python: str, stage: str, inputs: Path) -> list[str]:
    """The stage runner of this checkout; `-P` keeps its folder off sys.path."""
    return [python, "-P", str(RUNNER), "--stage", stage, "--inputs", str(inputs)]


def run_side(python: str, checkout: Path, stage: str, inputs: Path) -> dict[str, Any]:
    """One fresh process timing `stage` with `checkout`'s code; checks that it was that code."""
    environment = {**os.environ, "PYTHONPATH": str(checkout), "PYTHONWARNINGS": "ignore"}
    completed = subprocess.run(
        runner_command(python, stage, inputs),
        cwd=checkout,
        env=environment,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"{stage} in {checkout} failed (exit status {completed.returncode}):\n"
            + completed.stderr[-3000:]
        )
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    if Path(result["app"]) != checkout.resolve():
        raise RuntimeError(f"{stage} ran the code of {result['app']}, not of {checkout}")
    return result


def side_order(pair: int) -> tuple[str, str]:
    """AB for even pairs, BA for odd ones."""
    return ("a", "b") if pair % 2 == 0 else ("b", "a")


def summarise_side(runs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One side of a stage over its runs: each run's median, the median and p90 over every
    call, tokens generated where the stage counts them, the median of every part (prompt and
    generation, the pipeline's stages), and the load times."""
    calls = [call for run in runs for call in run["calls"]]
    tokens = [call["parts"]["tokens"] for call in calls if "tokens" in call["parts"]]
    parts: dict[str, list[float]] = {}
    for call in calls:
        for name, value in call["parts"].items():
            parts.setdefault(name, []).append(value)
    return {
        "part_medians": {name: round(statistics.median(v), 1) for name, v in parts.items()},
        "run_medians_ms": [
            round(statistics.median(c["ms"] for c in run["calls"]), 1) for run in runs
        ],
        "all_calls_ms": spread([call["ms"] for call in calls]).to_json(),
        "tokens": spread(tokens).to_json() if tokens else None,
        "load_s": [run["load_s"] for run in runs],
    }


def compare_stage(
    stage: AbStage,
    checkouts: dict[str, Path],
    pairs: int,
    options: Options,
    python: str,
    folder: Path,
) -> dict[str, Any]:
    inputs = stage.inputs(options)
    inputs_file = folder / f"{stage.name}.json"
    inputs_file.write_text(json.dumps(inputs, ensure_ascii=False), encoding="utf-8")
    runs: dict[str, list[dict[str, Any]]] = {"a": [], "b": []}
    for pair in range(pairs):
        for side in side_order(pair):
            LOG.info("%s: pair %d, %s", stage.name, pair + 1, side.upper())
            runs[side].append(run_side(python, checkouts[side], stage.runner_stage, inputs_file))
    a, b = summarise_side(runs["a"]), summarise_side(runs["b"])
    return {
        "stage": stage.name,
        "label": stage.label,
        "inputs": len(inputs),
        "a": a,
        "b": b,
        "ratio_a_over_b": pair_ratios(a["run_medians_ms"], b["run_medians_ms"]),
    }


def describe(checkout: Path) -> dict[str, Any]:
    """Path and commit of a checkout; "+changes" when its tree differs from the commit."""

    def git(*arguments: str) -> str:
        return subprocess.run(
            ["git", "-C", str(checkout), *arguments], capture_output=True, text=True, check=False
        ).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    changed = bool(git("status", "--porcelain", "--untracked-files=no"))
    return {"path": str(checkout), "commit": commit + ("+changes" if changed else "")}


def compare(
    baseline: Path,
    stages: Sequence[AbStage],
    pairs: int,
    options: Options,
    python: str,
    load: str,
) -> dict[str, Any]:
    started = time.perf_counter()
    checkouts = {"a": ROOT, "b": baseline.resolve()}
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder, background_load(load) as background:
        for stage in stages:
            results.append(compare_stage(stage, checkouts, pairs, options, python, Path(folder)))
    return {
        "when": datetime.now(UTC).isoformat(timespec="minutes"),
        "a": describe(checkouts["a"]),
        "b": describe(checkouts["b"]),
        "python": python,
        "pairs": pairs,
        "load": background.to_json(),
        "stages": results,
        "seconds": round(time.perf_counter() - started, 1),
    }


def _stages(text: str) -> list[AbStage]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in STAGE_NAMES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown stage {', '.join(unknown) or '(none)'}; choose from {', '.join(STAGE_NAMES)}"
        )
    return [stage for stage in STAGES if stage.name in names]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, required=True, help="the B checkout")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--stages", type=_stages, default=list(STAGES), help=", ".join(STAGE_NAMES))
    parser.add_argument("--full-commands-per-language", type=int, help="default: all")
    parser.add_argument("--massive-per-language", type=int, default=Options.massive_per_language)
    parser.add_argument("--first-audio-passes", type=int, default=Options.first_audio_passes)
    parser.add_argument("--load", choices=CONDITIONS, default="idle", help="during every run")
    parser.add_argument("--python", default=sys.executable, help="the environment both sides use")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    arguments = parser.parse_args()
    if not (arguments.baseline / "app").is_dir():
        parser.error(f"{arguments.baseline} is no checkout of this project (no app/ folder)")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    options = Options(
        arguments.full_commands_per_language,
        arguments.massive_per_language,
        arguments.first_audio_passes,
    )
    result = compare(
        arguments.baseline,
        arguments.stages,
        arguments.pairs,
        options,
        arguments.python,
        arguments.load,
    )
    arguments.out.mkdir(parents=True, exist_ok=True)
    (arguments.out / "ab.json").write_text(json.dumps(result, indent=1) + "\n", "utf-8")
    (arguments.out / "ab.md").write_text(ab_markdown(result), "utf-8")
    print(ab_markdown(result))


if __name__ == "__main__":
    main()
