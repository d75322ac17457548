"""Screenshots of the window's main states, written as test artefacts to look at."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from tests.conftest import REPO_ROOT

SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"


def save_screenshot(widget: QWidget, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    assert widget.grab().save(str(path)), f"could not write {path}"
    return path
