"""The desktop window (PySide6). The only package that imports Qt; it drives the same Qt-free
pipeline as the command line, from worker threads."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from app import command_name

ORGANIZATION = "voice-calendar"
APPLICATION = "Voice Calendar"
DESKTOP_ENTRY = "voice-calendar"
"""The installed desktop entry and icon name (installer/voice-calendar.desktop)."""
ICON = Path(__file__).resolve().parents[1] / "assets" / "voice-calendar.svg"


def run_gui(argv: Sequence[str] = ()) -> int:
    """Open the main window and run until it is closed; returns the exit status."""
    if sys.platform.startswith("linux") and not any(
        os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    ):
        print(
            "error: no display: the window needs a desktop session. Without one, use the"
            f" commands ({command_name()} --help).",
            file=sys.stderr,
        )
        return 1
    from PySide6.QtCore import QLocale, QSettings
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from app.gui.main_window import MainWindow, Services
    from app.gui.preferences import load_preferences

    application = QApplication([sys.argv[0], *argv])
    application.setOrganizationName(ORGANIZATION)
    application.setApplicationName(APPLICATION)
    application.setDesktopFileName(DESKTOP_ENTRY)
    application.setWindowIcon(QIcon(str(ICON)))
    settings = QSettings()
    preferences = load_preferences(settings)
    window = MainWindow(preferences, settings, Services(system_locale=QLocale.system().name()))
    window.show()
    window.start()
    return application.exec()
