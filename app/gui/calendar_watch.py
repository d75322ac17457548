"""Noticing that the calendar may have changed without the window doing it: another program
saved the file, a server's other clients changed it (asked again every few minutes), or a
new day began. Each says `changed`; the window reads the calendar again."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from calendar_backend.location import is_caldav_url

SERVER_REFRESH_MS = 120_000
"""How often the agenda of a server calendar is asked again (other clients' changes)."""
FILE_SETTLE_MS = 250
"""A burst of file events (a save writes, renames, touches) reads the calendar once."""
CLOCK_CHECK_MS = 60_000


class CalendarWatch(QObject):
    changed = Signal()
    """The file changed, or the server is due to be asked again."""
    minute_passed = Signal()
    """Once a minute: the current time moved (a new day may have begun)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.location = ""
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._touched)
        self._watcher.directoryChanged.connect(self._touched)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(FILE_SETTLE_MS)
        self._settle.timeout.connect(self.changed)
        self._server = QTimer(self)
        self._server.setInterval(SERVER_REFRESH_MS)
        self._server.timeout.connect(self.changed)
        self._clock = QTimer(self)
        self._clock.setInterval(CLOCK_CHECK_MS)
        self._clock.timeout.connect(self.minute_passed)

    def watch(self, location: str) -> None:
        """A file is watched for other programs' changes (OSError when its folder cannot be
        made); a server is asked again every few minutes."""
        self.location = location
        self._unwatch()
        if is_caldav_url(location):
            self._server.start()
            return
        self._server.stop()
        path = Path(location)
        path.parent.mkdir(parents=True, exist_ok=True)
        for folder in dict.fromkeys((path.parent, path.resolve().parent)):
            self._watcher.addPath(str(folder))
        if path.exists():
            self._watcher.addPath(str(path))

    def start_clock(self) -> None:
        self._clock.start()

    def stop(self) -> None:
        self._clock.stop()
        self._settle.stop()
        self._server.stop()

    def _unwatch(self) -> None:
        watched = self._watcher.files() + self._watcher.directories()
        if watched:
            self._watcher.removePaths(watched)

    def _touched(self, _path: str) -> None:
        # A program that saves by replacing the file drops it from the watch list.
        location = self.location
        if (
            not is_caldav_url(location)
            and location not in self._watcher.files()
            and Path(location).exists()
        ):
            self._watcher.addPath(location)
        if not self._settle.isActive():
            self._settle.start()
