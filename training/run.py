"""The whole training run in one command: data, training, export, evaluation.

    python -m training.run [--config training/config.toml] [--minutes M] [--max-examples N]
                           [--eval-limit N]

Each phase's time is logged and written to `models/training_log.json` with the training report.
The run's configuration is `training/settings.py`.
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from training.settings import DEFAULT_CONFIG, ROOT, data_arguments, load_config

LOG = logging.getLogger("training.run")


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
