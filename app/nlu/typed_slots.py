"""Stage: raw call → raw call whose phrases read as their slots' types, with nothing the person
said about length or a series' end left out. Runs between the model and `app.resolve`.

The model copies phrases; our own temporal readers decide what a phrase is. So:

- **Typed slots.** A phrase in a typed slot that its reader rejects moves to the first empty
  slot whose reader accepts it ("sechsstündigen" copied as the recurrence becomes the
  duration). A phrase no reader accepts stays where it is; the resolver lists it as missing and
  the dialog asks.
- **Lengths said.** Every length the utterance says ("einen sechsstündigen Termin", "a 45
  minute call", "für drei Stunden") that no typed phrase holds fills an empty duration slot, so
  a said length never becomes the default 60 minutes. Not a length of the event, and so left
  alone: a lead time ("eine Stunde vorher"), a start from now ("in zwei Stunden"), a shift
  ("eine Stunde später"), an interval ("alle zwei Wochen") and a series' end (below). A length
  said inside the copied title leaves the title ("a four-hour training session" → "training
  session") when something more than a generic word stays.
- **A series' end.** With a recurrence, an end the utterance says ("zehn Wochen lang", "for the
  next five weeks", "zehnmal", "bis zum 30. Juni", "until the end of May") joins the
  recurrence phrase when the recurrence copied has none; a duration slot that holds that end
  ("zehn Wochen lang" as a length: 100,800 minutes) is emptied.
- **A reminder asked for.** A lead time ("eine Stunde vorher") or a word that asks to be
  reminded ("remind me", "mit Erinnerung") that no phrase holds becomes the reminder; a
  phrase copied into the reminder slot that is another slot's phrase again is dropped.
- **Titles as said** (`app.nlu.said_titles`): the people and the task said with a title.

Each change is listed with its reason in `CheckedCall.changes`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, time
from typing import Literal

from app.locales import load_locale_file
from app.nlu.call_format import RawCall
from app.nlu.functions import FUNCTIONS_BY_NAME, ParameterKind
from app.nlu.said_titles import said_title
from app.nlu.utterance_words import TRAILING_PUNCTUATION, Utterance, maximal, overlaps
from app.resolve import clean_title, is_generic_title
from app.resolve.reminding import AT_THE_START, reminder_minutes
from app.temporal import (
    resolve_date,
    resolve_duration,
    resolve_recurrence,
    resolve_reminder,
    resolve_time,
    resolve_time_offset,
)

ChangeReason = Literal[
    "wrong_type",
    "copied_twice",
    "length_said",
    "series_end_said",
    "end_not_length",
    "end_not_date",
    "reminder_said",
    "title",
]


@dataclass(frozen=True)
class SlotChange:
    parameter: str
    before: str | None
    after: str | None
    reason: ChangeReason


@dataclass(frozen=True)
class CheckedCall:
    call: RawCall
    changes: tuple[SlotChange, ...]


_MAX_LENGTH_WORDS = 6
_MAX_END_WORDS = 6
_LENGTH_TOKENS = frozenset(
    {"_minute", "_hour", "_h", "_quarterhour", "_day", "_week", "_half", "_quarter",
     "_threequarter", "_and", "_allday"}
)  # fmt: skip
_UNITS = frozenset({"_minute", "_hour", "_h", "_quarterhour", "_day", "_week", "_allday"})
_NOT_THE_EVENTS_LENGTH_BEFORE = frozenset({"_in", "_every"})
"""A length right after these says when ("in zwei Stunden") or how often ("alle zwei Wochen")."""
_LENGTH_ENDS = frozenset(
    {("_minute",), ("_hour",), ("_h",), ("_quarterhour",), ("_day",), ("_week",), ("_half",),
     ("_quarter",), ("_allday",)}
)  # fmt: skip
_NOT_THE_EVENTS_LENGTH_AFTER = frozenset({"_ahead", "_later", "_earlier"})
_END_TOKENS = frozenset({"_times", "_to", "_for", "_long"})
_TYPED_ORDER: tuple[ParameterKind, ...] = ("duration", "time", "date", "recurrence", "reminder")
"""Where a phrase of the wrong type may go: the first empty slot of these whose reader takes it."""


def _lengths_said(
    utterance: Utterance, has_recurrence: bool, start: time | None, placed: list[range]
) -> list[range]:
    """Spans outside the `placed` ones that say how long the event lasts (see the module's
    docstring); with the event's `start`, also an end clock time ("bis 15 Uhr", "until 5 pm")."""
    spans = []
    count = len(utterance.words)
    for first in range(count):
        for stop in range(first + 1, min(first + _MAX_LENGTH_WORDS, count) + 1):
            span = range(first, stop)
            if stop - 1 > first and utterance.ends_a_clause(stop - 2):
                break  # "at six, 90 minutes": a length does not run across a comma
            if any(overlaps(span, other) for other in placed):
                continue  # "um viertel nach acht drei Stunden": the clock's "acht" is taken
            if _says_a_length(utterance, span) or _says_an_end_clock(utterance, span, start):
                joined_before = first > 0 and not utterance.ends_a_clause(first - 1)
                before = utterance.tokens(range(first - 1, first)) if joined_before else ()
                joined_after = stop < count and not utterance.ends_a_clause(stop - 1)
                after = utterance.tokens(range(stop, stop + 1)) if joined_after else ()
                if _not_the_events_length(utterance.tokens(span), before, after, has_recurrence):
                    continue
                spans.append(span)
    return maximal(spans)


def _says_a_length(utterance: Utterance, span: range) -> bool:
    tokens = utterance.tokens(span)
    last_word = utterance.words[span.stop - 1]
    last_tokens = utterance.tokens(range(span.stop - 1, span.stop))
    return (
        bool(tokens)
        and all(token in _LENGTH_TOKENS or token.replace(",", "").isdigit() for token in tokens)
        and bool(_UNITS.intersection(tokens))
        # a word that says nothing ("für", "a") or a number of what follows ("um 18h eine
        # Erinnerung") is not part of the length
        and utterance.tokens(range(span.start + 1, span.stop)) != tokens
        and (last_tokens[-1:] in _LENGTH_ENDS or any(c.isdigit() for c in last_word))
        # "um neun eine zweistündige …": a word that says a whole length starts it
        and not any(_counts_its_unit(utterance.tokens(range(i, i + 1))) for i in span[1:])
        and resolve_duration(utterance.text(span), utterance.language) is not None
    )


def _counts_its_unit(tokens: tuple[str, ...]) -> bool:
    """One word with its own number and unit ("zweistündige", "90-minute")."""
    return any(t.replace(",", "").isdigit() for t in tokens) and bool(_UNITS.intersection(tokens))


def _says_an_end_clock(utterance: Utterance, span: range, start: time | None) -> bool:
    """ "bis 15 Uhr", "until 5 pm": a length from the start, when the start is known."""
    if start is None or utterance.tokens(range(span.start, span.start + 1)) != ("_to",):
        return False
    last_word = utterance.tokens(range(span.stop - 1, span.stop))
    length = resolve_duration(utterance.text(span), utterance.language, start)
    return length is not None and bool(last_word) and "~" not in last_word


def _not_the_events_length(
    tokens: tuple[str, ...], before: tuple[str, ...], after: tuple[str, ...], has_recurrence: bool
) -> bool:
    if before and before[-1] in _NOT_THE_EVENTS_LENGTH_BEFORE:
        return True
    if before and before[-1] == "_at" and "_h" in tokens:
        return True  # "um 18h": a clock time
    if before and before[-1] == "_for" and has_recurrence:
        return True  # "jeden Montag für sechs Wochen": the series' end
    if after and after[0] in _NOT_THE_EVENTS_LENGTH_AFTER:
        return True
    return bool(after and after[0] == "_long" and has_recurrence)  # "zehn Wochen lang"


def _series_ends_said(utterance: Utterance) -> list[range]:
    """Spans that end a series ("zehnmal", "six weeks long", "bis zum 30. Juni"), each as short
    as says its end ("ten times", not "Monday at 5 pm, ten times")."""
    spans = []
    count = len(utterance.words)
    for start in range(count):
        for stop in range(start + 1, min(start + _MAX_END_WORDS, count) + 1):
            span = range(start, stop)
            tokens = utterance.tokens(span)
            if (
                not _END_TOKENS.intersection(tokens)
                or "~" in tokens
                or utterance.tokens(range(start + 1, stop)) == tokens
                or utterance.tokens(range(start, stop - 1)) == tokens
            ):
                continue
            end = _end_said(utterance, span)
            if end is None:
                continue
            while span.start + 1 < span.stop and (
                _end_said(utterance, range(span.start + 1, span.stop)) == end
            ):
                span = range(span.start + 1, span.stop)
            spans.append(span)
    return maximal(spans)


def _end_said(utterance: Utterance, span: range) -> str | None:
    """The COUNT or UNTIL part that the span gives any rule, or None."""
    every_day = load_locale_file(utterance.language, "language")["every_day"]
    said = f"{every_day} {utterance.text(span)}"
    rule = resolve_recurrence(said, utterance.language, utterance.today)
    parts = rule.split(";") if rule else []
    return next((part for part in parts if part.startswith(("COUNT=", "UNTIL="))), None)


def _has_end(rule: str | None) -> bool:
    return rule is not None and ("COUNT=" in rule or "UNTIL=" in rule)


Reader = Callable[[str, dict[str, str | None]], bool]
SetPhrase = Callable[[str, str | None, ChangeReason], None]


def _readers(language: str, now: datetime) -> dict[ParameterKind, Reader]:
    def reads_time(phrase: str, _: dict[str, str | None]) -> bool:
        return (
            resolve_time(phrase, language) is not None
            or resolve_time_offset(phrase, language) is not None
        )

    def reads_duration(phrase: str, phrases: dict[str, str | None]) -> bool:
        said_time = phrases.get("time")
        start = resolve_time(said_time, language) if said_time else None
        # Any start will do to tell "bis 17 Uhr" for a length when the time is not copied yet.
        return resolve_duration(phrase, language, start or time(12)) is not None

    return {
        "date": lambda phrase, _: resolve_date(phrase, language, now) is not None,
        "time": reads_time,
        "duration": reads_duration,
        "recurrence": lambda phrase, _: (
            resolve_recurrence(phrase, language, now.date()) is not None
        ),
        "reminder": lambda phrase, _: reminder_minutes(phrase, language) is not None,
    }


def check_call(raw: RawCall, utterance_text: str, language: str, now: datetime) -> CheckedCall:
    """The call with typed phrases, every said length and series end in place, and the title
    as said (`app.nlu.said_titles`)."""
    spec = FUNCTIONS_BY_NAME[raw.function]
    kinds = {parameter.name: parameter.kind for parameter in spec.parameters}
    phrases: dict[str, str | None] = dict(raw.phrases)
    changes: list[SlotChange] = []

    def set_phrase(name: str, value: str | None, reason: ChangeReason) -> None:
        changes.append(SlotChange(name, phrases.get(name), value, reason))
        phrases[name] = value

    utterance = Utterance.of(utterance_text, language, now.date())
    if raw.function == "create_event":
        repeats = any(
            resolve_recurrence(phrase, language, now.date()) is not None
            for name, phrase in phrases.items()
            if phrase and kinds[name] != "text"
        )
        ends = _series_ends_said(utterance) if repeats else []
        rule = _add_series_end(utterance, phrases, ends, set_phrase)
        _move_wrong_types(phrases, kinds, _readers(language, now), set_phrase)
        if rule is None:  # a recurrence that was in the wrong slot may read now
            rule = _add_series_end(utterance, phrases, ends, set_phrase)
        _add_length(utterance, phrases, kinds, ends if rule is not None else [], set_phrase)
    reminder = phrases.get("reminder")
    if raw.function == "create_event" and not reminder:
        placed = _typed_spans(utterance, phrases, kinds)
        reminder = _reminder_said(utterance, placed, phrases.get("title"))
        if reminder is not None:
            set_phrase("reminder", reminder, "reminder_said")
    if "title" in kinds:
        remind_word = None
        if reminder is not None and reminder_minutes(reminder, language) == AT_THE_START:
            remind_word = utterance.span_of(reminder)  # "remind me to …": the task follows
        typed = _typed_spans(utterance, phrases, kinds)
        whole = said_title(utterance, phrases.get("title"), typed, remind_word)
        if whole is not None:
            set_phrase("title", whole, "title")
    if not changes:
        return CheckedCall(raw, ())
    return CheckedCall(replace(raw, phrases=phrases), tuple(changes))


def _reminder_said(utterance: Utterance, placed: list[range], title: str | None) -> str | None:
    """A reminder the person asked for that no phrase holds: a lead time ("eine Stunde
    vorher") outside the copied phrases, else a word that asks to be reminded ("remind",
    "Erinnerung") outside the title."""
    for stop in range(1, len(utterance.words) + 1):
        if "_ahead" not in utterance.tokens(range(stop - 1, stop)):
            continue
        for start in range(max(0, stop - _MAX_LENGTH_WORDS - 1), stop - 1):
            lead = range(start, stop)
            text = utterance.text(lead)
            if resolve_reminder(text, utterance.language) is not None and not any(
                overlaps(lead, other) for other in placed
            ):
                return text
    remind_words = set(load_locale_file(utterance.language, "language")["remind_words"])
    title_span = utterance.span_of(title) if title else None
    for index, key in enumerate(utterance.keys):
        if key in remind_words and not (title_span is not None and index in title_span):
            return utterance.words[index].strip(TRAILING_PUNCTUATION)
    return None


def _move_wrong_types(
    phrases: dict[str, str | None],
    kinds: dict[str, ParameterKind],
    readers: dict[ParameterKind, Reader],
    set_phrase: SetPhrase,
) -> None:
    for name, kind in kinds.items():
        phrase = phrases.get(name)
        if not phrase or kind not in readers or readers[kind](phrase, phrases):
            continue
        target = next(
            (
                other
                for other_kind in _TYPED_ORDER
                for other in kinds
                if kinds[other] == other_kind
                and not phrases.get(other)
                and readers[other_kind](phrase, phrases)
            ),
            None,
        )
        if target is not None:
            set_phrase(name, None, "wrong_type")
            set_phrase(target, phrase, "wrong_type")
        elif any(phrases.get(other) == phrase for other in kinds if other != name):
            set_phrase(name, None, "copied_twice")  # the day copied as the reminder too


def _typed_spans(
    utterance: Utterance, phrases: dict[str, str | None], kinds: dict[str, ParameterKind]
) -> list[range]:
    spans = []
    for name, kind in kinds.items():
        phrase = phrases.get(name)
        if kind != "text" and phrase and (span := utterance.span_of(phrase)) is not None:
            spans.append(span)
    return spans


def _add_series_end(
    utterance: Utterance,
    phrases: dict[str, str | None],
    ends: list[range],
    set_phrase: SetPhrase,
) -> str | None:
    """The recurrence's rule once the end said is in it; None when the call has no readable
    recurrence (then nothing changes)."""
    recurrence = phrases.get("recurrence")
    rule = (
        resolve_recurrence(recurrence, utterance.language, utterance.today) if recurrence else None
    )
    if recurrence is None or rule is None:
        return None
    recurrence_span = utterance.span_of(recurrence)
    for end in ends:
        not_the_end: tuple[tuple[str, ChangeReason], ...] = (
            ("duration", "end_not_length"),
            ("date", "end_not_date"),
        )
        for name, reason in not_the_end:
            phrase = phrases.get(name)
            span = utterance.span_of(phrase) if phrase else None
            if span is not None and overlaps(span, end):
                set_phrase(name, None, reason)
        if _has_end(rule) or (recurrence_span is not None and overlaps(end, recurrence_span)):
            continue
        joined = f"{recurrence} {utterance.text(end)}"
        joined_rule = resolve_recurrence(joined, utterance.language, utterance.today)
        if joined_rule is not None and _has_end(joined_rule):
            set_phrase("recurrence", joined, "series_end_said")
            recurrence, rule = joined, joined_rule
    return rule


def _add_length(
    utterance: Utterance,
    phrases: dict[str, str | None],
    kinds: dict[str, ParameterKind],
    series_ends: list[range],
    set_phrase: SetPhrase,
) -> None:
    if phrases.get("duration"):
        return
    placed = _typed_spans(utterance, phrases, kinds) + series_ends
    said_time = phrases.get("time")
    start = resolve_time(said_time, utterance.language) if said_time else None
    said = _lengths_said(utterance, bool(series_ends), start, placed)
    if not said:
        return
    length = said[0]
    set_phrase("duration", utterance.text(length), "length_said")
    title = phrases.get("title")
    if title:
        _take_length_out_of_title(utterance, title, length, set_phrase)


def _take_length_out_of_title(
    utterance: Utterance,
    title: str,
    length: range,
    set_phrase: SetPhrase,
) -> None:
    """ "four-hour training session" → "training session"; "vierstündiges Seminar" →
    "Seminar"; a title that would be left generic ("zweistündigen Termin") stays."""
    title_span = utterance.span_of(title)
    if title_span is None or not overlaps(length, title_span):
        return
    determiners = set(load_locale_file(utterance.language, "language")["title_determiners"])
    leading = utterance.keys[title_span.start : length.start]
    if all(word in determiners for word in leading):  # "a four-hour session"
        title_span = range(min(length.start, title_span.stop), title_span.stop)
    if length.start <= title_span.start:
        kept = range(max(length.stop, title_span.start), title_span.stop)
    elif length.stop >= title_span.stop:
        kept = range(title_span.start, min(length.start, title_span.stop))
    else:
        return  # in the middle of the title: leave it
    shorter = utterance.text(kept) if kept else ""
    cleaned = clean_title(shorter) if shorter else None
    if cleaned and not is_generic_title(cleaned, utterance.language):
        set_phrase("title", shorter, "title")
