"""Where the calendar lives, in the settings dialog: a file on this computer, or a calendar on
a CalDAV server (Nextcloud, Radicale, iCloud, mailbox.org …) found from the server's address,
the user name and the password. Finding the calendars asks the server on a worker thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.gui.preferences import Preferences
from app.gui.text import UiText
from app.gui.workers import Lane, message_for
from calendar_backend.discovery import CalendarChoice, discover_calendars
from calendar_backend.location import CalDAVLocation
from calendar_backend.secrets import store_password, stored_password

FILE, SERVER = "file", "server"


class CalendarSettings(QWidget):
    """The calendar part of the settings. `save_password()` keeps a typed password in the
    secret store once the dialog is accepted."""

    def __init__(
        self, preferences: Preferences, text: UiText, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.text = text
        self._preferences = preferences
        self._lane = Lane("calendar-discovery")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        self.kind = QComboBox()
        self.kind.setObjectName("calendar-kind")
        self.kind.addItem(text("A file on this computer"), FILE)
        self.kind.addItem(text("A CalDAV server (Nextcloud, Radicale, iCloud …)"), SERVER)
        layout.addWidget(self.kind)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages)

        file_page = QWidget()
        file_row = QHBoxLayout(file_page)
        file_row.setContentsMargins(0, 0, 0, 0)
        self.calendar_path = QLineEdit(str(preferences.calendar_path))
        self.calendar_path.setObjectName("calendar-path")
        browse = QPushButton(text("Choose…"))
        browse.clicked.connect(self._choose_file)
        file_row.addWidget(self.calendar_path, 1)
        file_row.addWidget(browse)
        self.pages.addWidget(file_page)

        server_page = QWidget()
        form = QFormLayout(server_page)
        form.setContentsMargins(0, 0, 0, 0)
        current = _location_or_none(preferences.calendar_url)
        self.server = QLineEdit(current.server if current else "")
        self.server.setObjectName("caldav-server")
        self.server.setPlaceholderText("https://cloud.example/remote.php/dav/")
        self.user = QLineEdit(current.user or "" if current else "")
        self.user.setObjectName("caldav-user")
        self.password = QLineEdit()
        self.password.setObjectName("caldav-password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        kept = current is not None and stored_password(current) is not None
        self.password.setPlaceholderText(
            text("kept in the secret store")
            if kept
            else text("kept in the secret store once saved")
        )
        self.find_button = QPushButton(text("Find my calendars"))
        self.find_button.setObjectName("caldav-find")
        self.find_button.clicked.connect(self.find_calendars)
        self.calendars = QComboBox()
        self.calendars.setObjectName("caldav-calendar")
        if current is not None:
            self.calendars.addItem(str(current), str(current))
        self.status = QLabel()
        self.status.setObjectName("caldav-status")
        self.status.setWordWrap(True)
        form.addRow(text("Server address"), self.server)
        form.addRow(text("User name"), self.user)
        form.addRow(text("Password"), self.password)
        form.addRow("", self.find_button)
        form.addRow(text("Calendar"), self.calendars)
        form.addRow("", self.status)
        self.pages.addWidget(server_page)

        self.kind.currentIndexChanged.connect(self.pages.setCurrentIndex)
        self.kind.setCurrentIndex(1 if current is not None else 0)

    # --- what was chosen -----------------------------------------------------------------

    @property
    def uses_server(self) -> bool:
        return bool(self.kind.currentData() == SERVER)

    def chosen_path(self) -> Path:
        typed = self.calendar_path.text().strip()
        return Path(typed or str(self._preferences.calendar_path)).expanduser()

    def chosen_url(self) -> str:
        """The chosen server calendar; empty for the file."""
        return str(self.calendars.currentData() or "") if self.uses_server else ""

    def problem(self) -> str | None:
        """What keeps the choice from being saved, in words; None when it can be."""
        if self.uses_server and not self.chosen_url():
            return self.text("Find your calendars on the server and choose one.")
        return None

    def save_password(self) -> None:
        """Keep a typed password for the chosen server calendar (CalendarError if the
        desktop has no secret store)."""
        url = self.chosen_url()
        if url and self.password.text():
            store_password(CalDAVLocation.parse(url), self.password.text())

    # --- asking the server ---------------------------------------------------------------

    def find_calendars(self) -> None:
        server, user = self.server.text().strip(), self.user.text().strip()
        typed = self.password.text()
        if not server or not user:
            self.status.setText(self.text("Type the server's address and your user name."))
            return
        self.find_button.setEnabled(False)
        self.status.setText(self.text("Asking the server…"))
        # The secret store may ask the person to unlock it: never on the GUI thread.
        self._lane.submit(
            lambda _report: discover_calendars(server, user, typed or _kept_password(server, user)),
            self._calendars_found,
            self._calendars_not_found,
        )

    def wait(self) -> None:
        """Let a question to the server end (the dialog is closing)."""
        self._lane.wait()

    def _calendars_found(self, found: list[CalendarChoice]) -> None:
        self.find_button.setEnabled(True)
        previous = self.calendars.currentData()
        self.calendars.clear()
        for choice in found:
            self.calendars.addItem(choice.name, str(choice.location))
        index = self.calendars.findData(previous)
        self.calendars.setCurrentIndex(max(0, index))
        if found:
            self.status.setText(self.text("{count} calendars found.", count=len(found)))
        else:
            self.status.setText(self.text("The server names no calendar for this user."))

    def _calendars_not_found(self, error: BaseException) -> None:
        self.find_button.setEnabled(True)
        self.calendars.clear()
        self.status.setText(message_for(error, self.text.language))

    def _choose_file(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self,
            self.text("Calendar file"),
            self.calendar_path.text(),
            self.text("Calendars (*.ics)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if name:
            self.calendar_path.setText(name)


def _kept_password(server: str, user: str) -> str:
    try:
        location = CalDAVLocation.parse(server)
    except ValueError:
        return ""
    return stored_password(CalDAVLocation(location.url, user)) or ""


def _location_or_none(url: str) -> CalDAVLocation | None:
    try:
        return CalDAVLocation.parse(url) if url else None
    except ValueError:
        return None
