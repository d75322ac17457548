"""Bot Framework skill utterances (MIT, ../shared/data/botframework/) as records: moving and
asking about one appointment, and other skills' requests as `none`.

Decisions (documented in training/data/README.md):
- ChangeCalendarEntry → move_event: title from `Subject`, the day it is on from `FromDate`,
  `ToDate` and `ToTime` as the new day and time; `MoveLaterTimeSpan`/`MoveEarlierTimeSpan`
  with the direction word said right after it ("20 minutes later", "1 stunde später") as a
  shift. Rows that change something else (`SlotAttribute`, `Location`, `Duration`), that say a
  shift without its direction, or that name more than one new day or time ("from 2-3pm to
  4-5pm") are left out. `FromTime` (the event named by its time, "my 3 pm meeting") is not
  copied: move_event has no such parameter, so the dialog asks which appointment.
- FindCalendarEntry, FindCalendarWhen, ShowNextCalendar → list_events: `FromDate` as the range,
  `Subject` as the title; rows that ask by time, person, room or position ("my first meeting")
  are left out, as the call cannot say that.
- Email, Weather, PointOfInterest and Restaurant utterances → none (ToDo is left out: its
  "erinnere mich" rows are reminders here, and General's "cancel"/"yes" are dialog words).
- A row whose new day, time, shift or range the app's resolver cannot read is left out.
- One row in five of the calendar rows (by a hash of its text) is kept for evaluation only
  (`botframework_dev.jsonl`); texts are lower case without punctuation, as written there.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app.nlu.call_format import RawCall
from app.resolve import resolve_call
from training.data.generate import call_phrases, make_record, normalized, random_now
from training.data.verify import ZONE

LOCALES = {"en": "en-us", "de": "de-de"}
MOVE_INTENTS = frozenset({"ChangeCalendarEntry"})
FIND_INTENTS = frozenset({"FindCalendarEntry", "FindCalendarWhen", "ShowNextCalendar"})
NONE_FILES = ("Email.lu", "WeatherSkill.lu", "PointOfInterest.lu", "Restaurant.lu")
CHANGES_SOMETHING_ELSE = frozenset({"SlotAttribute", "Location", "Duration"})
FIND_BY_OTHER_MEANS = frozenset(
    {"FromTime", "ToTime", "ContactName", "MeetingRoom", "PositionReference", "OrderReference"}
)
DIRECTIONS = {
    "en": ("later", "earlier"),
    "de": ("später", "früher", "spaeter", "frueher"),
}
DEV_SHARE = 5
"""One calendar row in DEV_SHARE is for evaluation only."""

_INNERMOST_SLOT = re.compile(r"\{(\w+)=([^{}]*)\}")


@dataclass(frozen=True)
class Utterance:
    intent: str
    text: str
    slots: tuple[tuple[str, str, int], ...]
    """(slot name, its text, its position in `text`)."""

    def first(self, name: str) -> tuple[str, int] | None:
        return next(((value, at) for slot, value, at in self.slots if slot == name), None)

    def count(self, name: str) -> int:
        return sum(slot == name for slot, _, _ in self.slots)

    def names(self) -> frozenset[str]:
        return frozenset(slot for slot, _, _ in self.slots)


def read_lu(path: Path) -> Iterator[Utterance]:
    """Every `- ` line of a .lu file under its `## Intent`, slot marks taken out."""
    intent = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            intent = line[3:].strip()
        elif line.startswith("- ") and intent:
            yield _unmarked(intent, line[2:].strip())


def _unmarked(intent: str, marked: str) -> Utterance:
    """The text without slot marks, each slot with its span; a slot nested in another (as
    written in a few lines) counts as the outer one."""
    slots: list[tuple[str, str]] = []
    text = marked
    while match := _INNERMOST_SLOT.search(text):
        slots = [(name, value) for name, value in slots if value not in match.group(2)]
        slots.append((match.group(1), match.group(2)))
        text = text[: match.start()] + match.group(2) + text[match.end() :]
    text = " ".join(text.split())
    placed: list[tuple[str, str, int]] = []
    taken: set[int] = set()
    for name, value in slots:
        value = " ".join(value.split())
        at = text.find(value)
        while at in taken and at >= 0:
            at = text.find(value, at + 1)
        taken.add(at)
        placed.append((name, value, at))
    placed.sort(key=lambda slot: slot[2])
    return Utterance(intent, text, tuple(placed))


def _shift(utterance: Utterance, language: str) -> str | None:
    """ "20 minutes later": the span with its direction word said right after it."""
    for name in ("MoveLaterTimeSpan", "MoveEarlierTimeSpan"):
        found = utterance.first(name)
        if found is None:
            continue
        span, at = found
        rest = utterance.text[at + len(span) :].split()
        if rest and rest[0] in DIRECTIONS[language]:
            return f"{span} {rest[0]}"
        return None
    return None


def move_phrases(utterance: Utterance, language: str) -> dict[str, str | None] | None:
    """move_event's phrases for a ChangeCalendarEntry row, or None when it is left out."""
    names = utterance.names()
    if names & CHANGES_SOMETHING_ELSE or utterance.count("ToDate") > 1:
        return None
    if utterance.count("ToTime") > 1:
        return None
    said_shift = names & {"MoveLaterTimeSpan", "MoveEarlierTimeSpan"}
    shift = _shift(utterance, language)
    if said_shift and shift is None:
        return None
    new_date = utterance.first("ToDate")
    new_time = utterance.first("ToTime")
    subject = utterance.first("Subject")
    day = utterance.first("FromDate")
    return {
        "title": subject[0] if subject else None,
        "date": day[0] if day else None,
        "new_date": new_date[0] if new_date else None,
        "new_time": shift or (new_time[0] if new_time else None),
    }


def find_phrases(utterance: Utterance) -> dict[str, str | None] | None:
    """list_events' phrases for a FindCalendar* row, or None when it is left out."""
    names = utterance.names()
    if names & FIND_BY_OTHER_MEANS or utterance.count("FromDate") > 1:
        return None
    subject = utterance.first("Subject")
    day = utterance.first("FromDate")
    return {"range": day[0] if day else None, "title": subject[0] if subject else None}


def _readable(function: str, phrases: dict[str, str | None], language: str, now: datetime) -> bool:
    call = resolve_call(RawCall(function, phrases, ""), language, now.replace(tzinfo=ZONE))
    unreadable = {"new_date", "new_time", "start_date", "end_date", "date"}
    return not unreadable & set(call.missing) or not any(
        phrases.get(name) for name in ("new_date", "new_time", "range", "date")
    )


def _is_dev(text: str) -> bool:
    return int(hashlib.sha256(text.encode()).hexdigest(), 16) % DEV_SHARE == 0


@dataclass(frozen=True)
class BotFrameworkRecords:
    train: list[dict[str, Any]]
    dev: list[dict[str, Any]]
    none: list[dict[str, Any]]


def botframework_records(
    folder: Path, seed: int, counts: Counter[str], skip_texts: frozenset[str] = frozenset()
) -> BotFrameworkRecords:
    """Calendar records (train and dev) and other skills' requests as none, both languages;
    texts whose `normalized` form is in `skip_texts` (the MASSIVE dev sets) are left out."""
    rng = random.Random(f"{seed}-botframework")
    result = BotFrameworkRecords([], [], [])
    seen: set[str] = set()
    for language, locale in LOCALES.items():
        calendar = folder / locale / "Calendar.lu"
        if calendar.exists():
            for index, utterance in enumerate(read_lu(calendar)):
                if utterance.intent in MOVE_INTENTS:
                    function, phrases = "move_event", move_phrases(utterance, language)
                elif utterance.intent in FIND_INTENTS:
                    function, phrases = "list_events", find_phrases(utterance)
                else:
                    continue
                now = random_now(rng)
                if phrases is None or not _readable(function, phrases, language, now):
                    counts[f"botframework {language} {utterance.intent} (left out)"] += 1
                    continue
                if utterance.text in seen or normalized(utterance.text) in skip_texts:
                    continue
                seen.add(utterance.text)
                dev = _is_dev(utterance.text)
                counts[f"botframework {language} {function} {'dev' if dev else 'train'}"] += 1
                record = make_record(
                    record_id=f"botframework-{language}-{index:04d}",
                    source="botframework",
                    language=language,
                    text=utterance.text,
                    now=now,
                    function=function,
                    phrases=call_phrases(function, {k: v for k, v in phrases.items() if v}),
                    expected=None,
                    template=f"botframework:{locale}:{utterance.intent}",
                )
                (result.dev if dev else result.train).append(record)
        for name in NONE_FILES:
            path = folder / locale / name
            if not path.exists():
                continue
            for index, utterance in enumerate(read_lu(path)):
                if utterance.text in seen or normalized(utterance.text) in skip_texts:
                    continue
                seen.add(utterance.text)
                counts[f"botframework {language} none"] += 1
                result.none.append(
                    make_record(
                        record_id=f"botframework-{language}-{path.stem}-{index:04d}",
                        source="botframework_other",
                        language=language,
                        text=utterance.text,
                        now=random_now(rng),
                        function="none",
                        phrases={},
                        expected=None,
                        template=f"botframework:{locale}:{utterance.intent}",
                    )
                )
    return result
