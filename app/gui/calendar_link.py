"""The window's link to its calendar: opening it (and opening another when the settings
change), reading the days the window shows on the assistant lane after any change (the
window's own, another program's, a server's other clients'), and saying what went wrong with
it. It holds the dialog: every calendar change goes through that one dialog."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Protocol

from app.calendar_problems import problem_words
from app.dialog import Dialog
from app.gui.answers import CalendarView, read_view
from app.gui.calendar_panel import CalendarPanel
from app.gui.calendar_watch import CalendarWatch
from app.gui.conversation import Conversation
from app.gui.preferences import Preferences
from app.gui.services import Services
from app.gui.text import UiText
from app.gui.week_layout import monday_of
from app.gui.workers import Lane, Report, message_for
from calendar_backend.errors import CalendarServerError
from calendar_backend.opening import open_calendar as open_store


class CalendarHost(Protocol):
    """What the link uses of the window."""

    closing: bool
    preferences: Preferences
    services: Services
    text: UiText
    assistant_lane: Lane
    calendar: CalendarPanel
    conversation: Conversation

    def show_calendar(self, view: CalendarView) -> None: ...

    def update_idle_state(self) -> None: ...


class CalendarLink:
    def __init__(self, host: CalendarHost, watch: CalendarWatch) -> None:
        self.host = host
        self.watch = watch
        self.dialog: Dialog | None = None
        self.last_view: CalendarView | None = None
        self.read_at: datetime | None = None
        self.openings = 0
        """Openings submitted and not yet finished. While one runs and no calendar is open, a
        request would find none, so the window is not ready yet."""
        self.shown_week: date | None = None
        """The Monday of the week the person went to; None: the current week."""
        watch.changed.connect(self.refresh)
        watch.minute_passed.connect(self._minute_passed)

    @property
    def opening(self) -> bool:
        return self.dialog is None and self.openings > 0

    def today(self) -> date:
        return self.host.services.local_now().date()

    def reader(self) -> Callable[[Dialog], CalendarView]:
        """Reads the calendar (on the assistant lane) for the days the window shows now."""
        today, week = self.today(), self.shown_week
        return lambda dialog: read_view(dialog, today, week)

    def open(self) -> None:
        """Open the calendar of the preferences (again); the dialog changes only once the new
        calendar could be opened, on the GUI thread."""
        host = self.host
        location = host.preferences.calendar_location
        zone, clock = host.services.zone, host.services.clock
        language, read = host.text.language, self.reader()
        try:
            self.watch.watch(location)
        except OSError as error:
            self.unusable(error)
            return

        def work(_report: Report) -> tuple[Dialog, CalendarView]:
            # Replies that belong to no request (nothing heard) start in the window's language.
            dialog = Dialog(open_store(location, zone=zone, clock=clock), language=language)
            return dialog, read(dialog)

        def opened(result: tuple[Dialog, CalendarView]) -> None:
            self.openings -= 1
            if not host.closing:
                self.dialog, view = result
                host.show_calendar(view)
                host.update_idle_state()

        def failed(error: BaseException) -> None:
            self.openings -= 1
            self.unusable(error)

        self.openings += 1
        host.assistant_lane.submit(work, opened, failed)
        host.update_idle_state()

    def refresh(self) -> None:
        dialog = self.dialog
        if dialog is None:
            self.open()
            return
        read = self.reader()

        # A calendar chosen meanwhile (opened on the same lane) must not be overwritten by
        # what was read from the previous one.
        def show(view: CalendarView) -> None:
            if dialog is self.dialog and not self.host.closing:
                self.host.show_calendar(view)

        def fail(error: BaseException) -> None:
            if dialog is self.dialog:
                self.failed(error)

        self.host.assistant_lane.submit(lambda _report: read(dialog), show, fail)

    def show_week_of(self, first: date) -> None:
        """Go to the week that begins on `first` (a Monday) and read it."""
        self.shown_week = None if first == monday_of(self.today()) else first
        self.refresh()

    def shown(self, view: CalendarView) -> None:
        self.last_view = view
        self.read_at = self.host.services.clock()

    def failed(self, error: BaseException) -> None:
        host = self.host
        if host.closing:
            return
        if isinstance(error, CalendarServerError):
            self._server_failed(error)
            return
        text = host.text
        host.conversation.show_error(
            text(
                "The calendar file cannot be used: {reason}. Choose another file in Settings"
                " or repair this one.",
                reason=message_for(error, text.language).rstrip("."),
            )
        )

    def _server_failed(self, error: CalendarServerError) -> None:
        """What the calendar last showed stays, marked as not current, when the server is
        only out of reach; anything else is an error to act on."""
        host, text = self.host, self.host.text
        if self.last_view is not None and self.read_at is not None:
            read_at = self.read_at.astimezone(host.services.zone)
            host.calendar.stale.setText(
                text(
                    "Not up to date: {problem}. As of {time}.",
                    problem=problem_words(error, text.language),
                    time=read_at.strftime("%H:%M"),
                )
            )
            host.calendar.stale.show()
        if error.reachable or self.last_view is None:
            host.conversation.show_error(
                text(
                    "The calendar server cannot be used: {reason}",
                    reason=message_for(error, text.language),
                )
            )

    def unusable(self, error: BaseException) -> None:
        """The calendar could not be opened at all: nothing can be done with it."""
        if self.host.closing:
            return
        self.dialog = None
        self.last_view = None
        self.host.calendar.clear()
        self.host.conversation.clear_choices()
        self.failed(error)
        self.host.update_idle_state()

    def _minute_passed(self) -> None:
        shown = self.last_view
        if shown is not None and self.today() != shown.today:
            self.refresh()
        self.host.calendar.week.set_now(self.host.services.local_now(), self.today())
