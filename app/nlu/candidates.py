"""Which tokens the call grammar can ever admit for one utterance.

The copy grammar (`call_format.grammar`) writes a function head, parentheses, quotes, commas
and runs of the utterance's words. A token can only be admitted if its text is a piece of such
a completion, so every part of it between those syntax characters is a piece of the utterance
(or of a head or the end token). The tokens that pass that test are a superset of what the
grammar admits at any step: scoring only them, and checking the best against the grammar,
chooses exactly the token greedy decoding over the whole vocabulary would choose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from app.nlu.call_format import LEADING_PUNCTUATION, clean_utterance

SYNTAX = b'"(),'
"""The characters the grammar itself writes between phrases."""
_SYNTAX_SPLIT = re.compile(b"[" + re.escape(SYNTAX) + b"]")


@dataclass(frozen=True)
class _SplitToken:
    token: int
    parts: tuple[bytes, ...]
    """Its text between syntax characters, without empty parts."""


class TokenIndex:
    """The vocabulary's token texts (as the grammar reads them), indexed for
    `candidates()`."""

    def __init__(self, pieces: Sequence[bytes]) -> None:
        """`pieces[token]`: the token's text, special tokens as their names."""
        self.n_vocab = len(pieces)
        self._plain: dict[bytes, int] = {}
        self._plain_again: dict[bytes, list[int]] = {}
        """Tokens whose text an earlier token already has (rare)."""
        self._split: dict[bytes, list[_SplitToken]] = {}
        self._syntax_only: list[int] = []
        self._longest = max((len(piece) for piece in pieces), default=1)
        for token, piece in enumerate(pieces):
            if not piece:
                continue  # the grammar never admits an empty text
            if _SYNTAX_SPLIT.search(piece) is None:
                if self._plain.setdefault(piece, token) != token:
                    self._plain_again.setdefault(piece, []).append(token)
                continue
            parts = tuple(part for part in _SYNTAX_SPLIT.split(piece) if part)
            if not parts:
                self._syntax_only.append(token)
                continue
            longest = max(parts, key=len)
            self._split.setdefault(longest, []).append(_SplitToken(token, parts))

    def candidates(self, utterance: str, heads: Iterable[str]) -> npt.NDArray[np.intc]:
        """The tokens a call about `utterance` can contain, in ascending order (so that ties
        break towards the lower id, as an argmax over the whole vocabulary does). `heads`:
        every text that can name a function or end a call."""
        texts = _copyable_texts(utterance) + [head.encode("utf-8") for head in heads]
        pieces = _substrings(texts, self._longest)
        chosen = set(self._syntax_only)
        for piece in pieces:
            token = self._plain.get(piece)
            if token is not None:
                chosen.add(token)
                chosen.update(self._plain_again.get(piece, ()))
            for split in self._split.get(piece, ()):
                if all(part in pieces for part in split.parts):
                    chosen.add(split.token)
        return np.array(sorted(chosen), dtype=np.intc)


def _copyable_texts(utterance: str) -> list[bytes]:
    """Texts every phrase is a piece of: the utterance after a space, and after a space from
    each word whose leading brackets or quotes a phrase may leave out."""
    words = clean_utterance(utterance).split(" ")
    texts = [" " + " ".join(words)]
    for index, word in enumerate(words):
        lead = word.lstrip(LEADING_PUNCTUATION)
        if lead != word:
            texts.append(" " + " ".join([lead, *words[index + 1 :]]))
    return [text.encode("utf-8") for text in texts]


def _substrings(texts: Iterable[bytes], longest: int) -> set[bytes]:
    found: set[bytes] = set()
    for text in texts:
        for start in range(len(text)):
            for end in range(start + 1, min(len(text), start + longest) + 1):
                found.add(text[start:end])
    return found
