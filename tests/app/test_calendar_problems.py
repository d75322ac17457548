"""Every problem the calendar backend reports has a German wording, and German words say it:
the templates found in calendar_backend's source (and no error raised with words that have
none), and the real failures of a file, of a CalDAV server (Radicale), of the calendar's
events, series and undo, and of an address, as the window and the dialog show them."""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest

from app.calendar_problems import error_words, problem_words, wordings
from app.dialog import Dialog
from app.resolve import ResolvedCall, apply_policy
from calendar_backend import errors, storage
from calendar_backend.discovery import discover_calendars
from calendar_backend.errors import (
    AmbiguousEventError,
    CalendarAddressError,
    CalendarChangedError,
    CalendarError,
    CalendarFileError,
    CalendarServerError,
    CannotUndoError,
    DateOutOfRangeError,
    EventNotFoundError,
    NothingToUndoError,
    SeriesDeletionRefusedError,
    SeriesEditRefusedError,
    SeriesMoveRefusedError,
)
from calendar_backend.location import CalDAVLocation
from calendar_backend.opening import open_calendar
from calendar_backend.phrases import Phrase
from calendar_backend.secrets import PASSWORD_VARIABLE, store_password
from calendar_backend.storage import CalendarStorage
from calendar_backend.store import CalendarStore
from tests.conftest import BERLIN, ics
from tests.radicale import PASSWORD, RadicaleServer, free_port

NOW = datetime(2026, 3, 26, 10, 0, tzinfo=BERLIN)
SATURDAY = date(2026, 3, 28)

BACKEND = Path(__file__).resolve().parents[2] / "calendar_backend"
WORDED = {"CalendarFileError": (1, 2), "CalendarServerError": (1, 2)}
WORDED |= {"CalendarAccessDeniedError": (1, 2), "CalendarChangedError": (1,)}
"""The arguments that hold words, for the errors whose first argument is a path or URL."""


def _error_kinds(kind: type[BaseException]) -> Iterator[type[BaseException]]:
    yield kind
    for sub in kind.__subclasses__():
        yield from _error_kinds(sub)


FAMILY = {
    kind.__name__ for kind in _error_kinds(CalendarError) if kind.__module__ == errors.__name__
}
FAMILY.add("RawStructureError")  # a file's structure problem: the detail of its CalendarFileError
MESSAGE_ARGUMENTS = {name: WORDED.get(name, (0,)) for name in FAMILY}
"""Every error the backend raises on purpose → the positions of its arguments that are words
(the message of all but those in WORDED)."""
WORD_MODULES = ("errors.py", "phrases.py")
"""Where errors and phrases are defined: as_phrase() there takes any string."""
SHARED_WORDS = {"icalendar", "etag", "caldav", "ics", "url", "bytes", "server", "computer"}
SHARED_WORDS |= {"http", "https", "keyring", "kwallet"}
"""Names that are the same in both languages (and words in capitals: RDATE, UID, BEGIN)."""
FIELD = re.compile(r"\{(\w+)[^{}]*\}")
"""A {field} of a template or wording, with its !r or :sentence, if any."""


def _strings(node: ast.expr, constants: dict[str, str]) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Name) and node.id in constants:
        return [constants[node.id]]
    return []  # a phrase(...) call, found on its own


def _module_constants(tree: ast.Module) -> dict[str, str]:
    return {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def _called(call: ast.Call) -> str:
    return str(getattr(call.func, "id", getattr(call.func, "attr", "")))


def backend_templates() -> set[str]:
    """The English words of every error raised on purpose: phrase() templates, plain problem,
    advice, detail and message strings, and what a server could not do (`doing`)."""
    found: set[str] = set()
    for source in BACKEND.glob("*.py"):
        tree = ast.parse(source.read_text())
        constants = _module_constants(tree)
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call):
                continue
            name = _called(call)
            if name == "phrase":
                found.update(_strings(call.args[0], constants))
            elif name in MESSAGE_ARGUMENTS and source.name not in WORD_MODULES:
                for index in MESSAGE_ARGUMENTS[name]:
                    if index < len(call.args):
                        found.update(_strings(call.args[index], constants))
            elif name == "_talking":
                found.update(_strings(call.args[0], constants))
            elif name == "server_errors" and len(call.args) > 1:
                found.update(_strings(call.args[1], constants))
    return found


def unsayable_messages(source: str, phrase_makers: set[str]) -> list[str]:
    """Where `source` gives an error of the family words that are not a template: an
    f-string, a joined or computed string, a phrase() of anything but one literal template.
    Allowed are phrase("…") calls, calls of the backend's functions that return a Phrase
    (`phrase_makers`), literal strings and module constants (templates without values), and
    local names and conditionals made only of those."""
    tree = ast.parse(source)
    constants = {name: [ast.Constant(value)] for name, value in _module_constants(tree).items()}
    top_level: list[ast.stmt] = [
        node for node in tree.body if not isinstance(node, ast.FunctionDef | ast.ClassDef)
    ]
    scopes = [top_level] + [
        node.body for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)
    ]
    found: set[str] = set()
    for body in scopes:
        nodes = [node for part in body for node in ast.walk(part)]
        names: dict[str, list[ast.expr]] = {}
        for node in nodes:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        names.setdefault(target.id, []).append(node.value)
        names = constants | names
        for call in nodes:
            if isinstance(call, ast.Call) and _called(call) in MESSAGE_ARGUMENTS:
                for index in MESSAGE_ARGUMENTS[_called(call)]:
                    if index < len(call.args) and not _sayable(
                        call.args[index], names, phrase_makers
                    ):
                        found.add(f"line {call.lineno}: {ast.unparse(call.args[index])}")
    return sorted(found)


def _sayable(
    node: ast.expr,
    names: dict[str, list[ast.expr]],
    makers: set[str],
    seen: frozenset[str] = frozenset(),
) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.Call):
        name = _called(node)
        if name == "phrase":
            first = node.args[0] if node.args else None
            return isinstance(first, ast.Constant) and isinstance(first.value, str)
        return name in makers
    if isinstance(node, ast.IfExp):
        return _sayable(node.body, names, makers, seen) and _sayable(
            node.orelse, names, makers, seen
        )
    if isinstance(node, ast.Name):
        values = names.get(node.id, [])
        return (
            bool(values)
            and node.id not in seen
            and all(_sayable(value, names, makers, seen | {node.id}) for value in values)
        )
    return False


def phrase_makers() -> set[str]:
    """The backend's functions that return a Phrase (their phrase() calls are scanned), but
    not errors.py's own: as_phrase() takes any string."""
    return {
        node.name
        for source in BACKEND.glob("*.py")
        if source.name not in WORD_MODULES
        for node in ast.walk(ast.parse(source.read_text()))
        if isinstance(node, ast.FunctionDef)
        and node.returns is not None
        and ast.unparse(node.returns) == "Phrase"
    }


def english_words(template: str) -> set[str]:
    """The template's words that are words (no {fields}, no names in capitals), in lower
    case."""
    bare = FIELD.sub(" ", template)
    words = re.findall(r"[A-Za-z]{3,}", bare)
    return {w.lower() for w in words if not w.isupper()} - SHARED_WORDS


def _nested(words: Phrase) -> Iterator[Phrase]:
    """The phrase and every phrase among its values, however deep."""
    yield words
    for value in words.values.values():
        if isinstance(value, Phrase):
            yield from _nested(value)


def said_phrases(error: CalendarError) -> list[Phrase]:
    """Every Phrase in what `error_words` says of the error, nested ones too."""
    if isinstance(error, CalendarFileError | CalendarServerError | CalendarChangedError):
        parts = [
            getattr(error, part)
            for part in ("problem_phrase", "advice_phrase", "detail_phrase")
            if hasattr(error, part)
        ]
        if isinstance(error, CalendarServerError) and error.doing:
            parts.append(Phrase(error.doing))
    else:
        parts = [error.message_phrase]
    return [words for part in parts for words in _nested(part)]


def assert_german(said: str, error: CalendarError) -> None:
    """No English word of the error's own templates, nested ones too, is left in what was
    said (its values, such as a title or a path, may be anything)."""
    phrases = said_phrases(error)
    assert phrases, error
    values = " ".join(
        [str(getattr(error, part, "")) for part in ("path", "url")]
        + [
            str(value)
            for words in phrases
            for value in words.values.values()
            if not isinstance(value, Phrase)
        ]
    )
    spoken = {w.lower() for w in re.findall(r"[A-Za-z]{3,}", said)}
    spoken -= {w.lower() for w in re.findall(r"[A-Za-z]{3,}", values)}
    for words in phrases:
        leftover = english_words(words.template) & spoken
        assert not leftover, f"English {sorted(leftover)} in {said!r}"


def test_the_source_scan_finds_the_backend_problems() -> None:
    templates = backend_templates()
    assert "the file does not exist" in templates
    assert "it is {size} bytes, more than the {limit} MB a calendar file may have" in templates
    assert "the server refused the user name or password" in templates
    assert "read the calendar" in templates
    assert "There is no change to undo." in templates
    assert "There is no event with UID {uid} in {name}." in templates  # in a function of its own
    assert "a time line without a value" in templates
    assert "{names} and {name}" in templates
    assert "moved {title!r} to {when}" in templates  # a change's words, said in an undo's error
    assert "BEGIN:{name} is never closed" in templates
    assert len(templates) >= 115


def test_every_backend_problem_has_a_german_wording_with_the_same_fields() -> None:
    german = wordings("de")
    missing = sorted(backend_templates() - german.keys())
    assert not missing, f"no German wording for {missing}"
    for template, wording in german.items():
        fields = set(FIELD.findall(template))
        assert set(FIELD.findall(wording)) == fields, template
        assert english_words(template) & english_words(wording) == set(), wording


def test_every_error_of_the_backend_is_raised_with_words_that_have_a_wording() -> None:
    assert {"EventNotFoundError", "SeriesMoveRefusedError", "CalendarAddressError"} <= FAMILY
    makers = phrase_makers()
    assert {"no_event", "unchecked_change", "gone"} <= makers
    unsayable = {
        source.name: found
        for source in BACKEND.glob("*.py")
        if source.name not in WORD_MODULES
        if (found := unsayable_messages(source.read_text(), makers))
    }
    assert not unsayable, f"errors raised with words that no wording can say: {unsayable}"


@pytest.mark.parametrize(
    "raising",
    [
        'raise EventNotFoundError(f"There is no event with UID {uid}.")',
        'raise CalendarError("Moving " + title + " failed")',
        "raise SeriesMoveRefusedError(message)",
        'raise AmbiguousEventError(phrase(f"{title} happens twice"), [])',
        'raise CalendarFileError(path, f"it is {size} bytes", "Choose another file.")',
        'words = f"{title!r} is gone"\nraise CannotUndoError(words)',
        'raise CalendarError(as_phrase(f"{title!r} is gone"))',
    ],
)
def test_the_scan_finds_an_error_raised_with_plain_english(raising: str) -> None:
    source = "def plan(title, uid, path, size, message):\n" + "".join(
        f"    {line}\n" for line in raising.splitlines()
    )
    makers = phrase_makers()
    assert unsayable_messages(source, makers), raising
    for fine in (
        'raise EventNotFoundError(phrase("{title!r} is gone", title=title))',
        "raise EventNotFoundError(gone(title))",
        'raise CalendarError("a time line without a value")',
    ):
        assert not unsayable_messages(f"def plan(title):\n    {fine}\n", makers), fine


def _read_error(path: Path) -> CalendarError:
    """What reading the file raises: its storage, then the store's parse."""
    try:
        CalendarStorage(path, path.parent / "backups").read()
        open_calendar(path, zone=BERLIN).occurrences(SATURDAY, SATURDAY)
    except CalendarError as error:
        return error
    raise AssertionError(f"{path} was read")


def real_file_failures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[CalendarError]:
    not_ical = tmp_path / "notes.ics"
    not_ical.write_bytes(b"\x00\x01 this is no calendar")
    empty_ical = tmp_path / "empty.ics"
    empty_ical.write_text("")
    folder = tmp_path / "folder.ics"
    folder.mkdir()
    large = tmp_path / "large.ics"
    large.write_bytes(b"BEGIN:VCALENDAR\r\n" + b"X" * 2048)
    failures = [_read_error(tmp_path / "missing.ics"), _read_error(folder), _read_error(not_ical)]
    with monkeypatch.context() as patched:
        patched.setattr(storage, "MAX_CALENDAR_BYTES", 1024)
        failures.append(_read_error(large))
    if os.geteuid() != 0:  # root reads every file
        unreadable = tmp_path / "locked.ics"
        unreadable.write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
        unreadable.chmod(0)
        failures.append(_read_error(unreadable))
    return failures


def test_real_file_failures_are_said_in_german(tmp_path: Path, monkeypatch) -> None:
    failures = real_file_failures(tmp_path, monkeypatch)
    problems = {error.problem_phrase.template for error in failures}  # type: ignore[attr-defined]
    assert {"the file does not exist", "this is a folder, not a file"} <= problems
    assert "it is not a valid iCalendar file ({detail})" in problems
    assert "it is {size} bytes, more than the {limit} MB a calendar file may have" in problems
    for error in failures:
        assert error_words(error, "en") == str(error)  # English stays as it was
        german = error_words(error, "de")
        assert german.startswith(f"{error.path}: ")  # type: ignore[attr-defined]
        assert_german(german, error)
    sized = next(e for e in failures if "bytes" in str(e))
    assert "Bytes groß, mehr als die 0 MB" in error_words(sized, "de")


def test_a_change_by_another_program_is_said_in_german(tmp_path: Path) -> None:
    error = CalendarChangedError(tmp_path / "a.ics", "it was written while we saved")
    german = error_words(error, "de")
    assert "von einem anderen Programm geändert" in german
    assert_german(german, error)


def test_an_error_without_a_wording_is_a_german_sentence_with_the_detail_in_parentheses() -> None:
    german = error_words(OSError(5, "Input/output error"), "de")
    assert (
        german == "ein unerwarteter Fehler ist aufgetreten (OSError: [Errno 5] Input/output error)"
    )
    assert error_words(OSError(5, "Input/output error"), "en") == "[Errno 5] Input/output error"


def test_a_refused_password_and_an_absent_server_are_said_in_german(
    radicale: RadicaleServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = radicale.new_calendar()
    monkeypatch.setenv(PASSWORD_VARIABLE, "not " + PASSWORD)
    refused = _server_error(url)
    assert refused.problem_phrase.template == "the server refused the user name or password"
    gone = _server_error(f"http://anna@127.0.0.1:{free_port()}/anna/cal/")
    assert gone.problem_phrase.template == "the server cannot be reached"
    for error in (refused, gone):
        assert error_words(error, "en") == str(error)
        german = error_words(error, "de")
        assert german.startswith(f"{error.url}: ")
        assert_german(german, error)
        assert_german(problem_words(error, "de"), error)
    assert "der Server ist nicht erreichbar" in error_words(gone, "de")


def _server_error(url: str) -> CalendarServerError:
    try:
        open_calendar(url, zone=BERLIN).occurrences(SATURDAY, SATURDAY)
    except CalendarServerError as error:
        return error
    raise AssertionError(f"{url} was read")


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_dialog_reply_for_a_file_problem_is_in_the_language_of_the_request(
    make_store, language: str
) -> None:
    dialog = Dialog(make_store(b"\x00\x01 this is no calendar"))
    request = ResolvedCall(
        "create_event",
        language,
        {"title": "Zahnarzt", "date": SATURDAY, "time": time(15), "duration_minutes": None},
    )
    outcome = dialog.handle(apply_policy(request, NOW), NOW)
    assert outcome.status == "error"
    if language == "en":
        assert outcome.message.startswith("I could not edit the calendar: ")
        assert "it is not a valid iCalendar file" in outcome.message
        return
    assert outcome.message.startswith("Ich konnte den Kalender nicht bearbeiten: ")
    assert "sie ist keine gültige iCalendar-Datei" in outcome.message
    with pytest.raises(CalendarFileError) as caught:
        dialog.store.occurrences(SATURDAY, SATURDAY)
    assert_german(outcome.message, caught.value)


# --- the calendar's events, series and undo: real failures of a file calendar -------------

YOGA_DAY = date(2026, 3, 2)  # a Monday
TIED_SERIES = ics(
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//test//tied series//EN",
    "BEGIN:VEVENT",
    "UID:chor@test",
    "DTSTAMP:20260301T000000Z",
    "DTSTART:20260303T180000Z",
    "DTEND:20260303T193000Z",
    "RRULE:FREQ=WEEKLY;COUNT=10",
    "RDATE:20260305T180000Z",
    "EXDATE:20260310T180000Z",
    "SUMMARY:Chorprobe",
    "END:VEVENT",
    "END:VCALENDAR",
)


def _failure(attempt: Callable[[], object]) -> CalendarError:
    try:
        attempt()
    except CalendarError as error:
        return error
    raise AssertionError("it did not fail")


def event_failures(make_store: Callable[..., CalendarStore]) -> list[CalendarError]:
    """What the calendar refuses or cannot find, each provoked on a real file calendar."""
    store = make_store(TIED_SERIES)
    yoga = store.create(
        "Yoga", datetime.combine(YOGA_DAY, time(18)), recurrence="FREQ=WEEKLY;COUNT=8"
    )
    dentist = store.create("Zahnarzt", datetime(2026, 3, 27, 15, 0))
    pills = store.create(
        "Tabletten", datetime(2026, 3, 6, 6), recurrence="FREQ=HOURLY;INTERVAL=6;COUNT=4"
    )
    tuesday = datetime.combine(YOGA_DAY + timedelta(days=1), time(18))
    failures = [
        _failure(lambda: store.move(yoga.uid, tuesday)),
        _failure(lambda: store.delete(yoga.uid)),
        _failure(lambda: store.edit(yoga.uid, title="Pilates")),
        _failure(lambda: store.move("chor@test", datetime(2026, 3, 4, 18), series=True)),
        _failure(lambda: store.create("Zahnarzt", date(3001, 1, 1))),
        _failure(lambda: store.delete("keiner@voice-calendar")),
        _failure(lambda: store.move(yoga.uid, tuesday, occurrence=date(2026, 3, 4))),
        _failure(lambda: store.delete(pills.uid, date(2026, 3, 6))),
        _failure(make_store().undo),  # another session on the file: it changed nothing
    ]
    # Another program moves the appointment after this session did: its move cannot be undone.
    store.move(dentist.uid, datetime(2026, 3, 27, 16, 0))
    make_store().move(dentist.uid, datetime(2026, 3, 27, 17, 0))
    failures.append(_failure(store.undo))
    return failures


def test_real_failures_of_events_series_and_undo_are_said_in_german(make_store) -> None:
    failures = event_failures(make_store)
    kinds = [type(error) for error in failures]
    assert kinds == [
        SeriesMoveRefusedError,
        SeriesDeletionRefusedError,
        SeriesEditRefusedError,
        SeriesMoveRefusedError,
        DateOutOfRangeError,
        EventNotFoundError,
        EventNotFoundError,
        AmbiguousEventError,
        NothingToUndoError,
        CannotUndoError,
    ]
    for error in failures:
        assert error_words(error, "en") == str(error)  # English stays as it was
        german = error_words(error, "de")
        assert_german(german, error)
        assert "Kalender konnte das nicht ausführen" not in german  # its own words, no frame
    said = {
        type(error).__name__ + ": " + str(error): error_words(error, "de") for error in failures
    }
    english = list(said)
    assert english[0].startswith(
        "SeriesMoveRefusedError: 'Yoga' is a recurring event. Name the occurrence to move,"
    )
    assert said[english[0]].startswith("„Yoga“ ist ein wiederkehrender Termin. Nennen Sie")
    assert said[english[1]].endswith("dass die ganze Serie gelöscht werden soll.")
    assert said[english[2]].endswith("dass die ganze Serie geändert werden soll.")
    assert english[3] == (
        "SeriesMoveRefusedError: 'Chorprobe' has EXDATE and RDATE tied to its old times, so "
        "the whole series was not moved; move single occurrences, or move the series in the "
        "program that made it."
    )
    assert said[english[3]].startswith("„Chorprobe“ hat Angaben (EXDATE und RDATE), die an")
    assert english[4] == (
        "DateOutOfRangeError: 3001-01-01 is outside the years the calendar keeps (1900 to 2999)"
    )
    assert said[english[4]] == (
        "3001-01-01 liegt außerhalb der Jahre, die der Kalender führt (1900 bis 2999)"
    )
    assert english[5] == (
        "EventNotFoundError: There is no event with UID keiner@voice-calendar in "
        f"{make_store().path}."
    )
    assert said[english[6]] == "„Yoga“ findet am 2026-03-04 nicht statt."
    assert english[7] == (
        "AmbiguousEventError: 'Tabletten' happens 3 times on 2026-03-06 (06:00, 12:00, 18:00); "
        "name the one you mean by its start time."
    )
    assert said[english[7]] == (
        "„Tabletten“ findet am 2026-03-06 3-mal statt (06:00, 12:00, 18:00); nennen Sie den "
        "gemeinten Termin mit seiner Anfangszeit."
    )
    assert english[8] == "NothingToUndoError: There is no change to undo."
    assert said[english[8]] == "Es gibt keine Änderung, die rückgängig gemacht werden könnte."
    assert english[9] == (
        "CannotUndoError: Moved 'Zahnarzt' to 2026-03-27 16:00 cannot be undone: another "
        "program changed that event since ('Zahnarzt' was moved again since)."
    )
    assert said[english[9]] == (
        "Das Verschieben von „Zahnarzt“ auf 2026-03-27 16:00 lässt sich nicht rückgängig "
        "machen: ein anderes Programm hat den Termin inzwischen geändert („Zahnarzt“ wurde "
        "inzwischen erneut verschoben)."
    )


def test_an_event_too_long_for_any_calendar_says_its_days_in_both_languages(make_store) -> None:
    store = make_store()
    with pytest.raises(DateOutOfRangeError) as refused:
        store.create("Ewigkeit", datetime(2026, 3, 4, 9, 0), timedelta(days=999_999_999))
    assert error_words(refused.value, "en") == (
        "an event of 999999999 days does not fit any calendar"
    )
    assert error_words(refused.value, "de") == (
        "ein Termin von 999999999 Tagen passt in keinen Kalender"
    )
    assert store.occurrences(date(2026, 3, 1), date(2026, 3, 31)) == []


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_dialog_reply_for_a_day_the_calendar_does_not_keep_is_in_its_language(
    make_store, language: str
) -> None:
    dialog = Dialog(make_store())
    request = ResolvedCall(
        "create_event",
        language,
        {"title": "Zahnarzt", "date": date(3001, 1, 1), "time": time(15), "duration_minutes": None},
    )
    outcome = dialog.handle(apply_policy(request, NOW), NOW)
    assert outcome.status == "error"
    if language == "en":
        assert outcome.message == (
            "I could not edit the calendar: 3001-01-01 is outside the years the calendar "
            "keeps (1900 to 2999)"
        )
        return
    assert outcome.message == (
        "Ich konnte den Kalender nicht bearbeiten: 3001-01-01 liegt außerhalb der Jahre, die "
        "der Kalender führt (1900 bis 2999)"
    )
    assert_german(
        outcome.message, _failure(lambda: dialog.store.create("Zahnarzt", date(3001, 1, 1)))
    )


# --- the calendar's address and password, as typed in the settings ------------------------


@pytest.mark.parametrize(
    ("address", "german"),
    [
        ("https:///dav/", "„https:///dav/“ ist keine CalDAV-Adresse; sie sieht etwa so aus: "),
        ("https://anna:geheim@cloud.example/dav/", "ein Passwort gehört nicht in die Kalender-URL"),
        ("https://cloud.example/dav/?x=1", "eine Kalender-URL hat keinen Teil mit '?' oder '#'"),
        ("ftp://cloud.example/dav/", "außer einem Dateipfad lassen sich nur Kalender unter"),
    ],
)
def test_a_calendar_address_that_cannot_be_used_is_said_in_german(
    address: str, german: str
) -> None:
    error = _failure(lambda: open_calendar(address, zone=BERLIN))
    assert isinstance(error, CalendarAddressError) and isinstance(error, ValueError)
    assert error_words(error, "en") == str(error)
    said = error_words(error, "de")
    assert german in said
    assert_german(said, error)


def test_an_address_typed_in_the_settings_is_said_in_german_when_finding_calendars() -> None:
    error = _failure(lambda: discover_calendars("https:///dav/", "anna", "geheim"))
    assert str(error).startswith("'https:///dav/' is not a CalDAV address: it should look like")
    assert error_words(error, "de").startswith("„https:///dav/“ ist keine CalDAV-Adresse")


def test_a_password_that_no_secret_store_keeps_is_said_in_german() -> None:
    location = CalDAVLocation.parse("https://anna@cloud.example/dav/calendars/anna/privat/")
    keyring.set_keyring(keyring.backends.fail.Keyring())  # the fixture puts its own back after
    error = _failure(lambda: store_password(location, "geheim"))
    assert str(error).startswith("The password could not be kept in the desktop's secret store (")
    said = error_words(error, "de")
    assert said.startswith("Das Passwort konnte nicht im Schlüsselbund der Arbeitsumgebung")
    assert said.endswith(f"setzen Sie für Skripte {PASSWORD_VARIABLE}.")
    assert_german(said, error)


def test_a_file_whose_structure_cannot_be_edited_says_why_in_german(make_store) -> None:
    # Another program left an event unclosed after the calendar: it can be read, not edited.
    store = make_store(TIED_SERIES + b"BEGIN:VEVENT\r\nSUMMARY:halb\r\n")
    error = _failure(lambda: store.create("Zahnarzt", datetime(2026, 3, 27, 15, 0)))
    assert isinstance(error, CalendarFileError)
    assert error.problem == "its structure cannot be edited safely (BEGIN:VEVENT is never closed)"
    assert error_words(error, "en") == str(error)
    german = error_words(error, "de")
    assert (
        "ihr Aufbau lässt sich nicht sicher bearbeiten (BEGIN:VEVENT wird nirgends geschlossen)"
        in german
    )
    assert_german(german, error)
