"""An utterance as the words a call's phrases are copied from, and the spans of words they
cover: what `app.nlu.typed_slots` and `app.nlu.said_titles` compare the call against."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from app.nlu.call_format import LEADING_PUNCTUATION, clean_utterance
from app.temporal.change_words import change_tokens

TRAILING_PUNCTUATION = ",.?!;:)]}'\u2019"


def word_key(word: str) -> str:
    """A word as compared with a copied phrase's: no surrounding punctuation, case folded."""
    return word.lstrip(LEADING_PUNCTUATION).rstrip(TRAILING_PUNCTUATION).casefold()


@dataclass(frozen=True)
class Utterance:
    words: tuple[str, ...]
    keys: tuple[str, ...]
    language: str
    today: date

    @classmethod
    def of(cls, text: str, language: str, today: date) -> Utterance:
        words = tuple(word for word in clean_utterance(text).split(" ") if word)
        return cls(words, tuple(word_key(word) for word in words), language, today)

    def span_of(self, phrase: str) -> range | None:
        """Where a copied phrase stands in the utterance (its first place)."""
        wanted = [word_key(word) for word in phrase.split()]
        if not wanted:
            return None
        for start in range(len(self.keys) - len(wanted) + 1):
            if list(self.keys[start : start + len(wanted)]) == wanted:
                return range(start, start + len(wanted))
        return None

    def text(self, span: range) -> str:
        return " ".join(self.words[span.start : span.stop]).strip(TRAILING_PUNCTUATION)

    def tokens(self, span: range) -> tuple[str, ...]:
        """The span's recurrence and lexicon tokens (`app.temporal.change_words`)."""
        return change_tokens(self.text(span), self.language) if span else ()

    def ends_a_clause(self, index: int) -> bool:
        """Whether the word at `index` closes a clause ("daran,", "Friday.")."""
        return self.words[index].rstrip(")]}'\u2019")[-1:] in ",.?!;:"


def maximal(spans: Sequence[range]) -> list[range]:
    """The spans not inside a longer one, in order."""
    kept = [
        span
        for span in spans
        if not any(
            other != span and other.start <= span.start and span.stop <= other.stop
            for other in spans
        )
    ]
    return sorted(set(kept), key=lambda span: span.start)


def overlaps(span: range, other: range) -> bool:
    return span.start < other.stop and other.start < span.stop
