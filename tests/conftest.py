from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import keyring
import keyring.backend
import keyring.errors
import pytest

from calendar_backend import CalendarStore
from calendar_backend.secrets import PASSWORD_VARIABLE
from tests.radicale import PASSWORD, RadicaleServer

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


class MemoryKeyring(keyring.backend.KeyringBackend):
    """The desktop's secret store, for one test: a Secret Service is not running in CI."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.passwords.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


@pytest.fixture(autouse=True)
def secret_store(monkeypatch) -> MemoryKeyring:
    """No test reads or writes the real user's secret store, nor inherits a password."""
    monkeypatch.delenv(PASSWORD_VARIABLE, raising=False)
    store = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(store)
    yield store
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def radicale(tmp_path_factory: pytest.TempPathFactory):
    """One real Radicale CalDAV server on 127.0.0.1 for the whole run."""
    server = RadicaleServer(tmp_path_factory.mktemp("radicale"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def caldav_url(radicale: RadicaleServer, monkeypatch) -> str:
    """A fresh calendar on the test server, its password given the way scripts give it."""
    monkeypatch.setenv(PASSWORD_VARIABLE, PASSWORD)
    return radicale.new_calendar()
