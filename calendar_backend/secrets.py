"""The CalDAV password: kept in the desktop's secret store (Secret Service, through keyring),
or given to scripts and tests in VOICE_CALENDAR_CALDAV_PASSWORD. Never in a settings file,
never on a command line, never in a log."""

from __future__ import annotations

import logging
import os

import keyring
import keyring.errors

from calendar_backend.errors import CalendarError
from calendar_backend.location import PASSWORD_VARIABLE, CalDAVLocation
from calendar_backend.phrases import phrase

__all__ = [
    "KEYRING_SERVICE",
    "PASSWORD_VARIABLE",
    "forget_password",
    "keyring_account",
    "store_password",
    "stored_password",
]

KEYRING_SERVICE = "voice-calendar CalDAV"

log = logging.getLogger(__name__)


def keyring_account(location: CalDAVLocation) -> str:
    """One password per user and server, whichever of their calendars is chosen."""
    return f"{location.user or ''}@{location.server}"


def stored_password(location: CalDAVLocation) -> str | None:
    """The password for a location: the environment variable wins (scripts, tests), then the
    secret store. None when neither has one (or no secret store runs here)."""
    from_environment = os.environ.get(PASSWORD_VARIABLE)
    if from_environment:
        return from_environment
    try:
        return keyring.get_password(KEYRING_SERVICE, keyring_account(location))
    except keyring.errors.KeyringError as error:
        log.info("no password from the secret store: %s", error)
        return None


def store_password(location: CalDAVLocation, password: str) -> None:
    """Keep the password in the desktop's secret store; CalendarError if there is none."""
    try:
        keyring.set_password(KEYRING_SERVICE, keyring_account(location), password)
    except keyring.errors.KeyringError as error:
        raise CalendarError(
            phrase(
                "The password could not be kept in the desktop's secret store ({detail}). Start "
                "a Secret Service (GNOME Keyring or KWallet) or, for scripts, set {variable}.",
                detail=str(error),
                variable=PASSWORD_VARIABLE,
            )
        ) from error


def forget_password(location: CalDAVLocation) -> None:
    """Remove a kept password; nothing happens when none was kept."""
    try:
        keyring.delete_password(KEYRING_SERVICE, keyring_account(location))
    except keyring.errors.PasswordDeleteError:
        pass
    except keyring.errors.KeyringError as error:
        log.info("the secret store could not be asked to forget the password: %s", error)
