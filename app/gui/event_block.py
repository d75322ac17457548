"""An event's block in the week: a focusable button that draws its time, title and marks as
far as its size (and the part of it in view) allows, and says all of it to a screen reader."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QFocusEvent, QKeyEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QAbstractButton

from app.gui.block_text import BlockText, fitted_lines
from calendar_backend import Occurrence

BLOCK_FILL = QColor("#dbeafe")
BLOCK_EDGE = QColor("#3b82f6")
BLOCK_TEXT = QColor("#1e3a8a")
TEXT_LEFT, TEXT_TOP, TEXT_RIGHT = 4, 2, 3
"""The padding between a block's edge and its text."""


class EventBlock(QAbstractButton):
    """One event (or its piece on one day) in the week. Its text is the whole label; it shows
    as much of it as its size allows (`shown_lines`)."""

    def __init__(self, occurrence: Occurrence, day: int, words: BlockText) -> None:
        super().__init__()
        self.occurrence = occurrence
        self.day = day
        self.words = words
        self.short = True
        """Time and title on one line (an all-day event, or an hour or less)."""
        self.open_height: int | None = None
        """How much of its top is in view when a block lies over the rest; None: all of it."""
        self.setText(words.label)
        self.setAccessibleName(words.spoken)
        self.setToolTip(words.spoken)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.on_key: Callable[[EventBlock, QKeyEvent], bool] = lambda _block, _event: False
        self.on_focus_out: Callable[[], None] = lambda: None

    def shown_lines(self) -> list[str]:
        """The lines of text drawn now: fitted to the block's width and to the rows of it in
        view (all of them while it has the keyboard, as it lies on top then)."""
        metrics = self.fontMetrics()
        room = self.height()
        if self.open_height is not None and not self.hasFocus():
            room = min(room, self.open_height)
        rows = (room - TEXT_TOP) // max(1, metrics.lineSpacing())
        width = self.width() - TEXT_LEFT - TEXT_RIGHT
        return fitted_lines(self.words, width, rows, self.short, metrics.horizontalAdvance)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if not self.on_key(self, event):
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt's name
        self.raise_()  # a cascaded block comes out whole while it has the keyboard
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt's name
        self.on_focus_out()
        super().focusOutEvent(event)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(self.palette().base().color(), 1.0))  # apart from a block below
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(self.rect().adjusted(0, 0, -1, -1), 5, 5)
        painter.setPen(QPen(BLOCK_EDGE, 2.5 if self.hasFocus() else 1.0))
        painter.setBrush(BLOCK_FILL.darker(108) if self.underMouse() else BLOCK_FILL)
        painter.drawRoundedRect(self.rect().adjusted(1, 1, -1, -1), 4, 4)
        painter.setPen(BLOCK_TEXT)
        painter.setClipRect(self.rect().adjusted(1, 1, -1, -1))
        metrics = self.fontMetrics()
        for row, line in enumerate(self.shown_lines()):
            y = TEXT_TOP + row * metrics.lineSpacing() + metrics.ascent()
            painter.drawText(QPoint(TEXT_LEFT, y), line)
