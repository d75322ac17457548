"""The full commands the call model is timed on: which held-out records are chosen, and the
committed file both sides of an A/B read."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from benchmarks.full_commands import (
    DEFAULT_FILE,
    FUNCTIONS,
    full_commands,
    read_commands,
    select_full_commands,
    write_commands,
)


def record(identifier: str, language: str, function: str, filled: int) -> dict[str, object]:
    phrases = {f"slot{index}": ("x" if index < filled else None) for index in range(6)}
    return {
        "id": identifier,
        "language": language,
        "function": function,
        "text": f"text {identifier}",
        "now": "2026-05-01T09:00",
        "phrases": phrases,
    }


def test_the_records_with_most_arguments_are_chosen_in_turns_per_language() -> None:
    records = [
        record("c1", "de", "create_event", 2),
        record("c2", "de", "create_event", 4),
        record("c3", "de", "create_event", 4),
        record("d1", "de", "delete_event", 1),
        record("l1", "de", "list_events", 2),
        record("m1", "de", "move_event", 5),
        record("n1", "de", "none", 0),
        record("e1", "en", "create_event", 3),
    ]
    chosen = select_full_commands(records, per_function=2)
    assert [command["key"] for command in chosen] == ["c2", "d1", "l1", "c3", "e1"]
    assert chosen[0] == {
        "key": "c2",
        "text": "text c2",
        "language": "de",
        "function": "create_event",
        "arguments": 4,
        "now": "2026-05-01T09:00",
    }


def test_written_commands_read_back_as_utterances(tmp_path: Path) -> None:
    commands = select_full_commands([record("c1", "de", "create_event", 3)], per_function=1)
    path = tmp_path / "commands.jsonl"
    write_commands(commands, path)
    assert read_commands(path) == commands
    (utterance,) = full_commands("de", path=path)
    assert (utterance.key, utterance.text, utterance.language) == ("c1", "text c1", "de")
    assert utterance.now.isoformat() == "2026-05-01T09:00:00+02:00"
    assert full_commands("en", path=path) == []


def test_the_committed_commands_cover_both_languages_and_every_function() -> None:
    commands = read_commands(DEFAULT_FILE)
    counts = Counter((command["language"], command["function"]) for command in commands)
    assert set(counts) == {(language, f) for language in ("de", "en") for f in FUNCTIONS}
    assert len(full_commands("de", 12)) == 12
    for language in ("de", "en"):
        mine = [command for command in commands if command["language"] == language]
        first_twelve = Counter(command["function"] for command in mine[:12])
        assert first_twelve == dict.fromkeys(FUNCTIONS, 4)
