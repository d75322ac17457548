"""What the assistant understood, in plain words for the window: "Termin anlegen: Zahnarzt,
Samstag, 28. März, 15:00-16:00". Qt-free."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from app.dialog.replies import replies_for
from app.gui.text import UiText
from app.resolve import ResolvedCall


def _argument_names(text: UiText) -> dict[str, str]:
    return {
        "title": text("title"),
        "date": text("date"),
        "time": text("time"),
        "duration_minutes": text("duration"),
        "start_date": text("days"),
        "end_date": text("days"),
    }


def describe_call(call: ResolvedCall, text: UiText, today: date) -> str:
    replies = replies_for(text.language)
    day = call.day("date")
    day_text = replies.day_text(day, today) if day else None
    if call.function == "create_event":
        parts = [call.text("title") or text("no title yet")]
        if day_text:
            clock = call.clock("time")
            minutes = call.arguments.get("duration_minutes")
            if clock is None:
                parts.append(text("{day}, all day", day=day_text))
            else:
                start = datetime.combine(day or today, clock)
                times = replies.clock_text(clock)
                if isinstance(minutes, int):
                    end = (start + timedelta(minutes=minutes)).time()
                    times += "\u2013" + replies.clock_text(end)
                parts.append(f"{day_text}, {times}")
        summary = text("Create appointment: {details}", details=", ".join(parts))
    elif call.function == "delete_event":
        parts = [part for part in (call.text("title"), day_text) if part]
        summary = text("Delete appointment: {details}", details=", ".join(parts) or "…")
    elif call.function == "list_events":
        first, last = call.day("start_date"), call.day("end_date")
        span = replies.span(first, last, today) if first and last else "…"
        summary = text("Show appointments: {span}", span=span)
    else:
        return text("Not a calendar request")
    if call.missing:
        known = _argument_names(text)
        names = dict.fromkeys(known.get(name, name) for name in call.missing)
        summary += " " + text("(still missing: {names})", names=", ".join(names))
    return summary
