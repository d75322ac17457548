"""Checks a built bundle the way a user's machine would run it: `python -m installer.check
BUNDLE_DIR`, or `python -m installer.check --installed ROOT` for an unpacked package.
Standard library only.

- every library the bundle loads resolves (`ldd`), apart from optional Qt plugins for desktops
  this machine lacks;
- `voice-calendar selftest` passes with no Python, virtual environment or cache around it;
- the bundled `calendar` commands add, list and delete on a CalDAV server (Radicale, started
  from the build's virtual environment), and ask for a password when none is given;
- the window starts (offscreen) and reaches "ready" with every model loaded, and no Python
  code or library from outside the bundle is mapped into it.
"""

from __future__ import annotations

import argparse
import base64
import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path

EXECUTABLE = "voice-calendar"
OPTIONAL_PLUGINS = ("platformthemes/libqgtk3.so",)
"""Loaded only on a desktop that has their libraries (GTK 3 for the GTK theme)."""
WINDOW_TIMEOUT_S = 120.0
CALDAV_USER, CALDAV_PASSWORD = "anna", "installer check"


class CheckFailedError(RuntimeError):
    pass


def clean_environment(home: Path) -> dict[str, str]:
    """What a freshly logged-in user has: no Python, no virtual environment, an empty home."""
    return {
        "HOME": str(home),
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
    }


def is_optional_plugin(path: Path) -> bool:
    return any(path.as_posix().endswith(optional) for optional in OPTIONAL_PLUGINS)


def elf_files(folder: Path) -> list[Path]:
    """The programs and shared libraries in `folder` (symbolic links aside)."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as stream:
                if stream.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def unresolved_libraries(bundle: Path) -> list[str]:
    """`ldd`'s "not found" lines for every program and shared library in the bundle."""
    problems = []
    for path in elf_files(bundle):
        if is_optional_plugin(path):
            continue
        result = subprocess.run(["ldd", str(path)], capture_output=True, text=True, check=False)
        problems += [
            f"{path.relative_to(bundle)}: {line.strip()}"
            for line in result.stdout.splitlines()
            if "not found" in line
        ]
    return problems


def run_selftest(executable: Path) -> str:
    with tempfile.TemporaryDirectory(prefix="voice-calendar-check-") as home:
        result = subprocess.run(
            [str(executable), "selftest"],
            env=clean_environment(Path(home)),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    if result.returncode != 0:
        raise CheckFailedError(f"selftest exited {result.returncode}:\n{result.stderr[-3000:]}")
    return result.stdout


def start_caldav_server(folder: Path) -> tuple[subprocess.Popen[bytes], int]:
    """Radicale from the build's virtual environment on 127.0.0.1, with one user and an
    empty calendar at /anna/check/, for the bundle to talk to."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    (folder / "users").write_text(f"{CALDAV_USER}:{CALDAV_PASSWORD}\n")
    (folder / "config").write_text(
        f"[server]\nhosts = 127.0.0.1:{port}\n"
        f"[auth]\ntype = htpasswd\nhtpasswd_filename = {folder / 'users'}\n"
        "htpasswd_encryption = plain\ndelay = 0\n"
        f"[storage]\nfilesystem_folder = {folder / 'collections'}\n"
        "[rights]\ntype = owner_only\n"
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--config", str(folder / "config")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise CheckFailedError("the CalDAV server for the check did not start") from None
            time.sleep(0.05)
    token = base64.b64encode(f"{CALDAV_USER}:{CALDAV_PASSWORD}".encode()).decode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/{CALDAV_USER}/check/",
        method="MKCALENDAR",
        headers={"Authorization": f"Basic {token}"},
    )
    urllib.request.urlopen(request, timeout=10).close()
    return server, port


def run_caldav_round_trip(executable: Path) -> None:
    """The bundle adds, lists and deletes an event on a CalDAV server (the client library,
    its HTTP stack and the secret store's fallback are all in the bundle)."""
    with tempfile.TemporaryDirectory(prefix="voice-calendar-check-") as scratch:
        server, port = start_caldav_server(Path(scratch))
        url = f"http://{CALDAV_USER}@127.0.0.1:{port}/{CALDAV_USER}/check/"
        environment = clean_environment(Path(scratch))

        def calendar(*arguments: str, password: bool = True) -> subprocess.CompletedProcess[str]:
            extra = {"VOICE_CALENDAR_CALDAV_PASSWORD": CALDAV_PASSWORD} if password else {}
            return subprocess.run(
                [str(executable), "calendar", *arguments, "--calendar", url],
                env={**environment, **extra},
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )

        try:
            added = calendar("add", "--title", "Check", "--start", "2030-01-02T10:00")
            listed = calendar("list", "--from", "2030-01-02", "--to", "2030-01-02")
            no_password = calendar("list", password=False)
            uid = json.loads(added.stdout)["uid"] if added.returncode == 0 else ""
            deleted = calendar("delete", "--uid", uid)
        finally:
            server.terminate()
            server.wait(timeout=10)
    if added.returncode or listed.returncode or deleted.returncode:
        raise CheckFailedError(
            "the bundle could not use a CalDAV calendar:\n"
            + "\n".join(r.stderr[-2000:] for r in (added, listed, deleted))
        )
    if [event["uid"] for event in json.loads(listed.stdout)] != [uid]:
        raise CheckFailedError(f"the bundle listed {listed.stdout!r} after adding {uid}")
    if no_password.returncode != 1 or "asks for a password" not in no_password.stderr:
        raise CheckFailedError(
            f"without a password the bundle should say that one is needed:\n{no_password.stderr}"
        )


def wait_for_window_ready(
    command: Sequence[str],
    environment: dict[str, str],
    timeout_s: float = WINDOW_TIMEOUT_S,
    when_ready: Callable[[int], None] | None = None,
) -> list[str]:
    """Starts the window with `--verbose` on the offscreen platform, waits for its state line
    to say "ready", calls `when_ready` with its process id, then closes it. Returns the states
    it went through."""
    environment = {**environment, "QT_QPA_PLATFORM": "offscreen"}
    with subprocess.Popen(
        [*command, "--verbose"],
        env=environment,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    ) as process:
        assert process.stderr is not None
        states: list[str] = []
        log: list[str] = []
        # A window that hangs without a word is killed, which ends the reading below.
        deadline = threading.Timer(timeout_s, process.kill)
        deadline.start()
        try:
            for line in process.stderr:
                log.append(line)
                if "state: " in line:
                    states.append(line.split("state: ", 1)[1].strip())
                if states and states[-1] == "ready" and when_ready is not None:
                    when_ready(process.pid)
                if states and states[-1] in ("ready", "unavailable"):
                    break
        finally:
            deadline.cancel()
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
    if not states or states[-1] != "ready":
        raise CheckFailedError(f"the window did not become ready:\n{''.join(log)[-3000:]}")
    return states


def python_outside(bundle: Path, pid: int) -> list[str]:
    """Python code or libraries a running process has mapped from outside `bundle`."""
    maps = Path(f"/proc/{pid}/maps").read_text(encoding="utf-8").splitlines()
    mapped = {line.split(maxsplit=5)[5] for line in maps if len(line.split(maxsplit=5)) == 6}
    return sorted(
        path
        for path in mapped
        if path.startswith("/")
        and ("python" in path or "site-packages" in path)
        and not Path(path).is_relative_to(bundle.resolve())
    )


def check(bundle: Path) -> None:
    executable = bundle / EXECUTABLE
    if not executable.is_file():
        raise CheckFailedError(f"{executable} does not exist: build the bundle first")
    problems = unresolved_libraries(bundle)
    if problems:
        raise CheckFailedError("libraries that do not resolve:\n" + "\n".join(problems))
    print("ok   every library resolves", flush=True)
    started = time.monotonic()
    print(run_selftest(executable), end="", flush=True)
    print(f"ok   selftest ({time.monotonic() - started:.1f} s)", flush=True)
    started = time.monotonic()
    run_caldav_round_trip(executable)
    print(f"ok   a CalDAV calendar: add, list, delete ({time.monotonic() - started:.1f} s)")
    started = time.monotonic()
    outside: list[str] = []
    with tempfile.TemporaryDirectory(prefix="voice-calendar-check-") as home:
        states = wait_for_window_ready(
            [str(executable)],
            clean_environment(Path(home)),
            when_ready=lambda pid: outside.extend(python_outside(bundle, pid)),
        )
        if outside:
            raise CheckFailedError(
                "the window loaded Python from outside the bundle:\n" + "\n".join(outside)
            )
        if not (Path(home) / ".local/share/voice-calendar/calendar.ics").is_file():
            raise CheckFailedError("the window did not create the calendar in the user's folder")
    print(f"ok   window: {' → '.join(states)} ({time.monotonic() - started:.1f} s)", flush=True)


def desktop_entry(path: Path) -> dict[str, str]:
    """The keys of a desktop entry's [Desktop Entry] group."""
    entry: dict[str, str] = {}
    group = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            group = line.strip()
        elif group == "[Desktop Entry]" and "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            entry[key.strip()] = value.strip()
    return entry


def check_installed(root: Path) -> None:
    """A package unpacked into `root` (`dpkg-deb -x`): the menu entry is valid, its icon is
    there, and its command, run the way the menu runs it, opens a window that becomes ready."""
    entries = sorted((root / "usr/share/applications").glob("*.desktop"))
    if len(entries) != 1:
        raise CheckFailedError(f"expected one desktop entry, found {[e.name for e in entries]}")
    validation = subprocess.run(
        ["desktop-file-validate", str(entries[0])], capture_output=True, text=True, check=False
    )
    if validation.returncode != 0 or validation.stdout.strip():
        raise CheckFailedError(f"{entries[0].name} is not valid:\n{validation.stdout}")
    entry = desktop_entry(entries[0])
    icon = root / "usr/share/icons/hicolor/scalable/apps" / f"{entry['Icon']}.svg"
    if not icon.is_file():
        raise CheckFailedError(f"the menu's icon {icon} is missing")
    program, *arguments = entry["Exec"].split()
    command = root / "usr/bin" / program
    if not command.is_file():
        raise CheckFailedError(f"the menu runs {program}, which {root / 'usr/bin'} lacks")
    print(f"ok   desktop entry {entries[0].name}, icon, command {program}", flush=True)
    check(command.resolve().parent)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="voice-calendar-check-") as home:
        states = wait_for_window_ready(
            [str(command), *[a for a in arguments if not a.startswith("%")]],
            clean_environment(Path(home)),
        )
    print(f"ok   from the menu: {' → '.join(states)} ({time.monotonic() - started:.1f} s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, help="the bundle's folder (with voice-calendar)")
    parser.add_argument(
        "--installed",
        action="store_true",
        help="BUNDLE is the root of an unpacked package: check its menu entry too",
    )
    arguments = parser.parse_args()
    try:
        if arguments.installed:
            check_installed(arguments.bundle)
        else:
            check(arguments.bundle)
    except CheckFailedError as error:
        print(f"FAIL {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
