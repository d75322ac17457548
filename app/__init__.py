"""Offline German/English voice calendar. Every stage runs from `python -m app <verb>`."""

import sys


def command_name() -> str:
    """How the person at the terminal starts the app: the installed program, or the module."""
    return "voice-calendar" if getattr(sys, "frozen", False) else "python -m app"
