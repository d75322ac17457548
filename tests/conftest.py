from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from calendar_backend import CalendarStore

BERLIN = ZoneInfo("Europe/Berlin")
REPO_ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """../shared beside the checkout (where CI puts it), or VOICE_CALENDAR_SHARED."""
    return Path(os.environ.get("VOICE_CALENDAR_SHARED", REPO_ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def _session_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder for the whole run: the call model is built into it once."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, _session_cache: Path, monkeypatch
) -> None:
    """No test touches the real user's folders (backups, voices, settings, model cache)."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(_session_cache))


@pytest.fixture
def make_store(tmp_path: Path) -> Callable[..., CalendarStore]:
    """A store on a file in tmp_path, optionally with initial content, in Europe/Berlin."""

    def make(content: bytes | None = None, name: str = "calendar.ics") -> CalendarStore:
        path = tmp_path / name
        if content is not None:
            path.write_bytes(content)
        return CalendarStore(
            path,
            zone=BERLIN,
            backup_dir=tmp_path / "backups",
            clock=lambda: datetime(2026, 11, 21, 9, 0, tzinfo=UTC),
        )

    return make


def ics(*lines: str, newline: str = "\r\n") -> bytes:
    """An iCalendar file from its lines."""
    return (newline.join(lines) + newline).encode()
