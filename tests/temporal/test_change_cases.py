"""Table-driven cases of recurrences, reminders and moves (changes_de.toml, changes_en.toml)."""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from app.temporal import resolve_move, resolve_recurrence, resolve_reminder

HERE = Path(__file__).resolve().parent
ZONE = ZoneInfo("Europe/Berlin")
KINDS = ("recurrences", "reminders", "moves")


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZONE)


def load_cases() -> list[Any]:
    params = []
    for language in ("de", "en"):
        with (HERE / f"changes_{language}.toml").open("rb") as file:
            data = tomllib.load(file)
        for kind in KINDS:
            for case in data[kind]["cases"]:
                setting = {key: case.get(key, data[key]) for key in ("first", "now", "start")}
                case_id = f"{language}-{kind}-{case['p']}"
                params.append(pytest.param(language, kind, case, setting, id=case_id))
    return params


def resolve(language: str, kind: str, phrase: str, setting: dict[str, str]) -> Any:
    if kind == "recurrences":
        return resolve_recurrence(phrase, language, date.fromisoformat(setting["first"]))
    if kind == "reminders":
        return resolve_reminder(phrase, language)
    moved = resolve_move(phrase, language, _moment(setting["start"]), _moment(setting["now"]))
    return moved.replace(tzinfo=None).isoformat(timespec="minutes") if moved else None


CASES = load_cases()


def test_the_tables_hold_enough_cases() -> None:
    assert len(CASES) >= 150


@pytest.mark.parametrize(("language", "kind", "case", "setting"), CASES)
def test_case(language: str, kind: str, case: dict[str, Any], setting: dict[str, str]) -> None:
    expected = None if case["e"] == "none" else case["e"]
    assert resolve(language, kind, case["p"], setting) == expected
