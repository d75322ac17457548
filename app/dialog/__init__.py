"""Stage: resolved call → outcome. Carries the call out against the calendar, by the policy:

- a missing required value is asked for, not guessed; the answer continues the same request;
- a delete or a move always waits for a confirmation, and so does any match of several events
  (unless one of them matches the spoken title clearly best and the caller confirmed up front);
- an overlap on create or move is mentioned in the reply;
- the last changes can be undone.

Each function's handling is a module of its own (creating, deleting, moving, listing); this
one routes requests and answers to them and keeps what is pending.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from app.calendar_problems import error_words
from app.dialog.answers import fill_missing, ordinal, says, words
from app.dialog.creating import create
from app.dialog.deleting import delete, delete_occurrence, delete_question
from app.dialog.editing import edit_occurrence, edit_question, only_changes, problem_key
from app.dialog.listing import find_one, list_days
from app.dialog.moving import move, move_occurrence, move_question
from app.dialog.outcome import (
    EventEdit,
    Outcome,
    Pending,
    PendingChoice,
    PendingInput,
    Status,
)
from app.dialog.replies import Replies, replies_for
from app.resolve import ArgumentValue, ResolvedCall
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

__all__ = ["Dialog", "EventEdit", "Outcome", "Pending", "PendingChoice", "PendingInput", "Status"]

log = logging.getLogger(__name__)

UNDONE_REPLIES = {
    "created": "undone_created",
    "moved": "undone_moved",
    "edited": "undone_edited",
}
"""What undoing a change of each kind says; every other kind brought an event back."""


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
                return create(self.store, call, now, replies)
            if call.function == "delete_event":
                outcome, self.pending = delete(self.store, call, now, replies, confirmed=confirmed)
                return outcome
            if call.function == "move_event":
                outcome, self.pending = move(self.store, call, now, replies, confirmed=confirmed)
                return outcome
            if call.function == "list_events":
                if call.text("title"):
                    return find_one(self.store, call, now, replies)
                return list_days(self.store, call, now, replies)
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
        said = words(text)
        if isinstance(pending, PendingChoice):
            if says(said, replies.answer_words("no")):
                return self.cancel()
            choice = ordinal(said, replies)
            if choice is not None and choice < len(pending.candidates):
                return self.confirm(choice, now)
            if len(pending.candidates) == 1 and says(said, replies.answer_words("yes")):
                return self.confirm(0, now)
            return None
        if says(said, replies.answer_words("no")):
            return self.cancel()
        completed = fill_missing(pending.call, text, now)
        if completed is None:
            return None
        return self.handle(completed, now)

    def ask_to_delete(self, target: Occurrence, language: str, today: date) -> Outcome:
        """A delete of one event the person pointed at (in the window), not said: the same
        question and the same wait for a yes as for a spoken delete of that event."""
        call = ResolvedCall(
            "delete_event", language, {"title": target.title, "date": _day_of(target.start)}
        )
        message = delete_question(target, today, replies_for(language))
        return self._ask(PendingChoice(call, (target,)), message)

    def ask_to_move(
        self, target: Occurrence, start: datetime | date, language: str, today: date
    ) -> Outcome:
        """A move of one event the person pointed at to `start` (a wall-clock time, read in
        the store's zone, or a day for an all-day event): the question a spoken move asks,
        overlaps named."""
        new_time = None
        if isinstance(start, datetime):
            new_time = start.time()
            start = self.store.localize(start.replace(tzinfo=None))
        arguments: dict[str, ArgumentValue] = {
            "title": target.title,
            "date": _day_of(target.start),
            "new_date": _day_of(start),
            "new_time": new_time,
            "relative_move": None,
        }
        call = ResolvedCall("move_event", language, arguments)
        try:
            message = move_question(self.store, target, start, today, replies_for(language))
        except CalendarError as error:
            self.pending = None
            return self._calendar_error(error, call, replies_for(language))
        return self._ask(PendingChoice(call, (target,), (start,)), message)

    def ask_to_edit(
        self,
        target: Occurrence,
        language: str,
        today: date,
        *,
        start: datetime | date | None = None,
        minutes: int | None = None,
        title: str | None = None,
    ) -> Outcome:
        """A change of one event the person pointed at: its start (a wall-clock time, read in
        the store's zone, or a day for an all-day event), its length in minutes and/or its
        title. Asks like a move, naming each change; only what differs from now changes."""
        replies = replies_for(language)
        if isinstance(start, datetime):
            start = self.store.localize(start.replace(tzinfo=None))
        arguments: dict[str, ArgumentValue] = {
            "title": target.title,
            "date": _day_of(target.start),
            "new_date": None if start is None else _day_of(start),
            "new_time": start.time() if isinstance(start, datetime) else None,
            "new_title": title,
            "duration_minutes": minutes,
        }
        call = ResolvedCall("edit_event", language, arguments)
        self.pending = None
        self.language = language
        edit = only_changes(target, EventEdit(start, minutes, title))
        problem = problem_key(target, edit)
        if problem is not None:
            return Outcome("error", replies.say(problem), language, call=call)
        if not edit:
            message = replies.say("edit_nothing", title=target.title)
            return Outcome("done", message, language, call=call)
        try:
            message = edit_question(self.store, target, edit, today, replies)
        except CalendarError as error:
            return self._calendar_error(error, call, replies)
        return self._ask(PendingChoice(call, (target,), edit=edit), message)

    def _ask(self, pending: PendingChoice, message: str) -> Outcome:
        self.pending = pending
        self.language = pending.call.language
        return Outcome(
            "needs_confirmation", message, self.language, pending.candidates, pending.call
        )

    def confirm(self, choice: int = 0, now: datetime | None = None) -> Outcome:
        """Carry out the pending delete, move or edit (for several candidates, the one at
        `choice`)."""
        pending = self.pending
        today = (now or self.store.clock().astimezone(self.store.zone)).date()
        if not isinstance(pending, PendingChoice) or not 0 <= choice < len(pending.candidates):
            language = pending.call.language if pending else self.language
            return Outcome("error", replies_for(language).say("nothing_pending"), language)
        self.pending = None
        call = pending.call
        replies = replies_for(call.language)
        target = pending.candidates[choice]
        try:
            if call.function == "edit_event" and pending.edit is not None:
                return edit_occurrence(self.store, target, pending.edit, call, today, replies)
            if call.function == "move_event":
                start = pending.new_starts[choice]
                return move_occurrence(self.store, target, start, call, today, replies)
            return delete_occurrence(self.store, target, call, today, replies)
        except CalendarError as error:
            return self._calendar_error(error, call, replies)

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
        occurrence = change.occurrence
        key = UNDONE_REPLIES.get(change.kind, "undone_deleted")
        message = replies.say(key, event=replies.event(occurrence, today), title=occurrence.title)
        return Outcome("done", message, language, (occurrence,))

    # --- helpers ---------------------------------------------------------------------------

    def _question(self, call: ResolvedCall, replies: Replies) -> str:
        missing = call.missing[0]
        if call.function == "delete_event":
            return replies.question("delete_which")
        if call.function == "move_event":
            return replies.question("move_which" if missing == "title" else "move_where")
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
            message = replies.say("calendar_error", problem=error_words(error, language))
        return Outcome("error", message, language, call=call)


def _day_of(moment: datetime | date) -> date:
    return moment.date() if isinstance(moment, datetime) else moment
