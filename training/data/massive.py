"""MASSIVE calendar rows (CC BY 4.0, ../shared/data/massive/) as records.

Decisions (documented in training/data/README.md):
- calendar_set → create_event, calendar_remove → delete_event, calendar_query → list_events.
- title: the first `event_name` span; when the utterance continues it directly with
  "with <person or relation span>" ("meeting with andrew", "date night with husband"), the title
  keeps that person; a person or relation said right before it stays too ("jimmy's party",
  "doctor's appointment").
- date: the first `date` span, widened by a modifier said right before it that belongs to the
  day ("next friday", "this monday", "nächsten freitag").
- time: the first `time` span, else the `timeofday` span ("afternoon"); a `time` span that is a
  length ("an hour", "two hours") becomes the duration.
- list range: the (widened) date span; without one, a `time`/`timeofday` span the resolver
  reads as days ("weekend", "tonight", "next two weeks"); else "".
- `expected` is null: MASSIVE gives surface spans, not resolved values.
- Training leaves out the calendar_query rows that ask about the world and not the user's
  calendar ("is tomorrow a holiday", "is 2018 a leap year", "how far did i walk"): our own
  out-of-domain templates teach `none` for exactly those. The dev sets keep every row.
- Every other row keeps its intent, also out-of-scope ones ("delete all events", "hi to all"); bulk
  deletes are flagged `"scope": "bulk"` and map to delete_event with no title, so the dialog asks
  which appointment instead of clearing a calendar.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from training.data.generate import call_phrases, make_record, random_now
from training.data.verify import ZONE

INTENT_TO_FUNCTION = {
    "calendar_set": "create_event",
    "calendar_remove": "delete_event",
    "calendar_query": "list_events",
}
DATE_MODIFIERS = {
    "en": ("next", "this", "this coming", "coming", "the", "upcoming"),
    "de": ("nächsten", "nächste", "kommenden", "kommende", "diesen", "diese", "dieses"),
}
BULK_DELETE = re.compile(
    r"\b(all|every|everything|entire|whole|clear|empty|wipe|alle|alles|gesamten|ganzen|"
    r"leere|leeren|leer)\b"
)
NOT_THE_USERS_CALENDAR = re.compile(
    r"\b(holidays?(?! party)|leap year|full moon|calories|walk|walked|notifications?|"
    r"halloween|mothers day|weather)\b|\bis it \w+day\b|^today is\b"
)
"""calendar_query rows about days and the world, which the templates call `none`."""
DURATION_LIKE = re.compile(r"\b(hours?|minutes?|mins?|stunden?|minuten)\b")


def massive_dir(shared: Path) -> Path:
    return shared / "data" / "massive"


def _widen_date(utterance: str, span: str, language: str) -> str:
    position = utterance.find(span)
    if position < 0:
        return span
    before = utterance[:position]
    for modifier in sorted(DATE_MODIFIERS[language], key=len, reverse=True):
        if before.endswith(modifier + " ") and modifier != "the":
            return f"{modifier} {span}"
    return span


def _is_range(span: str, language: str) -> bool:
    """Whether the resolver reads a `time` span ("weekend", "tonight") as a span of days."""
    try:
        from app.temporal import resolve_range
    except ImportError:
        return False
    return resolve_range(span, language, datetime(2026, 3, 26, 10, 0, tzinfo=ZONE)) is not None


def _first(slots: list[dict[str, str]], kind: str) -> str | None:
    return next((slot["text"] for slot in slots if slot["type"] == kind), None)


def convert_row(
    row: dict[str, Any], language: str, counts: Counter[str]
) -> tuple[str, dict[str, str | None], str | None, bool]:
    """(function, phrases, event_name span, bulk) of one MASSIVE row."""
    function = INTENT_TO_FUNCTION[row["intent"]]
    utterance: str = row["utt"]
    slots: list[dict[str, str]] = row["slots"]
    event_name = _first(slots, "event_name")
    title = event_name
    if title is not None:
        for kind in ("person", "relation"):
            person = _first(slots, kind)
            for joined in (
                f"{title} with {person}",
                f"{title} with my {person}",
                f"{title} mit {person}",
            ):
                if person and joined in utterance:
                    title = joined
                    counts["title widened with person"] += 1
                    break
            if title != event_name:
                break
    if title is not None:
        for kind in ("person", "relation"):
            owner = _first(slots, kind)
            if owner and f"{owner} {title}" in utterance:
                title = f"{owner} {title}"
                counts[f"title widened with preceding {kind}"] += 1
                break
    day = _first(slots, "date")
    if day is None and function == "list_events":
        day = next(
            (
                slot["text"]
                for slot in slots
                if slot["type"] in ("time", "timeofday") and _is_range(slot["text"], language)
            ),
            None,
        )
        if day is not None:
            counts["list range from a time span"] += 1
    if day is not None:
        widened = _widen_date(utterance, day, language)
        if widened != day:
            counts["date widened with modifier"] += 1
        day = widened
    clock = _first(slots, "time")
    length = None
    if clock is not None and DURATION_LIKE.search(clock):
        length, clock = clock, None
        counts["time span used as duration"] += 1
    if clock is None:
        clock = _first(slots, "timeofday")
    bulk = function == "delete_event" and bool(BULK_DELETE.search(utterance))
    if bulk:
        title = None
        counts["bulk delete (no title)"] += 1
    phrases = {"title": title, "date": day, "time": clock, "duration": length, "range": day}
    for name, phrase in list(phrases.items()):
        if phrase is not None and phrase not in utterance:
            phrases[name] = None
            counts[f"{name} span not in utterance (dropped)"] += 1
    return (
        function,
        call_phrases(function, {k: v for k, v in phrases.items() if v}),
        (event_name),
        bulk,
    )


def massive_records(
    path: Path,
    language: str,
    source_id: str,
    seed: int,
    counts: Counter[str],
    *,
    for_training: bool = False,
) -> list[dict[str, Any]]:
    """The calendar rows of one MASSIVE file as records; `for_training` leaves out the
    questions about the world (`NOT_THE_USERS_CALENDAR`)."""
    rng = random.Random(f"{seed}-{source_id}")
    records: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    for row in rows:
        if row["intent"] not in INTENT_TO_FUNCTION:
            counts["other intent (skipped)"] += 1
            continue
        if (
            for_training
            and row["intent"] == "calendar_query"
            and NOT_THE_USERS_CALENDAR.search(row["utt"])
        ):
            counts["question about the world, not the calendar (left out)"] += 1
            continue
        function, phrases, event_name, bulk = convert_row(row, language, counts)
        counts[f"{source_id} {function}"] += 1
        record = make_record(
            record_id=f"{source_id}-{row['id']}",
            source="massive",
            language=language,
            text=row["utt"],
            now=random_now(rng),
            function=function,
            phrases=phrases,
            expected=None,
            template=f"massive:{row['locale']}:{row['partition']}",
        )
        record["event_name"] = event_name
        record["scope"] = "bulk" if bulk else "single"
        records.append(record)
    return records
