"""The title the person said, whole: the people said with it and the task of a reminder.

The model copies one run of words as the title. Two kinds of title are often cut:

- **People said after a day.** "Move my lunch on Monday with Peter to Friday", "Verschieb das
  Mittagessen morgen mit Peter auf Freitag": the people belong to the title ("lunch with
  Peter"), as they do when said right after it. They are the words after "with"/"mit"
  (`person_links` in `locales/<lang>/language.toml`) up to the next day, time, or word of
  `title_stops`, with only a copied day or time or such words between title and link.
- **A reminder's task.** "Can you remind me to pay the rent …": when the call is a reminder
  request and the title follows the request's word, the words before the title up to the
  request, a day, a time or a stop word belong to it ("pay the rent" for "rent"); an article
  that starts them does not.
"""

from __future__ import annotations

from app.locales import load_locale_file
from app.nlu.utterance_words import Utterance

_MAX_PEOPLE_WORDS = 4
_MAX_TASK_WORDS = 8
_PERSON_TOKENS = frozenset({"~", "_and"})
"""A person's words are unknown to the temporal vocabulary ("Peter", "dem Vertrieb"), joined by
"and"/"und"; a known word (a month, a weekday, a number) ends them."""


def said_title(
    utterance: Utterance, title: str, typed: list[range], remind_word: range | None
) -> str | None:
    """The whole title as said, or None when the copied `title` is whole already.
    `remind_word`: where a reminder request's word stands ("remind", "Erinnere"), if the call
    is one; a title after it is a task."""
    span = utterance.span_of(title)
    if span is None:
        return None
    vocabulary = load_locale_file(utterance.language, "language")
    stops = {*vocabulary["title_stops"], *vocabulary["remind_words"]}
    typed_words = {index for typed_span in typed for index in typed_span}
    blocked = typed_words | {i for i, key in enumerate(utterance.keys) if key in stops}
    if remind_word is not None and remind_word.stop <= span.start:
        task = _task_around(utterance, span, blocked)
        determiners = set(vocabulary["title_determiners"])
        start = task.start
        while start < span.start and utterance.keys[start] in determiners:
            start += 1  # "an den Skatabend": the article is no part of the task
        span = range(start, task.stop)
    people = _people_after(utterance, span, typed_words, blocked, set(vocabulary["person_links"]))
    words = utterance.text(span) + (f" {utterance.text(people)}" if people else "")
    return words if words != title else None


def _task_around(utterance: Utterance, span: range, blocked: set[int]) -> range:
    """The title with the words before it up to the request ("pay the rent" for "rent");
    not the words after it, which are often thanks or other requests ("… danke dir")."""
    start = span.start
    while start > 0 and start - 1 not in blocked and not utterance.ends_a_clause(start - 1):
        start -= 1
    return range(start, span.stop) if span.stop - start <= _MAX_TASK_WORDS else span


def _people_after(
    utterance: Utterance, span: range, typed_words: set[int], blocked: set[int], links: set[str]
) -> range | None:
    """ "with Peter" after the title, maybe past a copied day ("on Monday with Peter")."""
    index = span.stop
    count = len(utterance.words)
    while index < count and index in blocked and not utterance.ends_a_clause(index - 1):
        index += 1
    if (
        index >= count
        or utterance.keys[index] not in links
        or utterance.ends_a_clause(index - 1)
        or utterance.ends_a_clause(index)
        or not (typed_words & set(range(span.stop, index)) or index == span.stop)
    ):
        return None
    stop = index + 1
    while stop < count and stop - index <= _MAX_PEOPLE_WORDS and stop not in typed_words:
        tokens = utterance.tokens(range(stop, stop + 1))
        if not set(tokens) <= _PERSON_TOKENS or (stop in blocked and tokens != ("_and",)):
            break
        stop += 1
        if utterance.ends_a_clause(stop - 1):
            break
    while stop > index + 1 and utterance.tokens(range(stop - 1, stop)) == ("_and",):
        stop -= 1  # "with Peter and" ... the "and" starts what follows
    if stop == index + 1 or not any(
        "~" in utterance.tokens(range(word, word + 1)) for word in range(index + 1, stop)
    ):
        return None
    return range(index, stop)
