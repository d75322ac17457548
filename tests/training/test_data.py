"""The training-data generator: deterministic, copyable phrases, parseable completions, a clean
held-out split, every function and language, a sane share of out-of-domain records."""

from __future__ import annotations

import json
import random
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from app.nlu.call_format import parse_call
from app.temporal import resolve_duration, resolve_recurrence
from training.data.__main__ import (
    BOTFRAMEWORK_NONE_SHARE,
    NONE_SHARE,
    OTHER_SHARE,
    build,
    shared_dir,
)
from training.data.compose import Style, compose
from training.data.generate import split_templates
from training.data.massive import massive_dir
from training.data.values import NotApplicableError, generate
from training.data.vocabulary import LANGUAGES, ValueForm, templates, vocabulary

SEED = 7
TRAIN_SIZE = 1200


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("training")
    build(out, SEED, TRAIN_SIZE, 0.2, verify=True)
    return out


def test_same_seed_same_bytes(built: Path, tmp_path: Path) -> None:
    build(tmp_path, SEED, TRAIN_SIZE, 0.2, verify=True)
    for name in ("train.jsonl", "heldout.jsonl", "massive_dev_en.jsonl", "massive_dev_de.jsonl"):
        if (built / name).exists():
            assert (tmp_path / name).read_bytes() == (built / name).read_bytes(), name


def test_other_seed_other_data(built: Path, tmp_path: Path) -> None:
    build(tmp_path, SEED + 1, TRAIN_SIZE, 0.2, verify=True)
    assert (tmp_path / "train.jsonl").read_bytes() != (built / "train.jsonl").read_bytes()


@pytest.mark.parametrize("name", ["train.jsonl", "heldout.jsonl"])
def test_phrases_are_substrings_and_completions_parse(built: Path, name: str) -> None:
    records = read(built / name)
    assert records
    for record in records:
        call = parse_call(record["completion"])
        assert call.function == record["function"]
        for parameter, phrase in record["phrases"].items():
            if phrase is None:
                assert call.phrases[parameter] is None
            else:
                assert phrase in record["text"], record
                assert call.phrases[parameter] == " ".join(phrase.split())
        datetime.strptime(record["now"], "%Y-%m-%dT%H:%M")


def test_massive_questions_about_the_world_stay_out_of_training_only(tmp_path: Path) -> None:
    from collections import Counter

    from training.data.massive import massive_records

    rows = [
        {
            "id": "1",
            "locale": "en-US",
            "partition": "train",
            "intent": "calendar_query",
            "utt": "is tomorrow a holiday",
            "slots": [{"type": "date", "text": "tomorrow"}],
        },
        {
            "id": "2",
            "locale": "en-US",
            "partition": "train",
            "intent": "calendar_query",
            "utt": "what time is the holiday party at the office",
            "slots": [],
        },
        {
            "id": "3",
            "locale": "en-US",
            "partition": "train",
            "intent": "calendar_query",
            "utt": "what do i have tomorrow",
            "slots": [{"type": "date", "text": "tomorrow"}],
        },
    ]
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    counts: Counter[str] = Counter()
    training = massive_records(path, "en", "t", SEED, counts, for_training=True)
    assert [record["text"] for record in training] == [rows[1]["utt"], rows[2]["utt"]]
    assert sum(v for k, v in counts.items() if "left out" in k) == 1
    assert len(massive_records(path, "en", "t", SEED, Counter())) == 3


def test_massive_dev_files_keep_spans_in_the_utterance(built: Path) -> None:
    for language in ("en", "de"):
        path = built / f"massive_dev_{language}.jsonl"
        if not path.exists():
            pytest.skip("../shared/data/massive is absent")
        records = read(path)
        assert len(records) == 280
        assert {record["function"] for record in records} == {
            "create_event",
            "delete_event",
            "list_events",
        }
        for record in records:
            for phrase in record["phrases"].values():
                assert phrase is None or phrase in record["text"]
            if record["event_name"] is not None:
                assert record["event_name"] in record["text"]


def test_heldout_templates_never_in_train(built: Path) -> None:
    train_templates = {record["template"] for record in read(built / "train.jsonl")}
    heldout_templates = {record["template"] for record in read(built / "heldout.jsonl")}
    assert heldout_templates
    assert not train_templates & heldout_templates
    split = split_templates(SEED)
    for key, group in split.heldout.items():
        assert 2 <= len(group) < len(split.train[key]), key


def test_heldout_texts_not_in_train(built: Path) -> None:
    train_texts = {record["text"] for record in read(built / "train.jsonl")}
    calendar = [r for r in read(built / "heldout.jsonl") if r["function"] != "none"]
    assert not [r["text"] for r in calendar if r["text"] in train_texts]


@pytest.mark.parametrize("name", ["train.jsonl", "heldout.jsonl"])
def test_every_function_and_language(built: Path, name: str) -> None:
    seen = Counter((r["language"], r["function"]) for r in read(built / name))
    for language in LANGUAGES:
        for function in ("create_event", "delete_event", "list_events", "none"):
            assert seen[language, function] >= 20, (language, function, seen)


def test_none_share(built: Path) -> None:
    records = read(built / "train.jsonl")
    assert len(records) == TRAIN_SIZE
    share = sum(record["function"] == "none" for record in records) / len(records)
    expected = NONE_SHARE + (OTHER_SHARE if massive_dir(shared_dir()).exists() else 0.0)
    if (shared_dir() / "data" / "botframework").exists():
        expected += BOTFRAMEWORK_NONE_SHARE
    # Out-of-domain speech-recognition records come on top of the template share.
    assert expected - 0.01 <= share <= expected + 0.03


def test_template_counts() -> None:
    for language in LANGUAGES:
        table = templates(language)
        assert len(table["create_event"]) >= 40
        assert len(table["delete_event"]) >= 30
        assert len(table["list_events"]) >= 30
        assert len(table["none"]) >= 80


THURSDAY = datetime(2026, 3, 26, 10, 0)


def form(language: str, kind: str, phrase: str) -> ValueForm:
    return next(f for f in vocabulary(language).forms[kind] if f.phrase == phrase)


@pytest.mark.parametrize(
    ("language", "kind", "phrase", "expected"),
    [
        ("de", "date", "übermorgen", "2026-03-28"),
        ("de", "date", "in einer Woche", "2026-04-02"),
        ("en", "date", "tomorrow", "2026-03-27"),
        ("de", "duration", "anderthalb Stunden", 90),
        ("en", "duration", "half an hour", 30),
        ("de", "range", "nächste Woche", ("2026-03-30", "2026-04-05")),
        ("de", "range", "diese Woche", ("2026-03-26", "2026-03-29")),
        ("en", "range", "this weekend", ("2026-03-28", "2026-03-29")),
        ("en", "range", "next month", ("2026-04-01", "2026-04-30")),
        ("en", "range", "this month", ("2026-03-26", "2026-03-31")),
    ],
)
def test_fixed_values(language: str, kind: str, phrase: str, expected: object) -> None:
    value = generate(form(language, kind, phrase), vocabulary(language), THURSDAY, random.Random(1))
    assert value.phrase == phrase
    assert value.resolved == expected


def test_weekday_values_follow_the_policy() -> None:
    vocab = vocabulary("de")
    rng = random.Random(3)
    for _ in range(50):
        value = generate(form("de", "date", "nächsten {weekday}"), vocab, THURSDAY, rng)
        day = datetime.fromisoformat(str(value.resolved)).date()
        assert 1 <= (day - THURSDAY.date()).days <= 7
        assert vocab.weekdays[day.weekday()] in value.phrase
        value = generate(form("de", "date", "{weekday} nächster Woche"), vocab, THURSDAY, rng)
        day = datetime.fromisoformat(str(value.resolved)).date()
        assert datetime(2026, 3, 30).date() <= day <= datetime(2026, 4, 5).date()
    sunday = datetime(2026, 3, 29, 10, 0)
    with pytest.raises(NotApplicableError):
        generate(form("de", "date", "diesen {weekday}"), vocab, sunday, rng)


def test_time_values_say_what_they_mean() -> None:
    vocab = vocabulary("de")
    rng = random.Random(5)
    half = form("de", "time", "halb {h_word}")
    for _ in range(30):
        value = generate(half, vocab, THURSDAY, rng)
        hour_said = vocab.cardinals.index(value.phrase.split()[1])
        hour, minute = map(int, str(value.resolved).split(":"))
        assert minute == 30
        assert hour % 12 == (hour_said - 1) % 12


def test_until_duration_needs_a_start() -> None:
    until = form("de", "duration", "bis {h} Uhr")
    with pytest.raises(NotApplicableError):
        generate(until, vocabulary("de"), THURSDAY, random.Random(2))
    value = generate(
        until, vocabulary("de"), THURSDAY, random.Random(2), start_minutes=14 * 60 + 30
    )
    end_hour = int(value.phrase.split()[1])
    assert value.resolved == end_hour * 60 - (14 * 60 + 30)


def test_asr_style_lowercases_and_keeps_phrases_copyable() -> None:
    template = next(t for t in templates("de")["create_event"] if "{duration}" in t.text)
    utterance = compose(template, vocabulary("de"), THURSDAY, random.Random(4), Style(asr=True))
    assert utterance.text == utterance.text.lower()
    assert "?" not in utterance.text
    assert all(phrase in utterance.text for phrase in utterance.phrases.values())


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_template_renders_with_copyable_phrases(language: str) -> None:
    rng = random.Random(11)
    vocab = vocabulary(language)
    for function in ("create_event", "delete_event", "list_events"):
        for template in templates(language)[function]:
            for now in (THURSDAY, datetime(2026, 12, 31, 21, 0), datetime(2027, 3, 28, 7, 5)):
                utterance = compose(template, vocab, now, rng, Style())
                assert "{" not in utterance.text and "  " not in utterance.text
                assert utterance.text[0].isupper(), utterance.text
                for phrase in utterance.phrases.values():
                    assert phrase and phrase in utterance.text
                    assert phrase == phrase.strip()


def test_heldout_titles_only_in_heldout(built: Path) -> None:
    split = split_templates(SEED)
    for language in LANGUAGES:
        held = {title.text.lower() for title in split.heldout_titles[language].listed}
        assert held
        assert not held & {title.text.lower() for title in split.train_titles[language].listed}
    train_titles = {
        (record["language"], record["phrases"]["title"].lower())
        for record in read(built / "train.jsonl")
        if record["source"] != "massive" and (record["phrases"] or {}).get("title")
    }
    heldout_titles = {
        (record["language"], record["phrases"]["title"].lower())
        for record in read(built / "heldout.jsonl")
        if (record["phrases"] or {}).get("title")
    }
    assert heldout_titles
    assert (
        not {
            (language, title)
            for language, title in heldout_titles
            if title in {t.text.lower() for t in split.heldout_titles[language].listed}
        }
        & train_titles
    )


@pytest.mark.parametrize(
    ("language", "phrase"),
    [
        ("de", "von {h} bis {end_h} Uhr"),
        ("de", "zwischen {h} und {end_h} Uhr"),
        ("de", "von {h} bis {end_h12}"),
        ("en", "from {h12} to {end_h12} pm"),
        ("en", "from {h12} am to {end_h12} pm"),
        ("en", "from {h12_word} to {end_h12_word}"),
    ],
)
def test_a_clock_span_gives_the_start_and_the_length(language: str, phrase: str) -> None:
    from app.temporal import resolve_time, resolve_time_span

    span = form(language, "time", phrase)
    rng = random.Random(8)
    for _ in range(30):
        value = generate(span, vocabulary(language), THURSDAY, rng)
        assert value.span_minutes is not None and value.span_minutes > 0
        start = resolve_time(value.phrase, language)
        assert start is not None and start.strftime("%H:%M") == value.resolved, value
        assert resolve_time_span(value.phrase, language) == value.span_minutes, value


@pytest.mark.parametrize("language", LANGUAGES)
def test_span_and_attributive_forms_only_where_a_template_asks_for_them(language: str) -> None:
    table = templates(language)["create_event"]
    spans = [t for t in table if "{time:span}" in t.text]
    plain = [
        t
        for t in table
        if "{time}" in t.text and ("{duration}" in t.text or "{duration!}" in t.text)
    ]
    before_noun = {
        variant: [t for t in table if f"{{duration!:{variant}}}" in t.text]
        for variant in ("attr", "attr_n", "attr_f", "attr_an")
    }
    assert spans and plain and before_noun["attr"]
    rng = random.Random(12)
    vocab = vocabulary(language)
    for template in spans:
        utterance = compose(template, vocab, THURSDAY, rng, Style())
        assert utterance.values["time"].span_minutes == utterance.resolved["duration"]
        assert "duration" not in utterance.phrases
    for template in plain * 5:
        utterance = compose(template, vocab, THURSDAY, rng, Style())
        if "time" in utterance.values:
            assert utterance.values["time"].span_minutes is None
    attributive = {f.phrase for f in vocab.forms["duration"] if f.variant.startswith("attr")}
    for variant, group in before_noun.items():
        said = {f.phrase for f in vocab.forms["duration"] if f.variant == variant}
        for template in group * 5:
            utterance = compose(template, vocab, THURSDAY, rng, Style())
            phrase = utterance.phrases["duration"]
            assert phrase in said, (variant, phrase)
            assert utterance.resolved["duration"] == resolve_duration(phrase, language), phrase
    for template in plain * 5:
        utterance = compose(template, vocab, THURSDAY, rng, Style())
        assert utterance.phrases.get("duration") not in attributive


def test_german_lengths_before_a_noun_agree_with_its_gender() -> None:
    vocab = vocabulary("de")
    rng = random.Random(5)
    endings = {"attr_n": ("es", "n"), "attr_f": ("e", "f")}
    for template in templates("de")["create_event"]:
        for variant, (ending, gender) in endings.items():
            if f"{{duration!:{variant}}} {{title:{gender}}}" not in template.text:
                continue
            for _ in range(10):
                utterance = compose(template, vocab, THURSDAY, rng, Style())
                assert utterance.phrases["duration"].endswith(ending)
                parts = vocab.title_parts
                heads = [
                    head
                    for head in vocab.titles + parts.heads + parts.occasions + parts.kinds
                    if head.gender == gender
                ]
                title = utterance.phrases["title"]
                assert any(title.startswith(head.text) for head in heads), title


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_series_end_said_apart_from_its_rule_is_not_copied(language: str) -> None:
    vocab = vocabulary(language)
    rng = random.Random(8)
    group = templates(language)["create_event_bounded"]
    assert len(group) >= 10
    for template in group * 3:
        utterance = compose(template, vocab, THURSDAY, rng, Style())
        rule = utterance.phrases["recurrence"]
        read = resolve_recurrence(rule, language, THURSDAY.date())
        assert read is not None and "COUNT" not in read and "UNTIL" not in read, rule
        assert "duration" not in utterance.phrases
        said_end = template.text.rsplit("}", 1)[1].strip(" .,")
        assert said_end in utterance.text


def test_templates_listed_as_heldout_are_always_held_out(built: Path) -> None:
    always = {
        template.id
        for language in LANGUAGES
        for group in templates(language).values()
        for template in group
        if template.heldout_only
    }
    assert always
    for seed in (SEED, SEED + 1, 20261121):
        split = split_templates(seed)
        assert always <= {t.id for group in split.heldout.values() for t in group}
        assert not always & {t.id for group in split.train.values() for t in group}
    assert always & {record["template"] for record in read(built / "heldout.jsonl")}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_general_word_for_an_appointment_is_a_title_only_with_a_person(language: str) -> None:
    from app.resolve import is_generic_title
    from training.data.titles import TitlePool

    parts = vocabulary(language).title_parts
    kinds = {kind.text for kind in parts.kinds}
    assert kinds
    pool = TitlePool((), parts, composed_share=1.0)
    rng = random.Random(3)
    joined = " mit " if language == "de" else " with "
    with_kind = 0
    for _ in range(600):
        title = pool.draw(rng, set()).text
        first = next((kind for kind in kinds if title.startswith(kind + joined)), None)
        assert title not in kinds
        if first is not None:
            with_kind += 1
            assert not is_generic_title(title, language)
    assert with_kind > 30
