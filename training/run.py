"""The whole training run in one command: data, training, export, evaluation.

    python -m training.run [--config training/config.toml] [--minutes M] [--max-examples N]
                           [--eval-limit N]

Each phase's time is logged and written to `models/training_log.json` with the training report.
This module also holds the run's configuration (`training/config.toml`), so that the
torch-free phases (export, evaluation) can read it without importing torch.
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import time
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from app.nlu.call_format import CallStyle

LOG = logging.getLogger("training.run")
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = ROOT / "training" / "config.toml"


@dataclass(frozen=True)
class LoraSettings:
    lora_rank: int
    lora_alpha: int
    lora_dropout: float
    target_modules: tuple[str, ...]
    call_style: CallStyle = "functional"
    """"described" trains the baseline of the comparison: function names, with every function
    described in the prompt, instead of functional tokens."""
    embedding_type: str = ""
    """Train against the embedding (the tied output head) requantized to this GGML type, as
    the app runs it ("Q4_0", `app.nlu.model_store.EMBEDDING_TYPE`); "": the base's own."""


@dataclass(frozen=True)
class TrainSettings:
    learning_rate: float
    token_rows_learning_rate: float
    warmup_steps: int
    weight_decay: float
    max_grad_norm: float
    batch_tokens: int
    max_sequence_tokens: int
    epochs: int
    max_examples: int
    time_budget_minutes: float
    calibration_steps: int
    replan_every_steps: int
    threads: int
    bf16_autocast: bool
    log_every_steps: int


@dataclass(frozen=True)
class PreferenceSettings:
    """The optional ORPO step after supervised training (`training/preference.py`)."""

    pairs: int = 2000
    """Training records whose second-choice call is mined as the rejected completion."""
    weight: float = 0.5
    """ORPO's lambda: the odds-ratio term's weight beside the chosen call's cross-entropy."""
    learning_rate: float = 5e-5
    token_rows_learning_rate: float = 2e-4
    epochs: int = 1
    time_budget_minutes: float = 9


@dataclass(frozen=True)
class Config:
    seed: int
    train_size: int
    """Records in train.jsonl (`python -m training.data --train-size`)."""
    data_dir: Path
    work_dir: Path
    models_dir: Path
    model: LoraSettings
    train: TrainSettings
    evaluate: dict[str, int] = field(default_factory=dict)
    data_options: dict[str, float] = field(default_factory=dict)
    """The other `[data]` settings, each passed as `python -m training.data --<name>`."""
    preference: PreferenceSettings = field(default_factory=PreferenceSettings)


def load_config(path: Path = DEFAULT_CONFIG) -> Config:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    paths = raw["paths"]
    data = dict(raw.get("data", {}))
    train_size = int(data.pop("train_size", 6000))
    model = dict(raw["model"])
    model["target_modules"] = tuple(model["target_modules"])
    return Config(
        seed=int(raw["seed"]),
        train_size=train_size,
        data_options={name: float(value) for name, value in data.items()},
        data_dir=ROOT / paths["data_dir"],
        work_dir=ROOT / paths["work_dir"],
        models_dir=ROOT / paths["models_dir"],
        model=LoraSettings(**model),
        train=TrainSettings(**raw["train"]),
        evaluate={key: int(value) for key, value in raw.get("evaluate", {}).items()},
        preference=PreferenceSettings(**raw.get("preference", {})),
    )


def data_arguments(options: dict[str, float]) -> list[str]:
    """`{"other_share": 0.25}` → `["--other-share", "0.25"]` (whole numbers without ".0")."""
    arguments = []
    for name, value in options.items():
        said = str(int(value)) if float(value).is_integer() else str(value)
        arguments += [f"--{name.replace('_', '-')}", said]
    return arguments


def _phase(name: str, timings: dict[str, float], started: float) -> None:
    timings[name] = round(time.perf_counter() - started, 1)
    LOG.info("phase %s: %.0f s", name, timings[name])


def run(
    config_path: Path,
    *,
    minutes: float | None = None,
    max_examples: int | None = None,
    eval_limit: int | None = None,
    models_dir: Path | None = None,
) -> dict[str, float]:
    config = load_config(config_path)
    if models_dir is not None:
        config = replace(config, models_dir=models_dir.resolve())
    if minutes is not None:
        config = replace(config, train=replace(config.train, time_budget_minutes=minutes))
    timings: dict[str, float] = {}
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "training.data",
            "--out",
            str(config.data_dir),
            "--seed",
            str(config.seed),
            "--train-size",
            str(config.train_size),
            *data_arguments(config.data_options),
        ],
        check=True,
        cwd=ROOT,
    )
    _phase("data", timings, started)

    from training.export import export
    from training.train import run_training

    started = time.perf_counter()
    adapter_dir = run_training(config, max_examples=max_examples)
    _phase("train", timings, started)
    started = time.perf_counter()
    export(adapter_dir, config.models_dir, config.work_dir)
    _phase("export", timings, started)
    started = time.perf_counter()
    evaluate_command = [
        sys.executable,
        "-m",
        "training.evaluate",
        "--config",
        str(config_path),
        "--models-dir",
        str(config.models_dir),
    ]
    if eval_limit is not None:
        evaluate_command += ["--limit", str(eval_limit)]
    subprocess.run(evaluate_command, check=True, cwd=ROOT)
    _phase("evaluate", timings, started)
    timings["total"] = round(sum(timings.values()), 1)
    train_report = json.loads((config.work_dir / "train_report.json").read_text("utf-8"))
    log = {"phase_seconds": timings, "train": train_report}
    (config.models_dir / "training_log.json").write_text(
        json.dumps(log, indent=1) + "\n", encoding="utf-8"
    )
    LOG.info("done in %.0f s: %s", timings["total"], timings)
    return timings


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Data, training, export and evaluation.")
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    parser.add_argument("--minutes", type=float, default=None, help="training time budget")
    parser.add_argument("--max-examples", type=int, default=None)
    parser.add_argument("--eval-limit", type=int, default=None, help="examples per eval set")
    parser.add_argument(
        "--models-dir", type=Path, default=None, help="export here instead of models/"
    )
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    run(
        arguments.config,
        minutes=arguments.minutes,
        max_examples=arguments.max_examples,
        eval_limit=arguments.eval_limit,
        models_dir=arguments.models_dir,
    )


if __name__ == "__main__":
    main()
