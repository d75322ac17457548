"""list_events in the dialog: read out the appointments of a day or span, or answer when one
appointment is ("Wann habe ich das nächste Mal Physiotherapie?")."""

from __future__ import annotations

from datetime import datetime

from app.dialog.outcome import Outcome
from app.dialog.replies import Replies
from app.resolve import ResolvedCall, title_to_search
from calendar_backend import Calendar
from calendar_backend.matching import MATCH_THRESHOLD, title_similarity

MAX_FURTHER = 2
"""After the next one, at most this many later dates are read out."""


def list_days(store: Calendar, call: ResolvedCall, now: datetime, replies: Replies) -> Outcome:
    first = call.day("start_date")
    last = call.day("end_date")
    assert first is not None and last is not None
    today = now.date()
    found = tuple(store.occurrences(first, last))
    span = replies.span(first, last, today)
    if not found:
        return Outcome("done", replies.say("listed_none", span=span), call.language, (), call)
    events = replies.events(found, today, with_day=first != last)
    key = "listed_one" if len(found) == 1 else "listed_many"
    message = replies.say(key, span=span, count=len(found), events=events)
    return Outcome("done", message, call.language, found, call)


def find_one(store: Calendar, call: ResolvedCall, now: datetime, replies: Replies) -> Outcome:
    """When the appointment asked about is, from today (or the start of the days asked about)
    on: the next one, and the next few after it."""
    title = call.text("title")
    first = call.day("start_date")
    last = call.day("end_date")
    assert title is not None and first is not None and last is not None
    today = now.date()
    searched = title_to_search(title, call.language) or title
    found = tuple(
        occurrence
        for occurrence in store.occurrences(first, last)
        if title_similarity(searched, occurrence.title) >= MATCH_THRESHOLD
        and (not isinstance(occurrence.start, datetime) or occurrence.start >= now)
    )
    if not found:
        year_ahead = first == today and (last - first).days >= 365
        if year_ahead:
            message = replies.say("found_none_year", title=title)
        else:
            message = replies.say("found_none", title=title, span=replies.span(first, last, today))
        return Outcome("done", message, call.language, (), call)
    next_one = found[0]
    message = replies.say(
        "found_next", title=next_one.title, when=replies.event_when(next_one, today)
    )
    later = found[1 : 1 + MAX_FURTHER]
    if later:
        message += " " + replies.say(
            "found_later",
            events=replies.join([replies.event_when(occurrence, today) for occurrence in later]),
        )
    return Outcome("done", message, call.language, found, call)
