"""A change of an event's start, length and/or title that the person made in the window:
the question names each change (and any overlap it makes), a yes makes them as one change,
one undo takes it back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from app.dialog.moving import overlaps_at
from app.dialog.outcome import EventEdit, Outcome
from app.dialog.replies import Replies
from app.resolve import ResolvedCall
from calendar_backend import Calendar, Occurrence

MINUTES_PER_DAY = 24 * 60


def length_minutes(occurrence: Occurrence) -> int:
    """How long an event lasts, in minutes (an all-day one: its days)."""
    start, end = occurrence.start, occurrence.end
    if isinstance(start, datetime) and isinstance(end, datetime):
        return int((end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() // 60)
    first = start.date() if isinstance(start, datetime) else start
    last = end.date() if isinstance(end, datetime) else end
    return (last - first).days * MINUTES_PER_DAY


def only_changes(target: Occurrence, edit: EventEdit) -> EventEdit:
    """The edit without the values that are already so."""
    start = edit.start
    if start is not None and _same_moment(start, target.start):
        start = None
    minutes = edit.minutes
    if minutes is not None and minutes == length_minutes(target):
        minutes = None
    title = edit.title
    if title is not None and " ".join(title.split()) == target.title:
        title = None
    return EventEdit(start, minutes, title)


def problem_key(target: Occurrence, edit: EventEdit) -> str | None:
    """The reply that refuses an edit that cannot be made; None when it can."""
    if edit.title is not None and not edit.title.strip():
        return "edit_no_title"
    if edit.minutes is not None and (
        edit.minutes <= 0 or (target.all_day and edit.minutes % MINUTES_PER_DAY)
    ):
        return "edit_bad_length"
    return None


def edit_question(
    store: Calendar, target: Occurrence, edit: EventEdit, today: date, replies: Replies
) -> str:
    key = "confirm_edit_occurrence" if target.recurring else "confirm_edit"
    message = replies.say(
        key,
        title=target.title,
        old=replies.moment(target.start, today),
        changes=_changes(edit, today, replies),
    )
    overlaps = overlaps_at(store, target, edit.start or target.start, _length(target, edit))
    if overlaps:
        message += " " + replies.say(
            "move_conflict", events=replies.events(overlaps, today, with_day=False)
        )
    return message


def edit_occurrence(
    store: Calendar,
    target: Occurrence,
    edit: EventEdit,
    call: ResolvedCall,
    today: date,
    replies: Replies,
) -> Outcome:
    """Make the confirmed edit: to this one occurrence when the event repeats."""
    length = None if edit.minutes is None else timedelta(minutes=edit.minutes)
    instance = None
    if target.recurring:
        instance = target.recurrence_id if target.recurrence_id is not None else target.start
    edited = store.edit(
        target.uid, new_start=edit.start, length=length, title=edit.title, occurrence=instance
    )
    key = "edited_occurrence" if target.recurring else "edited"
    message = replies.say(key, title=target.title, changes=_changes(edit, today, replies))
    return Outcome("done", message, call.language, (edited,), call)


def _changes(edit: EventEdit, today: date, replies: Replies) -> str:
    pieces = []
    if edit.title is not None:
        pieces.append(replies.say("edit_title", title=" ".join(edit.title.split())))
    if edit.minutes is not None:
        pieces.append(replies.say("edit_length", length=replies.length(edit.minutes)))
    if edit.start is not None:
        pieces.append(replies.say("edit_start", new=replies.moment(edit.start, today)))
    return replies.join(pieces)


def _length(target: Occurrence, edit: EventEdit) -> timedelta:
    minutes = edit.minutes if edit.minutes is not None else length_minutes(target)
    return timedelta(minutes=max(minutes, 1))


def _same_moment(left: datetime | date, right: datetime | date) -> bool:
    if isinstance(left, datetime) and isinstance(right, datetime):
        return left.astimezone(UTC) == right.astimezone(UTC)
    return not isinstance(left, datetime) and not isinstance(right, datetime) and left == right
