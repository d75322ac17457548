from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.speech.asr import Recognizer
from app.speech.tts import Synthesizer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "audio"


@pytest.fixture(scope="session")
def recognizer() -> Recognizer:
    """Loaded once for the whole run (about 3 s)."""
    return Recognizer()


@pytest.fixture(scope="session")
def synthesizer() -> Synthesizer:
    # An empty voices folder: the user's own voices must not change what the tests hear.
    return Synthesizer(voices_folder=FIXTURES / "no-such-folder")


@pytest.fixture(scope="session")
def manifest() -> list[dict[str, Any]]:
    recordings: list[dict[str, Any]] = json.loads(
        (FIXTURES / "manifest.json").read_text(encoding="utf-8")
    )["recordings"]
    return recordings
