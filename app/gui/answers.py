"""What the assistant lane hands the window after a piece of work: the calendar as it is now
(`CalendarView`) and an outcome to show and speak (`Answer`). Qt-free."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from app.dialog import Dialog, Outcome, Pending, PendingChoice
from app.early_start import Reuse
from app.gui.agenda import agenda_days
from app.gui.week_layout import DAYS_IN_WEEK, monday_of
from app.pipeline import Turn
from app.reminders import DAYS_AHEAD
from calendar_backend import CalendarError, Occurrence


@dataclass(frozen=True)
class CalendarView:
    """The calendar and the dialog after a piece of work, read on the assistant lane."""

    today: date
    occurrences: tuple[Occurrence, ...]
    """The agenda's days, the week shown, and as far ahead as a reminder may come due."""
    can_undo: bool
    pending: str | None = None
    """"delete", "move" or "edit" while one waits for a yes or a choice, "input" while a question
    waits."""
    candidates: tuple[Occurrence, ...] = ()
    """The events a pending delete would remove (one of them)."""
    week: date | None = None
    """The Monday of the week that was read; None: today's."""

    @property
    def week_start(self) -> date:
        return self.week or monday_of(self.today)


def _pending_kind(pending: Pending | None) -> str | None:
    if isinstance(pending, PendingChoice):
        kinds = {"move_event": "move", "edit_event": "edit"}
        return kinds.get(pending.call.function, "delete")
    return "input" if pending else None


def read_view(dialog: Dialog, today: date, week: date | None = None) -> CalendarView:
    """Runs on the assistant lane: the only place the dialog and its calendar are read."""
    first, last = agenda_days(today)
    last = max(last, today + timedelta(days=DAYS_AHEAD))
    week_start = week or monday_of(today)
    week_end = week_start + timedelta(days=DAYS_IN_WEEK - 1)
    occurrences = dialog.store.occurrences(first, last)
    if week_start < first or week_end > last:
        seen = {_identity(occurrence) for occurrence in occurrences}
        more = dialog.store.occurrences(week_start, week_end)
        occurrences += [occurrence for occurrence in more if _identity(occurrence) not in seen]
    pending = dialog.pending
    return CalendarView(
        today,
        tuple(occurrences),
        dialog.can_undo(),
        _pending_kind(pending),
        pending.candidates if isinstance(pending, PendingChoice) else (),
        week,
    )


def _identity(occurrence: Occurrence) -> tuple[str, object]:
    return occurrence.uid, occurrence.start


@dataclass(frozen=True)
class Answer:
    """An outcome to show (and speak), with the calendar after it. When the calendar could
    not be read afterwards, `view` is None and `view_error` says why."""

    outcome: Outcome
    view: CalendarView | None
    turn: Turn | None = None
    view_error: BaseException | None = None
    action: str | None = None
    """What was done in plain words, when it was no call (undo)."""
    typed: bool = False
    """The request was typed, not said."""
    reuse: Reuse | None = None
    """A spoken request: what became of the recognition and understanding started before
    the release."""
    released_at: float | None = None
    """A spoken request: `time.perf_counter()` when the button was released."""
    speech_end_at: float | None = None
    """When the early start that was reused began (the end of speech was heard)."""


def answer_with_view(
    outcome: Outcome,
    dialog: Dialog,
    read: Callable[[Dialog], CalendarView],
    turn: Turn | None = None,
) -> Answer:
    """Runs on the assistant lane. The outcome is kept even when the calendar cannot be read
    afterwards: what was done must still be shown and said."""
    try:
        return Answer(outcome, read(dialog), turn)
    except CalendarError as error:
        return Answer(outcome, None, turn, error)
