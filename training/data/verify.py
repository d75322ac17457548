"""Verify before use: every generated phrase is resolved by `app.temporal`; a record whose
phrase resolves to anything but the generator's value is dropped and counted per form.

A disagreement is a generator bug or a resolver bug; the counts say which forms to look at.
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from training.data.compose import Utterance
from training.data.values import Resolved, Value
from training.data.vocabulary import SAID_KINDS

ZONE = ZoneInfo("Europe/Berlin")
MOVE_SLOT_KINDS = {"new_date": "date", "new_time": "time"}


@dataclass
class VerificationStats:
    checked: Counter[str] = field(default_factory=Counter)
    """Per kind: phrases checked."""
    disagreed: Counter[str] = field(default_factory=Counter)
    """Per kind: phrases whose resolved value differed (the record was dropped)."""
    by_form: Counter[str] = field(default_factory=Counter)
    """Per form: disagreements."""
    examples: dict[str, str] = field(default_factory=dict)
    """Per form: one disagreeing phrase with both values."""

    def as_json(self) -> dict[str, Any]:
        return {
            "checked": dict(sorted(self.checked.items())),
            "disagreed": dict(sorted(self.disagreed.items())),
            "by_form": dict(self.by_form.most_common()),
            "examples": dict(sorted(self.examples.items())),
        }


def _as_resolved(kind: str, value: Any) -> Resolved | None:
    if value is None:
        return None
    if kind == "date" and isinstance(value, date):
        return value.isoformat()
    if kind == "time" and isinstance(value, time):
        return f"{value.hour:02d}:{value.minute:02d}"
    if kind in ("duration", "span") and isinstance(value, int):
        return value
    if kind == "range":
        return (value.start.isoformat(), value.end.isoformat())
    return repr(value)


class Verifier:
    """Checks generated values with the temporal resolver, when it exists."""

    def __init__(self, enabled: bool = True) -> None:
        self.stats = VerificationStats()
        self.available = False
        self._functions: dict[str, Callable[..., Any]] = {}
        self._cache: dict[tuple[Any, ...], Resolved | None] = {}
        if not enabled:
            return
        try:
            module = importlib.import_module("app.temporal")
            self._functions = {
                "date": module.resolve_date,
                "time": module.resolve_time,
                "duration": module.resolve_duration,
                "range": module.resolve_range,
                "span": module.resolve_time_span,
            }
            self.available = True
        except (ImportError, AttributeError):
            self.available = False

    def resolve(
        self, kind: str, phrase: str, language: str, now: datetime, extra: Any
    ) -> Resolved | None:
        key = (kind, phrase, language, now.date() if kind in ("date", "range") else None, extra)
        if key not in self._cache:
            function = self._functions[kind]
            try:
                if kind in ("date", "range"):
                    result = function(phrase, language, now)
                elif kind == "time":
                    result = function(phrase, language, hint=extra or "")
                elif kind == "span":
                    result = function(phrase, language)
                else:
                    result = function(phrase, language, start=extra)
                self._cache[key] = _as_resolved(kind, result)
            except Exception as error:  # a crash is a disagreement, reported with the form
                self._cache[key] = f"error: {type(error).__name__}: {error}"
        return self._cache[key]

    def check(self, utterance: Utterance, language: str, now: datetime) -> bool:
        """True when every phrase resolves to the generator's value (or nothing to check)."""
        if not self.available:
            return True
        aware = now.replace(tzinfo=ZONE)
        agreed = True
        checks: list[tuple[str, Value]] = list(utterance.values.items())
        time_value = utterance.values.get("time")
        if time_value is not None and time_value.span_minutes is not None:
            checks.append(("span", replace(time_value, resolved=time_value.span_minutes)))
        for slot, value in checks:
            if value.kind in SAID_KINDS:
                continue  # no generator value: the app's resolver gives it (generate.py)
            kind = MOVE_SLOT_KINDS.get(slot, slot)
            name = "time" if slot == "span" else slot
            phrase = utterance.phrases[name]
            extra: Any = None
            if kind == "time":
                extra = utterance.phrases.get("new_date" if slot == "new_time" else "date", "")
            elif kind == "duration" and "time" in utterance.values:
                hour, minute = str(utterance.values["time"].resolved).split(":")
                extra = time(int(hour), int(minute))
            got = self.resolve(kind, phrase, language, aware, extra)
            self.stats.checked[kind] += 1
            if got != value.resolved:
                agreed = False
                self.stats.disagreed[kind] += 1
                self.stats.by_form[value.form] += 1
                self.stats.examples.setdefault(
                    value.form,
                    f"{phrase!r} now={now:%Y-%m-%d %a %H:%M} extra={extra!r}: "
                    f"generator {value.resolved!r}, resolver {got!r}",
                )
        return agreed
