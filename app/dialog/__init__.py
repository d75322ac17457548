"""Stage: resolved call → outcome. Carries the call out against the calendar, by the policy:

- a missing required value is asked for, not guessed; the answer continues the same request;
- a delete always waits for a confirmation, and so does any match of several events (unless
  one of them matches the spoken title clearly best and the caller confirmed up front);
- a conflict on create is mentioned in the reply;
- the last changes can be undone.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from app.dialog.replies import Replies, replies_for
from app.resolve import ALL_DAY_MINUTES, ArgumentValue, ResolvedCall, apply_policy, clean_title
from app.temporal import resolve_date, resolve_duration, resolve_range, resolve_time
from calendar_backend import (
    Calendar,
    CalendarChangedError,
    CalendarError,
    EventNotFoundError,
    Occurrence,
)
from calendar_backend.errors import (
    CalendarAccessDeniedError,
    CalendarServerError,
    CannotUndoError,
    NothingToUndoError,
)
from calendar_backend.matching import title_similarity

log = logging.getLogger(__name__)

Status = Literal["done", "needs_confirmation", "needs_input", "rejected", "no_speech", "error"]


@dataclass(frozen=True)
class Outcome:
    """What happened, and the sentence to speak."""

    status: Status
    message: str
    language: str
    events: tuple[Occurrence, ...] = ()
    """Created, deleted or listed events; the candidates while a choice is pending."""
    call: ResolvedCall | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "message": self.message,
            "events": [occurrence.to_json() for occurrence in self.events],
        }


@dataclass(frozen=True)
class PendingInput:
    """A request waiting for the value(s) in `call.missing`."""

    call: ResolvedCall


@dataclass(frozen=True)
class PendingDelete:
    """A delete waiting for a yes (one candidate) or a choice (several)."""

    call: ResolvedCall
    candidates: tuple[Occurrence, ...]


Pending = PendingInput | PendingDelete

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


@dataclass
class Dialog:
    """One conversation with one calendar. Not thread-safe: use it from one worker."""

    store: Calendar
    language: str = "en"
    """The language of the latest request, for replies that belong to no request."""
    pending: Pending | None = None

    # --- entry points ----------------------------------------------------------------------

    def handle(self, call: ResolvedCall, now: datetime, *, confirmed: bool = False) -> Outcome:
        """Carry out a new request; whatever was pending is dropped."""
        self.pending = None
        self.language = call.language
        replies = replies_for(call.language)
        if call.function == "none":
            return Outcome("rejected", replies.say("rejected"), call.language, call=call)
        if call.missing:
            self.pending = PendingInput(call)
            return Outcome("needs_input", self._question(call, replies), call.language, call=call)
        try:
            if call.function == "create_event":
                return self._create(call, now, replies)
            if call.function == "delete_event":
                return self._delete(call, now, replies, confirmed=confirmed)
            if call.function == "list_events":
                return self._list(call, now, replies)
        except CalendarError as error:
            return self._calendar_error(error, call, replies)
        raise ValueError(f"no dialog policy for function {call.function!r}")

    def follow_up(self, text: str, now: datetime) -> Outcome | None:
        """Treat `text` as the answer to what is pending: yes/no, which one, or the missing
        value. None when nothing is pending or the text does not answer it (then it is a new
        request)."""
        pending = self.pending
        if pending is None:
            return None
        replies = replies_for(pending.call.language)
        words = _words(text)
        if isinstance(pending, PendingDelete):
            if _says(words, replies.answer_words("no")):
                return self.cancel()
            choice = _ordinal(words, replies)
            if choice is not None and choice < len(pending.candidates):
                return self.confirm(choice, now)
            if len(pending.candidates) == 1 and _says(words, replies.answer_words("yes")):
                return self.confirm(0, now)
            return None
        if _says(words, replies.answer_words("no")):
            return self.cancel()
        completed = _fill_missing(pending.call, text, now)
        if completed is None:
            return None
        return self.handle(completed, now)

    def confirm(self, choice: int = 0, now: datetime | None = None) -> Outcome:
        """Carry out the pending delete (for several candidates, the one at `choice`)."""
        pending = self.pending
        today = (now or self.store.clock().astimezone(self.store.zone)).date()
        if not isinstance(pending, PendingDelete) or not 0 <= choice < len(pending.candidates):
            language = pending.call.language if pending else self.language
            return Outcome("error", replies_for(language).say("nothing_pending"), language)
        self.pending = None
        replies = replies_for(pending.call.language)
        try:
            return self._delete_occurrence(pending.candidates[choice], pending.call, today, replies)
        except CalendarError as error:
            return self._calendar_error(error, pending.call, replies)

    def cancel(self) -> Outcome:
        language = self.pending.call.language if self.pending else self.language
        self.pending = None
        return Outcome("done", replies_for(language).say("cancelled"), language)

    def can_undo(self) -> bool:
        return self.store.can_undo()

    def undo(self, language: str, now: datetime | None = None) -> Outcome:
        """Revert the last change made to this calendar."""
        replies = replies_for(language)
        today = (now or self.store.clock().astimezone(self.store.zone)).date()
        change = self.store.last_change()
        try:
            self.store.undo()
        except NothingToUndoError:
            return Outcome("error", replies.say("nothing_to_undo"), language)
        except CannotUndoError:
            return Outcome("error", replies.say("cannot_undo"), language)
        except CalendarError as error:
            return self._calendar_error(error, None, replies, language)
        assert change is not None
        event = replies.event(change.occurrence, today)
        key = "undone_created" if change.kind == "created" else "undone_deleted"
        return Outcome("done", replies.say(key, event=event), language, (change.occurrence,))

    # --- the three functions ---------------------------------------------------------------

    def _create(self, call: ResolvedCall, now: datetime, replies: Replies) -> Outcome:
        title = call.text("title")
        day = call.day("date")
        minutes = call.minutes("duration_minutes")
        assert title is not None and day is not None and minutes is not None
        moment = call.clock("time")
        length = timedelta(minutes=minutes)
        start: datetime | date
        end: datetime | date
        if moment is None:
            start, end = day, day + length
        else:
            start = self.store.localize(datetime.combine(day, moment))
            end = (start.astimezone(UTC) + length).astimezone(self.store.zone)
        busy = self.store.conflicts(start, end)
        created = self.store.create(title, start, length)
        today = now.date()
        when = replies.when(day, moment, today)
        if moment is None and length > timedelta(days=1):
            when = replies.phrase(
                "days_span",
                first=replies.day_text(day, today),
                last=replies.day_text(day + length - timedelta(days=1), today),
            )
        message = replies.say("created" if moment else "created_all_day", title=title, when=when)
        if busy:
            message += " " + replies.say(
                "conflict", events=replies.events(busy, today, with_day=False)
            )
        return Outcome("done", message, call.language, (created,), call)

    def _delete(
        self, call: ResolvedCall, now: datetime, replies: Replies, *, confirmed: bool
    ) -> Outcome:
        title = call.text("title")
        day = call.day("date")
        today = now.date()
        candidates = tuple(self.store.find(title, day, today=today))
        if not candidates:
            span = replies.span(day, day, today) if day else ""
            if title and day:
                message = replies.say("not_found_title_day", title=title, span=span)
            elif title:
                message = replies.say("not_found_title", title=title)
            else:
                message = replies.say("not_found_day", span=span)
            return Outcome("error", message, call.language, call=call)
        if confirmed:
            chosen = _clear_best(candidates, title)
            if chosen is not None:
                return self._delete_occurrence(chosen, call, today, replies)
        self.pending = PendingDelete(call, candidates)
        if len(candidates) == 1:
            only = candidates[0]
            key = "confirm_delete_occurrence" if only.recurring else "confirm_delete"
            message = replies.say(key, event=replies.event(only, today))
        else:
            message = replies.say(
                "choose", count=len(candidates), events=replies.events(candidates, today)
            )
        return Outcome("needs_confirmation", message, call.language, candidates, call)

    def _delete_occurrence(
        self, target: Occurrence, call: ResolvedCall, today: date, replies: Replies
    ) -> Outcome:
        if target.recurring:
            instance = target.recurrence_id if target.recurrence_id is not None else target.start
            self.store.delete(target.uid, instance)
            key = "deleted_occurrence"
        else:
            self.store.delete(target.uid)
            key = "deleted"
        message = replies.say(key, event=replies.event(target, today))
        return Outcome("done", message, call.language, (target,), call)

    def _list(self, call: ResolvedCall, now: datetime, replies: Replies) -> Outcome:
        first = call.day("start_date")
        last = call.day("end_date")
        assert first is not None and last is not None
        today = now.date()
        found = tuple(self.store.occurrences(first, last))
        span = replies.span(first, last, today)
        if not found:
            return Outcome("done", replies.say("listed_none", span=span), call.language, (), call)
        events = replies.events(found, today, with_day=first != last)
        key = "listed_one" if len(found) == 1 else "listed_many"
        message = replies.say(key, span=span, count=len(found), events=events)
        return Outcome("done", message, call.language, found, call)

    # --- helpers ---------------------------------------------------------------------------

    def _question(self, call: ResolvedCall, replies: Replies) -> str:
        missing = call.missing[0]
        if call.function == "delete_event":
            return replies.question("delete_which")
        if call.function == "list_events":
            return replies.question("list_when")
        return replies.question(missing)

    def _calendar_error(
        self,
        error: CalendarError,
        call: ResolvedCall | None,
        replies: Replies,
        language: str | None = None,
    ) -> Outcome:
        language = language or (call.language if call else replies.language)
        if isinstance(error, CalendarChangedError):
            message = replies.say("calendar_changed")
        elif isinstance(error, EventNotFoundError):
            message = replies.say("not_found_title", title=call.text("title") if call else "")
        elif isinstance(error, CalendarAccessDeniedError):
            message = replies.say("server_refused")
        elif isinstance(error, CalendarServerError):
            # Spoken aloud: what happened in words; the details (the address) go to the log.
            log.warning("%s", error)
            message = replies.say("server_error" if error.reachable else "server_unreachable")
        else:
            message = replies.say("calendar_error", problem=str(error))
        return Outcome("error", message, language, call=call)


def _fill_missing(call: ResolvedCall, text: str, now: datetime) -> ResolvedCall | None:
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
    if not filled:
        return None
    gained_time = call.arguments.get("time") is None and arguments.get("time") is not None
    if gained_time and call.minutes("duration_minutes") == ALL_DAY_MINUTES:
        # That length was the all-day default; now that a time is given, the event is timed.
        arguments["duration_minutes"] = None
    partial = replace(call, arguments=arguments, missing=())
    return apply_policy(partial, now)


def _clear_best(candidates: tuple[Occurrence, ...], title: str | None) -> Occurrence | None:
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


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.casefold()))


def _says(words: tuple[str, ...], answers: tuple[str, ...]) -> bool:
    """True when the words are one of the answers, alone or with a little politeness."""
    spoken = " ".join(words)
    return any(
        spoken == answer or (spoken.startswith(answer + " ") and len(words) <= 4)
        for answer in answers
    )


def _ordinal(words: tuple[str, ...], replies: Replies) -> int | None:
    ordinals = replies.answer_words("ordinals")
    for word in words:
        if word in ordinals:
            return ordinals.index(word)
    return None
