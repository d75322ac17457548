"""Over every held-out record: the check between model and resolver (`app.nlu.typed_slots`)
changes nothing in a call that says what the record says, and a length the person said is in
the resolved call whether the model copied it, dropped it or put it in another slot."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from app.nlu.call_format import RawCall, parse_call
from app.nlu.typed_slots import check_call
from app.nlu.understand import resolve_said_call
from app.resolve import resolve_call
from training.data.__main__ import build

ZONE = ZoneInfo("Europe/Berlin")
OTHER_SLOTS = ("recurrence", "date", "reminder")


@pytest.fixture(scope="module")
def heldout(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    out: Path = tmp_path_factory.mktemp("training")
    build(out, 7, 400, 0.2, verify=True)
    lines = (out / "heldout.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def _now(record: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(record["now"]).replace(tzinfo=ZONE)


def test_a_call_with_the_records_phrases_is_left_alone(heldout: list[dict[str, Any]]) -> None:
    changed = []
    for record in heldout:
        call = parse_call(record["completion"])
        checked = check_call(call, record["text"], record["language"], _now(record))
        if resolve_call(checked.call, record["language"], _now(record)) != resolve_call(
            call, record["language"], _now(record)
        ):
            changed.append((record["text"], checked.changes))
    assert changed == [], f"{len(changed)} of {len(heldout)}: {changed[:5]}"


def test_a_said_length_is_never_lost(heldout: list[dict[str, Any]]) -> None:
    """Dropped, or copied into any empty slot of another type: the length comes back."""
    lengths = [
        record
        for record in heldout
        if record["function"] == "create_event" and record["phrases"].get("duration")
    ]
    assert len(lengths) > 20
    lost = []
    for record in lengths:
        gold = parse_call(record["completion"])
        wanted = resolve_call(gold, record["language"], _now(record)).minutes("duration_minutes")
        said = gold.phrases["duration"]
        variants = [{**gold.phrases, "duration": None}]
        variants += [
            {**gold.phrases, "duration": None, slot: said}
            for slot in OTHER_SLOTS
            if not gold.phrases.get(slot)
        ]
        for phrases in variants:
            call = RawCall(gold.function, phrases, gold.text)
            resolved = resolve_said_call(call, record["text"], record["language"], _now(record))
            if resolved.minutes("duration_minutes") != wanted:
                lost.append((record["text"], phrases, resolved.minutes("duration_minutes")))
    assert lost == [], f"{len(lost)} lost: {lost[:5]}"
