"""One cold start, run by the suite in a fresh process: `python -m benchmarks.cold_start
[--window]`. Prints one JSON line per stage as it is reached (seconds since this module began
to run); the suite adds the interpreter's own start-up by timing the whole process."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

STARTED = time.perf_counter()


def _say(event: str, **values: object) -> None:
    print(json.dumps({"event": event, "s": round(time.perf_counter() - STARTED, 3), **values}))
    sys.stdout.flush()


def headless() -> None:
    from app.pipeline import load_pipeline

    _say("loading")
    load_pipeline(on_stage=lambda stage: _say(stage))
    _say("ready", peak_rss_mb=peak_rss_mb())


def window(calendar: Path) -> None:
    """The desktop window (offscreen), from QApplication to the state "ready"."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from app.gui.main_window import MainWindow, Services
    from app.gui.preferences import Preferences

    _say("window")
    application = QApplication([])
    settings = QSettings(str(calendar.with_suffix(".ini")), QSettings.Format.IniFormat)
    main = MainWindow(Preferences(calendar_path=calendar), settings, Services())
    main.show()
    main.start()
    _say("loading")

    def reached(state: str) -> None:
        if state == "loading" and main.load_stage:
            _say(main.load_stage)
        elif state in ("ready", "unavailable"):
            _say(state, peak_rss_mb=peak_rss_mb())
            QTimer.singleShot(0, application.quit)

    main.state_changed.connect(reached)
    application.exec()
    main.close()


def peak_rss_mb() -> float:
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--window", action="store_true")
    arguments = parser.parse_args()
    if arguments.window:
        with tempfile.TemporaryDirectory() as folder:
            window(Path(folder) / "calendar.ics")
    else:
        headless()


if __name__ == "__main__":
    main()
