"""The window's words. The English text in the code is the message id; other languages are
gettext catalogs, `locales/<lang>/LC_MESSAGES/ui.po`, read with babel when the window starts
(no compile step). Qt-free."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

from app.locales import LOCALES_DIR

UI_LANGUAGES = ("de", "en")
SOURCE_LANGUAGE = "en"


def catalog_path(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / "ui.po"


@cache
def _messages(language: str) -> dict[str, str]:
    if language == SOURCE_LANGUAGE:
        return {}
    with catalog_path(language).open("rb") as file:
        catalog = read_po(file, locale=language)
    return {
        message.id: message.string
        for message in catalog
        if isinstance(message.id, str)
        and isinstance(message.string, str)
        and message.id
        and message.string
        and not message.fuzzy
    }


class UiText:
    """`text("Ready")` → the message in this language; `{name}` fields are filled in."""

    def __init__(self, language: str) -> None:
        if language not in UI_LANGUAGES:
            raise ValueError(f"no user interface in {language!r}; use one of {UI_LANGUAGES}")
        self.language = language
        self._table = _messages(language)

    def __call__(self, message: str, /, **values: object) -> str:
        return self._table.get(message, message).format(**values)


def ui_language(setting: str, system_locale: str) -> str:
    """The language the window speaks: the setting, or for "system" the system locale's
    language when the window exists in it, else English."""
    if setting in UI_LANGUAGES:
        return setting
    language = system_locale.replace("-", "_").split("_")[0].lower()
    return language if language in UI_LANGUAGES else SOURCE_LANGUAGE
