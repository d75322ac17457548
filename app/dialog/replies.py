"""The sentences the assistant speaks, from `locales/<lang>/replies.toml`, with dates and times
formatted by babel the way each language says them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

from babel.dates import format_date, format_time

from app.locales import load_locale_file
from calendar_backend import Occurrence

MAX_SPOKEN_EVENTS = 6
"""A list read out loud stops after this many events and says how many more there are."""

_ODD_SPACES = str.maketrans({"\u202f": " ", "\u00a0": " "})


@dataclass(frozen=True)
class Replies:
    language: str
    table: dict[str, Any]

    # --- values ----------------------------------------------------------------------------

    def day_text(self, day: date, today: date) -> str:
        pattern = self._format("date" if day.year == today.year else "date_with_year")
        return format_date(day, pattern, locale=self._locale).translate(_ODD_SPACES)

    def clock_text(self, moment: time) -> str:
        return format_time(moment, self._format("time"), locale=self._locale).translate(_ODD_SPACES)

    def when(self, day: date, moment: time | None, today: date) -> str:
        """`am Samstag, 28. März um 15:00` / `on Saturday, March 28 at 3:00 PM`."""
        if moment is None:
            return self.phrase("day", date=self.day_text(day, today))
        return self.phrase(
            "day_and_time", date=self.day_text(day, today), time=self.clock_text(moment)
        )

    def span(self, first: date, last: date, today: date) -> str:
        """The days a list covers: `heute`, `morgen`, `am Freitag, 27. März`, `vom … bis …`."""
        if first == last:
            if first == today:
                return self.say("span_today")
            if first == today + timedelta(days=1):
                return self.say("span_tomorrow")
            return self.say("span_day", date=self.day_text(first, today))
        return self.say(
            "span_days", first=self.day_text(first, today), last=self.day_text(last, today)
        )

    def event(self, occurrence: Occurrence, today: date, *, with_day: bool = True) -> str:
        """One event in words, for confirmations and lists."""
        start = occurrence.start
        if isinstance(start, datetime):
            clock = self.clock_text(start.time())
            if with_day:
                return self.phrase(
                    "event_on_day_at",
                    title=occurrence.title,
                    date=self.day_text(start.date(), today),
                    time=clock,
                )
            return self.phrase("event_at", title=occurrence.title, time=clock)
        if with_day:
            return self.phrase(
                "event_on_day", title=occurrence.title, date=self.day_text(start, today)
            )
        return self.phrase("event_all_day", title=occurrence.title)

    def moment(self, start: datetime | date, today: date) -> str:
        """A start without a preposition: "Freitag, 27. März um 10:00", "Friday, March 27"."""
        if isinstance(start, datetime):
            return self.phrase(
                "moment_at",
                date=self.day_text(start.date(), today),
                time=self.clock_text(start.time()),
            )
        return self.day_text(start, today)

    def event_when(self, occurrence: Occurrence, today: date) -> str:
        """When an event starts: "on Tuesday, April 7 at 2:30 PM", "am Dienstag, 7. April"."""
        start = occurrence.start
        if isinstance(start, datetime):
            return self.when(start.date(), start.time(), today)
        return self.when(start, None, today)

    def events(
        self, occurrences: Sequence[Occurrence], today: date, *, with_day: bool = True
    ) -> str:
        """Several events as one spoken list, cut after MAX_SPOKEN_EVENTS."""
        spoken = [
            self.event(occurrence, today, with_day=with_day)
            for occurrence in occurrences[:MAX_SPOKEN_EVENTS]
        ]
        if len(occurrences) > MAX_SPOKEN_EVENTS:
            spoken.append(self.say("listed_more", count=len(occurrences) - MAX_SPOKEN_EVENTS))
        return self.join(spoken)

    def length(self, minutes: int) -> str:
        """A length of time in words: "15 minutes", "1 hour and 30 minutes", "2 days"."""
        units = self.table["units"]
        pieces = []
        for name, size in (("week", 10080), ("day", 1440), ("hour", 60), ("minute", 1)):
            if minutes >= size and (size < 1440 or minutes % size == 0):
                count, minutes = divmod(minutes, size)
                pieces.append(f"{count} {units[name] if count == 1 else units[name + 's']}")
        return self.join(pieces) if pieces else f"0 {units['minutes']}"

    def join(self, items: Sequence[str]) -> str:
        if len(items) <= 1:
            return "".join(items)
        separator = self._format("list_separator")
        return separator.join(items[:-1]) + self._format("list_last_separator") + items[-1]

    # --- sentences -------------------------------------------------------------------------

    def say(self, key: str, **values: object) -> str:
        return _fill(self.table["replies"][key], values)

    def phrase(self, key: str, **values: object) -> str:
        return _fill(self.table["phrases"][key], values)

    def question(self, missing: str) -> str:
        return str(self.table["questions"][missing])

    def answer_words(self, kind: str) -> tuple[str, ...]:
        return tuple(self.table["answers"][kind])

    @property
    def _locale(self) -> str:
        return self._format("babel_locale")

    def _format(self, key: str) -> str:
        return str(self.table["format"][key])


@cache
def replies_for(language: str) -> Replies:
    return Replies(language, load_locale_file(language, "replies"))


def _fill(template: str, values: dict[str, object]) -> str:
    if "span" in values and "span_capitalized" not in values:
        span = str(values["span"])
        values = {**values, "span_capitalized": span[:1].upper() + span[1:]}
    return template.format(**values)
