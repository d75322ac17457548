"""Full calendar commands for timing the call model: held-out create, delete and list requests
that fill the most arguments (a create with title, date, time and duration writes the longest
call). MASSIVE's dev utterances are shorter and often half a request; these are what the
assistant is built for.

The chosen commands are kept in `benchmarks/data/full_commands.jsonl`, so that every run, and
both sides of an A/B comparison, time the same text. To choose them again from a held-out set
(`python -m training.data --out build/training` writes one):

    python -m benchmarks.full_commands [--heldout build/training/heldout.jsonl]
                                       [--per-function 8] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.stages import Utterance

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "full_commands.jsonl"
FUNCTIONS = ("create_event", "delete_event", "list_events")
LANGUAGES = ("de", "en")


def filled_arguments(record: dict[str, Any]) -> int:
    """How many of the record's phrases (title, date, time, …) the utterance gives."""
    return sum(value is not None for value in record["phrases"].values())


def select_full_commands(
    records: Iterable[dict[str, Any]], per_function: int
) -> list[dict[str, Any]]:
    """Per language and function, the `per_function` records with the most arguments (ties
    in the order of their ids), taken in turns (create, delete, list, create, …) so that the
    first few of a language cover every function."""
    chosen: list[dict[str, Any]] = []
    pool = list(records)
    for language in LANGUAGES:
        columns = []
        for function in FUNCTIONS:
            matching = [r for r in pool if r["language"] == language and r["function"] == function]
            matching.sort(key=lambda record: (-filled_arguments(record), record["id"]))
            columns.append(matching[:per_function])
        for row in range(per_function):
            chosen.extend(_command(column[row]) for column in columns if row < len(column))
    return chosen


def _command(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "key": record["id"],
        "text": record["text"],
        "language": record["language"],
        "function": record["function"],
        "arguments": filled_arguments(record),
        "now": record["now"],
    }


def read_commands(path: Path = DEFAULT_FILE) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def full_commands(
    language: str, limit: int | None = None, path: Path = DEFAULT_FILE
) -> list[Utterance]:
    """The first `limit` (all: None) full commands of a language, as utterances."""
    mine = [entry for entry in read_commands(path) if entry["language"] == language]
    return [Utterance.from_json(entry) for entry in mine[:limit]]


def write_commands(commands: Sequence[dict[str, Any]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(json.dumps(command, ensure_ascii=False) + "\n" for command in commands)
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--heldout", type=Path, default=ROOT / "build" / "training" / "heldout.jsonl"
    )
    parser.add_argument("--per-function", type=int, default=8)
    parser.add_argument("--out", type=Path, default=DEFAULT_FILE)
    arguments = parser.parse_args()
    with arguments.heldout.open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    commands = select_full_commands(records, arguments.per_function)
    write_commands(commands, arguments.out)
    print(f"{len(commands)} full commands from {arguments.heldout} written to {arguments.out}")


if __name__ == "__main__":
    main()
