"""Table-driven cases: one data file per language (cases_de.toml, cases_en.toml)."""

from __future__ import annotations

import tomllib
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from app.temporal import (
    DateRange,
    resolve_date,
    resolve_duration,
    resolve_range,
    resolve_time,
    resolve_time_span,
)

HERE = Path(__file__).resolve().parent
ZONE = ZoneInfo("Europe/Berlin")
KINDS = ("dates", "times", "durations", "ranges", "spans")


def load_cases() -> list[Any]:
    params = []
    for language in ("de", "en"):
        with (HERE / f"cases_{language}.toml").open("rb") as file:
            data = tomllib.load(file)
        nows = {
            name: datetime.fromisoformat(text).replace(tzinfo=ZONE)
            for name, text in data["nows"].items()
        }
        for kind in KINDS:
            for case in data[kind]["cases"]:
                now = nows[case.get("now", "default")]
                case_id = (
                    f"{language}-{kind}-{case['p']}-{case.get('now', '')}{case.get('hint', '')}"
                )
                params.append(pytest.param(language, kind, case, now, id=case_id))
    return params


def expected_value(kind: str, expected: Any) -> Any:
    if expected == "none":
        return None
    if kind == "dates":
        return date.fromisoformat(expected)
    if kind == "times":
        return time.fromisoformat(expected)
    if kind in ("durations", "spans"):
        return expected
    start, end = expected.split("..")
    return DateRange(date.fromisoformat(start), date.fromisoformat(end))


def resolve(language: str, kind: str, case: dict[str, Any], now: datetime) -> Any:
    phrase = case["p"]
    if kind == "dates":
        return resolve_date(phrase, language, now)
    if kind == "times":
        return resolve_time(phrase, language, case.get("hint", ""))
    if kind == "durations":
        start = time.fromisoformat(case["start"]) if "start" in case else None
        return resolve_duration(phrase, language, start)
    if kind == "spans":
        return resolve_time_span(phrase, language)
    return resolve_range(phrase, language, now)


CASES = load_cases()


def test_the_tables_hold_enough_cases() -> None:
    assert len(CASES) >= 300


@pytest.mark.parametrize(("language", "kind", "case", "now"), CASES)
def test_case(language: str, kind: str, case: dict[str, Any], now: datetime) -> None:
    assert resolve(language, kind, case, now) == expected_value(kind, case["e"])
