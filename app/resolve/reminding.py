"""create_event's reminder: a lead time ("eine Viertelstunde vorher") or the request to be
reminded itself ("Erinnere mich …", "remind me …"), which reminds at the start."""

from __future__ import annotations

from app.locales import load_locale_file
from app.temporal import resolve_reminder

AT_THE_START = 0


def reminder_minutes(phrase: str, language: str) -> int | None:
    """Minutes before the start, or None when the phrase is no reminder."""
    words = phrase.casefold().strip(" .,;:!?").split()
    if len(words) == 1 and words[0] in load_locale_file(language, "language")["remind_words"]:
        return AT_THE_START
    return resolve_reminder(phrase, language)
