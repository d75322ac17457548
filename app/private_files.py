"""What the app keeps besides the calendar itself (the model cache, copied voices, settings) is
readable by its user only: folders 0700, files 0600, set explicitly rather than through the
process's umask, which other threads share. Backups get the same in `calendar_backend`."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def private_folder(path: Path) -> Path:
    """`path` as a folder only its user may enter: created with any missing parents (each of
    them private too), or made private if it exists. Existing parents are left as they are."""
    missing = [folder for folder in (path, *path.parents) if not folder.exists()]
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # made meanwhile by another process
            folder.mkdir(mode=FOLDER_MODE)
    path.chmod(FOLDER_MODE)
    return path


def make_private(path: Path) -> Path:
    """A file the app wrote, readable by its user only from now on."""
    path.chmod(FILE_MODE)
    return path


def write_private(path: Path, data: bytes) -> Path:
    """Write `path` whole, readable by its user only from the first byte (see `_replace`)."""
    with _replace(path) as stream:
        stream.write(data)
    return path


def copy_private(source: Path, target: Path) -> Path:
    """Copy `source` to `target`, readable by its user only from the first byte."""
    with source.open("rb") as original, _replace(target) as stream:
        shutil.copyfileobj(original, stream, _COPY_CHUNK)
    return target


_COPY_CHUNK = 1 << 20


@contextlib.contextmanager
def _replace(path: Path) -> Iterator[BinaryIO]:
    """A new private file (mkstemp makes it 0600) in `path`'s folder, renamed over `path` once
    written. The rename replaces a link at `path` rather than writing where it points."""
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            yield stream
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
