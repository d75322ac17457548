"""Which of the supported languages a typed or transcribed utterance is in."""

from __future__ import annotations

import re
from functools import cache

from app.locales import LANGUAGES, load_locale_file

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_GERMAN_LETTERS = frozenset("äöüß")


def detect_language(text: str, default: str = "en") -> str:
    """The language whose marker words the text uses most; `default` on a tie."""
    words = _WORD.findall(text.casefold())
    scores = {
        language: sum(word in _marker_words(language) for word in words) for language in LANGUAGES
    }
    scores["de"] += sum(character in _GERMAN_LETTERS for character in text.casefold())
    best = max(scores.values())
    leaders = [language for language, score in scores.items() if score == best]
    return default if len(leaders) > 1 else leaders[0]


@cache
def _marker_words(language: str) -> frozenset[str]:
    return frozenset(load_locale_file(language, "language")["marker_words"])
