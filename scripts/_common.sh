# Shared by scripts/run and scripts/test: everything a fresh Debian/Ubuntu machine needs.
# shellcheck shell=bash
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VOICE_CALENDAR_VENV:-$ROOT/.venv}"
CONSTRAINTS="$ROOT/requirements/constraints.txt"

# System libraries the Python packages load at run time, and what building llama-cpp-python
# from source needs. Installed through apt only where missing.
SYSTEM_PACKAGES=(
    python3 python3-venv python3-dev build-essential git
    libportaudio2 libsndfile1 libgomp1
    libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
    libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
    libxcb-render-util0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1
)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

ensure_system_packages() {
    local missing=() package
    command -v dpkg-query >/dev/null 2>&1 || { say "not a Debian/Ubuntu system: skipping apt"; return; }
    for package in "${SYSTEM_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return
    say "installing system packages: ${missing[*]}"
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
}

find_python() {
    local candidate
    for candidate in python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return
        fi
    done
    echo "Python 3.11 or newer is needed; install it (apt-get install python3) and run again." >&2
    exit 1
}

ensure_venv() {
    if [ ! -x "$VENV/bin/python" ]; then
        say "creating the virtual environment in $VENV"
        # A half-made environment would be taken as ready next time: remove it on failure.
        "$(find_python)" -m venv "$VENV" &&
            "$VENV/bin/python" -m pip install --quiet --upgrade pip ||
            { rm -rf "$VENV"; echo "Creating $VENV failed; see above." >&2; exit 1; }
    fi
}

# install_python_packages EXTRAS: the project (editable) with pinned dependencies. Skipped when
# nothing that decides the result changed since the last successful install.
install_python_packages() {
    local extras="$1" target="$ROOT" stamp
    [ -n "$extras" ] && target="$ROOT[$extras]"
    stamp="$VENV/.installed-$(cat "$ROOT/pyproject.toml" "$CONSTRAINTS" | sha256sum | cut -c1-16)-${extras:-base}"
    [ -f "$stamp" ] && return
    say "installing Python packages${extras:+ with [$extras]} (the first time builds llama-cpp-python: 5-10 minutes)"
    # A portable llama.cpp build: the wheel pip caches works on any x86-64 CPU.
    CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF}" PIP_DISABLE_PIP_VERSION_CHECK=1 \
        "$VENV/bin/python" -m pip install --quiet --constraint "$CONSTRAINTS" --editable "$target"
    touch "$stamp"
}
