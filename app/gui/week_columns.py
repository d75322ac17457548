"""What the week's header (day names, all-day events) and its hours share: seven day columns
right of a gutter, and the gutter that stays in view when a narrow window scrolls the days
sideways: the hours at the left, the empty corner above them, each lying over the event
blocks that scroll under it."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from app.gui.week_layout import DAYS_IN_WEEK, monday_of

HOUR_TICK = 4
"""How far each hour's line reaches into the gutter."""
LABEL_GAP = 6
"""Pixels between an hour's label and the day columns."""


class StickyGutter(QWidget):
    """Covers its parent's first `width` pixels at the left edge of what is in view. With an
    hour height it shows each hour's label beside its line (the hours); without, it is blank
    (the corner above them)."""

    def __init__(self, parent: QWidget, hour_height: int | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("week-hour-labels" if hour_height else "week-corner")
        self.hour_height = hour_height
        self.labels: list[str] = []
        self.scrolled = 0

    def follow(self, scrolled: int, width: int) -> None:
        """Lie over the parent's columns from `scrolled`, the first pixel in view, on top."""
        self.scrolled = scrolled
        parent = self.parentWidget()
        self.setGeometry(scrolled, 0, width, parent.height() if parent is not None else 0)
        self.raise_()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        line = self.palette().mid().color()
        if self.scrolled > 0:  # the first column in view has its own line right of this one
            painter.setPen(line)
            painter.drawLine(self.width() - 1, 0, self.width() - 1, self.height())
        if self.hour_height is None:
            return
        for hour, label in enumerate(self.labels):
            y = hour * self.hour_height
            painter.setPen(line)
            painter.drawLine(self.width() - HOUR_TICK, y, self.width(), y)
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(
                QRect(0, y + 1, self.width() - LABEL_GAP, self.hour_height),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                label,
            )


def column_span(index: int, width: int, gutter: int) -> tuple[int, int]:
    """The left edge and width of day column `index` in a widget `width` wide whose first
    `gutter` pixels hold the hours."""
    room = max(0, width - gutter)
    left = gutter + room * index // DAYS_IN_WEEK
    right = gutter + room * (index + 1) // DAYS_IN_WEEK
    return left, right - left


class DayColumns(QWidget):
    """What the header and the hours share: seven columns right of a gutter, which stays in
    view (`sticky`) when the columns scroll sideways."""

    def __init__(self, hour_height: int | None) -> None:
        super().__init__()
        self.gutter = 48
        self.first = monday_of(date.today())
        self.today = date.today()
        self.right_margin = 0
        self.sticky = StickyGutter(self, hour_height)

    def follow_scroll(self, scrolled: int) -> None:
        self.sticky.follow(scrolled, self.gutter)

    def column(self, index: int) -> tuple[int, int]:
        return column_span(index, self.width() - self.right_margin, self.gutter)

    def today_index(self) -> int | None:
        offset = (self.today - self.first).days
        return offset if 0 <= offset < DAYS_IN_WEEK else None
