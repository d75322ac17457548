"""The Debian package around a bundle, built for real from a small stand-in bundle (a copy of
a system program), and the library checks the build script relies on."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from installer import build_deb
from installer.check import (
    CheckFailedError,
    clean_environment,
    desktop_entry,
    python_outside,
    unresolved_libraries,
    wait_for_window_ready,
)


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    """A folder shaped like the PyInstaller bundle: the program and a library folder."""
    folder = tmp_path / "voice-calendar"
    (folder / "_internal").mkdir(parents=True)
    shutil.copy2("/usr/bin/true", folder / "voice-calendar")
    (folder / "_internal" / "data.txt").write_text("bundled data\n", encoding="utf-8")
    return folder


def test_the_package_installs_the_bundle_the_command_the_menu_entry_and_the_icon(
    bundle: Path, tmp_path: Path
) -> None:
    package = build_deb.build(bundle, tmp_path / "out")
    version = build_deb.project_version()
    assert package.name.startswith(f"voice-calendar_{version}_")
    assert not (tmp_path / "out" / package.stem).exists()  # the staging tree is cleaned up

    def field(name: str) -> str:
        return subprocess.run(
            ["dpkg-deb", "-f", str(package), name], capture_output=True, text=True, check=True
        ).stdout.strip()

    assert field("Package") == "voice-calendar"
    assert field("Version") == version
    depends = field("Depends").split(", ")
    assert "libc6" in depends  # what /usr/bin/true links against
    assert "libportaudio2" in depends  # opened by name at run time
    assert depends == sorted(depends)
    assert int(field("Installed-Size")) > 0

    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(package), str(root)], check=True)
    command = root / "usr/bin/voice-calendar"
    assert command.is_symlink()
    assert command.resolve() == (root / "opt/voice-calendar/voice-calendar").resolve()
    assert subprocess.run([str(command)], check=False).returncode == 0
    assert (root / "opt/voice-calendar/_internal/data.txt").read_text() == "bundled data\n"
    entry = desktop_entry(root / "usr/share/applications/voice-calendar.desktop")
    assert entry["Exec"] == "voice-calendar"
    assert entry["Name[de]"] == "Sprachkalender"
    assert (root / f"usr/share/icons/hicolor/scalable/apps/{entry['Icon']}.svg").is_file()
    assert "GNU General Public License" in (
        root / "usr/share/doc/voice-calendar/copyright"
    ).read_text(encoding="utf-8")

    listing = subprocess.run(
        ["dpkg-deb", "-c", str(package)], capture_output=True, text=True, check=True
    ).stdout
    assert all(" root/root " in line for line in listing.splitlines())


def test_the_desktop_entry_is_valid() -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(build_deb.DESKTOP_ENTRY)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


def shared_library_needing_a_missing_one(folder: Path, name: str) -> Path:
    """A real shared library linked against `libvanished.so`, which is then removed."""
    (folder / "vanished.c").write_text("int vanished(void) { return 1; }\n")
    (folder / "user.c").write_text("int vanished(void);\nint user(void) { return vanished(); }\n")
    subprocess.run(
        ["cc", "-shared", "-fPIC", "-o", folder / "libvanished.so", folder / "vanished.c"],
        check=True,
    )
    library = folder / name
    link = ["-L", str(folder), "-lvanished"]
    subprocess.run(["cc", "-shared", "-fPIC", "-o", library, folder / "user.c", *link], check=True)
    for leftover in ("libvanished.so", "vanished.c", "user.c"):
        (folder / leftover).unlink()
    return library


def test_a_library_the_machine_lacks_is_reported_unless_its_plugin_is_optional(
    bundle: Path,
) -> None:
    assert unresolved_libraries(bundle) == []
    shared_library_needing_a_missing_one(bundle / "_internal", "libuser.so")
    optional = bundle / "_internal/platformthemes"
    optional.mkdir()
    shared_library_needing_a_missing_one(optional, "libqgtk3.so")
    assert unresolved_libraries(bundle) == ["_internal/libuser.so: libvanished.so => not found"]


def test_a_library_no_package_owns_stops_the_build(tmp_path: Path) -> None:
    stray = tmp_path / "libstray.so"
    stray.write_bytes(b"")
    with pytest.raises(SystemExit, match="no installed package owns"):
        build_deb.owning_package(stray)


def test_python_mapped_from_outside_the_bundle_is_found(tmp_path: Path) -> None:
    outside = python_outside(tmp_path, os.getpid())  # this test runs on the development Python
    assert outside
    assert all("python" in path or "site-packages" in path for path in outside)
    assert python_outside(Path("/"), os.getpid()) == []


def test_a_window_that_hangs_without_a_word_is_given_up_on(tmp_path: Path) -> None:
    silent = [sys.executable, "-c", "import time; time.sleep(300)"]
    with pytest.raises(CheckFailedError, match="did not become ready"):
        wait_for_window_ready(silent, clean_environment(tmp_path), timeout_s=1.0)


def test_a_window_that_fails_to_load_is_reported_with_its_log(tmp_path: Path) -> None:
    failing = [
        sys.executable,
        "-c",
        "import sys; print('INFO: state: unavailable', file=sys.stderr)",
    ]
    with pytest.raises(CheckFailedError, match="state: unavailable"):
        wait_for_window_ready(failing, clean_environment(tmp_path), timeout_s=30.0)
