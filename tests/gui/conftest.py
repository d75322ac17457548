"""The window's tests run without a display (Qt's offscreen platform)."""

from __future__ import annotations

import os

import pytest

from app.pipeline import Pipeline, load_pipeline

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    """Every model, loaded once per test module of the window."""
    return load_pipeline()
