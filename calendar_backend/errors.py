"""The calendar backend's exceptions: every one names the file or server and says what the
user can do."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from calendar_backend.phrases import Phrase, as_phrase

if TYPE_CHECKING:
    from calendar_backend.models import Occurrence


class CalendarError(Exception):
    """Base class of everything the calendar backend raises on purpose. Its message is a
    Phrase (`message_phrase`), or a plain English string; `str(error)` is it in English."""

    def __init__(self, message: str | Phrase = "") -> None:
        self.message_phrase = as_phrase(message)
        super().__init__(str(self.message_phrase))


class CalendarFileError(CalendarError):
    """The calendar file cannot be read, parsed or written. The file was left untouched."""

    def __init__(self, path: Path | str, problem: str | Phrase, advice: str | Phrase) -> None:
        self.path = path
        self.problem_phrase = as_phrase(problem)
        self.advice_phrase = as_phrase(advice)
        self.problem = str(self.problem_phrase)
        self.advice = str(self.advice_phrase)
        super().__init__(f"{path}: {self.problem}. {self.advice}")


class CalendarChangedError(CalendarError):
    """Another program changed the file while we were editing it, and our edit could not be
    re-applied to its new content. Nothing was written."""

    def __init__(self, path: Path | str, detail: str) -> None:
        self.path = path
        self.detail_phrase = as_phrase(detail)
        super().__init__(
            f"{path} was changed by another program while it was being edited ({detail}); "
            "nothing was written. Try again."
        )


class CalendarServerError(CalendarError):
    """A CalDAV server could not be reached, refused us, or answered something that is not
    a calendar. Nothing was changed. `reachable` is False when the server did not answer at
    all (down, offline, too slow), so that what was shown before is only out of date."""

    def __init__(
        self,
        url: str,
        problem: str | Phrase,
        advice: str | Phrase,
        *,
        reachable: bool,
        doing: str = "",
    ) -> None:
        self.url = url
        self.problem_phrase = as_phrase(problem)
        self.advice_phrase = as_phrase(advice)
        self.problem = str(self.problem_phrase)
        """The cause alone, short enough for a note beside the agenda."""
        self.advice = str(self.advice_phrase)
        self.doing = doing
        """What could not be done, e.g. "read the calendar" (a fixed phrase; "" if unsaid)."""
        self.reachable = reachable
        consequence = f", so it could not {doing}; nothing was changed" if doing else ""
        super().__init__(f"{url}: {self.problem}{consequence}. {self.advice}")


class CalendarAccessDeniedError(CalendarServerError):
    """The server refused the user name or password, or this user's access to the calendar."""


class DateOutOfRangeError(CalendarError):
    """A day outside the years the calendar reads and writes (`planning.FIRST_DAY` to
    `planning.LAST_DAY`)."""


class EventNotFoundError(CalendarError):
    """No event (or occurrence) matches what was asked for."""


class AmbiguousEventError(CalendarError):
    """What was named fits several occurrences or events; candidates lists them (when they
    can be told apart) so the person can choose one."""

    def __init__(self, message: str | Phrase, candidates: list[Occurrence]) -> None:
        super().__init__(message)
        self.candidates = candidates


class SeriesDeletionRefusedError(CalendarError):
    """Deleting a whole recurring series was not asked for explicitly."""


class SeriesMoveRefusedError(CalendarError):
    """Moving a whole recurring series was not asked for explicitly, or cannot be done
    without changing which occurrences it has."""


class SeriesEditRefusedError(CalendarError):
    """Changing the length or title of a whole recurring series was not asked for explicitly,
    or would leave some of its occurrences as they were."""


class CalendarAddressError(CalendarError, ValueError):
    """A calendar address (a CalDAV URL) that cannot be used as it was written. A ValueError
    too, as a malformed address always was."""


class NothingToUndoError(CalendarError):
    """Undo was asked for, but this session made no change that can be undone."""


class CannotUndoError(CalendarError):
    """The change to undo was itself changed by another program since (its event is gone or
    came back), so it cannot be reversed. Older changes can still be undone."""
