"""move_event in the dialog: find the appointment, work out where it goes (a new day, a new
time, or a shift of its start), ask before moving it (naming any overlap it would make), then
move it, or one occurrence of its series."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from app.dialog.answers import clear_best
from app.dialog.deleting import not_found
from app.dialog.outcome import Outcome, PendingChoice
from app.dialog.replies import Replies
from app.resolve import ResolvedCall, title_to_search
from app.resolve.moving import moved_start
from calendar_backend import Calendar, Occurrence


def _shifts(call: ResolvedCall) -> tuple[str, ...]:
    said = call.text("relative_move")
    return tuple(part for part in (said or "").split(", ") if part)


def new_start(
    store: Calendar, target: Occurrence, call: ResolvedCall, now: datetime
) -> datetime | date | None:
    """Where `target` goes; None when the call's shift cannot apply to it (a clock shift of
    an all-day event)."""
    start = moved_start(
        target.start,
        new_date=call.day("new_date"),
        new_time=call.clock("new_time"),
        shifts=_shifts(call),
        language=call.language,
        now=now,
    )
    if isinstance(start, datetime):
        return store.localize(start.replace(tzinfo=None))  # the wall-clock time, in its zone
    return start


def _length(target: Occurrence) -> timedelta:
    if isinstance(target.start, datetime) and isinstance(target.end, datetime):
        return target.end.astimezone(UTC) - target.start.astimezone(UTC)
    if isinstance(target.start, datetime) or isinstance(target.end, datetime):
        return timedelta(hours=1)
    return target.end - target.start


def _overlaps(
    store: Calendar, target: Occurrence, start: datetime | date
) -> tuple[Occurrence, ...]:
    """The appointments the moved one would overlap, itself left out."""
    return overlaps_at(store, target, start, _length(target))


def overlaps_at(
    store: Calendar, target: Occurrence, start: datetime | date, length: timedelta
) -> tuple[Occurrence, ...]:
    """The appointments `target` would overlap at `start`, lasting `length`, itself left out."""
    if isinstance(start, datetime):
        end: datetime | date = (start.astimezone(UTC) + length).astimezone(start.tzinfo)
    else:
        end = start + max(length, timedelta(days=1))
    busy = store.conflicts(start, end)
    return tuple(
        other
        for other in busy
        if not (other.uid == target.uid and other.recurrence_id == target.recurrence_id)
    )


def move(
    store: Calendar, call: ResolvedCall, now: datetime, replies: Replies, *, confirmed: bool
) -> tuple[Outcome, PendingChoice | None]:
    """Move at once when confirmed up front and one candidate is clearly meant; otherwise the
    question, with the choice it waits for."""
    today = now.date()
    searched = title_to_search(call.text("title"), call.language)
    found = tuple(store.find(searched, call.day("date"), today=today))
    placed = [(target, new_start(store, target, call, now)) for target in found]
    movable = tuple((target, start) for target, start in placed if start is not None)
    if not found:
        return not_found(call, today, replies), None
    if not movable:
        message = replies.say("cannot_shift", event=replies.event(found[0], today))
        return Outcome("error", message, call.language, found, call), None
    candidates = tuple(target for target, _ in movable)
    starts = tuple(start for _, start in movable)
    if confirmed:
        chosen = clear_best(candidates, call.text("title"))
        if chosen is not None:
            index = candidates.index(chosen)
            return move_occurrence(store, chosen, starts[index], call, today, replies), None
    if len(candidates) == 1:
        target, start = movable[0]
        message = move_question(store, target, start, today, replies)
    else:
        message = replies.say(
            "choose_move", count=len(candidates), events=replies.events(candidates, today)
        )
    outcome = Outcome("needs_confirmation", message, call.language, candidates, call)
    return outcome, PendingChoice(call, candidates, starts)


def move_question(
    store: Calendar, target: Occurrence, start: datetime | date, today: date, replies: Replies
) -> str:
    """Whether to move this one event (or occurrence) to `start`, naming what it would
    overlap there."""
    key = "confirm_move_occurrence" if target.recurring else "confirm_move"
    message = replies.say(
        key,
        title=target.title,
        old=replies.moment(target.start, today),
        new=replies.moment(start, today),
    )
    overlaps = _overlaps(store, target, start)
    if overlaps:
        message += " " + replies.say(
            "move_conflict", events=replies.events(overlaps, today, with_day=False)
        )
    return message


def move_occurrence(
    store: Calendar,
    target: Occurrence,
    start: datetime | date,
    call: ResolvedCall,
    today: date,
    replies: Replies,
) -> Outcome:
    overlaps = _overlaps(store, target, start)
    if target.recurring:
        instance = target.recurrence_id if target.recurrence_id is not None else target.start
        moved = store.move(target.uid, start, occurrence=instance)
        key = "moved_occurrence"
    else:
        moved = store.move(target.uid, start)
        key = "moved"
    message = replies.say(key, title=target.title, new=replies.moment(moved.start, today))
    if overlaps:
        message += " " + replies.say(
            "conflict", events=replies.events(overlaps, today, with_day=False)
        )
    return Outcome("done", message, call.language, (moved,), call)
