"""How well a spoken title matches an event's title: tolerant of case, accents, articles
spelled into the title, compounds split by speech recognition ("Zahn Arzt")."""

from __future__ import annotations

import unicodedata
from difflib import SequenceMatcher

MATCH_THRESHOLD = 0.72


def normalize_title(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    letters = "".join(
        character if character.isalnum() else " "
        for character in decomposed
        if not unicodedata.combining(character)
    )
    return " ".join(letters.split())


def title_similarity(query: str, title: str) -> float:
    """1.0 for the same title; high when the query is contained in the title or every query
    word is (nearly) in it; low for unrelated titles."""
    wanted = normalize_title(query)
    have = normalize_title(title)
    if not wanted or not have:
        return 0.0
    if wanted == have:
        return 1.0
    if wanted.replace(" ", "") == have.replace(" ", ""):
        return 0.98
    if f" {wanted} " in f" {have} " or wanted.replace(" ", "") in have.replace(" ", ""):
        return 0.9
    whole = SequenceMatcher(None, wanted, have).ratio()
    title_words = have.split()
    per_word = [
        max(SequenceMatcher(None, word, candidate).ratio() for candidate in title_words)
        for word in wanted.split()
    ]
    return max(whole, 0.88 * sum(per_word) / len(per_word))
