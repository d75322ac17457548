"""The models, loaded once for every fuzz test, and handed to the command line in place of
loading them per command (which takes seconds). Everything else runs as it does for a user."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import app.pipeline
from app.cli import parse, transcribe
from app.pipeline import Pipeline, load_pipeline


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/fuzz/" in item.nodeid:
            item.add_marker(pytest.mark.fuzz)


@pytest.fixture(scope="package")
def models(_session_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pipeline]:
    with pytest.MonkeyPatch.context() as patch:
        # Loaded before any test's own folders exist: the model cache and voices folder of the
        # run, never the user's.
        patch.setenv("XDG_CACHE_HOME", str(_session_cache))
        patch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("fuzz-data")))
        pipeline = load_pipeline()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parse, "_load_model", lambda: pipeline.understander.model)
        patch.setattr(transcribe, "_load_recognizer", lambda: pipeline.recognizer)
        patch.setattr(app.pipeline, "load_pipeline", lambda **_options: pipeline)
        yield pipeline
