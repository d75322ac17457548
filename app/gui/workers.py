"""Blocking work off the GUI thread: a QRunnable that runs one function and reports through
signals (progress while it runs, then its result or a message a person can act on)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from app.calendar_problems import error_words

_log = logging.getLogger(__name__)

Report = Callable[[str], None]
"""Called by the work with the name of the stage it enters ("transcribing", "thinking")."""


class TaskSignals(QObject):
    progress = Signal(str)
    finished = Signal(object)
    failed = Signal(object)
    """The exception, for the window to explain."""


class Task(QRunnable):
    """Runs `work(report)` in a thread pool; its return value arrives in `finished`, an
    exception in `failed`."""

    def __init__(self, work: Callable[[Report], Any]) -> None:
        super().__init__()
        self.work = work
        self.signals = TaskSignals()

    def run(self) -> None:
        try:
            result = self.work(self.signals.progress.emit)
        except Exception as error:  # every failure must reach the window, as a sentence
            _log.warning("background task failed", exc_info=True)
            self.signals.failed.emit(error)
            return
        self.signals.finished.emit(result)


def message_for(error: BaseException, language: str) -> str:
    """The error's own words in the window's language (ours say what happened and what to
    do); an error without a wording there is named with its own words in parentheses."""
    return error_words(error, language)


def as_sentence(text: str) -> str:
    """`text` with a capital first letter, to start a sentence with it."""
    return text[:1].upper() + text[1:]


class Lane:
    """One worker thread: tasks on a lane run one after another, in order. The dialog and
    calendar are not thread-safe, so everything that touches them shares one lane."""

    def __init__(self, name: str) -> None:
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(1)
        self.pool.setObjectName(name)
        self._running: set[Task] = set()

    def submit(
        self,
        work: Callable[[Report], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        on_progress: Callable[[str], None] | None = None,
    ) -> Task:
        task = Task(work)
        task.setAutoDelete(False)
        self._running.add(task)
        task.signals.finished.connect(on_done)
        task.signals.failed.connect(on_error)
        if on_progress is not None:
            task.signals.progress.connect(on_progress)
        task.signals.finished.connect(lambda _result: self._running.discard(task))
        task.signals.failed.connect(lambda _error: self._running.discard(task))
        self.pool.start(task)
        return task

    def wait(self, milliseconds: int = -1) -> bool:
        return self.pool.waitForDone(milliseconds)

    @property
    def busy(self) -> bool:
        return bool(self._running)
