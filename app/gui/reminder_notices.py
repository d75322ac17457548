"""Reminders that come due while the window runs: shown in the window until dismissed, as a
desktop notification where the desktop has a tray, and said once the window is idle."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

from app.gui.answers import CalendarView
from app.gui.conversation import Conversation
from app.gui.describe import reminder_notice
from app.gui.services import Services
from app.gui.text import UiText
from app.reminders import DueReminder, ReminderWatch

REMINDER_CHECK_MS = 20_000
"""How often the window looks for reminders that came due."""
TRAY_MESSAGE_MS = 30_000


class ReminderNotices:
    def __init__(
        self,
        window: QWidget,
        conversation: Conversation,
        services: Services,
        speak: Callable[[str, str], None],
        reminded: Callable[[list[DueReminder]], None],
    ) -> None:
        self.window = window
        self.conversation = conversation
        self.services = services
        self.text = UiText("en")
        self._speak = speak
        self._reminded = reminded
        self.watch = ReminderWatch(services.zone)
        self.timer = QTimer(window)
        self.timer.setInterval(REMINDER_CHECK_MS)
        self.checked_at: datetime | None = None
        self.shown: list[str] = []
        self.to_say: list[str] = []
        self._tray: QSystemTrayIcon | None = None
        conversation.dismiss_button.clicked.connect(self.dismiss)

    def start(self, check: Callable[[], None]) -> None:
        self.checked_at = self.services.clock()
        self.timer.timeout.connect(check)
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        if self._tray is not None:
            self._tray.hide()

    def check(self, view: CalendarView | None) -> None:
        """Give the reminders that came due since the last check. They are looked for in the
        events the calendar column last read (on the assistant lane), so the GUI thread never
        waits for the calendar; until there is a calendar, the next check covers the wait."""
        since = self.checked_at
        if view is None or since is None:
            return
        now = self.services.clock()
        due = self.watch.came_due(view.occurrences, since, now)
        self.checked_at = now
        if due:
            self._remind(due, now.astimezone(self.services.zone).date())

    def _remind(self, due: list[DueReminder], today: date) -> None:
        text = self.text
        notices = [reminder_notice(reminder.occurrence, text, today) for reminder in due]
        self.shown += notices
        self.conversation.reminder_label.setText("\n".join(self.shown))
        self.conversation.reminder_box.show()
        tray = self._system_tray()
        if tray is not None:
            tray.showMessage(
                text("Voice Calendar"),
                "\n".join(notices),
                QSystemTrayIcon.MessageIcon.Information,
                TRAY_MESSAGE_MS,
            )
        QApplication.alert(self.window)
        self.to_say += notices
        self._reminded(due)

    def dismiss(self) -> None:
        self.shown.clear()
        self.conversation.reminder_label.clear()
        self.conversation.reminder_box.hide()

    def say_waiting(self) -> None:
        """Speak the reminders not said yet; the window calls this only when it is idle, so a
        reminder never talks over the microphone or another reply."""
        if not self.to_say:
            return
        message = " ".join(f"{notice}." for notice in self.to_say)
        self.to_say.clear()
        self._speak(message, self.text.language)

    def _system_tray(self) -> QSystemTrayIcon | None:
        """The tray icon that carries desktop notifications; None where the desktop has no
        tray (then the notice in the window is all)."""
        if self._tray is None and QSystemTrayIcon.isSystemTrayAvailable():
            self._tray = QSystemTrayIcon(self.window.windowIcon(), self.window)
            self._tray.setToolTip(self.text("Voice Calendar"))
            self._tray.messageClicked.connect(self._bring_to_front)
            self._tray.show()
        return self._tray

    def _bring_to_front(self) -> None:
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()
