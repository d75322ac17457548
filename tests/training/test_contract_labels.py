"""MASSIVE's calendar rows labelled by the contract (`training/data/massive_contract/`): one
label row per MASSIVE row, in the files' order; valid functions, at most two; a reason on every
row that differs from MASSIVE; records carry the labels, and training never teaches a function
the contract labels leave out."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import shared_dir
from training.data.contract_labels import FUNCTIONS, LABELS_DIR, contract_labels
from training.data.massive import (
    CALENDAR_FILE,
    INTENT_TO_FUNCTION,
    LOCALES,
    massive_dir,
    massive_records,
)

FILES = [(language, partition) for language in LOCALES for partition in ("dev", "train")]


def massive_rows(language: str, partition: str) -> list[dict]:
    path = massive_dir(shared_dir()) / CALENDAR_FILE.format(
        locale=LOCALES[language], partition=partition
    )
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize(("language", "partition"), FILES)
def test_every_massive_row_has_one_valid_label(language: str, partition: str) -> None:
    rows = massive_rows(language, partition)
    lines = (LABELS_DIR / f"{language}_{partition}.jsonl").read_text("utf-8").splitlines()
    labelled = [json.loads(line) for line in lines]
    assert [(r["id"], r["utt"]) for r in labelled] == [(r["id"], r["utt"]) for r in rows]
    for row, label in zip(rows, labelled, strict=True):
        assert label["massive"] == INTENT_TO_FUNCTION[row["intent"]]
        assert 1 <= len(label["contract"]) <= 2 and set(label["contract"]) <= set(FUNCTIONS)
        assert len(set(label["contract"])) == len(label["contract"])
        differs = (
            label["contract"][0] != label["massive"] or label["massive"] not in label["contract"]
        )
        if differs:
            assert label["reason"].strip(), label


def test_the_dev_labels_differ_where_massive_files_other_assistants_tasks() -> None:
    english = {label.massive: label for label in contract_labels("en", "dev").values()}
    assert english  # loaded
    by_text = {
        row["utt"]: contract_labels("en", "dev")[row["id"]] for row in massive_rows("en", "dev")
    }
    assert by_text["set a timer for five minutes for cookies"].contract == ("none",)
    assert by_text["when is my meeting"].contract == ("list_events",)
    changed = Counter(label.differs for label in contract_labels("de", "dev").values())
    assert 0 < changed[True] < changed[False]


def test_records_carry_the_labels_and_training_follows_them(tmp_path: Path) -> None:
    counts: Counter[str] = Counter()
    path = massive_dir(shared_dir()) / CALENDAR_FILE.format(locale="en-US", partition="train")
    training = massive_records(path, "en", "massive-en-train", 1, counts, for_training=True)
    labels = contract_labels("en", "train")
    assert all(record["contract"] for record in training)
    for record in training:
        label = labels[record["id"].removeprefix("massive-en-train-")]
        assert record["function"] in label.contract or record["function"] == "none"
        if label.massive not in label.contract:
            assert record["function"] == label.contract[0] == "none"
    assert counts["massive-en-train none by the contract (relabelled)"] > 0
    dev_path = massive_dir(shared_dir()) / CALENDAR_FILE.format(locale="en-US", partition="dev")
    dev = massive_records(dev_path, "en", "massive-en-dev", 1, Counter())
    assert len(dev) == len(massive_rows("en", "dev"))
    assert all(record["function"] == record["massive_function"] for record in dev)
