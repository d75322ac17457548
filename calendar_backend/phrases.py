"""Words as an English template and the values that fill it (`Phrase`), so that the window
and the dialog can say the calendar backend's errors and changes in another language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

SENTENCE = "sentence"
"""The format spec that capitalizes a Phrase value: `{change:sentence} cannot be undone`."""


@dataclass(frozen=True)
class Phrase:
    """Words of an error as an English template and the values that fill it, so that the
    window and the dialog can say them in another language (the template is the key of its
    translation in `locales/<lang>/calendar_problems.toml`). Values are not words: sizes,
    paths, statuses, titles, UIDs, a library's own detail. A value may be a Phrase itself
    (words inside words, such as the change an undo could not reverse); it is said in the
    same language. A template may quote a value as Python does (`{title!r}`), and
    `{value:sentence}` starts a sentence with a Phrase value (its first letter a capital)."""

    template: str
    values: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.template.format(**self.values)

    def __format__(self, spec: str) -> str:
        text = str(self)
        if spec == SENTENCE:
            return text[:1].upper() + text[1:]
        return format(text, spec)


def phrase(template: str, /, **values: object) -> Phrase:
    return Phrase(template, values)


def as_phrase(words: str | Phrase) -> Phrase:
    """A Phrase as it is; a plain string as a template without values (braces in it are
    literal)."""
    if isinstance(words, Phrase):
        return words
    return Phrase(words.replace("{", "{{").replace("}", "}}"))
