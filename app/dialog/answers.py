"""Reading a short answer to what the dialog asked: yes, no, which one, or a missing value."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, time

from app.dialog.replies import Replies
from app.resolve import ALL_DAY_MINUTES, ArgumentValue, ResolvedCall, apply_policy, clean_title
from app.resolve.moving import is_relative_move
from app.resolve.reminding import reminder_minutes
from app.resolve.repeating import repetition
from app.temporal import resolve_date, resolve_duration, resolve_range, resolve_time
from calendar_backend import Occurrence
from calendar_backend.matching import title_similarity

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


def fill_missing(call: ResolvedCall, text: str, now: datetime) -> ResolvedCall | None:
    """The pending call with the answer's values in place, or None if it answers nothing."""
    language = call.language
    arguments: dict[str, ArgumentValue] = dict(call.arguments)
    filled = False
    for name in call.missing:
        if name == "title":
            title = clean_title(text)
            if title:
                arguments["title"] = title
                filled = True
            break
        if name == "date":
            day = resolve_date(text, language, now)
            if day is not None:
                arguments["date"] = day
                filled = True
        if name in ("start_date", "end_date"):
            span = resolve_range(text, language, now)
            if span is not None:
                arguments["start_date"], arguments["end_date"] = span.start, span.end
                filled = True
        if name in ("date", "time") and call.function == "create_event":
            moment = resolve_time(text, language)
            if moment is not None and arguments.get("time") is None:
                arguments["time"] = moment
                filled = True
        if name == "duration_minutes":
            start = arguments.get("time")
            minutes = resolve_duration(text, language, start if isinstance(start, time) else None)
            if minutes is not None:
                arguments["duration_minutes"] = minutes
                filled = True
        if name == "recurrence":
            said_day = call.day("date")
            repeat = repetition(text, language, said_day, now.date())
            if repeat is not None:
                arguments["recurrence"], arguments["date"] = repeat.rule, repeat.first
                filled = True
        if name == "reminder_minutes":
            minutes = reminder_minutes(text, language)
            if minutes is not None:
                arguments["reminder_minutes"] = minutes
                filled = True
        if name in ("new_date", "new_time"):
            filled = _fill_move_target(arguments, text, language, now) or filled
    if not filled:
        return None
    gained_time = call.arguments.get("time") is None and arguments.get("time") is not None
    if gained_time and call.minutes("duration_minutes") == ALL_DAY_MINUTES:
        # That length was the all-day default; now that a time is given, the event is timed.
        arguments["duration_minutes"] = None
    partial = replace(call, arguments=arguments, missing=())
    return apply_policy(partial, now)


def _fill_move_target(
    arguments: dict[str, ArgumentValue], text: str, language: str, now: datetime
) -> bool:
    """ "auf Mittwoch", "um 10", "eine Stunde später": where a move goes."""
    if is_relative_move(text, language, now):
        arguments["relative_move"] = text.strip(" .!?")
        return True
    day = resolve_date(text, language, now)
    moment = resolve_time(text, language)
    if day is not None:
        arguments["new_date"] = day
    if moment is not None:
        arguments["new_time"] = moment
    return day is not None or moment is not None


def clear_best(candidates: tuple[Occurrence, ...], title: str | None) -> Occurrence | None:
    """The one candidate to act on without asking: the only one, or one whose title matches
    clearly better than every other."""
    if len(candidates) == 1:
        return candidates[0]
    if not title:
        return None
    scores = sorted(
        (
            (title_similarity(title, candidate.title), index)
            for index, candidate in enumerate(candidates)
        ),
        reverse=True,
    )
    (best_score, best_index), (second_score, _) = scores[0], scores[1]
    return candidates[best_index] if best_score - second_score >= 0.05 else None


def words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.casefold()))


def says(said: tuple[str, ...], answers: tuple[str, ...]) -> bool:
    """True when the words are one of the answers, alone or with a little politeness."""
    spoken = " ".join(said)
    return any(
        spoken == answer or (spoken.startswith(answer + " ") and len(said) <= 4)
        for answer in answers
    )


def ordinal(said: tuple[str, ...], replies: Replies) -> int | None:
    ordinals = replies.answer_words("ordinals")
    for word in said:
        if word in ordinals:
            return ordinals.index(word)
    return None
