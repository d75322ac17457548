"""A real CalDAV server for the tests: Radicale on 127.0.0.1, with its own storage folder and
htpasswd sign-in, started and stopped by the tests."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from caldav.collection import Principal
from caldav.davclient import DAVClient

USER = "anna"
PASSWORD = "correct horse battery"
START_TIMEOUT_S = 20.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class RadicaleServer:
    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        users = self.folder / "users"
        users.write_text(f"{USER}:{PASSWORD}\n")
        config = self.folder / "config"
        config.write_text(
            "[server]\n"
            f"hosts = 127.0.0.1:{self.port}\n"
            "[auth]\n"
            "type = htpasswd\n"
            f"htpasswd_filename = {users}\n"
            "htpasswd_encryption = plain\n"
            # Radicale waits a second after each refused sign-in; the tests need no such brake.
            "delay = 0\n"
            "[storage]\n"
            f"filesystem_folder = {self.folder / 'collections'}\n"
            "[rights]\n"
            "type = owner_only\n"
            "[logging]\n"
            "level = warning\n"
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "radicale", "--config", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=(self.folder / "log").open("ab"),
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Radicale exited: {(self.folder / 'log').read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("Radicale did not start listening in time")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def client(self, password: str = PASSWORD) -> DAVClient:
        """A second CalDAV client, as another program (a phone, Thunderbird) would be."""
        return DAVClient(url=self.base_url, username=USER, password=password, enable_rfc6764=False)

    def new_calendar(self, name: str = "") -> str:
        """A fresh, empty calendar collection; its URL with the user name in it."""
        calendar_id = name or f"cal-{uuid.uuid4().hex[:10]}"
        Principal(client=self.client(), url=f"{self.base_url}{USER}/").make_calendar(
            name=calendar_id, cal_id=calendar_id
        )
        return f"http://{USER}@127.0.0.1:{self.port}/{USER}/{calendar_id}/"

    def plain_url(self, calendar_url: str) -> str:
        """The collection URL without the user name, as a second client uses it."""
        return calendar_url.replace(f"{USER}@", "", 1)
