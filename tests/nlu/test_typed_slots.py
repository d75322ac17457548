"""The check between the model and the resolver (`app.nlu.typed_slots`, `app.nlu.said_titles`):
phrases of the wrong type move, a length or a series' end the person said is never lost, and
titles keep the people and the task said. The cases are data (`typed_slots_cases.toml`): what
the model copied, and what the resolved call must hold."""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from app.nlu.call_format import RawCall
from app.nlu.functions import FUNCTIONS_BY_NAME
from app.nlu.typed_slots import check_call
from app.nlu.understand import resolve_said_call
from app.resolve import resolve_call
from tests.conftest import BERLIN

NOW = datetime(2026, 3, 27, 10, 0, tzinfo=BERLIN)  # a Friday
CASES = tomllib.loads((Path(__file__).with_name("typed_slots_cases.toml")).read_text("utf-8"))[
    "case"
]


def raw_call(function: str, phrases: dict[str, str]) -> RawCall:
    spec = FUNCTIONS_BY_NAME[function]
    return RawCall(
        function,
        {parameter.name: phrases.get(parameter.name) or None for parameter in spec.parameters},
        text="",
    )


@pytest.mark.parametrize("case", CASES, ids=[f"{c['lang']}-{c['text'][:40]}" for c in CASES])
def test_the_resolved_call_holds_what_was_said(case: dict[str, Any]) -> None:
    call = raw_call(case.get("function", "create_event"), case["call"])
    resolved = resolve_said_call(call, case["text"], case["lang"], NOW)
    arguments = resolved.arguments_json()
    for name, value in case.get("expected", {}).items():
        assert arguments[name] == (None if value == "null" else value), (case["why"], arguments)
    assert list(resolved.missing) == case.get("missing", []), case["why"]


def test_each_change_says_why() -> None:
    text = "Jeden Mittwoch um 18 Uhr Chorprobe, zehn Wochen lang"
    call = raw_call(
        "create_event",
        {"title": "Chorprobe", "time": "18 Uhr", "duration": "zehn Wochen lang"}
        | {"recurrence": "Jeden Mittwoch"},
    )
    checked = check_call(call, text, "de", NOW)
    reasons = {(change.parameter, change.reason) for change in checked.changes}
    assert reasons == {("duration", "end_not_length"), ("recurrence", "series_end_said")}
    assert checked.call.phrases["recurrence"] == "Jeden Mittwoch zehn Wochen lang"


def test_a_call_that_says_everything_is_left_as_it_is() -> None:
    text = "Erstelle morgen um 15 Uhr einen Termin Zahnarzt für eine Stunde"
    call = raw_call(
        "create_event",
        {"title": "Zahnarzt", "date": "morgen", "time": "um 15 Uhr", "duration": "für eine Stunde"},
    )
    checked = check_call(call, text, "de", NOW)
    assert checked.changes == ()
    assert checked.call is call
    assert resolve_said_call(call, text, "de", NOW) == resolve_call(call, "de", NOW)
