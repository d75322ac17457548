"""What went wrong, in the person's language: the calendar backend's errors carry their words
as English templates with values (`calendar_backend.phrases.Phrase`); their wording in each
language is `locales/<lang>/calendar_problems.toml`, read by the window and the dialog alike.
A file's or a server's problem is said in the frame that names the file or server; any other
error of the calendar (a refused series move, no such event, nothing to undo …) by its wording
alone. Anything without a wording there is named as a problem with its own words in
parentheses. Qt-free."""

from __future__ import annotations

from collections.abc import Mapping

from app.locales import load_locale_file
from calendar_backend.errors import (
    CalendarChangedError,
    CalendarError,
    CalendarFileError,
    CalendarServerError,
)
from calendar_backend.phrases import Phrase, as_phrase

SOURCE_LANGUAGE = "en"


def wordings(language: str) -> Mapping[str, str]:
    """English template → its wording in `language` (empty for English)."""
    table: Mapping[str, str] = load_locale_file(language, "calendar_problems")["problems"]
    return table


def _frame(language: str, name: str) -> str:
    frame: str = load_locale_file(language, "calendar_problems")["frames"][name]
    return frame


def _say(words: Phrase, language: str) -> str | None:
    """The phrase in `language`, a Phrase among its values too; None when it, or a Phrase
    among its values, has no wording there."""
    if language == SOURCE_LANGUAGE:
        return str(words)
    template = wordings(language).get(words.template)
    if template is None:
        return None
    values: dict[str, object] = {}
    for name, value in words.values.items():
        if isinstance(value, Phrase):
            said = _say(value, language)
            if said is None:
                return None
            value = as_phrase(said)  # still a Phrase: `{change:sentence}` capitalizes it
        values[name] = value
    return template.format(**values)


def problem_words(error: CalendarFileError | CalendarServerError, language: str) -> str:
    """The cause alone (`error.problem`) in `language`, for a short note."""
    said = _say(error.problem_phrase, language)
    return said if said is not None else _frame(language, "unexpected").format(detail=error)


def error_words(error: BaseException, language: str) -> str:
    """The whole message (what `str(error)` says in English) in `language`."""
    if language == SOURCE_LANGUAGE:
        return str(error).strip() or type(error).__name__
    if isinstance(error, CalendarFileError | CalendarServerError):
        problem = _say(error.problem_phrase, language)
        advice = _say(error.advice_phrase, language)
        if problem is not None and advice is not None:
            if isinstance(error, CalendarFileError):
                return _frame(language, "file").format(
                    path=error.path, problem=problem, advice=advice
                )
            doing = _say(Phrase(error.doing), language) if error.doing else ""
            if doing is not None:
                consequence = _frame(language, "consequence").format(doing=doing) if doing else ""
                return _frame(language, "server").format(
                    url=error.url, problem=problem, consequence=consequence, advice=advice
                )
    elif isinstance(error, CalendarChangedError):
        detail = _say(error.detail_phrase, language)
        if detail is not None:
            return _frame(language, "changed").format(path=error.path, detail=detail)
    elif isinstance(error, CalendarError):
        said = _say(error.message_phrase, language)
        if said is not None:
            return said  # its wording says it all: no frame around it
    if isinstance(error, CalendarError):
        return _frame(language, "calendar").format(detail=_detail(error))
    return _frame(language, "unexpected").format(detail=_detail(error))


def _detail(error: BaseException) -> str:
    text = " ".join(str(error).split()).rstrip(".")
    name = type(error).__name__
    return f"{name}: {text}" if text and not isinstance(error, CalendarError) else text or name
