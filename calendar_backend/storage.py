"""Safe file I/O for the user's calendar: whole reads, atomic replaces, change detection,
rotating backups. Knows bytes, not iCalendar."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import stat
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from calendar_backend.errors import CalendarChangedError, CalendarFileError
from calendar_backend.phrases import phrase

DEFAULT_BACKUPS_KEPT = 20
MAX_CALENDAR_BYTES = 50 * 1024 * 1024
"""Far above any real calendar (ten years of a busy one are a few megabytes); a larger file is
refused before it is read. `app/limits.py` lists it with the app's other limits."""
TEMP_SUFFIX = ".voice-calendar.tmp"
STALE_TEMP_SECONDS = 3600

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Fingerprint:
    """What the file looked like when we read it. Two reads are the same file content only
    if all three agree; mtime alone misses same-second writes, size alone misses edits."""

    mtime_ns: int
    size: int
    sha256: str


@dataclass(frozen=True)
class Snapshot:
    data: bytes
    fingerprint: Fingerprint


def _fingerprint(data: bytes, status: os.stat_result) -> Fingerprint:
    return Fingerprint(status.st_mtime_ns, status.st_size, hashlib.sha256(data).hexdigest())


class CalendarStorage:
    """Reads and atomically replaces one calendar file. A symlinked path edits the file the
    link points to, and the link stays a link."""

    def __init__(
        self, path: Path, backup_dir: Path, backups_kept: int = DEFAULT_BACKUPS_KEPT
    ) -> None:
        self.path = Path(path).expanduser()
        self.backup_dir = backup_dir
        self.backups_kept = backups_kept

    @property
    def target(self) -> Path:
        return Path(os.path.realpath(self.path))

    def exists(self) -> bool:
        return self.target.exists()

    def read(self) -> Snapshot:
        target = self.target
        try:
            with target.open("rb") as stream:
                status = os.fstat(stream.fileno())
                if not stat.S_ISREG(status.st_mode):
                    raise CalendarFileError(
                        self.path, "this is not a regular file", "Choose an .ics file instead."
                    )
                if status.st_size > MAX_CALENDAR_BYTES:
                    raise CalendarFileError(
                        self.path,
                        phrase(
                            "it is {size} bytes, more than the {limit} MB a calendar file may have",
                            size=f"{status.st_size:,}",
                            limit=MAX_CALENDAR_BYTES // (1024 * 1024),
                        ),
                        "Choose the calendar file itself, not an archive or a disk image.",
                    )
                data = stream.read(MAX_CALENDAR_BYTES + 1)
                if len(data) > MAX_CALENDAR_BYTES:
                    raise CalendarFileError(
                        self.path,
                        phrase(
                            "it grew beyond the {limit} bytes a calendar file may have while it"
                            " was read",
                            limit=f"{MAX_CALENDAR_BYTES:,}",
                        ),
                        "Choose the calendar file itself.",
                    )
        except FileNotFoundError as error:
            raise CalendarFileError(
                self.path, "the file does not exist", "Check the calendar path in the settings."
            ) from error
        except PermissionError as error:
            raise CalendarFileError(
                self.path,
                "permission to read it was denied",
                "Give your user read and write access to the file.",
            ) from error
        except IsADirectoryError as error:
            raise CalendarFileError(
                self.path, "this is a folder, not a file", "Choose an .ics file instead."
            ) from error
        except OSError as error:
            raise CalendarFileError(
                self.path,
                phrase("it could not be read ({reason})", reason=error.strerror),
                "Check the disk.",
            ) from error
        return Snapshot(data, _fingerprint(data, status))

    def create(self, data: bytes) -> Snapshot:
        """Write a new file that must not exist yet (permissions from the umask). Never
        through a link that points nowhere: its target may be a drive that is not mounted."""
        target = self.target
        if self.path.is_symlink():
            raise CalendarFileError(
                self.path,
                phrase(
                    "it is a link to {target}, which does not exist", target=self.path.readlink()
                ),
                "Connect the drive or folder it points to, or choose another file.",
            )
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            return self.read()
        except OSError as error:
            raise CalendarFileError(
                self.path,
                phrase(
                    "a new calendar could not be created there ({reason})", reason=error.strerror
                ),
                "Choose a folder you can write to.",
            ) from error
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        _fsync_directory(target.parent)
        return self.read()

    def replace(self, expected: Fingerprint, data: bytes) -> Fingerprint:
        """Atomically replace the file's content with data, if and only if it still has the
        expected fingerprint. The previous content is kept as a backup first. Returns the
        fingerprint of what was written."""
        target = self.target
        before = self.read()
        if before.fingerprint != expected:
            raise CalendarChangedError(self.path, "its content differs from what was read")
        status = target.stat()
        if not status.st_mode & 0o222 or not os.access(target, os.W_OK):
            raise CalendarFileError(
                self.path,
                "the file is read-only",
                "Make it writable if the assistant should change it.",
            )
        try:
            self._backup(before.data)
            return self._swap_in(target, status, expected, data)
        except OSError as error:
            raise CalendarFileError(
                self.path,
                phrase("it could not be saved ({reason})", reason=error.strerror or error),
                "Check that the disk has space and the folder is writable; "
                "the file was left as it was.",
            ) from error

    def _swap_in(
        self, target: Path, status: os.stat_result, expected: Fingerprint, data: bytes
    ) -> Fingerprint:
        descriptor, temp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent
        )
        temp_path = Path(temp_name)
        try:
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fchmod(stream.fileno(), stat.S_IMODE(status.st_mode))
                _copy_ownership(target, stream.fileno())
                os.fsync(stream.fileno())
                written = _fingerprint(data, os.fstat(stream.fileno()))
            # Last look right before the swap: the window left is the duration of one rename.
            if self.read().fingerprint != expected:
                raise CalendarChangedError(self.path, "it was written while we saved")
            temp_path.replace(target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                temp_path.unlink()
            raise
        _fsync_directory(target.parent)
        return written

    def remove_stale_temp_files(self) -> None:
        """Temporary files of ours that a killed process left beside the calendar."""
        target = self.target
        cutoff = time.time() - STALE_TEMP_SECONDS
        with contextlib.suppress(OSError):
            for leftover in target.parent.glob(f".{target.name}.*{TEMP_SUFFIX}"):
                with contextlib.suppress(OSError):
                    if leftover.stat().st_mtime < cutoff:
                        leftover.unlink()

    def _backup(self, data: bytes) -> None:
        folder = self._backup_folder()
        _private_folders(folder, self.backup_dir)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        # Backups are private, whatever the calendar's own permissions.
        descriptor = os.open(folder / f"{stamp}.ics", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        kept = sorted(folder.glob("*.ics"))
        for old in kept[: max(0, len(kept) - self.backups_kept)]:
            old.unlink()

    def _backup_folder(self) -> Path:
        """One folder per calendar, named so that two calendars called the same never mix."""
        target = self.target
        path_hash = hashlib.sha256(str(target).encode()).hexdigest()[:10]
        return self.backup_dir / f"{target.stem}-{path_hash}"

    def backups(self) -> list[Path]:
        """Backups of this calendar, oldest first."""
        folder = self._backup_folder()
        return sorted(folder.glob("*.ics")) if folder.exists() else []


def _private_folders(folder: Path, owned: Path) -> None:
    """`folder` and every folder from `owned` down to it enterable by their user only, with
    any missing parents above `owned` made so too (the umask would leave them readable)."""
    missing = [path for path in (folder, *folder.parents) if not path.exists()]
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            path.mkdir(mode=0o700)
    for path in (folder, *folder.parents):
        path.chmod(0o700)
        if path == owned:
            break


def _copy_ownership(original: Path, descriptor: int) -> None:
    """Owner and group of the original; a user who may not give the file away can usually
    still keep its group (a family calendar shared through a group stays shared)."""
    status = original.stat()
    try:
        os.fchown(descriptor, status.st_uid, status.st_gid)
    except PermissionError:
        try:
            os.fchown(descriptor, -1, status.st_gid)
        except PermissionError:
            log.warning("%s: its group could not be kept after saving", original)


def _fsync_directory(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
