"""delete_event in the dialog: find the appointment, ask before deleting (which one, when
several match), delete it or one occurrence of its series."""

from __future__ import annotations

from datetime import date, datetime

from app.dialog.answers import clear_best
from app.dialog.outcome import Outcome, PendingChoice
from app.dialog.replies import Replies
from app.resolve import ResolvedCall, title_to_search
from calendar_backend import Calendar, Occurrence


def not_found(call: ResolvedCall, today: date, replies: Replies) -> Outcome:
    """No appointment matches the title and/or day said."""
    title = call.text("title")
    day = call.day("date")
    span = replies.span(day, day, today) if day else ""
    if title and day:
        message = replies.say("not_found_title_day", title=title, span=span)
    elif title:
        message = replies.say("not_found_title", title=title)
    else:
        message = replies.say("not_found_day", span=span)
    return Outcome("error", message, call.language, call=call)


def delete(
    store: Calendar, call: ResolvedCall, now: datetime, replies: Replies, *, confirmed: bool
) -> tuple[Outcome, PendingChoice | None]:
    """Delete at once when confirmed up front and one candidate is clearly meant; otherwise
    the question, with the choice it waits for."""
    today = now.date()
    searched = title_to_search(call.text("title"), call.language)
    candidates = tuple(store.find(searched, call.day("date"), today=today))
    if not candidates:
        return not_found(call, today, replies), None
    if confirmed:
        chosen = clear_best(candidates, call.text("title"))
        if chosen is not None:
            return delete_occurrence(store, chosen, call, today, replies), None
    if len(candidates) == 1:
        message = delete_question(candidates[0], today, replies)
    else:
        message = replies.say(
            "choose", count=len(candidates), events=replies.events(candidates, today)
        )
    outcome = Outcome("needs_confirmation", message, call.language, candidates, call)
    return outcome, PendingChoice(call, candidates)


def delete_question(target: Occurrence, today: date, replies: Replies) -> str:
    """Whether to delete this one event (or this one occurrence of its series)."""
    key = "confirm_delete_occurrence" if target.recurring else "confirm_delete"
    return replies.say(key, event=replies.event(target, today))


def delete_occurrence(
    store: Calendar, target: Occurrence, call: ResolvedCall, today: date, replies: Replies
) -> Outcome:
    if target.recurring:
        instance = target.recurrence_id if target.recurrence_id is not None else target.start
        store.delete(target.uid, instance)
        key = "deleted_occurrence"
    else:
        store.delete(target.uid)
        key = "deleted"
    message = replies.say(key, event=replies.event(target, today))
    return Outcome("done", message, call.language, (target,), call)
