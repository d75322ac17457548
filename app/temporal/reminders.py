"""A reminder lead time ("eine Viertelstunde vorher", "a day before") -> minutes before start."""

from __future__ import annotations

from app.temporal.change_words import change_tokens, is_length
from app.temporal.durations import resolve_canonical_duration

_SINGLE_UNITS = frozenset({"_minute", "_hour", "_quarterhour", "_day", "_week"})


def resolve_reminder_phrase(phrase: str, language: str) -> int | None:
    tokens = [token for token in change_tokens(phrase, language) if token != "_at"]
    if not tokens or tokens[-1] != "_ahead" or not is_length(tokens[:-1]):
        return None
    length = tokens[:-1]
    if len(length) == 1 and length[0] in _SINGLE_UNITS:  # "the day before", "die Stunde vorher"
        length = ["1", *length]
    return resolve_canonical_duration(" ".join(length), language, None)
