"""From a spoken or written phrase to a canonical token string, per language.

The vocabulary lives in `locales/<lang>/temporal.toml`; month and weekday names come from babel.
Every resolver matches its patterns on the canonical string, which is the phrase lower-cased,
with punctuation gone, filler words dropped and every known word replaced:

| token | meaning |
|---|---|
| `24`, `1,5`, `24.` | a number (spelled or written), a decimal, an ordinal ("24th") |
| `24.12.2024`, `18:30`, `12/24`, `2024-12-24` | written dates and times, kept as written |
| `_m1` … `_m12`, `_d0` … `_d6` | a month; a weekday (Monday is 0) |
| `_rel<N>` | a day relative to today ("übermorgen" = `_rel2`, "yesterday" = `_rel-1`) |
| `_hol<MM-DD>` | a fixed-date holiday |
| `_next _coming _this _last _afternext` | week, weekday and month modifiers |
| `_day _week _weekend _month _year _hour _h _minute _quarterhour _allday` | units |
| `_half _quarter _threequarter _past _before _to _from _and _at _in` | clock and span words |
| `_oclock _am _pm _midnight _part_<part>` | clock cues; parts of the day (morning … night) |
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal

from babel.dates import get_day_names, get_month_names

LOCALES_DIR = Path(__file__).resolve().parents[2] / "locales"
LANGUAGES = ("de", "en")

_DIGIT_ORDINAL = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)$")
_DECIMAL = re.compile(r"^(\d+)[.,](\d+)$")
_HOURS_H_MINUTES = re.compile(r"\b(\d{1,2})h(\d{2})\b")
_SPLIT_CLOCK_SUFFIX = re.compile(r"(?<=\d)(am|pm|h|uhr|min|mins|std|hr|hrs)\b")
_KEEP_CHARACTERS = re.compile(r"[^\w\s.:/,\-]")
_LETTER_HYPHEN = re.compile(r"(?<=[^\W\d])-|-(?=[^\W\d])")
_UNIT_TOKENS = frozenset(
    {"_hour", "_h", "_minute", "_day", "_week", "_month", "_year", "_quarterhour"}
)


@dataclass(frozen=True)
class Vocabulary:
    language: str
    fillers: frozenset[str]
    cardinals: dict[str, int]
    compound_units: dict[str, int]
    compound_joiner: str
    tens: dict[str, int]
    ordinals: dict[str, int]
    ordinal_endings: tuple[str, ...]
    one_and_a_half: frozenset[str]
    and_a_half_suffix: str
    indefinite_articles: frozenset[str]
    thousand_in_word: str
    weekday_with_part_of_day: bool
    length_adjectives: dict[str, str]
    length_adjective_endings: tuple[str, ...]
    half_prefix: str
    fraction_prefixes: dict[str, str]
    months: dict[str, int]
    weekdays: dict[str, int]
    weekday_plural_suffix: str
    words: dict[str, str]
    phrases: tuple[tuple[re.Pattern[str], str], ...]
    morgen_word: str
    morgen_as_day: str
    morgen_as_part_of_day: str
    morgen_morning_after: frozenset[str]
    part_of_day_defaults: dict[str, tuple[int, int]]


def _load_toml(language: str) -> dict[str, Any]:
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; use one of {LANGUAGES}")
    with (LOCALES_DIR / language / "temporal.toml").open("rb") as file:
        return tomllib.load(file)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower()


@cache
def vocabulary(language: str) -> Vocabulary:
    data = _load_toml(language)
    numbers = data["numbers"]
    compounds = data["compounds"]
    months = {_fold(name): number for name, number in data["months"]["extra"].items()}
    widths: tuple[Literal["wide"], Literal["abbreviated"]] = ("wide", "abbreviated")
    for width in widths:
        for number, name in get_month_names(width, locale=language).items():
            months[_fold(name).rstrip(".")] = number
    weekdays = {_fold(name): number for name, number in data["weekdays"]["extra"].items()}
    for day_width in widths:
        for number, name in get_day_names(day_width, locale=language).items():
            folded = _fold(name).rstrip(".")
            if len(folded) >= 3:
                weekdays[folded] = number
    phrases = sorted(data["phrases"].items(), key=lambda item: -len(item[0]))
    defaults: dict[str, tuple[int, int]] = {}
    for part, clock in data["part_of_day_defaults"].items():
        hour, minute = clock.split(":")
        defaults[part] = (int(hour), int(minute))
    morgen = data["morgen"]
    return Vocabulary(
        language=language,
        fillers=frozenset(data["fillers"]),
        cardinals=dict(numbers["cardinals"]),
        compound_units=dict(numbers["compound_units"]),
        compound_joiner=numbers["compound_joiner"],
        tens=dict(numbers["tens"]),
        ordinals=dict(numbers["ordinals"]),
        ordinal_endings=tuple(numbers["ordinal_endings"]),
        one_and_a_half=frozenset(numbers["one_and_a_half"]),
        and_a_half_suffix=numbers["and_a_half_suffix"],
        indefinite_articles=frozenset(numbers["indefinite_articles"]),
        thousand_in_word=numbers["thousand_in_word"],
        weekday_with_part_of_day=compounds["weekday_with_part_of_day"],
        length_adjectives=dict(compounds["length_adjectives"]),
        length_adjective_endings=tuple(compounds["length_adjective_endings"]),
        half_prefix=compounds["half_prefix"],
        fraction_prefixes=dict(compounds.get("fraction_prefixes", {})),
        months=months,
        weekdays=weekdays,
        weekday_plural_suffix=data["weekdays"]["plural_suffix"],
        words={_fold(word): token for word, token in data["words"].items()},
        phrases=tuple(
            (re.compile(rf"(?<!\S){re.escape(_fold(phrase))}(?!\S)"), token)
            for phrase, token in phrases
        ),
        morgen_word=morgen["word"],
        morgen_as_day=morgen["as_day"],
        morgen_as_part_of_day=morgen["as_part_of_day"],
        morgen_morning_after=frozenset(morgen["morning_after"]),
        part_of_day_defaults=defaults,
    )


def _cardinal(word: str, vocab: Vocabulary) -> int | None:
    if word in vocab.cardinals:
        return vocab.cardinals[word]
    thousand = vocab.thousand_in_word
    if thousand and thousand in word:  # "zweitausendsiebzehn", "zweitausendundsiebzehn"
        head, _, tail = word.partition(thousand)
        thousands = 1 if head in ("", "ein") else _cardinal(head, vocab)
        if vocab.compound_joiner:
            tail = tail.removeprefix(vocab.compound_joiner)
        rest = 0 if tail == "" else _cardinal(tail, vocab)
        if thousands is None or rest is None:
            return None
        return thousands * 1000 + rest
    joiner = vocab.compound_joiner
    if joiner and joiner in word:
        unit, _, tens = word.partition(joiner)
        if unit in vocab.compound_units and tens in vocab.tens:
            return vocab.compound_units[unit] + vocab.tens[tens]
    return None


def _ordinal(word: str, vocab: Vocabulary) -> int | None:
    candidates = [word]
    candidates += [
        word[: -len(ending)] for ending in vocab.ordinal_endings if word.endswith(ending)
    ]
    for candidate in candidates:
        if candidate in vocab.ordinals:
            return vocab.ordinals[candidate]
        joiner = vocab.compound_joiner
        if joiner and joiner in candidate:
            unit, _, tens = candidate.partition(joiner)
            if unit in vocab.compound_units and tens in vocab.ordinals:
                return vocab.compound_units[unit] + vocab.ordinals[tens]
    return None


def _number_and_a_half(word: str, vocab: Vocabulary) -> str | None:
    if word in vocab.one_and_a_half:
        return "1,5"
    suffix = vocab.and_a_half_suffix
    if suffix and word.endswith(suffix):
        whole = _cardinal(word[: -len(suffix)], vocab)
        if whole is not None:
            return f"{whole},5"
    return None


def _length_adjective(word: str, vocab: Vocabulary) -> str | None:
    """ "zweistündige" -> "2 _hour", "halbstündig" -> "0,5 _hour", "90-minütigen" (split)."""
    for stem, unit in vocab.length_adjectives.items():
        for ending in vocab.length_adjective_endings:
            if word.endswith(stem + ending):
                prefix = word[: len(word) - len(stem + ending)]
                if prefix == "":
                    return f"1 {unit}"
                if prefix == vocab.half_prefix:
                    return f"0,5 {unit}"
                if prefix in vocab.fraction_prefixes:  # "viertelstündig", "dreiviertelstündig"
                    return f"{vocab.fraction_prefixes[prefix]} {unit}"
                if prefix.isdigit():
                    return f"{prefix} {unit}"
                half = _number_and_a_half(prefix, vocab)
                if half is not None:
                    return f"{half} {unit}"
                number = _cardinal(prefix, vocab)
                if number is not None:
                    return f"{number} {unit}"
    return None


def _weekday_compound(word: str, vocab: Vocabulary) -> str | None:
    """ "freitagabend" -> "_d4 _part_evening", "freitags" -> "_d4"."""
    for name, number in vocab.weekdays.items():
        if not word.startswith(name) or len(name) < 5:
            continue
        rest = word[len(name) :]
        if rest == vocab.weekday_plural_suffix:
            return f"_d{number}"
        if vocab.weekday_with_part_of_day:
            part = vocab.words.get(rest) or vocab.words.get(rest.rstrip("s"))
            if part is not None and part.startswith("_part_"):
                return f"_d{number} {part}"
            if rest in (vocab.morgen_word, vocab.morgen_word + "s") and vocab.morgen_word:
                return f"_d{number} {vocab.morgen_as_part_of_day}"
    return None


_ISO_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_NUMBER_HYPHEN = re.compile(r"(?<=[\d.:])-(?=\d)")


def _span_hyphen(word: str) -> str:
    """ "14-16", "3.-5.", "2:00-3:30" are spans; an ISO date keeps its hyphens."""
    return word if _ISO_DATE.match(word) else _NUMBER_HYPHEN.sub(" _to ", word)


def _prepare(text: str, language: str) -> str:
    # Underscores mark canonical tokens, so none may come from the phrase itself.
    text = _fold(text).replace("_", " ").replace("\u2019", "'")
    text = re.sub(r"\b([ap])\.\s?m\b\.?", r" _\1m ", text)  # "p. m.", "a.m."
    if language == "en":
        text = re.sub(r"(?<=[a-z])'s\b", "", text)  # "today's"
    text = text.replace("'", "")
    text = text.replace("\u2013", "-").replace("\u2014", "-")
    text = " ".join(_span_hyphen(word) for word in text.split())
    text = _HOURS_H_MINUTES.sub(r"\1 _h \2", text)  # "18h30", "1h30"
    text = _SPLIT_CLOCK_SUFFIX.sub(r" \1", text)
    text = _KEEP_CHARACTERS.sub(" ", text)
    text = _LETTER_HYPHEN.sub(" ", text)
    words = []
    for word in text.split():
        word = word.strip(",/-:")
        if not word:
            continue
        if any(character.isdigit() for character in word):
            word = word.rstrip(",")
            while word.endswith(".."):
                word = word[:-1]
        else:
            word = word.strip(".")
        if word:
            words.append(word)
    return " ".join(words)


def _word_token(words: list[str], index: int, vocab: Vocabulary) -> str | None:
    """The canonical token(s) for words[index]; None for an unknown word."""
    word = words[index]
    following = words[index + 1] if index + 1 < len(words) else ""
    previous = words[index - 1] if index > 0 else ""
    if word.startswith("_"):
        return word
    if word.isdigit():
        return word
    if _DECIMAL.match(word) and vocab.words.get(following, "") in _UNIT_TOKENS:
        return word.replace(".", ",")
    if any(character.isdigit() for character in word):
        ordinal = _DIGIT_ORDINAL.match(word)
        if ordinal:
            return f"{int(ordinal.group(1))}."
        return word
    if vocab.morgen_word and word == vocab.morgen_word:
        if previous in vocab.morgen_morning_after or previous in vocab.weekdays:
            return vocab.morgen_as_part_of_day
        return vocab.morgen_as_day
    if word in vocab.indefinite_articles:
        follower = vocab.words.get(following, "")
        if follower in _UNIT_TOKENS or follower in ("_half", "_quarter"):
            return "1"
        return ""
    if word in vocab.words:
        return vocab.words[word]
    if word in vocab.months:
        return f"_m{vocab.months[word]}"
    if word in vocab.weekdays:
        return f"_d{vocab.weekdays[word]}"
    cardinal = _cardinal(word, vocab)
    if cardinal is not None:
        return str(cardinal)
    ordinal_value = _ordinal(word, vocab)
    if ordinal_value is not None:
        return f"{ordinal_value}."
    half = _number_and_a_half(word, vocab)
    if half is not None:
        return half
    if word in vocab.fillers:
        return ""
    adjective = _length_adjective(word, vocab)
    if adjective is not None:
        # "90-minütig" arrives as "90", "minütig".
        return adjective.removeprefix("1 ") if previous.isdigit() else adjective
    compound = _weekday_compound(word, vocab)
    if compound is None and vocab.language == "en" and word.endswith("s") and len(word) > 3:
        singular = [*words[:index], word[:-1], *words[index + 1 :]]  # "tomorrows", "mondays"
        return _word_token(singular, index, vocab)
    return compound


_SPELLED_TENS = frozenset({"20", "30", "40", "50", "60", "70", "80", "90"})


def _merge_tens(tokens: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """ "twenty four" -> "24", "twenty-fourth" -> "24." (spelled words only, English)."""
    merged: list[tuple[str, bool]] = []
    for token, spelled in tokens:
        if merged and spelled and merged[-1][1] and merged[-1][0] in _SPELLED_TENS:
            unit = token.rstrip(".")
            if unit.isdigit() and 1 <= int(unit) <= 9:
                total = str(int(merged[-1][0]) + int(unit)) + ("." if token.endswith(".") else "")
                merged[-1] = (total, True)
                continue
        merged.append((token, spelled))
    return merged


def _merge_hundreds_and_thousands(tokens: list[str]) -> list[str]:
    """ "2 _thousand _and 17" -> "2017"; clock speak "6 _hundred _and 45" -> "6:45"."""
    merged: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if token.isdigit() and following in ("_thousand", "_hundred"):
            rest_index = index + 2
            if rest_index < len(tokens) and tokens[rest_index] == "_and":
                rest_index += 1
            rest = 0
            if rest_index < len(tokens) and tokens[rest_index].isdigit():
                rest = int(tokens[rest_index])
                rest_index += 1
            if following == "_thousand":
                merged.append(str(int(token) * 1000 + rest))
            elif int(token) <= 24 and rest < 60:
                merged.append(f"{int(token)}:{rest:02d}")
            else:
                merged.append(str(int(token) * 100 + rest))
            index = rest_index
            continue
        merged.append(token)
        index += 1
    return merged


UNKNOWN = "~"
"""Stands for a word the vocabulary does not know."""


@lru_cache(maxsize=4096)
def canonical(text: str, language: str) -> str:
    """The canonical token string of a phrase (see the module docstring)."""
    vocab = vocabulary(language)
    prepared = _prepare(text, language)
    for pattern, replacement in vocab.phrases:
        prepared = pattern.sub(f" {replacement} " if replacement else " ", prepared)
    words = prepared.split()
    tokens: list[tuple[str, bool]] = []
    for index in range(len(words)):
        token = _word_token(words, index, vocab)
        if token is None:
            tokens.append((UNKNOWN, False))
            continue
        spelled = not words[index][:1].isdigit()
        tokens.extend((part, spelled) for part in token.split())
    if language == "en":
        tokens = _merge_tens(tokens)
    return " ".join(_merge_hundreds_and_thousands([token for token, _ in tokens]))
