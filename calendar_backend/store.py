"""The calendar as one local .ics file: list, find, conflicts, create, delete, undo.

Every change reads the file whole, plans a byte splice that touches only the target
component, checks the result by parsing it again, and writes it atomically, but only if
nobody changed the file since the read. If somebody did, the change is planned again on the
new content."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import platformdirs

from calendar_backend.base import Calendar, UndoRecord
from calendar_backend.document import NEW_CALENDAR, CalendarDocument
from calendar_backend.errors import CalendarChangedError
from calendar_backend.models import Change, Occurrence
from calendar_backend.planning import APP_NAME, NewEvent, PlannedEdit, check_edit
from calendar_backend.storage import CalendarStorage, Fingerprint

WRITE_ATTEMPTS = 3


def default_backup_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "backups"


@dataclass
class CalendarStore(Calendar):
    """The user's calendar file. Opening creates it (with its folder) when it is missing."""

    path: Path
    backup_dir: Path = field(default_factory=default_backup_dir)
    _cached: CalendarDocument | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.path = Path(self.path).expanduser()
        self.storage = CalendarStorage(self.path, self.backup_dir)
        if not self.storage.exists():
            self.storage.create(NEW_CALENDAR)
        self.storage.remove_stale_temp_files()

    @property
    def name(self) -> str:
        return str(self.path)

    # --- reading -------------------------------------------------------------------------

    def document(self) -> CalendarDocument:
        """The file as it is now (parsed again only when its bytes changed)."""
        snapshot = self.storage.read()
        cached = self._cached
        if cached is not None and cached.fingerprint == snapshot.fingerprint:
            return cached
        document = CalendarDocument(self.path, snapshot.data, snapshot.fingerprint)
        self._cached = document
        return document

    def _occurrences(self, first_day: date, last_day: date) -> list[Occurrence]:
        return self.document().occurrences(first_day, last_day, self.zone)

    # --- changing ------------------------------------------------------------------------

    def _create(self, new: NewEvent) -> Occurrence:
        planner = self.planner
        return self._apply(lambda document: planner.plan_create(document, new)).occurrence

    def _delete(self, uid: str, which: date | datetime | None, series: bool) -> Occurrence:
        planner = self.planner
        return self._apply(
            lambda document: planner.plan_delete(document, uid, which, series)
        ).occurrence

    def _edit_event(self, uid: str, plan: Callable[[CalendarDocument], PlannedEdit]) -> Change:
        return self._apply(plan)

    def _revert(self, record: UndoRecord) -> None:
        document = self.document()
        # Same content as right after our change (mtime may differ: an undo rewrites it).
        if (
            record.before is not None
            and document.fingerprint is not None
            and document.fingerprint.sha256 == record.after
        ):
            self._write(document, record.before)
        else:
            self._apply(record.inverse, remember=False)

    def _apply(
        self, plan: Callable[[CalendarDocument], PlannedEdit], *, remember: bool = True
    ) -> Change:
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            document = self.document()
            document.require_editable()
            edit = plan(document)
            check_edit(document, edit, str(self.path))
            try:
                after = self._write(document, edit.data)
            except CalendarChangedError:
                if attempt == WRITE_ATTEMPTS:
                    raise
                continue
            if remember and edit.inverse is not None:
                self._remember(UndoRecord(edit.change, edit.inverse, document.data, after.sha256))
            return edit.change
        raise AssertionError("unreachable")

    def _write(self, document: CalendarDocument, data: bytes) -> Fingerprint:
        if document.fingerprint is None:
            raise ValueError("only a document read from the file can be replaced")
        written = self.storage.replace(document.fingerprint, data)
        self._cached = None
        return written
