"""create_event's reminder: a lead time ("eine Viertelstunde vorher") or the request to be
reminded itself ("Erinnere mich …", "remind me …"), which reminds at the start."""

from __future__ import annotations

from app.locales import load_locale_file
from app.temporal import resolve_reminder

AT_THE_START = 0


def reminder_minutes(phrase: str, language: str) -> int | None:
    """Minutes before the start, or None when the phrase is no reminder."""
    words = phrase.casefold().strip(" .,;:!?").split()
    vocabulary = load_locale_file(language, "language")
    followers = vocabulary["remind_followers"]
    if words and words[0] in vocabulary["remind_words"] and all(w in followers for w in words[1:]):
        return AT_THE_START  # "erinnere", "remind me"
    return resolve_reminder(phrase, language)
