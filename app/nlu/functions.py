"""The functions the model can call: one table, shared by the app and `training/`.

Adding a function is a new row here (with an unused functional token) plus training data; the
grammar, the parser, the prompt and the resolver all follow from this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ParameterKind = Literal[
    "text", "date", "time", "duration", "range", "recurrence", "reminder", "new_date", "new_time"
]
"""How a copied phrase is resolved: kept as text, or read as a day, a clock time, a length of
time in minutes, a span of days, a repeat rule ("jeden Montag"), a reminder ("eine Stunde
vorher", or the verb of "erinnere mich …": at the start), or where an event goes (a day or a
clock time, or a shift of its current start: "eine Stunde später", "auf nächste Woche")."""


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: ParameterKind
    description: str


@dataclass(frozen=True)
class FunctionSpec:
    name: str
    token: str
    """The functional token (a `<unusedN>` token of the Gemma 3 vocabulary) that names it."""
    parameters: tuple[Parameter, ...]
    description: str
    """For people and for the description-in-prompt baseline; the model never sees it."""


END_TOKEN = "<unused0>"
"""Ends every call; generation stops there."""

CREATE_EVENT = FunctionSpec(
    name="create_event",
    token="<unused1>",
    parameters=(
        Parameter("title", "text", "what the appointment is, as said"),
        Parameter("date", "date", "the day phrase, as said"),
        Parameter("time", "time", "the clock-time phrase, as said"),
        Parameter("duration", "duration", "how long it lasts, as said"),
        Parameter("recurrence", "recurrence", "how it repeats, as said"),
        Parameter("reminder", "reminder", "when to be reminded, as said"),
    ),
    description="Add an appointment to the calendar, once or repeating, with a reminder.",
)
DELETE_EVENT = FunctionSpec(
    name="delete_event",
    token="<unused2>",
    parameters=(
        Parameter("title", "text", "which appointment, as said"),
        Parameter("date", "date", "the day phrase, as said"),
    ),
    description="Remove an appointment from the calendar.",
)
LIST_EVENTS = FunctionSpec(
    name="list_events",
    token="<unused3>",
    parameters=(
        Parameter("range", "range", "the day or span of days asked about, as said"),
        Parameter("title", "text", "the one appointment asked about, as said"),
    ),
    description="Tell which appointments are on a day or in a span of days, or when one is.",
)
MOVE_EVENT = FunctionSpec(
    name="move_event",
    token="<unused5>",
    parameters=(
        Parameter("title", "text", "which appointment, as said"),
        Parameter("date", "date", "the day it is on now, as said"),
        Parameter("new_date", "new_date", "the day it moves to, or by how many days, as said"),
        Parameter("new_time", "new_time", "the time it moves to, or by how long, as said"),
    ),
    description="Move an appointment to another day or time.",
)
NOT_A_CALENDAR_REQUEST = FunctionSpec(
    name="none",
    token="<unused4>",
    parameters=(),
    description="Anything that is not about the calendar.",
)

FUNCTIONS: tuple[FunctionSpec, ...] = (
    CREATE_EVENT,
    DELETE_EVENT,
    LIST_EVENTS,
    MOVE_EVENT,
    NOT_A_CALENDAR_REQUEST,
)
FUNCTIONS_BY_NAME = {function.name: function for function in FUNCTIONS}
FUNCTIONS_BY_TOKEN = {function.token: function for function in FUNCTIONS}

FUNCTIONAL_TOKENS: tuple[str, ...] = (END_TOKEN, *(function.token for function in FUNCTIONS))
"""Every token whose embedding row training must learn."""
