"""A repeat rule (an RRULE value) in the words of a reply: "jeden Montag um 09:00, bis
Dienstag, 30. Juni", "every other Friday, 10 times". Qt-free; the sentences are in
`locales/<lang>/replies.toml` under [recurrence]."""

from __future__ import annotations

from datetime import date, datetime, time

from babel.dates import format_date, get_day_names

from app.dialog.replies import replies_for
from app.temporal.recurrence import WEEKDAY_CODES

WORKDAYS = WEEKDAY_CODES[:5]


def _parts(rule: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in rule.split(";") if "=" in part)


def _until_day(value: str) -> date:
    return datetime.strptime(value[:8], "%Y%m%d").date()


def rule_in_words(rule: str, language: str, today: date, at: time | None = None) -> str:
    """The rule as said in `language`; `at` is the clock time of each occurrence, if any."""
    replies = replies_for(language)
    words = replies.table["recurrence"]
    locale = replies.table["format"]["babel_locale"]
    names = get_day_names("wide", locale=locale)
    parts = _parts(rule)
    frequency = parts.get("FREQ", "")
    interval = int(parts.get("INTERVAL", "1"))
    by_day = [code for code in parts.get("BYDAY", "").split(",") if code]

    body: str

    def days(codes: list[str]) -> str:
        return replies.join([names[WEEKDAY_CODES.index(code)] for code in codes])

    if frequency == "DAILY":
        body = words["daily"] if interval == 1 else words["daily_interval"].format(n=interval)
    elif frequency == "WEEKLY":
        if not by_day:
            body = words["weekly"] if interval == 1 else words["weekly_interval"]
        elif tuple(by_day) == WORKDAYS and interval == 1:
            body = words["workdays"]
        elif interval == 1:
            body = words["weekly_on"]
        elif interval == 2:
            body = words["every_other_on"]
        else:
            body = words["weekly_interval_on"]
        body = body.format(n=interval, days=days(by_day))
    elif frequency == "MONTHLY":
        nth_days = [code for code in by_day if code[:-2]]
        if nth_days:
            position = int(nth_days[0][:-2])
            nth = words["last"] if position < 0 else words["ordinals"][position - 1]
            key = "monthly_on_weekday" if interval == 1 else "monthly_interval_on_weekday"
            body = words[key].format(n=interval, nth=nth, days=days([nth_days[0][-2:]]))
        elif "BYMONTHDAY" in parts:
            key = "monthly_on_day" if interval == 1 else "monthly_interval_on_day"
            body = words[key].format(n=interval, day=parts["BYMONTHDAY"])
        else:
            body = words["monthly"] if interval == 1 else words["monthly_interval"]
            body = body.format(n=interval)
    elif frequency == "YEARLY":
        if "BYMONTH" in parts and "BYMONTHDAY" in parts and interval == 1:
            day = date(2000, int(parts["BYMONTH"]), int(parts["BYMONTHDAY"]))
            said = format_date(day, words["month_day_format"], locale=locale)
            body = words["yearly_on"].format(date=said)
        else:
            body = words["yearly"] if interval == 1 else words["yearly_interval"]
            body = body.format(n=interval)
    else:
        raise ValueError(f"no words for the rule {rule!r}")
    if at is not None:
        body = words["at_time"].format(rule=body, time=replies.clock_text(at))
    if "UNTIL" in parts:
        body = words["until"].format(
            rule=body, date=replies.day_text(_until_day(parts["UNTIL"]), today)
        )
    elif "COUNT" in parts:
        body = words["count"].format(rule=body, n=parts["COUNT"])
    return body
