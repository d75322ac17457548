"""Per-language data files under `locales/<lang>/`."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

LOCALES_DIR = Path(__file__).resolve().parents[1] / "locales"
LANGUAGES = ("de", "en")


@cache
def load_locale_file(language: str, name: str) -> dict[str, Any]:
    """`locales/<language>/<name>.toml`, parsed once."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; use one of {LANGUAGES}")
    with (LOCALES_DIR / language / f"{name}.toml").open("rb") as file:
        return tomllib.load(file)
