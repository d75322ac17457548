"""create_event in the dialog: add the appointment (once or repeating, with its reminder), and
say what was added, the rule and the reminder in words, and any overlap."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.dialog.outcome import Outcome
from app.dialog.replies import Replies
from app.dialog.rule_words import rule_in_words
from app.resolve import ResolvedCall
from calendar_backend import Calendar

_UNTIL_DAY = re.compile(r"UNTIL=(\d{8})(?=;|$)")


def rule_for_calendar(rule: str, start: datetime | date, zone: ZoneInfo) -> str:
    """The resolver's rule with its UNTIL day as RFC 5545 wants it for this start: a date for
    an all-day series, the end of that day in UTC for a timed one."""
    match = _UNTIL_DAY.search(rule)
    if match is None or not isinstance(start, datetime):
        return rule
    day = datetime.strptime(match.group(1), "%Y%m%d").date()
    last_moment = datetime.combine(day, time(23, 59, 59), tzinfo=zone).astimezone(UTC)
    return rule[: match.start(1)] + last_moment.strftime("%Y%m%dT%H%M%SZ") + rule[match.end(1) :]


def create(store: Calendar, call: ResolvedCall, now: datetime, replies: Replies) -> Outcome:
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
        start = store.localize(datetime.combine(day, moment))
        end = (start.astimezone(UTC) + length).astimezone(store.zone)
    rule = call.text("recurrence")
    reminder = call.minutes("reminder_minutes")
    busy = store.conflicts(start, end)
    created = store.create(
        title,
        start,
        length,
        recurrence=rule_for_calendar(rule, start, store.zone) if rule else None,
        reminder_minutes=reminder,
    )
    today = now.date()
    if rule:
        message = replies.say(
            "created_series",
            title=title,
            rule=rule_in_words(rule, call.language, today, moment),
            first=replies.day_text(day, today),
        )
    else:
        when = replies.when(day, moment, today)
        if moment is None and length > timedelta(days=1):
            when = replies.phrase(
                "days_span",
                first=replies.day_text(day, today),
                last=replies.day_text(day + length - timedelta(days=1), today),
            )
        message = replies.say("created" if moment else "created_all_day", title=title, when=when)
    if reminder is not None:
        message += " " + reminder_sentence(reminder, replies)
    if busy:
        message += " " + replies.say("conflict", events=replies.events(busy, today, with_day=False))
    return Outcome("done", message, call.language, (created,), call)


def reminder_sentence(minutes: int, replies: Replies) -> str:
    """ "I'll remind you 15 minutes before." """
    if minutes == 0:
        return replies.say("reminder_at_start")
    return replies.say("reminder_before", lead=replies.length(minutes))
