"""ASR records: word alignment of phrases to transcripts, the error rate, and the committed file."""

from __future__ import annotations

import json
import random
from datetime import datetime

import pytest

from app.nlu.call_format import parse_call
from training.data.__main__ import ASR_FILE
from training.data.asr_noise import MAX_WORD_ERROR_RATE, aligned_span, word_error_rate, words_of
from training.data.compose import Style, compose
from training.data.generate import split_templates
from training.data.verify import Verifier
from training.data.vocabulary import templates, vocabulary


@pytest.mark.parametrize(
    ("clean", "phrase", "transcript", "expected"),
    [
        (
            "Trag den Zahnarzt am Freitag um halb drei ein.",
            "halb drei",
            "Trag den Zahnarzt am Freitag um halb 3 ein.",
            "halb 3",
        ),
        (
            "Trag den Zahnarzt am Freitag um fünfzehn Uhr ein.",
            "fünfzehn Uhr",
            "Trag den Zahnarzt am Freitag um 15 Uhr ein.",
            "15 Uhr",
        ),
        ("Trag den Zahnarzt am 15.9. ein.", "15.9.", "Trag den Zahnarzt am 15.9.", "15.9."),
        ("Add dentist on Friday at 3 pm.", "3 pm", "Add Dennis on Friday at 3 p.m.", "3 p.m."),
        ("Add dentist on Friday at 3 pm.", "Friday", "Add Dennis on Friday, at 3 p.m.", "Friday"),
        ("Add dentist on Friday at 3 pm.", "dentist", "Add Dennis on Friday at 3 p.m.", "Dennis"),
    ],
)
def test_aligned_span(clean: str, phrase: str, transcript: str, expected: str) -> None:
    assert aligned_span(clean, phrase, transcript) == expected


def test_aligned_span_refuses_an_edit_across_the_phrase_edge() -> None:
    # "am Freitag" heard as one word: which part is the date is unclear.
    assert (
        aligned_span("Lösch den Termin am Freitag.", "Freitag", "Lösch den Termin amfreitag.")
        is None
    )


def test_word_error_rate() -> None:
    assert word_error_rate(words_of("Was hab ich morgen?"), words_of("was hab ich morgen")) == 0
    assert word_error_rate(words_of("a b c d"), words_of("a x c")) == 0.5


def test_verifier_drops_a_disagreeing_value(monkeypatch: pytest.MonkeyPatch) -> None:
    template = next(t for t in templates("de")["list_events"] if "{range}" in t.text)
    now = datetime(2026, 3, 26, 10, 0)
    utterance = compose(template, vocabulary("de"), now, random.Random(1), Style())
    verifier = Verifier()
    if not verifier.available:
        pytest.skip("app.temporal is not available")
    assert verifier.check(utterance, "de", now)
    verifier._functions["range"] = lambda phrase, language, now: None
    verifier._cache.clear()
    assert not verifier.check(utterance, "de", now)
    assert verifier.stats.disagreed["range"] == 1


def test_committed_asr_records() -> None:
    if not ASR_FILE.exists():
        pytest.skip("asr_records.jsonl not generated yet")
    records = [json.loads(line) for line in ASR_FILE.read_text(encoding="utf-8").splitlines()]
    assert records
    assert {record["language"] for record in records} == {"de", "en"}
    split = split_templates(20261121)
    heldout = {t.id for group in split.heldout.values() for t in group}
    for record in records:
        assert record["source"] == "asr"
        assert record["word_error_rate"] <= MAX_WORD_ERROR_RATE[record["language"]]
        assert parse_call(record["completion"]).function == record["function"]
        for phrase in record["phrases"].values():
            assert phrase is None or phrase in record["text"]
    # The main generator skips records of templates that became held-out later; most survive.
    usable = [
        record
        for record in records
        if record["template"] not in heldout
        and not split.heldout_title_in(record["language"], record["spoken_text"])
    ]
    assert len(usable) >= 0.8 * len(records)
