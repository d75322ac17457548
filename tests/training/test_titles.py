"""Event titles: composed titles are reproducible, German ones carry their head's gender, the
held-out parts and titles never reach training, and every template renders with any title."""

from __future__ import annotations

import json
import random
from datetime import datetime
from pathlib import Path

import pytest

from app.temporal.lexicon import canonical
from training.data.__main__ import build
from training.data.compose import Style, compose
from training.data.generate import split_templates
from training.data.titles import TitlePool, default_pool, split_titles
from training.data.vocabulary import LANGUAGES, Title, templates, vocabulary

SEED = 7
NOW = datetime(2026, 3, 26, 10, 0)
CONNECTIVE_TOKENS = {"_in", "_at", "_to", "_from", "_and", "_past"}
"""Prepositions the temporal lexicon knows ("in Hamburg", "at Luigi's", "Flug nach Berlin")."""


def draws(pool: TitlePool, seed: int, count: int) -> list[Title]:
    rng = random.Random(seed)
    return [pool.draw(rng, set()) for _ in range(count)]


def listed_texts(language: str) -> set[str]:
    return {title.text for title in vocabulary(language).titles}


@pytest.mark.parametrize("language", LANGUAGES)
def test_counts(language: str) -> None:
    vocab = vocabulary(language)
    parts = vocab.title_parts
    assert len(parts.heads) + len(parts.occasions) >= 80
    assert len(parts.people) >= 45
    assert len(parts.places) >= 38
    assert sum(title.task for title in vocab.titles) >= 45
    assert sum(not title.task for title in vocab.titles) >= 120
    for name, texts in parts.lists().items():
        assert len(texts) == len(set(texts)), name


@pytest.mark.parametrize("language", LANGUAGES)
def test_composed_titles_are_reproducible(language: str) -> None:
    first = split_titles(SEED, language)
    second = split_titles(SEED, language)
    assert first.heldout_parts == second.heldout_parts
    assert first.train.listed == second.train.listed
    assert draws(first.train, 3, 300) == draws(second.train, 3, 300)
    assert draws(first.heldout, 3, 300) == draws(second.heldout, 3, 300)
    assert draws(first.train, 3, 300) != draws(first.train, 4, 300)
    assert split_titles(SEED + 1, language).heldout_parts != first.heldout_parts


@pytest.mark.parametrize("language", LANGUAGES)
def test_about_half_of_the_draws_are_composed(language: str) -> None:
    titles = draws(default_pool(vocabulary(language)), 1, 2000)
    composed = [title for title in titles if title.text not in listed_texts(language)]
    assert 0.4 <= len(composed) / len(titles) <= 0.6
    assert len({title.text for title in composed}) > 0.8 * len(composed)


@pytest.mark.parametrize("language", LANGUAGES)
def test_composed_titles_are_not_dates_or_times(language: str) -> None:
    vocab = vocabulary(language)
    texts = [title.text for title in vocab.titles]
    texts += [text for group in vocab.title_parts.lists().values() for text in group]
    for text in texts:
        tokens = canonical(text, language).split()
        said = [t for t in tokens if t.startswith("_") or any(c.isdigit() for c in t)]
        if text in {"one on one with my manager", "movie night", "date night", "poker night"}:
            continue  # hand-written before this rule
        if "evening" in text or "night" in text or "Sprechstunde" in text:
            continue
        assert set(said) <= CONNECTIVE_TOKENS, (text, tokens)


def test_german_composed_titles_carry_the_heads_gender() -> None:
    vocab = vocabulary("de")
    parts = vocab.title_parts
    heads = sorted(parts.heads + parts.occasions + parts.kinds, key=lambda h: -len(h.text))
    pool = TitlePool((), vocab.title_parts, composed_share=1.0)
    rng = random.Random(5)
    for _ in range(500):
        title = pool.draw(rng, {"acc"})
        head = next(h for h in heads if title.text == h.text or title.text.startswith(h.text + " "))
        assert title.gender == head.gender, title
    template = next(t for t in templates("de")["create_event"] if "{title:acc}" in t.text)
    for seed in range(40):
        utterance = compose(template, vocab, NOW, random.Random(seed), Style(), pool)
        title = utterance.phrases["title"]
        head = next(h for h in heads if title == h.text or title.startswith(h.text + " "))
        article = vocab.articles["acc"][head.gender]
        assert f"{article} {title}" in utterance.text, utterance.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_heldout_parts_and_titles_never_in_training_titles(language: str) -> None:
    split = split_titles(SEED, language)
    assert all(split.heldout_parts.values())
    assert split.heldout.listed
    for title in split.train.listed + tuple(draws(split.train, 9, 3000)):
        assert not split.pattern.search(title.text), title
    held = [part for parts in split.heldout_parts.values() for part in parts]
    heldout = [t for t in draws(split.heldout, 9, 2000) if t not in split.heldout.listed]
    assert heldout
    for title in heldout:
        assert any(part.lower() in title.text.lower() for part in held), title
    for group in templates(language).values():
        for template in group:
            assert not split.pattern.search(template.text), template


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("titles")
    build(out, SEED, 1200, 0.2, verify=True)
    return out


def test_heldout_parts_never_in_training_records(built: Path) -> None:
    split = split_templates(SEED)
    records = [json.loads(line) for line in (built / "train.jsonl").open(encoding="utf-8")]
    checked = 0
    for record in records:
        if record["source"] in ("massive", "massive_other", "botframework", "botframework_other"):
            continue  # people's own words
        said = record.get("spoken_text", record["text"])
        assert not split.heldout_title_in(record["language"], said), record
        checked += 1
    assert checked > 500
    heldout = [json.loads(line) for line in (built / "heldout.jsonl").open(encoding="utf-8")]
    titles = [r for r in heldout if (r["phrases"] or {}).get("title")]
    assert titles
    assert all(split.heldout_title_in(r["language"], r["phrases"]["title"]) for r in titles)
    summary = json.loads((built / "summary.json").read_text(encoding="utf-8"))
    assert sum(summary["verification"]["disagreed"].values()) <= 2


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_template_renders_with_any_title(language: str) -> None:
    split = split_titles(SEED, language)
    vocab = vocabulary(language)
    for pool in (split.train, split.heldout):
        rng = random.Random(13)
        for function in ("create_event", "delete_event", "list_events"):
            for template in templates(language)[function]:
                for _ in range(4):
                    utterance = compose(
                        template, vocab, NOW, rng, Style(asr=rng.random() < 0.3), pool
                    )
                    assert "{" not in utterance.text and "  " not in utterance.text
                    for phrase in utterance.phrases.values():
                        assert phrase and phrase == phrase.strip()
                        assert phrase in utterance.text
