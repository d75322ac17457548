"""Held-out requests whose values people say in ways the templates do not: a length before the
noun, a series' end said apart from its rule, a reminder's task, a move's title with people
(`training/data/said_values/<lang>.toml`; written by hand, blind to the implementation, never
trained on). Each record holds the whole resolved call it must give (`expected`, every
argument, null where the request leaves it empty after the defaults) and
`"expected_whole": true`, which `training.evaluate` scores as exact or not; the records have
no gold phrases, since a phrase-level gold would have to split what the person said apart."""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any

from app.nlu.call_format import RawCall
from app.nlu.functions import FUNCTIONS_BY_NAME
from app.resolve import resolve_call
from training.data.verify import ZONE

CASES_DIR = Path(__file__).resolve().parent / "said_values"


def said_value_records(language: str) -> list[dict[str, Any]]:
    with (CASES_DIR / f"{language}.toml").open("rb") as file:
        cases = tomllib.load(file)["case"]
    records = []
    for number, case in enumerate(cases, start=1):
        function = case["function"]
        spec = FUNCTIONS_BY_NAME[function]
        nothing = {parameter.name: None for parameter in spec.parameters}
        now = datetime.fromisoformat(case["now"]).replace(tzinfo=ZONE)
        arguments = resolve_call(RawCall(function, nothing, ""), language, now).arguments
        unknown = set(case["expected"]) - set(arguments)
        if unknown:
            raise ValueError(f"{language} case {number}: no arguments {sorted(unknown)}")
        records.append(
            {
                "id": f"said-{language}-{number}",
                "source": "said_values",
                "language": language,
                "text": case["text"],
                "now": case["now"],
                "function": function,
                "phrases": nothing,
                "completion": "",
                "expected": {name: case["expected"].get(name) for name in arguments},
                "expected_whole": True,
                "template": f"said_values:{case['kind']}",
                "feature": case["kind"],
            }
        )
    return records
