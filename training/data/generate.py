"""Template records for training and the held-out set, with the held-out template split."""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.nlu.call_format import RawCall, render
from app.nlu.functions import FUNCTIONS_BY_NAME
from app.resolve import resolve_call
from training.data.compose import Style, Utterance, compose, compose_none
from training.data.titles import TitlePool, split_titles
from training.data.verify import ZONE, Verifier
from training.data.vocabulary import LANGUAGES, Template, templates, vocabulary

HELDOUT_SHARE = 0.15
GROUP_SHARES = {
    "create_event": 0.29,
    "create_event_recurring": 0.08,
    "create_event_bounded": 0.03,
    "create_event_reminder": 0.06,
    "delete_event": 0.16,
    "list_events": 0.16,
    "list_events_find": 0.07,
    "move_event": 0.15,
}
"""Share of the calendar template records per template group (vocabulary.TEMPLATE_GROUPS)."""
DROP_CHANCE = {
    "create_event": {"time": 0.12, "duration": 0.35, "date": 0.05},
    "delete_event": {"date": 0.15},
    "list_events": {},
    "move_event": {"date": 0.3},
}
FEATURES = ("recurrence", "reminder")
"""create_event's newer arguments: a record that says one is counted under it in evaluation
(`feature`), as are move_event records and list_events records that ask about one title."""
ASR_STYLE_CHANCE = 0.25
FILLER_START_CHANCE = 0.15
FILLER_END_CHANCE = 0.10
FIRST_NOW = datetime(2026, 1, 1, 6, 0)
NOW_SPAN_DAYS = 730


@dataclass(frozen=True)
class Split:
    train: dict[tuple[str, str], tuple[Template, ...]]
    heldout: dict[tuple[str, str], tuple[Template, ...]]
    train_titles: dict[str, TitlePool]
    heldout_titles: dict[str, TitlePool]
    """Titles said only in held-out records, so that copying unseen titles is measured too."""
    heldout_patterns: dict[str, re.Pattern[str]]
    """Per language: matches any held-out title or title part."""

    def heldout_title_in(self, language: str, text: str) -> bool:
        return self.heldout_patterns[language].search(text) is not None


def split_templates(seed: int) -> Split:
    """A fixed share of each language's and function's templates (and of the titles), never
    used for training; templates listed as `<function>_heldout` are always held out."""
    train: dict[tuple[str, str], tuple[Template, ...]] = {}
    heldout: dict[tuple[str, str], tuple[Template, ...]] = {}
    train_titles: dict[str, TitlePool] = {}
    heldout_titles: dict[str, TitlePool] = {}
    patterns: dict[str, re.Pattern[str]] = {}
    for language in LANGUAGES:
        titles = split_titles(seed, language)
        train_titles[language], heldout_titles[language] = titles.train, titles.heldout
        patterns[language] = titles.pattern
        for function, group in templates(language).items():
            regular = [t for t in group if not t.heldout_only]
            ranked = sorted(
                regular, key=lambda t: hashlib.sha256(f"{seed}|{t.id}".encode()).hexdigest()
            )
            count = max(2, round(len(regular) * HELDOUT_SHARE))
            held = {t.id for t in ranked[:count]} | {t.id for t in group if t.heldout_only}
            heldout[language, function] = tuple(t for t in group if t.id in held)
            train[language, function] = tuple(t for t in group if t.id not in held)
    return split_templates_checked(Split(train, heldout, train_titles, heldout_titles, patterns))


def split_templates_checked(split: Split) -> Split:
    for key, group in split.heldout.items():
        train_ids = {t.id for t in split.train[key]}
        if train_ids & {t.id for t in group}:
            raise AssertionError(f"held-out template also in train for {key}")
    return split


def normalized(text: str) -> str:
    """A text as compared with the dev sets: case-folded, words only."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def random_now(rng: random.Random) -> datetime:
    day = FIRST_NOW + timedelta(days=rng.randrange(NOW_SPAN_DAYS))
    return day.replace(hour=rng.randint(6, 22), minute=rng.randrange(60))


def expected_arguments(
    function: str, utterance: Utterance, language: str, now: datetime
) -> dict[str, Any] | None:
    """The values the utterance says: the generator's, verified against the resolver; for a
    recurrence, a reminder or a move's new place, the app's resolver's (None when it cannot
    read a phrase the generator said, so the record is not used)."""
    resolved = utterance.resolved
    app_values = _app_resolution(function, utterance, language, now)
    if app_values is None:
        return None
    if function == "create_event":
        repeating = utterance.phrases.get("recurrence") is not None
        return {
            "title": resolved.get("title"),
            "date": app_values["date"] if repeating else resolved.get("date"),
            "time": resolved.get("time"),
            "duration_minutes": resolved.get("duration"),
            "recurrence": app_values["recurrence"],
            "reminder_minutes": app_values["reminder_minutes"],
        }
    if function == "delete_event":
        return {"title": resolved.get("title"), "date": resolved.get("date")}
    if function == "list_events":
        span = resolved.get("range")
        start, end = span if isinstance(span, tuple) else (None, None)
        return {"start_date": start, "end_date": end, "title": resolved.get("title")}
    if function == "move_event":
        return {
            "title": resolved.get("title"),
            "date": resolved.get("date"),
            "new_date": app_values["new_date"],
            "new_time": app_values["new_time"],
            "relative_move": app_values["relative_move"],
        }
    return {}


def _app_resolution(
    function: str, utterance: Utterance, language: str, now: datetime
) -> dict[str, Any] | None:
    phrases = call_phrases(function, utterance.phrases)
    call = resolve_call(RawCall(function, phrases, ""), language, now.replace(tzinfo=ZONE))
    arguments = call.arguments_json()
    said = {
        "recurrence": ("recurrence",),
        "reminder": ("reminder_minutes",),
        "new_date": ("new_date", "relative_move"),
        "new_time": ("new_time", "relative_move"),
    }
    for name, values in said.items():
        if phrases.get(name) and all(arguments.get(value) is None for value in values):
            return None
    return arguments


def feature(function: str, phrases: dict[str, str | None]) -> str:
    """What a record exercises beyond the first three functions' first arguments, or ""."""
    if function == "move_event":
        return "move"
    if function == "list_events" and phrases.get("title"):
        return "find"
    return next((name for name in FEATURES if phrases.get(name)), "")


def call_phrases(function: str, phrases: dict[str, str]) -> dict[str, str | None]:
    spec = FUNCTIONS_BY_NAME[function]
    return {parameter.name: phrases.get(parameter.name) for parameter in spec.parameters}


def make_record(
    *,
    record_id: str,
    source: str,
    language: str,
    text: str,
    now: datetime,
    function: str,
    phrases: dict[str, str | None],
    expected: dict[str, Any] | None,
    template: str,
) -> dict[str, Any]:
    for phrase in phrases.values():
        if phrase is not None and phrase not in text:
            raise AssertionError(f"phrase {phrase!r} is not a substring of {text!r}")
    return {
        "id": record_id,
        "source": source,
        "language": language,
        "text": text,
        "now": now.strftime("%Y-%m-%dT%H:%M"),
        "function": function,
        "phrases": phrases,
        "completion": render(function, phrases),
        "expected": expected,
        "template": template,
        "feature": feature(function, phrases),
    }


def _style(function: str, template: Template, rng: random.Random) -> Style:
    language_fillers = vocabulary(template.language)
    drop = frozenset(
        slot for slot, chance in DROP_CHANCE.get(function, {}).items() if rng.random() < chance
    )
    return Style(
        drop=drop,
        filler_start=rng.choice(language_fillers.fillers_start)
        if rng.random() < FILLER_START_CHANCE
        else "",
        filler_end=rng.choice(language_fillers.fillers_end)
        if function != "none" and rng.random() < FILLER_END_CHANCE
        else "",
        asr=rng.random() < ASR_STYLE_CHANCE,
    )


def template_records(
    *,
    counts: dict[tuple[str, str], int],
    pool: dict[tuple[str, str], tuple[Template, ...]],
    titles: dict[str, TitlePool],
    rng: random.Random,
    verifier: Verifier,
    id_prefix: str,
    seen_texts: set[str],
    forbidden: frozenset[str] = frozenset(),
) -> list[dict[str, Any]]:
    """`counts[(language, group)]` records drawn from the templates of that group in `pool`;
    none says a text that `normalized` makes one of `forbidden` (the dev sets' texts)."""
    records: list[dict[str, Any]] = []
    for (language, group_name), count in sorted(counts.items()):
        group = pool[language, group_name]
        function = group[0].function
        made = 0
        attempts = 0
        while made < count:
            attempts += 1
            if attempts > count * 50:
                raise RuntimeError(f"cannot make {count} distinct {language} {function} records")
            template = rng.choice(group)
            style = _style(function, template, rng)
            now = random_now(rng)
            if function == "none":
                text = compose_none(template, rng, style)
                phrases: dict[str, str | None] = {}
                expected: dict[str, Any] = {}
            else:
                utterance = compose(
                    template, vocabulary(language), now, rng, style, titles[language]
                )
                if not verifier.check(utterance, language, now):
                    continue
                text = utterance.text
                phrases = call_phrases(function, utterance.phrases)
                said = expected_arguments(function, utterance, language, now)
                if said is None:
                    verifier.stats.disagreed["said by the app's resolver"] += 1
                    continue
                expected = said
            if normalized(text) in forbidden:
                continue
            if text in seen_texts and function != "none":
                continue
            if function == "none" and text in seen_texts and attempts < count * 5:
                continue
            seen_texts.add(text)
            records.append(
                make_record(
                    record_id=f"{id_prefix}-{language}-{group_name}-{made:05d}",
                    source="template",
                    language=language,
                    text=text,
                    now=now,
                    function=function,
                    phrases=phrases,
                    expected=expected,
                    template=template.id,
                )
            )
            made += 1
    return records
