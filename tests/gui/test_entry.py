"""`python -m app` with no command opens the window, and says so plainly when it cannot."""

from __future__ import annotations

import os
import subprocess
import sys

from installer.check import clean_environment, wait_for_window_ready
from tests.conftest import REPO_ROOT


def test_without_a_display_the_window_explains_instead_of_crashing() -> None:
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    result = subprocess.run(
        [sys.executable, "-m", "app"],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("error: no display")
    assert "python -m app --help" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_window_starts_and_loads_every_model(tmp_path) -> None:
    """What `installer/check.py` asks of the bundle, asked of the source tree."""
    environment = {**clean_environment(tmp_path), "PATH": os.environ["PATH"]}
    states = wait_for_window_ready([sys.executable, "-m", "app"], environment, timeout_s=120)
    assert states[0].startswith("loading")
    assert "loading (understanding)" in states
    assert states[-1] == "ready"
    assert (tmp_path / ".local/share/voice-calendar/calendar.ics").is_file()
