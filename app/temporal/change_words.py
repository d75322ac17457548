"""Tokens for recurrences, reminder lead times and relative moves, per language.

Words of `locales/<lang>/changes.toml` become their tokens (`_every`, `_later`, ...; listed
there); every other run of words becomes the canonical tokens of `app/temporal/lexicon.py`.
A weekday said in the plural ("freitags", "tuesdays") becomes `_every _d<N>`.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from app.temporal.lexicon import LANGUAGES, LOCALES_DIR, canonical

_WEEKDAY_TOKEN = re.compile(r"^_d\d(?: _part_\w+)?$")  # "freitags", "freitagabends"
_PLURAL_ENDING = "s"
_LIST_COMMA = re.compile(r",(?!\d)")  # "montags, mittwochs"; not the one of "1,5"
_LENGTH_TOKENS = frozenset(
    {"_minute", "_hour", "_h", "_quarterhour", "_day", "_week", "_month", "_year", "_half",
     "_quarter", "_threequarter", "_and"}
)  # fmt: skip


@dataclass(frozen=True)
class ChangeVocabulary:
    words: dict[str, str]
    phrases: tuple[tuple[re.Pattern[str], str], ...]
    count_suffix: str


@cache
def change_vocabulary(language: str) -> ChangeVocabulary:
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; use one of {LANGUAGES}")
    with (LOCALES_DIR / language / "changes.toml").open("rb") as file:
        data = tomllib.load(file)
    phrases = sorted(data["phrases"].items(), key=lambda item: -len(item[0]))
    return ChangeVocabulary(
        words=dict(data["words"]),
        phrases=tuple(
            (re.compile(rf"(?<!\S){re.escape(phrase)}(?!\S)"), token) for phrase, token in phrases
        ),
        count_suffix=data["count_suffix"],
    )


def _plural_weekday(word: str, language: str) -> str | None:
    if not word.endswith(_PLURAL_ENDING) or len(word) < 5:
        return None
    token = canonical(word[: -len(_PLURAL_ENDING)], language)
    return f"_every {token}" if _WEEKDAY_TOKEN.match(token) else None


def _glued_count(word: str, vocab: ChangeVocabulary, language: str) -> str | None:
    """ "zehnmal" -> "10 _times"."""
    suffix = vocab.count_suffix
    if not suffix or not word.endswith(suffix) or word == suffix:
        return None
    number = canonical(word[: -len(suffix)].rstrip("-"), language)
    return f"{number} _times" if number.isdigit() else None


def _own_token(word: str, vocab: ChangeVocabulary, language: str) -> str | None:
    if word.startswith("_"):
        return word
    if word in vocab.words:
        return vocab.words[word]
    return _plural_weekday(word, language) or _glued_count(word, vocab, language)


@lru_cache(maxsize=4096)
def change_tokens(phrase: str, language: str) -> tuple[str, ...]:
    """The tokens of a phrase: this module's own words, the lexicon's canonical tokens between."""
    vocab = change_vocabulary(language)
    text = " " + unicodedata.normalize("NFC", phrase).lower().strip().rstrip("!?;,") + " "
    text = _LIST_COMMA.sub(" ", text)
    for pattern, replacement in vocab.phrases:
        text = pattern.sub(f" {replacement} ", text)
    tokens: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            tokens.extend(canonical(" ".join(run), language).split())
            run.clear()

    for word in text.split():
        own = _own_token(word, vocab, language)
        if own is None and word == vocab.count_suffix:
            flush()
            own = "_times" if tokens and tokens[-1].isdigit() else ""
        if own is None:
            run.append(word)
            continue
        flush()
        tokens.extend(own.split())
    flush()
    return tuple(tokens)


def is_length(tokens: list[str]) -> bool:
    """Whether the tokens say a length and nothing else ("1 _half _hour", "2 _day")."""
    return bool(tokens) and all(
        token in _LENGTH_TOKENS or token.replace(",", "").isdigit() for token in tokens
    )
