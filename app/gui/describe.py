"""The window's plain words for what the assistant understood ("Termin anlegen: Zahnarzt,
Samstag, 28. März, 15:00-16:00") and for a reminder that came due ("Erinnerung: Zahnarzt um
15:00"). Qt-free."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from app.dialog.replies import Replies, replies_for
from app.dialog.rule_words import rule_in_words
from app.gui.text import UiText
from app.resolve import ResolvedCall
from calendar_backend import Occurrence

MINUTES_PER_DAY = 24 * 60


def _argument_names(text: UiText) -> dict[str, str]:
    return {
        "title": text("title"),
        "date": text("date"),
        "time": text("time"),
        "duration_minutes": text("duration"),
        "start_date": text("days"),
        "end_date": text("days"),
        "recurrence": text("repetition"),
        "reminder_minutes": text("reminder"),
        "new_date": text("new day"),
        "new_time": text("new time"),
    }


def describe_call(call: ResolvedCall, text: UiText, today: date) -> str:
    replies = replies_for(text.language)
    if call.function == "create_event":
        details = ", ".join(_creation_parts(call, text, replies, today))
        summary = text("Create appointment: {details}", details=details)
    elif call.function == "delete_event":
        day = call.day("date")
        day_text = replies.day_text(day, today) if day else None
        parts = [part for part in (call.text("title"), day_text) if part]
        summary = text("Delete appointment: {details}", details=", ".join(parts) or "…")
    elif call.function == "move_event":
        summary = text("Move appointment: {details}", details=_move_details(call, text, today))
    elif call.function == "edit_event":
        summary = text("Change appointment: {details}", details=_edit_details(call, today, text))
    elif call.function == "list_events":
        first, last = call.day("start_date"), call.day("end_date")
        span = replies.span(first, last, today) if first and last else "…"
        title = call.text("title")
        if title is None:
            summary = text("Show appointments: {span}", span=span)
        elif _range_was_said(call):
            summary = text("Find appointment: {title}, {span}", title=title, span=span)
        else:
            summary = text("Find appointment: {title}", title=title)
    else:
        return text("Not a calendar request")
    if call.missing:
        known = _argument_names(text)
        # A shift that cannot be read is missing as its phrase (new_date or new_time) too.
        said_missing = [name for name in call.missing if name != "relative_move"]
        names = dict.fromkeys(known.get(name, name) for name in said_missing)
        summary += " " + text("(still missing: {names})", names=", ".join(names))
    return summary


def _creation_parts(call: ResolvedCall, text: UiText, replies: Replies, today: date) -> list[str]:
    parts = [call.text("title") or text("no title yet")]
    day = call.day("date")
    if day is not None:
        day_text = replies.day_text(day, today)
        clock = call.clock("time")
        minutes = call.minutes("duration_minutes")
        if clock is None:
            parts.append(text("{day}, all day", day=day_text))
        else:
            start = datetime.combine(day, clock)
            times = replies.clock_text(clock)
            if minutes is not None:
                times += "\u2013" + replies.clock_text((start + timedelta(minutes=minutes)).time())
            parts.append(f"{day_text}, {times}")
    rule = call.text("recurrence")
    if rule is not None:
        try:
            parts.append(rule_in_words(rule, text.language, today))
        except ValueError:  # a rule with no words yet (another program's kind of rule)
            parts.append(text("repeating"))
    lead = call.minutes("reminder_minutes")
    if lead is not None:
        parts.append(reminder_lead(lead, text))
    return parts


def _move_details(call: ResolvedCall, text: UiText, today: date) -> str:
    """ "Physio, from Friday, April 3 → Wednesday, April 8, 10:00", or with a shift as it was
    said: "Elterngespräch, one hour later"."""
    replies = replies_for(text.language)
    day = call.day("date")
    which = [call.text("title") or ""]
    if day is not None:
        which.append(text("from {day}", day=replies.day_text(day, today)))
    origin = ", ".join(part for part in which if part)
    new_day, new_clock = call.day("new_date"), call.clock("new_time")
    target = [
        replies.day_text(new_day, today) if new_day else "",
        replies.clock_text(new_clock) if new_clock else "",
        call.text("relative_move") or "",
    ]
    said_target = ", ".join(part for part in target if part)
    if new_day is None and new_clock is None:
        return ", ".join(part for part in (origin, said_target) if part) or "…"
    return f"{origin or '…'} \u2192 {said_target}"


def _range_was_said(call: ResolvedCall) -> bool:
    """Whether a question about one appointment named the days to look at ("diese Woche");
    without them it looks a year ahead, which goes without saying."""
    return call.raw is not None and bool(call.raw.phrases.get("range"))


def reminder_lead(minutes: int, text: UiText) -> str:
    """ "reminder 15 min before", "reminder 2 h before", "reminder 1 day before", "reminder
    at the start"."""
    if minutes == 0:
        return text("reminder at the start")
    if minutes % MINUTES_PER_DAY == 0:
        days = minutes // MINUTES_PER_DAY
        if days == 1:
            return text("reminder 1 day before")
        return text("reminder {days} days before", days=days)
    if minutes % 60 == 0:
        return text("reminder {hours} h before", hours=minutes // 60)
    return text("reminder {minutes} min before", minutes=minutes)


def reminder_notice(occurrence: Occurrence, text: UiText, today: date) -> str:
    """What the window shows and says when a reminder comes due: "Reminder: Dentist at
    3:00 PM", "Erinnerung: Zahnarzt morgen um 15:00", "Reminder: Holiday on Friday, April 3"."""
    replies = replies_for(text.language)
    start, title = occurrence.start, occurrence.title
    day = start.date() if isinstance(start, datetime) else start
    tomorrow = today + timedelta(days=1)
    if isinstance(start, datetime):
        clock = replies.clock_text(start.time())
        if day == today:
            return text("Reminder: {title} at {time}", title=title, time=clock)
        if day == tomorrow:
            return text("Reminder: {title} tomorrow at {time}", title=title, time=clock)
        return text(
            "Reminder: {title} on {day} at {time}",
            title=title,
            day=replies.day_text(day, today),
            time=clock,
        )
    if day == today:
        return text("Reminder: {title} today", title=title)
    if day == tomorrow:
        return text("Reminder: {title} tomorrow", title=title)
    return text("Reminder: {title} on {day}", title=title, day=replies.day_text(day, today))


def _edit_details(call: ResolvedCall, today: date, text: UiText) -> str:
    """ "Dentist → Dentist, Dr. Weber, 1 hour and 30 minutes, Saturday, March 28, 10:00 AM"."""
    replies = replies_for(text.language)
    title, new_title = call.text("title") or "…", call.text("new_title")
    minutes = call.arguments.get("duration_minutes")
    new_day, new_clock = call.day("new_date"), call.clock("new_time")
    parts = [f"{title} \u2192 {new_title}" if new_title and new_title != title else title]
    if isinstance(minutes, int):
        parts.append(replies.length(minutes))
    if new_day is not None:
        parts.append(replies.day_text(new_day, today))
    if new_clock is not None:
        parts.append(replies.clock_text(new_clock))
    return ", ".join(parts)
