"""MASSIVE as training and evaluation data: German calendar rows converted like the English
ones, the other intents as `none` with the close ones sampled densely, and no training text
that a dev set says."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from training.data.__main__ import OTHER_SHARE, build, shared_dir
from training.data.generate import normalized
from training.data.massive import (
    CLOSE_INTENTS,
    massive_dir,
    massive_records,
    other_intent_quotas,
    other_intent_records,
)

SEED = 11
MASSIVE = massive_dir(shared_dir())
needs_massive = pytest.mark.skipif(
    not (MASSIVE / "de-DE.train.other.jsonl").exists(), reason="../shared/data/massive is absent"
)


def row(
    utterance: str, intent: str, *slots: tuple[str, str], locale: str = "de-DE", number: int = 1
) -> dict[str, Any]:
    return {
        "id": str(number),
        "locale": locale,
        "partition": "train",
        "intent": intent,
        "utt": utterance,
        "slots": [{"type": kind, "text": text} for kind, text in slots],
    }


def convert(
    rows: list[dict[str, Any]], tmp_path: Path, language: str = "de", *, training: bool = True
) -> tuple[list[dict[str, Any]], Counter[str]]:
    path = tmp_path / "rows.jsonl"
    path.write_text(
        "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in rows), encoding="utf-8"
    )
    counts: Counter[str] = Counter()
    return massive_records(path, language, "t", SEED, counts, for_training=training), counts


@pytest.mark.parametrize(
    ("utterance", "intent", "slots", "function", "phrases"),
    [
        (
            "erinnere mich morgen um vier an den zahnarzt",
            "calendar_set",
            [("date", "morgen"), ("time", "vier"), ("event_name", "zahnarzt")],
            "create_event",
            {"title": "zahnarzt", "date": "morgen", "time": "vier", "duration": None},
        ),
        (
            "plane am freitag eine besprechung mit meinem chef",
            "calendar_set",
            [("date", "freitag"), ("event_name", "besprechung"), ("relation", "chef")],
            "create_event",
            {"title": "besprechung mit meinem chef", "date": "freitag", "time": None},
        ),
        (
            "trage den geburtstag von onkel johann ein",
            "calendar_set",
            [("event_name", "geburtstag"), ("relation", "onkel"), ("person", "johann")],
            "create_event",
            {"title": "geburtstag von onkel johann"},
        ),
        (
            "lösche mittagessen mit michael",
            "calendar_remove",
            [("meal_type", "mittagessen"), ("person", "michael")],
            "delete_event",
            {"title": "mittagessen mit michael", "date": None},
        ),
        (
            "erinnere mich in zehn minuten an das treffen",
            "calendar_set",
            [("time", "in zehn minuten"), ("event_name", "treffen")],
            "create_event",
            {"time": "in zehn minuten", "duration": None},
        ),
        (
            "plane das treffen morgen für zwei stunden",
            "calendar_set",
            [("event_name", "treffen"), ("date", "morgen"), ("time", "zwei stunden")],
            "create_event",
            {"time": None, "duration": "zwei stunden"},
        ),
        (
            "was steht nächsten freitag an",
            "calendar_query",
            [("date", "freitag")],
            "list_events",
            {"range": "nächsten freitag"},
        ),
    ],
)
def test_german_calendar_rows_become_calls(
    tmp_path: Path,
    utterance: str,
    intent: str,
    slots: list[tuple[str, str]],
    function: str,
    phrases: dict[str, str | None],
) -> None:
    (record,), _ = convert([row(utterance, intent, *slots)], tmp_path)
    assert record["function"] == function
    assert record["language"] == "de"
    for name, phrase in phrases.items():
        assert record["phrases"][name] == phrase, record


@pytest.mark.parametrize(
    "utterance", ["lösche meinen kalender", "lösche alle termine für morgen", "leere den kalender"]
)
def test_a_bulk_delete_asks_which_appointment(tmp_path: Path, utterance: str) -> None:
    (record,), _ = convert([row(utterance, "calendar_remove", ("event_name", "termine"))], tmp_path)
    assert record["function"] == "delete_event"
    assert record["phrases"]["title"] is None
    assert record["scope"] == "bulk"


@pytest.mark.parametrize(
    ("utterance", "intent", "language"),
    [
        ("ist morgen ein feiertag", "calendar_query", "de"),
        ("ist das jahr zweitausendachtzehn ein schaltjahr", "calendar_query", "de"),
        ("stelle einen timer auf fünf minuten für die cookies", "calendar_set", "de"),
        ("wann fahren morgen züge", "calendar_query", "de"),
        ("set a timer for five minutes for cookies", "calendar_set", "en"),
        ("is tomorrow a holiday", "calendar_query", "en"),
    ],
)
def test_out_of_domain_calendar_rows_stay_out_of_training_only(
    tmp_path: Path, utterance: str, intent: str, language: str
) -> None:
    locale = "de-DE" if language == "de" else "en-US"
    rows = [row(utterance, intent, locale=locale)]
    training, counts = convert(rows, tmp_path, language)
    assert training == []
    assert sum(count for reason, count in counts.items() if "left out" in reason) == 1
    evaluation, _ = convert(rows, tmp_path, language, training=False)
    assert len(evaluation) == 1


def test_a_birthday_question_about_the_calendar_stays(tmp_path: Path) -> None:
    rows = [row("wann ist toms geburtstag", "calendar_query", ("event_name", "geburtstag"))]
    training, _ = convert(rows, tmp_path)
    assert [record["function"] for record in training] == ["list_events"]


def test_other_intent_quotas_favour_the_close_intents() -> None:
    available = Counter({"alarm_set": 200, "play_music": 500, "qa_factoid": 500, "cooking": 40})
    quotas = other_intent_quotas(available, 600)
    assert sum(quotas.values()) == 600
    assert all(0 < quotas[intent] <= available[intent] for intent in available)
    assert {"alarm_set", "play_music"} <= CLOSE_INTENTS
    assert quotas["alarm_set"] / 200 > 2 * quotas["qa_factoid"] / 500
    assert quotas["play_music"] > quotas["qa_factoid"]
    assert other_intent_quotas(available, 5000) == dict(available)


def test_other_intents_are_none_records_and_skip_dev_texts(tmp_path: Path) -> None:
    rows = [
        row("weck mich um sieben auf", "alarm_set", number=1),
        row("wie wird das wetter morgen", "weather_query", number=2),
        row("spiel musik von adele", "play_music", number=3),
        row("was steht morgen an", "calendar_query", number=4),
    ]
    path = tmp_path / "other.jsonl"
    path.write_text("".join(json.dumps(item) + "\n" for item in rows), encoding="utf-8")
    counts: Counter[str] = Counter()
    skip = frozenset({normalized("Wie wird das Wetter morgen?")})
    records = other_intent_records(path, "de", "o", SEED, counts, skip_texts=skip)
    assert sorted(record["text"] for record in records) == [
        "spiel musik von adele",
        "weck mich um sieben auf",
    ]
    for record in records:
        assert record["function"] == "none"
        assert record["source"] == "massive_other"
        assert record["completion"] == "<unused4>()<unused0>"
        assert record["intent"] in ("alarm_set", "play_music")
    assert counts["o also in a dev set (left out)"] == 1
    again = other_intent_records(path, "de", "o", SEED, Counter(), skip_texts=skip)
    assert again == records


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("massive")
    build(out, SEED, 4000, 0.25, verify=False)
    return out


def read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@needs_massive
def test_no_training_text_is_in_a_dev_set(built: Path) -> None:
    dev = {
        normalized(json.loads(line)["utt"])
        for path in MASSIVE.glob("*.dev*.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines()
    }
    train = read(built / "train.jsonl")
    assert not [record["text"] for record in train if normalized(record["text"]) in dev]


@needs_massive
def test_both_languages_of_massive_are_trained_on(built: Path) -> None:
    train = read(built / "train.jsonl")
    seen = Counter((r["source"], r["language"], r["function"]) for r in train)
    for language in ("de", "en"):
        for function in ("create_event", "delete_event", "list_events"):
            assert seen["massive", language, function] >= 50, (language, function)
    german, english = seen["massive_other", "de", "none"], seen["massive_other", "en", "none"]
    assert german + english == round(4000 * OTHER_SHARE)
    assert german / english == pytest.approx(7399 / 9807, rel=0.05)
    close = {r["intent"] for r in train if r["source"] == "massive_other"} & CLOSE_INTENTS
    assert {"alarm_set", "alarm_remove", "datetime_query", "play_music"} <= close
    repeated = Counter(r["id"].split("-repeat")[0] for r in train if r["source"] == "massive")
    assert set(repeated.values()) == {2}


@needs_massive
def test_the_other_intent_dev_sets_are_written_whole(built: Path) -> None:
    for language, rows in (("de", 580), ("en", 1753)):
        records = read(built / f"massive_other_dev_{language}.jsonl")
        assert len(records) == rows
        assert {record["function"] for record in records} == {"none"}
        assert all(record["language"] == language and record["intent"] for record in records)
