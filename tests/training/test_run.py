"""The run's configuration: every `[data]` setting reaches the data generator, and training
runs against the embedding the app builds."""

from __future__ import annotations

from pathlib import Path

from app.nlu.model_store import EMBEDDING_TYPE
from training.data.__main__ import main as data_main
from training.settings import DEFAULT_CONFIG, data_arguments, load_config


def test_data_settings_become_generator_options(tmp_path: Path) -> None:
    config = load_config(DEFAULT_CONFIG)
    arguments = data_arguments(config.data_options)
    assert config.data_options
    for name in config.data_options:
        assert f"--{name.replace('_', '-')}" in arguments
    out = tmp_path / "data"
    assert data_main(["--out", str(out), "--train-size", "300", "--no-verify", *arguments]) == 0
    assert (out / "train.jsonl").read_text(encoding="utf-8").count("\n") == 300


def test_whole_numbers_are_passed_as_integers() -> None:
    assert data_arguments({"massive_repeat": 2.0, "other_share": 0.3}) == [
        "--massive-repeat",
        "2",
        "--other-share",
        "0.3",
    ]


def test_training_uses_the_embedding_type_the_app_builds() -> None:
    assert load_config(DEFAULT_CONFIG).model.embedding_type in ("", EMBEDDING_TYPE)
