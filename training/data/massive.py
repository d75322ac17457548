"""MASSIVE rows (CC BY 4.0, ../shared/data/massive/) as records: the calendar intents as calls,
every other intent as `none`.

Decisions (documented in training/data/README.md):
- calendar_set → create_event, calendar_remove → delete_event, calendar_query → list_events;
  the 57 other intents → none. German and English rows are converted alike.
- title: the first `event_name` span, else a `meal_type` span ("lösche mittagessen mit
  michael"); when the utterance goes on with "with"/"mit"/"von" (a determiner allowed: "with
  my", "mit dem", "von meinem") and person or relation spans, the title keeps them ("meeting
  with andrew", "besprechung mit meinem chef", "geburtstag von meinem bruder"); a person or
  relation said right before it stays too ("jimmy's party", "sarahs geburtstagsparty").
- date: the first `date` span, widened by a modifier said right before it that belongs to the
  day ("next friday", "this monday", "nächsten freitag").
- time: the first `time` span, else the `timeofday` span ("afternoon"); a `time` span that is a
  length ("an hour", "zwei stunden") becomes the duration, unless it says when from now ("in
  zehn minuten", "in an hour": a start, which the resolver reads as one).
- list range: the (widened) date span; without one, a `time`/`timeofday` span the resolver
  reads as days ("weekend", "tonight", "next two weeks"); else "".
- recurrence (calendar_set): the `general_frequency` span ("jeden montag", "every month",
  "wöchentlich"); a span that names no rule ("repeating", "wiederholende") is copied all the
  same, so the assistant asks how often.
- reminder (calendar_set): the first word that asks to be reminded ("remind", "reminder",
  "erinnere", "erinnerung"): a reminder at the start; MASSIVE has no lead-time slot.
- list title (calendar_query): the title as above ("when is my next dentist appointment").
- `expected` is null for calendar rows: MASSIVE gives surface spans, not resolved values.
- Contract labels (`training/data/contract_labels.py`): every record carries `contract`, the
  functions the command contract gives the row (read blind to model output, with a reason where
  they differ from MASSIVE's), and `massive_function`, MASSIVE's own. Training relabels a row
  whose contract labels leave MASSIVE's function out: to `none` when that is the contract's
  first label (a timer, the news), else it leaves it out (a move filed as a query: MASSIVE's
  slots do not give its phrases).
- Training leaves out calendar rows that this project calls out of domain, so that they do
  not contradict the `none` templates: calendar_query rows that ask about the world and not
  the user's calendar ("is tomorrow a holiday", "ist morgen ein feiertag", "is 2018 a leap
  year", "how far did i walk"), and rows of any calendar intent that ask for another
  assistant's task ("set a timer for five minutes", "wann fahren morgen züge", "book me a
  taxi", "do i have new tinder matches"). The dev sets keep every row.
- Every other calendar row keeps its intent, also out-of-scope ones ("delete all events", "hi
  to all"); bulk deletes ("lösche alle termine", "clear my calendar", "lösche meinen
  kalender") are flagged `"scope": "bulk"` and map to delete_event with no title, so the
  dialog asks which appointment instead of clearing a calendar.
- Other intents: a quota per language, spread over the intents in proportion to their rows,
  the intents closest to a calendar request (alarms, date and time questions, lists, email,
  music, weather, smart home, small talk, events and places around town, tickets, taxis,
  take-away) sampled `CLOSE_INTENT_WEIGHT` times as densely as the rest
  (`other_intent_quotas`).
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from training.data.contract_labels import contract_labels
from training.data.generate import call_phrases, make_record, normalized, random_now
from training.data.verify import ZONE

CALENDAR_FILE = "{locale}.{partition}.jsonl"
OTHER_FILE = "{locale}.{partition}.other.jsonl"
LOCALES = {"en": "en-US", "de": "de-DE"}

INTENT_TO_FUNCTION = {
    "calendar_set": "create_event",
    "calendar_remove": "delete_event",
    "calendar_query": "list_events",
}
DATE_MODIFIERS = {
    "en": ("next", "this", "this coming", "coming", "the", "upcoming"),
    "de": ("nächsten", "nächste", "kommenden", "kommende", "diesen", "diese", "dieses"),
}
BULK_DELETE = re.compile(
    r"\b(all|every|everything|entire|whole|clear|empty|wipe|alle|alles|gesamten|ganzen|"
    r"leere|leeren|leer)\b"
    r"|\b(delete|erase|remove) (my|the) calendar\b"
    r"|\b(lösche|lösch|entferne) (meinen|mein|den) kalender\b|\bkalender zu löschen\b"
)
NOT_THE_USERS_CALENDAR = {
    "en": re.compile(
        r"\b(holidays?(?! party)|leap year|full moon|calories|walk|walked|notifications?|"
        r"halloween|mothers day|weather)\b|\bis it \w+day\b|^today is\b"
    ),
    "de": re.compile(
        r"\b(feiertage?|feiertags?|schaltjahr|vollmond|kalorien|benachrichtigungen|"
        r"halloween|muttertag|wetter)\b|\bwelcher tag ist\b|^heute ist\b"
    ),
}
"""calendar_query rows about days and the world, which the templates call `none`."""
ANOTHER_ASSISTANTS_TASK = {
    "en": re.compile(r"\b(timer|taxi|tinder)\b|\btrains? running\b"),
    "de": re.compile(r"\b(timer|taxi|tinder|züge)\b|\baktuellen alarme\b"),
}
"""Rows of any calendar intent that ask for a timer, a ride or an app: `none` here."""
REMIND_WORD = re.compile(
    r"\b(remind|reminder|reminders|erinnere|erinner|erinnern|erinnerung|erinnerungen)\b"
)
DURATION_LIKE = re.compile(r"\b(hours?|minutes?|mins?|stunden?|minuten)\b")
STARTS_LATER = re.compile(r"^(in|ab) ")
"""A `time` span that says when from now ("in zehn minuten"), not how long."""
PERSON_LINKS = {"en": ("with",), "de": ("mit", "von")}
DETERMINERS = {
    "en": ("my", "the", "our"),
    "de": ("mein", "meinem", "meiner", "meinen", "meines", "dem", "der", "den", "einem", "einer"),
}
CLOSE_INTENTS = frozenset(
    {
        "alarm_set",
        "alarm_query",
        "alarm_remove",
        "datetime_query",
        "datetime_convert",
        "general_quirky",
        "lists_createoradd",
        "lists_query",
        "lists_remove",
        "email_sendemail",
        "email_query",
        "email_querycontact",
        "email_addcontact",
        "play_music",
        "weather_query",
        "iot_cleaning",
        "iot_coffee",
        "iot_hue_lightchange",
        "iot_hue_lightdim",
        "iot_hue_lightoff",
        "iot_hue_lighton",
        "iot_hue_lightup",
        "iot_wemo_off",
        "iot_wemo_on",
        "recommendation_events",
        "recommendation_locations",
        "transport_ticket",
        "transport_taxi",
        "transport_query",
        "takeaway_order",
        "takeaway_query",
        "social_post",
        "social_query",
    }
)
"""Other intents whose requests sound most like the calendar: dates, times, bookings, "add",
"remove", "what's on" (the ones run C's model read as calendar requests most often)."""
CLOSE_INTENT_WEIGHT = 2.5


def massive_dir(shared: Path) -> Path:
    return shared / "data" / "massive"


def _widen_date(utterance: str, span: str, language: str) -> str:
    position = utterance.find(span)
    if position < 0:
        return span
    before = utterance[:position]
    for modifier in sorted(DATE_MODIFIERS[language], key=len, reverse=True):
        if before.endswith(modifier + " ") and modifier != "the":
            return f"{modifier} {span}"
    return span


def _is_range(span: str, language: str) -> bool:
    """Whether the resolver reads a `time` span ("weekend", "tonight") as a span of days."""
    try:
        from app.temporal import resolve_range
    except ImportError:
        return False
    return resolve_range(span, language, datetime(2026, 3, 26, 10, 0, tzinfo=ZONE)) is not None


def _first(slots: list[dict[str, str]], kind: str) -> str | None:
    return next((slot["text"] for slot in slots if slot["type"] == kind), None)


def _with_people(
    utterance: str, title: str, slots: list[dict[str, str]], language: str
) -> str | None:
    """The title with the people said right after it ("meeting with andrew", "geburtstag von
    meinem bruder", "treffen mit onkel johann"), or None if none follow."""
    position = utterance.find(title)
    if position < 0:
        return None
    people = [slot["text"] for slot in slots if slot["type"] in ("person", "relation")]
    rest = utterance[position + len(title) :]
    for link in PERSON_LINKS[language]:
        for determiner in ("", *DETERMINERS[language]):
            lead = f" {link} {determiner} " if determiner else f" {link} "
            if not rest.startswith(lead):
                continue
            end = len(lead)
            found = False
            while person := next(
                (
                    person
                    for person in sorted(people, key=len, reverse=True)
                    if rest.startswith(person, end)
                    and not rest[end + len(person) : end + len(person) + 1].isalnum()
                ),
                None,
            ):
                found = True
                end += len(person)
                if not rest.startswith(" ", end):
                    break
                following = rest[end + 1 :]
                if not any(following.startswith(p) for p in people):
                    break
                end += 1
            if found:
                return title + rest[:end]
    return None


def convert_row(
    row: dict[str, Any], language: str, counts: Counter[str]
) -> tuple[str, dict[str, str | None], str | None, bool]:
    """(function, phrases, event_name span, bulk) of one MASSIVE row."""
    function = INTENT_TO_FUNCTION[row["intent"]]
    utterance: str = row["utt"]
    slots: list[dict[str, str]] = row["slots"]
    event_name = _first(slots, "event_name")
    title = event_name
    if title is None and (meal := _first(slots, "meal_type")) is not None:
        title = meal
        counts["title from a meal_type span"] += 1
    if title is not None:
        widened = _with_people(utterance, title, slots, language)
        if widened is not None:
            title = widened
            counts["title widened with person"] += 1
    if title is not None:
        for kind in ("person", "relation"):
            owner = _first(slots, kind)
            if owner and f"{owner} {title}" in utterance:
                title = f"{owner} {title}"
                counts[f"title widened with preceding {kind}"] += 1
                break
    day = _first(slots, "date")
    if day is None and function == "list_events":
        day = next(
            (
                slot["text"]
                for slot in slots
                if slot["type"] in ("time", "timeofday") and _is_range(slot["text"], language)
            ),
            None,
        )
        if day is not None:
            counts["list range from a time span"] += 1
    if day is not None:
        widened = _widen_date(utterance, day, language)
        if widened != day:
            counts["date widened with modifier"] += 1
        day = widened
    clock = _first(slots, "time")
    length = None
    if clock is not None and DURATION_LIKE.search(clock) and not STARTS_LATER.match(clock):
        length, clock = clock, None
        counts["time span used as duration"] += 1
    if clock is None:
        clock = _first(slots, "timeofday")
    bulk = function == "delete_event" and bool(BULK_DELETE.search(utterance))
    if bulk:
        title = None
        counts["bulk delete (no title)"] += 1
    recurrence = reminder = None
    if function == "create_event":
        recurrence = _first(slots, "general_frequency")
        if (remind := REMIND_WORD.search(utterance)) is not None:
            reminder = remind.group()
            counts["reminder from a remind word"] += 1
        if recurrence is not None:
            counts["recurrence from general_frequency"] += 1
    phrases = {
        "title": title,
        "date": day,
        "time": clock,
        "duration": length,
        "range": day,
        "recurrence": recurrence,
        "reminder": reminder,
    }
    for name, phrase in list(phrases.items()):
        if phrase is not None and phrase not in utterance:
            phrases[name] = None
            counts[f"{name} span not in utterance (dropped)"] += 1
    return (
        function,
        call_phrases(function, {k: v for k, v in phrases.items() if v}),
        (event_name),
        bulk,
    )


def read_rows(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def left_out_of_training(row: dict[str, Any], language: str) -> str | None:
    """Why a calendar row is not trained on (it is out of domain here), or None."""
    if row["intent"] == "calendar_query" and NOT_THE_USERS_CALENDAR[language].search(row["utt"]):
        return "question about the world, not the calendar (left out)"
    if ANOTHER_ASSISTANTS_TASK[language].search(row["utt"]):
        return "another assistant's task filed under calendar (left out)"
    return None


def massive_records(
    path: Path,
    language: str,
    source_id: str,
    seed: int,
    counts: Counter[str],
    *,
    for_training: bool = False,
    skip_texts: frozenset[str] = frozenset(),
) -> list[dict[str, Any]]:
    """The calendar rows of one MASSIVE file as records; `for_training` leaves out the rows
    this project calls out of domain (`left_out_of_training`); rows whose normalized text is
    in `skip_texts` (the dev sets) are left out too."""
    rng = random.Random(f"{seed}-{source_id}")
    records: list[dict[str, Any]] = []
    for row in read_rows(path):
        if row["intent"] not in INTENT_TO_FUNCTION:
            counts["other intent (skipped)"] += 1
            continue
        if normalized(row["utt"]) in skip_texts:
            counts[f"{source_id} also in a dev set (left out)"] += 1
            continue
        reason = left_out_of_training(row, language) if for_training else None
        if reason is not None:
            counts[reason] += 1
            continue
        function, phrases, event_name, bulk = convert_row(row, language, counts)
        label = contract_labels(language, row["partition"]).get(row["id"])
        if for_training and label is not None and label.massive not in label.contract:
            if label.contract[0] != "none":
                counts[f"{source_id} {label.contract[0]} by the contract (left out)"] += 1
                continue
            counts[f"{source_id} none by the contract (relabelled)"] += 1
            function, phrases, event_name = "none", {}, None
        counts[f"{source_id} {function}"] += 1
        record = make_record(
            record_id=f"{source_id}-{row['id']}",
            source="massive",
            language=language,
            text=row["utt"],
            now=random_now(rng),
            function=function,
            phrases=phrases,
            expected=None,
            template=f"massive:{row['locale']}:{row['partition']}",
        )
        record["event_name"] = event_name
        record["scope"] = "bulk" if bulk else "single"
        record["massive_function"] = INTENT_TO_FUNCTION[row["intent"]]
        record["contract"] = list(label.contract) if label is not None else [function]
        records.append(record)
    return records


def other_intent_quotas(available: Counter[str], total: int) -> dict[str, int]:
    """Rows to take per intent: `total` in all, each intent in proportion to its rows, the
    close intents `CLOSE_INTENT_WEIGHT` times as densely, none more than it has."""
    if total >= sum(available.values()):
        return dict(available)
    weights = {
        intent: CLOSE_INTENT_WEIGHT if intent in CLOSE_INTENTS else 1.0 for intent in available
    }

    def taken(rate: float) -> dict[str, int]:
        return {
            intent: min(count, int(rate * weights[intent] * count))
            for intent, count in available.items()
        }

    low, high = 0.0, 1.0
    for _ in range(60):
        middle = (low + high) / 2
        if sum(taken(middle).values()) <= total:
            low = middle
        else:
            high = middle
    quotas = taken(low)
    for intent in sorted(available, key=lambda name: (-weights[name], name)):
        if sum(quotas.values()) >= total:
            break
        if quotas[intent] < available[intent]:
            quotas[intent] += 1
    return quotas


def other_intent_records(
    path: Path,
    language: str,
    source_id: str,
    seed: int,
    counts: Counter[str],
    *,
    total: int | None = None,
    skip_texts: frozenset[str] = frozenset(),
) -> list[dict[str, Any]]:
    """The other intents' rows of one MASSIVE file as `none` records (each with its
    `intent`); `total`: at most that many, spread by `other_intent_quotas`."""
    rows = []
    for row in read_rows(path):
        if row["intent"] in INTENT_TO_FUNCTION:
            continue
        if normalized(row["utt"]) in skip_texts:
            counts[f"{source_id} also in a dev set (left out)"] += 1
            continue
        rows.append(row)
    by_intent: dict[str, list[dict[str, Any]]] = {}
    for row in sorted(rows, key=lambda row: int(row["id"])):
        by_intent.setdefault(row["intent"], []).append(row)
    quotas = other_intent_quotas(
        Counter({intent: len(group) for intent, group in by_intent.items()}),
        len(rows) if total is None else total,
    )
    rng = random.Random(f"{seed}-{source_id}")
    records: list[dict[str, Any]] = []
    for intent in sorted(by_intent):
        group = by_intent[intent]
        rng.shuffle(group)
        for row in group[: quotas[intent]]:
            record = make_record(
                record_id=f"{source_id}-{row['id']}",
                source="massive_other",
                language=language,
                text=row["utt"],
                now=random_now(rng),
                function="none",
                phrases={},
                expected={},
                template=f"massive:{row['locale']}:{row['partition']}:{intent}",
            )
            record["intent"] = intent
            records.append(record)
            counts[f"{source_id} {intent}"] += 1
    return records
