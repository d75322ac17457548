"""Stage: raw call → resolved call. The copied phrases become ISO values relative to `now`, the
function's defaults are filled in, and what is still needed is listed as missing.

Policies (documented in the README too):
- create_event: a time without a date means the next time that clock time comes (today if it is
  still ahead, else tomorrow); a date without a time is an all-day event; the default length is
  60 minutes for a timed event and one day for an all-day one. Title and date are required.
- delete_event: needs a title or a day (or both).
- list_events: no range said means today; a question about one appointment (a title) without a
  range looks a year ahead from today.
- create_event with a recurrence: `date` is the first occurrence (the day said, else the first
  day the rule falls on from today); a reminder is minutes before the start ("erinnere mich
  …" alone: 0).
- move_event: needs a title or a day (like delete_event) and a new day, time or shift; a shift
  ("eine Stunde später") is kept as said in `relative_move`, for the dialog to apply to the
  event's start.
- A phrase that was said but cannot be read (a date phrase that is no date) is missing, so the
  assistant asks rather than guesses.
- A clock span copied as the time ("von 10 bis 12 Uhr", "from 2 to 4 pm") gives the start time
  and, when no length is said, the length (120 minutes).
- A title that only names the kind of thing ("the appointment", "den Termin"; the words are in
  `locales/<lang>/language.toml`) is no title.
- The title of an event a request names (move, delete, find) leaves the words that only point
  at it: "the team lunch" → "Team lunch", "mein Mittagessen mit Peter" → "Mittagessen mit
  Peter". A new event's title stays as said.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from app.locales import load_locale_file
from app.nlu.call_format import RawCall
from app.nlu.functions import FUNCTIONS_BY_NAME, Parameter
from app.resolve.moving import is_relative_move
from app.resolve.reminding import reminder_minutes
from app.resolve.repeating import repetition
from app.temporal import (
    DateRange,
    resolve_date,
    resolve_duration,
    resolve_range,
    resolve_time,
    resolve_time_offset,
    resolve_time_span,
)

ArgumentValue = str | date | time | int | None

DEFAULT_MINUTES = 60
ALL_DAY_MINUTES = 24 * 60


@dataclass(frozen=True)
class ResolvedCall:
    """A call with values instead of phrases, per ../shared/INTERFACE.md's `parse` table."""

    function: str
    language: str
    arguments: dict[str, ArgumentValue]
    missing: tuple[str, ...] = ()
    raw: RawCall | None = field(default=None, compare=False)

    def text(self, name: str) -> str | None:
        value = self.arguments.get(name)
        return value if isinstance(value, str) else None

    def day(self, name: str) -> date | None:
        value = self.arguments.get(name)
        return value if isinstance(value, date) else None

    def clock(self, name: str) -> time | None:
        value = self.arguments.get(name)
        return value if isinstance(value, time) else None

    def minutes(self, name: str) -> int | None:
        value = self.arguments.get(name)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def arguments_json(self) -> dict[str, Any]:
        return {name: _json_value(value) for name, value in self.arguments.items()}


def resolve_call(raw: RawCall, language: str, now: datetime) -> ResolvedCall:
    """Resolve every phrase of `raw`, then apply the function's defaults and requirements."""
    spec = FUNCTIONS_BY_NAME[raw.function]
    phrases = {name: phrase for name, phrase in raw.phrases.items() if phrase}
    unreadable: list[str] = []
    arguments: dict[str, ArgumentValue] = {}
    for parameter in spec.parameters:
        phrase = phrases.get(parameter.name)
        resolved = _resolve_parameter(parameter, phrase, phrases, language, now, arguments)
        if parameter.kind == "text" and raw.function != "create_event":
            resolved = {name: _named_event(value, language) for name, value in resolved.items()}
        arguments.update(resolved)
        # A title that only names the kind of thing ("den Termin") is no title, not unread.
        readable = parameter.kind == "text" or any(v is not None for v in resolved.values())
        if phrase is not None and not readable:
            unreadable.extend(resolved)
    if raw.function == "move_event":
        arguments.setdefault("relative_move", None)
    call = ResolvedCall(raw.function, language, arguments, raw=raw)
    return apply_policy(call, now, unreadable=tuple(unreadable))


def apply_policy(
    call: ResolvedCall, now: datetime, *, unreadable: tuple[str, ...] = ()
) -> ResolvedCall:
    """Fill in the defaults and list what is missing (see the module's docstring)."""
    arguments = dict(call.arguments)
    missing = list(unreadable)
    if call.function == "create_event":
        start_time = call.clock("time")
        if arguments.get("date") is None and start_time is not None and "date" not in missing:
            today = now.date()
            arguments["date"] = today if start_time > now.time() else today + timedelta(days=1)
        if arguments.get("duration_minutes") is None and "duration_minutes" not in missing:
            arguments["duration_minutes"] = (
                DEFAULT_MINUTES if start_time is not None else ALL_DAY_MINUTES
            )
        if start_time is None and "time" not in missing:
            minutes = call.minutes("duration_minutes")
            if minutes is not None and minutes % ALL_DAY_MINUTES:
                # "eine Stunde" without a clock time: the event cannot be all-day.
                missing.append("time")
        for required in ("title", "date"):
            if arguments.get(required) is None and required not in missing:
                missing.append(required)
    elif call.function == "delete_event":
        if arguments.get("title") is None and arguments.get("date") is None and not missing:
            missing.append("title")
    elif call.function == "move_event":
        if arguments.get("title") is None and arguments.get("date") is None and not missing:
            missing.append("title")
        moves = ("new_date", "new_time", "relative_move")
        if all(arguments.get(name) is None for name in moves) and not missing:
            missing.append("new_date")
    elif call.function == "list_events" and not missing and arguments.get("start_date") is None:
        arguments["start_date"] = arguments["end_date"] = now.date()
        if arguments.get("title") is not None:
            arguments["end_date"] = _a_year_after(now.date())
    return ResolvedCall(
        call.function, call.language, arguments, tuple(dict.fromkeys(missing)), raw=call.raw
    )


def _resolve_parameter(
    parameter: Parameter,
    phrase: str | None,
    phrases: dict[str, str],
    language: str,
    now: datetime,
    resolved_so_far: dict[str, ArgumentValue],
) -> dict[str, ArgumentValue]:
    name = parameter.name
    match parameter.kind:
        case "text":
            title = clean_title(phrase) if phrase else None
            return {name: None if title and is_generic_title(title, language) else title}
        case "date":
            return {name: resolve_date(phrase, language, now) if phrase else None}
        case "time":
            # Only the day phrase may carry a part of the day ("morgen früh", "tonight"); a title
            # like "morning run" should not move the hour.
            hint = phrases.get("date", "")
            if not phrase:
                return {name: None}
            moment = resolve_time(phrase, language, hint)
            offset = resolve_time_offset(phrase, language) if moment is None else None
            if offset is not None:
                # "in zwei Stunden": that many minutes from now, to the minute.
                moment = (now + timedelta(minutes=offset)).time().replace(second=0, microsecond=0)
            return {name: moment}
        case "duration":
            start = resolved_so_far.get("time")
            start_time = start if isinstance(start, time) else None
            if phrase:
                minutes = resolve_duration(phrase, language, start_time)
            else:
                # "von 10 bis 12 Uhr" copied as the time says the length too.
                clock = phrases.get("time")
                minutes = resolve_time_span(clock, language) if clock and start_time else None
            return {f"{name}_minutes": minutes}
        case "recurrence":
            said_day = resolved_so_far.get("date")
            day = said_day if isinstance(said_day, date) else None
            start_clock = resolved_so_far.get("time")
            passed = isinstance(start_clock, time) and start_clock <= now.time()
            today = now.date() + timedelta(days=1) if passed else now.date()
            repeat = repetition(phrase, language, day, today) if phrase else None
            if repeat is None:
                return {name: None}
            return {name: repeat.rule, "date": repeat.first}
        case "reminder":
            return {f"{name}_minutes": reminder_minutes(phrase, language) if phrase else None}
        case "new_date" | "new_time":
            shifts = [
                said
                for said in (phrases.get("new_date"), phrases.get("new_time"))
                if said and is_relative_move(said, language, now)
            ]
            value: ArgumentValue = None
            if phrase and phrase not in shifts:
                if name == "new_date":
                    value = resolve_date(phrase, language, now)
                else:
                    value = resolve_time(phrase, language, phrases.get("new_date", ""))
            if phrase in shifts:
                return {name: None, "relative_move": ", ".join(shifts)}
            return {name: value}
        case "range":
            span: DateRange | None = resolve_range(phrase, language, now) if phrase else None
            return {
                "start_date": span.start if span else None,
                "end_date": span.end if span else None,
            }


def _named_event(title: ArgumentValue, language: str) -> ArgumentValue:
    """The title of an event a request names, without the words that only point at it ("the
    team lunch" → "team lunch", "mein Mittagessen mit Peter" → "Mittagessen mit Peter")."""
    if not isinstance(title, str):
        return title
    return clean_title(" ".join(_without_pointing_words(title.split(), language, keep=1)))


def _without_pointing_words(words: list[str], language: str, keep: int = 0) -> list[str]:
    """`words` without the leading ones that only point ("the", "my", "den"; the
    `title_determiners` of `locales/<lang>/language.toml`), keeping at least `keep` words."""
    determiners = set(load_locale_file(language, "language")["title_determiners"])
    start = 0
    while start < len(words) - keep and words[start].casefold() in determiners:
        start += 1
    return words[start:]


def _a_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def clean_title(phrase: str) -> str | None:
    """The title as said, with a capital first letter when a recogniser wrote it lower case."""
    title = " ".join(phrase.split()).strip(" .,;:!?")
    if not title:
        return None
    return title[0].upper() + title[1:] if title.islower() else title


def is_generic_title(title: str, language: str) -> bool:
    """Whether `title` only names the kind of thing ("my appointment", "den Termin")."""
    words = _without_pointing_words(title.casefold().split(), language)
    return not words or " ".join(words) in load_locale_file(language, "language")["generic_titles"]


def title_to_search(title: str | None, language: str) -> str | None:
    """A title as said, without the words that only name the kind of thing, to look an event
    up by: "dentist appointment" → "dentist", "den Termin Zahnarzt" → "Zahnarzt"."""
    if not title:
        return title
    vocabulary = load_locale_file(language, "language")
    left_out = set(vocabulary["generic_titles"]) | set(vocabulary["title_determiners"])
    kept = [word for word in title.split() if word.casefold() not in left_out]
    return " ".join(kept) if kept else title


def _json_value(value: ArgumentValue) -> Any:
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value
