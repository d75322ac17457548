"""Wraps the one-folder bundle as a Debian package: `python installer/build_deb.py BUNDLE_DIR
OUT_DIR`. Standard library and dpkg only.

The package puts the bundle in /opt/voice-calendar, a `voice-calendar` command in /usr/bin,
the desktop entry and the icon where menus find them. Its dependencies are the system packages
that own the libraries the bundle links against on this machine, found with `ldd` and
`dpkg -S`, plus those the bundle loads by name at run time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from installer.check import elf_files, is_optional_plugin

PACKAGE = "voice-calendar"
INSTALL_DIR = Path("opt") / PACKAGE
ROOT = Path(__file__).resolve().parents[1]
DESKTOP_ENTRY = ROOT / "installer" / "voice-calendar.desktop"
ICON = ROOT / "app" / "assets" / "voice-calendar.svg"
COPYRIGHT = ROOT / "installer" / "copyright"
LOADED_BY_NAME = ("libportaudio2",)
"""sounddevice opens PortAudio with ctypes: no link that ldd could see."""
MAINTAINER = "Voice Calendar developers <voice-calendar@localhost>"
DESCRIPTION = """\
Offline German/English voice calendar
 Press a button and say "Trag mir für nächsten Freitag um halb drei den Zahnarzt
 ein" or "What's on my calendar tomorrow?": Voice Calendar hears it, edits your
 local .ics calendar and answers out loud. Speech recognition, understanding and
 speech all run on your own computer, with no network."""


def project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as stream:
        return str(tomllib.load(stream)["project"]["version"])


def system_libraries(bundle: Path) -> set[Path]:
    """Libraries outside the bundle that its programs and libraries link against, leaving out
    optional Qt plugins (the GTK theme loads only on a desktop that has GTK)."""
    libraries: set[Path] = set()
    for path in elf_files(bundle):
        if is_optional_plugin(path):
            continue
        result = subprocess.run(["ldd", str(path)], capture_output=True, text=True, check=False)
        for line in result.stdout.splitlines():
            if "=>" not in line:
                continue
            target = line.split("=>", 1)[1].split("(", 1)[0].strip()
            if target.startswith("/") and not Path(target).resolve().is_relative_to(
                bundle.resolve()
            ):
                libraries.add(Path(target))
    return libraries


def owning_package(library: Path) -> str:
    """The Debian package that ships `library`, trying the paths usr-merge makes equivalent."""
    candidates = [library, library.resolve()]
    for path in list(candidates):
        text = str(path)
        if text.startswith("/usr/lib/"):
            candidates.append(Path(text.removeprefix("/usr")))
        elif text.startswith("/lib/"):
            candidates.append(Path("/usr" + text))
    for candidate in candidates:
        result = subprocess.run(
            ["dpkg-query", "-S", str(candidate)], capture_output=True, text=True, check=False
        )
        if result.returncode == 0:
            return result.stdout.split(":", 1)[0].split(",", 1)[0].strip()
    raise SystemExit(f"no installed package owns {library}: install it with apt and build again")


def dependencies(bundle: Path) -> list[str]:
    packages = {owning_package(library) for library in system_libraries(bundle)}
    return sorted(packages | set(LOADED_BY_NAME))


def folder_kib(folder: Path) -> int:
    return sum(
        (path.lstat().st_size + 1023) // 1024 for path in folder.rglob("*") if not path.is_dir()
    )


def control_file(version: str, architecture: str, depends: list[str], installed_kib: int) -> str:
    return (
        f"Package: {PACKAGE}\n"
        f"Version: {version}\n"
        f"Architecture: {architecture}\n"
        f"Maintainer: {MAINTAINER}\n"
        f"Installed-Size: {installed_kib}\n"
        f"Depends: {', '.join(depends)}\n"
        "Section: utils\n"
        "Priority: optional\n"
        f"Description: {DESCRIPTION}\n"
    )


def stage(bundle: Path, staging: Path) -> None:
    """The package's file tree, as it will lie under / once installed."""
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(bundle, staging / INSTALL_DIR, symlinks=True)
    command = staging / "usr" / "bin" / PACKAGE
    command.parent.mkdir(parents=True)
    command.symlink_to(Path("..", "..", INSTALL_DIR, PACKAGE))
    applications = staging / "usr" / "share" / "applications"
    applications.mkdir(parents=True)
    shutil.copyfile(DESKTOP_ENTRY, applications / DESKTOP_ENTRY.name)
    icons = staging / "usr" / "share" / "icons" / "hicolor" / "scalable" / "apps"
    icons.mkdir(parents=True)
    shutil.copyfile(ICON, icons / f"{PACKAGE}.svg")
    documents = staging / "usr" / "share" / "doc" / PACKAGE
    documents.mkdir(parents=True)
    shutil.copyfile(COPYRIGHT, documents / "copyright")
    for path in staging.rglob("*"):
        if not path.is_symlink():
            # Root owns every file (dpkg-deb --root-owner-group); everyone may read and run.
            path.chmod(0o755 if path.is_dir() or os.access(path, os.X_OK) else 0o644)


def build(bundle: Path, out_dir: Path, compression: str = "zstd") -> Path:
    version = project_version()
    architecture = subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()
    staging = out_dir / f"{PACKAGE}_{version}_{architecture}"
    stage(bundle, staging)
    depends = dependencies(staging / INSTALL_DIR)
    (staging / "DEBIAN").mkdir()
    (staging / "DEBIAN" / "control").write_text(
        control_file(version, architecture, depends, folder_kib(staging)), encoding="utf-8"
    )
    package = out_dir / f"{staging.name}.deb"
    subprocess.run(
        [
            "dpkg-deb",
            "--root-owner-group",
            f"-Z{compression}",
            "--build",
            str(staging),
            str(package),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    shutil.rmtree(staging)
    return package


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, help="the bundle's folder (with voice-calendar)")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--compression", default="zstd", choices=("zstd", "xz", "gzip"))
    arguments = parser.parse_args()
    arguments.out_dir.mkdir(parents=True, exist_ok=True)
    print(build(arguments.bundle, arguments.out_dir, arguments.compression))
    return 0


if __name__ == "__main__":
    sys.exit(main())
