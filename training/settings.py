"""The training run's settings (`training/config.toml`): what every phase reads (data,
training, export, evaluation), in a module of its own that imports no phase and no torch, so
that the phases import it and not each other."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from app.nlu.call_format import CallStyle

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
