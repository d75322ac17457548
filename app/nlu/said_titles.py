"""The title the person said, whole: the people said with it and the task of a reminder.

The model copies one run of words as the title. Titles are often cut or run on:

- **People said after a day.** "Move my lunch on Monday with Peter to Friday", "Verschieb das
  Mittagessen morgen mit Peter auf Freitag": the people belong to the title ("lunch with
  Peter"), as they do when said right after it. They are the words after "with"/"mit"
  (`person_links` in `locales/<lang>/language.toml`) up to the next day, time, or word of
  `title_stops`, with only a copied day or time or such words between title and link.
- **A reminder's task.** "Can you remind me to pay the rent …": when the call is a reminder
  request and the title follows the request's word, the words before the title back to a word
  of `task_leads` ("to", "daran") belong to it ("pay the rent" for "rent"); an article that
  starts them does not. A reminder request without a title takes the task said after the
  lead ("Tomorrow at 8 remind me to take out the recycling").
- **A day or time copied into the title's end** ("Weihnachtsfeier mit der Abteilung von
  Donnerstag", with "Donnerstag" copied as the day) leaves the title, with the stop words
  before it.
"""

from __future__ import annotations

from typing import Any

from app.locales import load_locale_file
from app.nlu.utterance_words import Utterance

_MAX_PEOPLE_WORDS = 4
_MAX_TASK_WORDS = 8
_PERSON_TOKENS = frozenset({"~", "_and"})
"""A person's words are unknown to the temporal vocabulary ("Peter", "dem Vertrieb"), joined by
"and"/"und"; a known word (a month, a weekday, a number) ends them."""


class _Words:
    """The utterance's words that a title cannot run into: copied values and stop words."""

    def __init__(self, utterance: Utterance, typed: list[range]) -> None:
        self.vocabulary: dict[str, Any] = load_locale_file(utterance.language, "language")
        stops = {*self.vocabulary["title_stops"], *self.vocabulary["remind_words"]}
        self.typed = {index for span in typed for index in span}
        self.blocked = self.typed | {i for i, key in enumerate(utterance.keys) if key in stops}
        self.typed_spans = typed


def said_title(
    utterance: Utterance, title: str | None, typed: list[range], remind_word: range | None
) -> str | None:
    """The whole title as said, or None when the copied `title` is whole already (or none
    can be found). `remind_word`: where a reminder request's word stands ("remind",
    "Erinnere"), if the call is one; a title after it is a task."""
    words = _Words(utterance, typed)
    if not title:
        task = _task_after(utterance, remind_word, words) if remind_word is not None else None
        return utterance.text(task) if task is not None else None
    span = utterance.span_of(title)
    if span is None:
        return None
    span = _without_a_copied_value_at_the_end(utterance, span, words)
    if remind_word is not None and remind_word.stop <= span.start:
        span = _task_around(utterance, span, words)
    people = _people_after(utterance, span, words)
    said = utterance.text(span) + (f" {utterance.text(people)}" if people else "")
    return said if said and said != title else None


def _without_a_copied_value_at_the_end(utterance: Utterance, span: range, words: _Words) -> range:
    stop = span.stop
    for typed in words.typed_spans:
        if span.start < typed.start < stop:
            stop = typed.start
    if stop == span.stop:
        return span
    while stop > span.start + 1 and stop - 1 in words.blocked:
        stop -= 1  # "von" of "von Donnerstag"
    return range(span.start, stop)


def _task_around(utterance: Utterance, span: range, words: _Words) -> range:
    """The title with the words before it back to the task's lead ("pay the rent" for
    "rent"); not the words after it, which are often thanks or other requests."""
    start = span.start
    while start > 0 and start - 1 not in words.blocked and not utterance.ends_a_clause(start - 1):
        start -= 1
    leads = set(words.vocabulary["task_leads"])
    if start == span.start or start == 0 or utterance.keys[start - 1] not in leads:
        return span
    determiners = set(words.vocabulary["title_determiners"])
    while start < span.start and utterance.keys[start] in determiners:
        start += 1  # "to the rent" is no task; "an den Skatabend": no article
    return range(start, span.stop) if span.stop - start <= _MAX_TASK_WORDS else span


def _task_after(utterance: Utterance, remind_word: range, words: _Words) -> range | None:
    """ "remind me [tomorrow at 8] to take out the recycling": the words after the lead."""
    leads = set(words.vocabulary["task_leads"])
    followers = set(words.vocabulary["remind_followers"])
    index = remind_word.stop
    count = len(utterance.words)
    while index < count and utterance.keys[index] not in leads:
        if index not in words.typed and utterance.keys[index] not in followers:
            return None  # only "me" and copied days and times before the lead
        index += 1
    start = index + 1
    while start < count and start in words.typed:
        start += 1  # "daran, morgen um 8 die Blumen zu gießen"
    stop = start
    while stop < count and stop not in words.typed and stop - start < _MAX_TASK_WORDS:
        stop += 1
        if utterance.ends_a_clause(stop - 1):
            break
    determiners = set(words.vocabulary["title_determiners"])
    while stop > start and (stop - 1 in words.blocked or utterance.keys[stop - 1] in determiners):
        stop -= 1  # "call Mom on" of "call Mom on Friday"; "a" of "a week from today"
    if stop - start < 2 or start in words.blocked:
        return None  # "daran, dass ich …": no task said as a run of words
    return range(start, stop)


def _people_after(utterance: Utterance, span: range, words: _Words) -> range | None:
    """ "with Peter" after the title, maybe past a copied day ("on Monday with Peter")."""
    links = set(words.vocabulary["person_links"])
    index = span.stop
    count = len(utterance.words)
    while (
        index < count
        and index in words.blocked
        and utterance.keys[index] not in links
        and not utterance.ends_a_clause(index - 1)
    ):
        index += 1
    if (
        index >= count
        or utterance.keys[index] not in links
        or utterance.ends_a_clause(index - 1)
        or utterance.ends_a_clause(index)
        or not (words.typed & set(range(span.stop, index)) or index == span.stop)
    ):
        return None
    stop = index + 1
    while stop < count and stop - index <= _MAX_PEOPLE_WORDS and stop not in words.typed:
        tokens = utterance.tokens(range(stop, stop + 1))
        if not set(tokens) <= _PERSON_TOKENS or (stop in words.blocked and tokens != ("_and",)):
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
