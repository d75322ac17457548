"""Fill a template with values: the utterance, the phrases to copy, and their resolved values.

Phrases are tracked through every edit of the text (fillers, capitalisation, ASR-style lower
case without punctuation), so each phrase is exactly the substring the model must copy.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime

from training.data.titles import TitlePool, default_pool
from training.data.values import NotApplicableError, Resolved, Value, generate
from training.data.vocabulary import (
    ATTRIBUTIVE_ENDINGS,
    Template,
    Title,
    ValueForm,
    Vocabulary,
    none_values,
)

PLACEHOLDER = re.compile(r"\{(\w+)(!?)(?::(\w+))?\}")
FORM_VARIANTS = frozenset({"span", "attr_an", *ATTRIBUTIVE_ENDINGS})
"""Placeholder variants that choose among value forms (`{time:span}`: only clock spans;
`{duration:attr}`: a length said before a noun, `attr_n`/`attr_f` with the German neuter and
feminine endings, `attr_an` English ones said after "an")."""
_OPEN, _CLOSE = "\x01", "\x02"
_MARKED = re.compile(f"{_OPEN}([^{_CLOSE}]*){_CLOSE}")
MOVE_KINDS = {"new_date": ("date", "day_shift"), "new_time": ("time", "time_shift")}
"""Where an event moves: a day or a clock time (`{new_date}`), or a shift of its start
(`{new_date:shift}`: "auf nächste Woche", `{new_time:shift}`: "eine Stunde später")."""
SERIES_END = re.compile(r"\b(bis|lang|until|for|für|times)\b|mal\b")
"""A repeat rule that says its own end ("jeden Montag bis Ende Mai", "every Monday, six times"):
never drawn for `{recurrence:open}`, whose template says the end apart from the rule."""
REMINDER_VERB = 0
"""`{reminder:Erinnere}` copies the verb itself: a reminder at the start."""


@dataclass(frozen=True)
class Utterance:
    text: str
    phrases: dict[str, str]
    """Slot name (title, date, time, duration, range) → the phrase as it occurs in `text`."""
    resolved: dict[str, Resolved]
    forms: dict[str, str]
    values: dict[str, Value]


@dataclass(frozen=True)
class Style:
    """How the template is said: which optional pieces are left out, fillers, ASR style."""

    drop: frozenset[str] = frozenset()
    filler_start: str = ""
    filler_end: str = ""
    asr: bool = False


def _title_text(title: Title, variant: str | None, vocab: Vocabulary) -> tuple[str, str]:
    """(words said before the title, title) for a `{title:variant}` placeholder."""
    if variant in ("acc", "nom", "dat"):
        return vocab.articles[variant].get(title.gender, ""), title.text
    if variant == "at":
        return title.at, title.text
    return "", title.text


def _pick_title(template: str, titles: TitlePool, rng: random.Random) -> Title:
    variants = {
        match.group(3) for match in PLACEHOLDER.finditer(template) if match.group(1) == "title"
    }
    return titles.draw(rng, variants)


def _pick_value(
    kind: str,
    vocab: Vocabulary,
    now: datetime,
    rng: random.Random,
    start_minutes: int | None = None,
    morning: bool = False,
    variant: str | None = None,
) -> Value:
    wanted = variant if variant in FORM_VARIANTS else ""
    forms: list[ValueForm] = [
        form
        for form in vocab.forms[kind]
        if form.variant == wanted and not (variant == "open" and SERIES_END.search(form.phrase))
    ]
    if not forms:
        raise ValueError(f"no {kind} form of variant {wanted!r} in {vocab.language}")
    for _ in range(50):
        form = rng.choice(forms)
        try:
            value = generate(form, vocab, now, rng, start_minutes)
        except NotApplicableError:
            continue
        if morning and str(value.resolved) >= "12:00":
            continue
        return value
    raise RuntimeError(f"no {kind} value could be generated for {now}")


def _first_word(text: str) -> str:
    match = re.match(r"[\w'-]+", text)
    return match.group() if match else ""


def compose(
    template: Template,
    vocab: Vocabulary,
    now: datetime,
    rng: random.Random,
    style: Style,
    titles: TitlePool | None = None,
) -> Utterance:
    """The template said with values for `now`; titles are drawn from `titles` (default: every
    hand-written and composed title)."""
    text = template.text
    placeholders = list(PLACEHOLDER.finditer(text))
    required = {match.group(1) for match in placeholders if match.group(2)}
    slots = {match.group(1) for match in placeholders} - (style.drop - required)
    variants = {match.group(1): match.group(3) for match in placeholders}
    values: dict[str, Value] = {}
    if "date" in slots:
        values["date"] = _pick_value("date", vocab, now, rng, variant=variants["date"])
    if "time" in slots:
        morning = "date" in values and values["date"].morning
        values["time"] = _pick_value(
            "time", vocab, now, rng, morning=morning, variant=variants["time"]
        )
        if values["time"].span_minutes is not None and "duration" in variants:
            raise ValueError(f"a clock span already says how long: {template.text!r}")
    if "duration" in slots:
        start = None
        if "time" in values:
            hour, minute = str(values["time"].resolved).split(":")
            start = int(hour) * 60 + int(minute)
        values["duration"] = _pick_value(
            "duration", vocab, now, rng, start_minutes=start, variant=variants["duration"]
        )
    if "range" in slots:
        values["range"] = _pick_value("range", vocab, now, rng, variant=variants["range"])
    for name in ("recurrence", "reminder"):
        if name in slots and variants[name] in (None, "open"):
            values[name] = _pick_value(name, vocab, now, rng, variant=variants[name])
    for name, (plain, shift) in MOVE_KINDS.items():
        if name in slots:
            kind = shift if variants[name] == "shift" else plain
            variant = None if variants[name] in ("shift", "bare") else variants[name]
            said_day = values.get("new_date")
            morning = name == "new_time" and said_day is not None and said_day.morning
            values[name] = _pick_value(kind, vocab, now, rng, morning=morning, variant=variant)
    pool = default_pool(vocab) if titles is None else titles
    title = _pick_title(text, pool, rng) if "title" in slots else None

    order: list[str] = []

    def substitute(match: re.Match[str]) -> str:
        name, variant = match.group(1), match.group(3)
        if name not in slots:
            return ""
        order.append(name)
        if name == "title":
            assert title is not None
            lead, phrase = _title_text(title, variant, vocab)
        elif name == "reminder" and variant is not None:
            lead, phrase = "", variant
        else:
            value = values[name]
            lead = value.bare if variant == "bare" else value.prep
            phrase = value.phrase
        return f"{lead} {_OPEN}{phrase}{_CLOSE}" if lead else f"{_OPEN}{phrase}{_CLOSE}"

    text = PLACEHOLDER.sub(substitute, text)
    if len(order) != len(set(order)):
        raise ValueError(f"template repeats a placeholder: {template.text!r}")
    text = _tidy(text)
    text = _add_fillers(text, style, vocab)
    if style.asr:
        text = _asr_style(text)
    phrases = dict(zip(order, _MARKED.findall(text), strict=True))
    text = text.replace(_OPEN, "").replace(_CLOSE, "")
    resolved: dict[str, Resolved] = {name: value.resolved for name, value in values.items()}
    span_minutes = values["time"].span_minutes if "time" in values else None
    if span_minutes is not None:
        resolved["duration"] = span_minutes
    if title is not None:
        resolved["title"] = phrases["title"]
    if "reminder" in phrases and "reminder" not in values:
        resolved["reminder"] = REMINDER_VERB
    for phrase in phrases.values():
        if phrase not in text:
            raise AssertionError(f"phrase {phrase!r} is not in {text!r}")
    return Utterance(
        text=text,
        phrases=phrases,
        resolved=resolved,
        forms={name: value.form for name, value in values.items()},
        values=values,
    )


def _tidy(text: str) -> str:
    text = re.sub(f"\\.{_CLOSE}\\.", f".{_CLOSE}", text)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,.?!:])", r"\1", text)
    text = re.sub(r"[,:]+([,.?!:])", r"\1", text)
    text = re.sub(r"^[\s,.:]+", "", text)
    return text.strip()


def _capitalise_start(text: str) -> str:
    index = 1 if text.startswith(_OPEN) else 0
    return text[:index] + text[index : index + 1].upper() + text[index + 1 :]


def _add_fillers(text: str, style: Style, vocab: Vocabulary) -> str:
    if style.filler_end and not text.endswith("?"):
        match = re.search(r"[.!]$", text)
        if match:
            text = text[: match.start()] + style.filler_end + text[match.start() :]
        else:
            text += style.filler_end
    if not style.filler_start:
        return _capitalise_start(text)
    if not text.startswith(_OPEN) and _first_word(text) not in vocab.keep_case:
        text = text[:1].lower() + text[1:]
    return style.filler_start + text


def _asr_style(text: str) -> str:
    """Lower case, and no punctuation outside the phrases (as a speech recogniser writes)."""
    pieces = re.split(f"({_OPEN}[^{_CLOSE}]*{_CLOSE})", text)
    cleaned = [
        piece if piece.startswith(_OPEN) else re.sub(r"[,.?!:;]", "", piece) for piece in pieces
    ]
    return re.sub(r" +", " ", "".join(cleaned).lower()).strip()


def compose_none(template: Template, rng: random.Random, style: Style) -> str:
    table = none_values(template.language)
    text = PLACEHOLDER.sub(lambda match: rng.choice(table[match.group(1)]), template.text)
    if style.filler_start and _first_word(text) not in {"I", "I'm", "I'd"}:
        text = style.filler_start + text[:1].lower() + text[1:]
    if style.asr:
        text = re.sub(r" +", " ", re.sub(r"[,.?!:;]", "", text).lower()).strip()
    return text
