"""Every text of the window exists in German, with the same placeholders."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.gui.text import UiText, catalog_path, ui_language
from tests.conftest import REPO_ROOT

GUI_SOURCES = sorted((REPO_ROOT / "app" / "gui").glob("*.py"))


def messages_in(path: Path) -> set[str]:
    """The literal first arguments of every `text(...)` / `self.text(...)` call."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        function = node.func
        is_text = (isinstance(function, ast.Name) and function.id == "text") or (
            isinstance(function, ast.Attribute)
            and function.attr == "text"
            and isinstance(function.value, ast.Name)
            and function.value.id == "self"
        )  # not a call's argument, `call.text("title")`
        first = node.args[0]
        if is_text and isinstance(first, ast.Constant) and isinstance(first.value, str):
            found.add(first.value)
    return found


def used_messages() -> set[str]:
    return set().union(*(messages_in(path) for path in GUI_SOURCES))


def fields(message: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(message) if name}


def german_catalog() -> dict[str, str]:
    with catalog_path("de").open("rb") as file:
        return {
            m.id: m.string for m in read_po(file) if isinstance(m.id, str) and m.id and not m.fuzzy
        }


def test_the_window_has_texts_to_translate() -> None:
    assert len(used_messages()) > 40


@pytest.mark.parametrize("message", sorted(used_messages()))
def test_every_text_has_a_german_translation_with_the_same_fields(message: str) -> None:
    german = german_catalog().get(message)
    assert german, f"no German text for {message!r} in {catalog_path('de')}"
    assert german != message
    assert fields(german) == fields(message)


def test_the_catalog_holds_no_texts_the_window_no_longer_uses() -> None:
    assert set(german_catalog()) - used_messages() == set()


def test_english_is_the_message_itself_and_fields_are_filled() -> None:
    english, german = UiText("en"), UiText("de")
    assert english("Show appointments: {span}", span="today") == "Show appointments: today"
    assert german("Show appointments: {span}", span="heute") == "Termine zeigen: heute"


@pytest.mark.parametrize(
    ("setting", "system", "expected"),
    [
        ("system", "de_DE", "de"),
        ("system", "de-AT", "de"),
        ("system", "en_GB", "en"),
        ("system", "fr_FR", "en"),
        ("system", "C", "en"),
        ("de", "en_US", "de"),
        ("en", "de_DE", "en"),
    ],
)
def test_the_window_follows_the_system_unless_told_otherwise(
    setting: str, system: str, expected: str
) -> None:
    assert ui_language(setting, system) == expected


def test_an_unknown_window_language_is_refused() -> None:
    with pytest.raises(ValueError, match="no user interface"):
        UiText("fr")
