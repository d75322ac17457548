"""The per-language data files under `training/data/templates/`, read into typed objects."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
LANGUAGES = ("de", "en")
TEMPLATE_GROUPS = {
    "create_event": "create_event",
    "create_event_recurring": "create_event",
    "create_event_bounded": "create_event",
    "create_event_reminder": "create_event",
    "delete_event": "delete_event",
    "list_events": "list_events",
    "list_events_find": "list_events",
    "move_event": "move_event",
}
"""Template group (a list in <lang>.toml) → the function its templates call. The newer kinds
of request have groups of their own, so that their share of the data and of the held-out set
is set, not left to how many templates each has."""
SAID_KINDS = ("recurrence", "reminder", "day_shift", "time_shift")
"""Value kinds whose phrases are filled from words alone; the app's resolver gives their values."""


@dataclass(frozen=True)
class ValueForm:
    """One way of saying a date, time, duration or range, and the rule that gives its value."""

    kind: str
    phrase: str
    rule: str
    preps: tuple[str, ...] = ("",)
    bare: str = ""
    days: int = 0
    numbers: tuple[int, ...] = ()
    unit: str = "day"
    hours: tuple[int, ...] = ()
    minutes_said: tuple[int, ...] = (0,)
    offset: int = 0
    add_hours: int = 0
    minutes: int = 0
    per: int = 0
    lengths: tuple[int, ...] = ()
    """Rule "span": the minutes a clock span may last ("von 10 bis 12 Uhr": 120)."""
    variant: str = ""
    """Drawn only for a placeholder of this variant (`{time:span}`, `{duration:attr}`), and
    never for a plain one."""

    @property
    def morning(self) -> bool:
        lowered = self.phrase.lower()
        return "früh" in lowered or "morning" in lowered


@dataclass(frozen=True)
class Title:
    text: str
    gender: str = ""
    at: str = ""
    see: bool = False
    task: bool = False
    """A to-do said as a verb phrase ("call Mom"), only for `{title:task}`."""


@dataclass(frozen=True)
class TitleParts:
    """The parts composed titles are made of (`[title_parts]` in values_<lang>.toml)."""

    shapes: tuple[tuple[str, int], ...] = ()
    """(pattern, weight): "{head} with {person} at {place}", "{person's} {occasion}", …"""
    heads: tuple[Title, ...] = ()
    """Activities and meetings, with their gender in German."""
    occasions: tuple[Title, ...] = ()
    """Heads that can belong to a person ("Anna's farewell party", "Taufe von Mia")."""
    people: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    kinds: tuple[Title, ...] = ()
    """Words for an appointment in general ("Termin", "meeting"), said only with a person
    ("Termin mit Frau Weber", "call with Dr. Patel"): alone they are no title. Common words,
    so none is held out (not in `lists()`)."""

    def lists(self) -> dict[str, tuple[str, ...]]:
        """Part list name → the part texts, in file order (the lists the held-out split
        draws from)."""
        return {
            "heads": tuple(head.text for head in self.heads),
            "occasions": tuple(occasion.text for occasion in self.occasions),
            "people": self.people,
            "places": self.places,
        }


@dataclass(frozen=True)
class Template:
    id: str
    language: str
    function: str
    text: str
    heldout_only: bool = False
    """Listed under `<function>_heldout`: never trained on, whatever the seed."""


@dataclass(frozen=True)
class Vocabulary:
    language: str
    weekdays: tuple[str, ...]
    months: tuple[str, ...]
    cardinals: tuple[str, ...]
    ordinals: tuple[str, ...]
    fillers_start: tuple[str, ...]
    fillers_end: tuple[str, ...]
    titles: tuple[Title, ...]
    articles: dict[str, dict[str, str]]
    forms: dict[str, tuple[ValueForm, ...]]
    keep_case: frozenset[str] = field(default_factory=frozenset)
    title_parts: TitleParts = field(default_factory=TitleParts)


def _read(name: str) -> dict[str, Any]:
    with (TEMPLATE_DIR / name).open("rb") as handle:
        return tomllib.load(handle)


ATTRIBUTIVE_ENDINGS = {"attr": "en", "attr_n": "es", "attr_f": "e"}
"""German lengths said before a noun, by the noun's gender after an indefinite article in the
accusative: "einen zweistündigen Termin", "ein zweistündiges Meeting", "eine zweistündige
Besprechung". An entry with `attributive = true` is the stem, said in all three."""


def _forms(kind: str, raw: dict[str, Any]) -> tuple[ValueForm, ...]:
    if not raw.get("attributive"):
        return (_form(kind, raw),)
    return tuple(
        _form(kind, raw | {"phrase": raw["phrase"] + ending, "variant": variant})
        for variant, ending in ATTRIBUTIVE_ENDINGS.items()
    )


def _form(kind: str, raw: dict[str, Any]) -> ValueForm:
    default_rule = {"date": "offset", "time": "clock", "duration": "length", "range": "offset"}
    default_rule |= {said: "said" for said in SAID_KINDS}
    return ValueForm(
        kind=kind,
        phrase=raw["phrase"],
        rule=raw.get("rule", default_rule[kind]),
        preps=tuple(raw.get("prep", [""])),
        bare=raw.get("bare", ""),
        days=raw.get("days", 0),
        numbers=tuple(raw.get("n", [])),
        unit=raw.get("unit", "day"),
        hours=tuple(raw.get("hours", [])),
        minutes_said=tuple(raw.get("minutes", [0])) if kind == "time" else (0,),
        offset=raw.get("offset", 0),
        add_hours=raw.get("add", 0),
        minutes=raw.get("minutes", 0) if kind == "duration" else 0,
        per=raw.get("per", 0),
        lengths=tuple(raw.get("lengths", [])),
        variant=raw.get("variant", ""),
    )


def _heads(raw: dict[str, Any], name: str) -> tuple[Title, ...]:
    """`heads = [...]` (no gender) or `heads_m`, `heads_f`, `heads_n` (German)."""
    heads = [Title(text) for text in raw.get(name, [])]
    for gender in ("m", "f", "n", "p"):
        heads += [Title(text, gender) for text in raw.get(f"{name}_{gender}", [])]
    return tuple(heads)


def _title_parts(raw: dict[str, Any]) -> TitleParts:
    return TitleParts(
        shapes=tuple((shape["pattern"], shape.get("weight", 1)) for shape in raw.get("shapes", [])),
        heads=_heads(raw, "heads"),
        occasions=_heads(raw, "occasions"),
        people=tuple(raw.get("people", [])),
        places=tuple(raw.get("places", [])),
        kinds=_heads(raw, "kinds"),
    )


@cache
def vocabulary(language: str) -> Vocabulary:
    raw = _read(f"values_{language}.toml")
    return Vocabulary(
        language=language,
        weekdays=tuple(raw["weekdays"]),
        months=tuple(raw["months"]),
        cardinals=tuple(raw["cardinals"]),
        ordinals=tuple(raw["ordinals"]),
        fillers_start=tuple(raw["fillers_start"]),
        fillers_end=tuple(raw["fillers_end"]),
        titles=tuple(
            Title(
                text=entry["text"],
                gender=entry.get("g", ""),
                at=entry.get("at", ""),
                see=entry.get("see", False),
                task=entry.get("task", False),
            )
            for entry in raw["titles"]
        ),
        articles=raw.get("articles", {}),
        forms={
            kind: tuple(form for entry in raw.get(kind, []) for form in _forms(kind, entry))
            for kind in ("date", "time", "duration", "range", *SAID_KINDS)
        },
        keep_case=frozenset(raw.get("keep_case", [])),
        title_parts=_title_parts(raw.get("title_parts", {})),
    )


def template_id(language: str, function: str, text: str) -> str:
    digest = hashlib.sha1(text.encode()).hexdigest()[:8]
    return f"{language}:{function}:{digest}"


@cache
def templates(language: str) -> dict[str, tuple[Template, ...]]:
    """Template group (`TEMPLATE_GROUPS`) → its templates, `none` included."""
    calendar = _read(f"{language}.toml")
    out_of_domain = _read(f"none_{language}.toml")
    table: dict[str, tuple[Template, ...]] = {}
    for group, function in TEMPLATE_GROUPS.items():
        table[group] = tuple(
            Template(template_id(language, function, text), language, function, text)
            for text in calendar.get(group, [])
        ) + tuple(
            Template(template_id(language, function, text), language, function, text, True)
            for text in calendar.get(f"{group}_heldout", [])
        )
    table["none"] = tuple(
        Template(template_id(language, "none", text), language, "none", text)
        for text in out_of_domain["templates"]
    )
    return table


@cache
def none_values(language: str) -> dict[str, tuple[str, ...]]:
    raw = _read(f"none_{language}.toml")
    return {name: tuple(options) for name, options in raw["values"].items()}
