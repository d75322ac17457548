"""The week at a glance: seven day columns with each event as a block at its time, an all-day
row, today and the current time marked, and buttons for the previous, next and current week.
Each day keeps a width where the start of a title can be read; in a window too narrow for seven
of those, the days scroll sideways under the hours, today's first in view.

Overlapping events of a day go side by side in lanes where each lane is wide enough to read
(`READABLE_CHARACTERS`), and cascade where it is not: each later block a step right of the one
it lies on, the one with the keyboard on top of all.

Each event is a focusable button with an accessible name: a click, Enter or Space opens it,
Delete asks to delete it, the arrows go to the event before or after it that day (up, down)
or on the nearest day with events (left, right); Page Up and Page Down change the week."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from babel.dates import format_date, format_interval, format_skeleton
from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.dialog.replies import replies_for
from app.gui.block_text import block_text
from app.gui.event_block import TEXT_LEFT, TEXT_RIGHT, EventBlock
from app.gui.text import UiText
from app.gui.week_columns import DayColumns
from app.gui.week_layout import (
    CASCADE_LEAST_STEP,
    DAY_CHARACTERS,
    DAYS_IN_WEEK,
    READABLE_CHARACTERS,
    SHORT_MINUTES,
    SHORTEST_MINUTES,
    WeekPlan,
    block_span,
    monday_of,
    plan_week,
    week_days,
)
from calendar_backend import Occurrence

HOUR_HEIGHT = 40
FIRST_HOUR_SHOWN = 7
ALL_DAY_HEIGHT = 22
BLOCK_GAP = 2
TODAY_TINT = QColor(37, 99, 235, 22)
TODAY_HEADER = QColor("#2563eb")
NOW_LINE = QColor("#dc2626")
BABEL_LOCALES = {"de": "de_DE", "en": "en_US"}
_ODD_SPACES = str.maketrans({"\u2009": " ", "\u202f": " ", "\u00a0": " "})


class WeekHeader(DayColumns):
    """Each day's name and date (today's highlighted), and below them the all-day events."""

    def __init__(self) -> None:
        super().__init__(None)
        self.day_names: list[tuple[str, str]] = []
        self.all_day: list[list[EventBlock]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def names_height(self) -> int:
        return 2 * self.fontMetrics().height() + 8

    def rows(self) -> int:
        return max([1, *(len(blocks) for blocks in self.all_day)])

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(7 * 40, self.names_height() + self.rows() * ALL_DAY_HEIGHT + 6)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self.sizeHint()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        self.place()
        super().resizeEvent(event)

    def place(self) -> None:
        top = self.names_height() + 2
        for index, blocks in enumerate(self.all_day):
            left, width = self.column(index)
            for row, block in enumerate(blocks):
                block.setGeometry(
                    left + BLOCK_GAP,
                    top + row * ALL_DAY_HEIGHT,
                    width - 2 * BLOCK_GAP,
                    ALL_DAY_HEIGHT - BLOCK_GAP,
                )
        self.follow_scroll(self.sticky.scrolled)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        line = self.palette().mid().color()
        names = self.names_height()
        today = self.today_index()
        bold = QFont(self.font())
        bold.setBold(True)
        for index, (weekday, day) in enumerate(self.day_names):
            left, width = self.column(index)
            cell = QRect(left, 0, width, names)
            if index == today:
                painter.fillRect(cell.adjusted(1, 1, -1, -1), TODAY_HEADER)
                painter.setPen(QColor("white"))
                painter.setFont(bold)
            else:
                painter.setPen(self.palette().text().color())
                painter.setFont(self.font())
            painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, f"{weekday}\n{day}")
            painter.setPen(line)
            painter.drawLine(left, names, left, self.height())
        painter.setPen(line)
        painter.drawLine(self.gutter, self.height() - 1, self.width(), self.height() - 1)


class WeekHours(DayColumns):
    """The hours of the seven days, the timed events as blocks at their times, and a line at
    the current time in today's column."""

    def __init__(self) -> None:
        super().__init__(HOUR_HEIGHT)
        self.now: datetime | None = None
        self.blocks: list[tuple[EventBlock, int, int, int, int]] = []
        """(block, top minute, bottom minute, lane, lanes), by day and start."""
        self.setMinimumHeight(24 * HOUR_HEIGHT)
        self.setFixedHeight(24 * HOUR_HEIGHT)

    def y_of(self, minute: int) -> int:
        return minute * HOUR_HEIGHT // 60

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        self.place()
        super().resizeEvent(event)

    def readable_width(self) -> int:
        """The narrowest block whose text can be read: about eight average characters."""
        return READABLE_CHARACTERS * self.fontMetrics().averageCharWidth() + TEXT_LEFT + TEXT_RIGHT

    def least_day_width(self) -> int:
        """The narrowest day column: one that shows the start of a title (`DAY_CHARACTERS`)
        and holds a readable block where three overlapping ones cascade. A narrower window
        scrolls the days sideways."""
        title = DAY_CHARACTERS * self.fontMetrics().averageCharWidth() + TEXT_LEFT + TEXT_RIGHT
        return max(title, self.readable_width() + 2 * CASCADE_LEAST_STEP) + 2 * BLOCK_GAP

    def place(self) -> None:
        shortest = self.y_of(SHORTEST_MINUTES) - BLOCK_GAP
        readable = self.readable_width()
        for block, top, bottom, lane, lanes in self.blocks:
            left, width = self.column(block.day)
            span = block_span(width - 2 * BLOCK_GAP, lane, lanes, readable)
            y = self.y_of(top) + 1
            height = max(shortest, self.y_of(bottom) - y - 1)
            block.setGeometry(left + BLOCK_GAP + span.x, y, span.width, height)
        for index, (block, *_rest) in enumerate(self.blocks):
            block.open_height = None
            for later, *_ in self.blocks[index + 1 :]:
                if later.day == block.day and later.geometry().intersects(block.geometry()):
                    open_height = later.y() - block.y()
                    if block.open_height is None or open_height < block.open_height:
                        block.open_height = open_height
        self.follow_scroll(self.sticky.scrolled)
        self.stack()

    def stack(self) -> None:
        """Each block above the blocks that start before it: a cascade's later block lies on
        the earlier one, which shows its top above it; the one with the keyboard above all."""
        for block, *_rest in self.blocks:
            block.raise_()
        for block, *_rest in self.blocks:
            if block.hasFocus():
                block.raise_()
        self.sticky.raise_()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        line = self.palette().mid().color()
        today = self.today_index()
        if today is not None:
            left, width = self.column(today)
            painter.fillRect(QRect(left, 0, width, self.height()), TODAY_TINT)
        painter.setPen(line)
        for hour in range(24):
            y = self.y_of(hour * 60)
            painter.drawLine(self.gutter, y, self.width(), y)
        for index in range(DAYS_IN_WEEK):
            left, _width = self.column(index)
            painter.drawLine(left, 0, left, self.height())
        if today is not None and self.now is not None:
            left, width = self.column(today)
            minute = self.now.hour * 60 + self.now.minute
            y = self.y_of(minute)
            painter.setPen(QPen(NOW_LINE, 2))
            painter.drawLine(left, y, left + width, y)
            painter.setBrush(NOW_LINE)
            painter.drawEllipse(QPoint(left + 3, y), 4, 4)

    def now_line_y(self) -> int | None:
        """Where the current-time line is drawn, when this week holds today."""
        if self.today_index() is None or self.now is None:
            return None
        return self.y_of(self.now.hour * 60 + self.now.minute)


class WeekView(QWidget):
    """Shows one week (`show_week`); says which week the person asks for (`week_chosen`), which
    event to open (`opened`) and which to delete (`delete_asked`)."""

    week_chosen = Signal(object)
    """The Monday of the week to show."""
    opened = Signal(object)
    delete_asked = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("week")
        self.first = monday_of(date.today())
        self.asked = self.first
        """The week asked for last; it shows once read (a second click goes on from it)."""
        self.today = date.today()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        navigation = QHBoxLayout()
        self.previous_button = QPushButton("\u25c0")
        self.previous_button.setObjectName("previous-week")
        self.today_button = QPushButton()
        self.today_button.setObjectName("this-week")
        self.next_button = QPushButton("\u25b6")
        self.next_button.setObjectName("next-week")
        self.range_label = QLabel()
        self.range_label.setObjectName("week-range")
        self.range_label.setWordWrap(True)
        self.previous_button.clicked.connect(lambda: self.choose_week(self.asked - _WEEK))
        self.next_button.clicked.connect(lambda: self.choose_week(self.asked + _WEEK))
        self.today_button.clicked.connect(lambda: self.choose_week(monday_of(self.today)))
        for button in (self.previous_button, self.today_button, self.next_button):
            navigation.addWidget(button)
        navigation.addWidget(self.range_label, 1)
        layout.addLayout(navigation)
        self.header = WeekHeader()
        bar = Qt.ScrollBarPolicy
        self.header_scroll = _scroll_area(
            "week-days", self.header, sideways=bar.ScrollBarAlwaysOff, down=bar.ScrollBarAlwaysOff
        )
        self.header_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # it follows the hours
        self.hours = WeekHours()
        self.hours_scroll = _scroll_area(
            "week-hours", self.hours, sideways=bar.ScrollBarAsNeeded, down=bar.ScrollBarAlwaysOn
        )
        sideways = self.hours_scroll.horizontalScrollBar()
        sideways.valueChanged.connect(self._scrolled_sideways)
        sideways.rangeChanged.connect(lambda _least, _most: self._show_first_day())
        layout.addWidget(self.header_scroll)
        layout.addWidget(self.hours_scroll, 1)
        self.setMinimumWidth(7 * 36 + 60)
        self._scrolled_for: date | None = None

    # --- showing ---------------------------------------------------------------------------

    def choose_week(self, first: date) -> None:
        self.asked = monday_of(first)
        self.week_chosen.emit(self.asked)

    def show_week(
        self,
        occurrences: Sequence[Occurrence],
        first: date,
        today: date,
        now: datetime | None,
        text: UiText,
    ) -> None:
        focused = self._focused_key()
        self.first, self.today = monday_of(first), today
        self.asked = self.first
        replies = replies_for(text.language)
        babel_locale = BABEL_LOCALES[text.language]
        days = week_days(self.first)
        self.previous_button.setToolTip(text("Previous week"))
        self.previous_button.setAccessibleName(text("Previous week"))
        self.next_button.setToolTip(text("Next week"))
        self.next_button.setAccessibleName(text("Next week"))
        self.today_button.setText(text("This week"))
        self.today_button.setAccessibleName(text("This week"))
        self.range_label.setText(
            format_interval(days[0], days[-1], "yMMMd", locale=babel_locale).translate(_ODD_SPACES)
        )
        gutter = max(
            self.fontMetrics().horizontalAdvance(replies.clock_text(time(hour)))
            for hour in range(24)
        )
        for part in (self.header, self.hours):
            part.first, part.today, part.gutter = self.first, today, gutter + 10
            part.right_margin = 0
        self.header.right_margin = self.hours_scroll.verticalScrollBar().sizeHint().width()
        self.header.day_names = [
            (
                format_date(day, "EEE", locale=babel_locale),
                format_skeleton("dM", day, locale=babel_locale),
            )
            for day in days
        ]
        self.hours.sticky.labels = [replies.clock_text(time(hour)) for hour in range(24)]
        self.hours.now = now
        self._fill(plan_week(occurrences, self.first), text)
        self.setAccessibleName(
            text(
                "Week of {days}",
                days=format_interval(days[0], days[-1], "yMMMMd", locale=babel_locale),
            )
        )
        self._restore_focus(focused)
        if self._scrolled_for != self.first:
            self._scrolled_for = self.first
            self.hours_scroll.verticalScrollBar().setValue(self.hours.y_of(FIRST_HOUR_SHOWN * 60))
            self._show_first_day()

    def _fit_days(self) -> None:
        """Every day column at least `least_day_width` wide; where the view is narrower, the
        days scroll sideways under the hours, and the day names with them."""
        least = self.hours.gutter + DAYS_IN_WEEK * self.hours.least_day_width()
        self.hours.setMinimumWidth(least)
        self.header.setMinimumWidth(least + self.header.right_margin)
        self.header_scroll.setFixedHeight(self.header.sizeHint().height())

    def _show_first_day(self) -> None:
        """Today's column first in view right of the hours in this week (or as far as the
        days scroll), Monday's in any other."""
        today = self.hours.today_index()
        left = self.hours.column(today)[0] - self.hours.gutter if today is not None else 0
        self.hours_scroll.horizontalScrollBar().setValue(left)

    def _scrolled_sideways(self, scrolled: int) -> None:
        self.header_scroll.horizontalScrollBar().setValue(scrolled)
        self.hours.follow_scroll(scrolled)
        self.header.follow_scroll(scrolled)

    def set_now(self, now: datetime, today: date) -> None:
        self.hours.now, self.hours.today, self.header.today = now, today, today
        self.today = today
        self.hours.update()
        self.header.update()

    def _fill(self, plan: WeekPlan, text: UiText) -> None:
        for block in self.blocks():
            block.setParent(None)
            block.deleteLater()
        self.header.all_day = []
        for index, items in enumerate(plan.all_day):
            blocks = [self._block(o, index, text, self.header) for o in items]
            self.header.all_day.append(blocks)
        self.hours.blocks = []
        for piece in plan.timed:
            block = self._block(piece.occurrence, piece.day, text, self.hours)
            block.short = piece.bottom - piece.top <= SHORT_MINUTES
            block.on_focus_out = self.hours.stack
            self.hours.blocks.append((block, piece.top, piece.bottom, piece.lane, piece.lanes))
        self._fit_days()
        self.header.updateGeometry()
        self.header.place()
        self.hours.place()
        self.header.update()
        self.hours.update()

    def _block(self, occurrence: Occurrence, day: int, text: UiText, parent: QWidget) -> EventBlock:
        words = block_text(occurrence, self.first + timedelta(days=day), text)
        block = EventBlock(occurrence, day, words)
        block.setParent(parent)
        block.clicked.connect(lambda: self.opened.emit(occurrence))
        block.on_key = self._key
        block.show()
        return block

    # --- for keyboard, tests and accessibility --------------------------------------------

    def blocks(self) -> list[EventBlock]:
        """Every event block, day by day, all-day ones first, then by start."""
        all_day = [(block.day, -1, block) for blocks in self.header.all_day for block in blocks]
        timed = [(block.day, top, block) for block, top, _b, _l, _n in self.hours.blocks]
        return [block for _day, _top, block in sorted(all_day + timed, key=_block_order)]

    def blocks_titled(self, title: str) -> list[EventBlock]:
        return [block for block in self.blocks() if block.occurrence.title == title]

    def _key(self, block: EventBlock, event: QKeyEvent) -> bool:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.opened.emit(block.occurrence)
        elif key == Qt.Key.Key_Delete:
            self.delete_asked.emit(block.occurrence)
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right):
            target = self._neighbour(block, key)
            if target is not None:
                target.setFocus(Qt.FocusReason.OtherFocusReason)
                self.show_block(target)
        elif key == Qt.Key.Key_PageUp:
            self.choose_week(self.asked - _WEEK)
        elif key == Qt.Key.Key_PageDown:
            self.choose_week(self.asked + _WEEK)
        else:
            return False
        return True

    def show_block(self, block: EventBlock) -> None:
        """Scroll the days so that the block's day is in view right of the hours, and the hours
        so that a timed block is in view."""
        sideways = self.hours_scroll.horizontalScrollBar()
        left, width = self.hours.column(block.day)
        first_in_view = left - self.hours.gutter
        last_in_view = left + width - self.hours_scroll.viewport().width()
        sideways.setValue(max(min(sideways.value(), first_in_view), last_in_view))
        if block.parentWidget() is self.hours:
            self.hours_scroll.ensureWidgetVisible(block, 0, 50)

    def _neighbour(self, block: EventBlock, key: int) -> EventBlock | None:
        ordered = self.blocks()
        same_day = [other for other in ordered if other.day == block.day]
        position = same_day.index(block)
        if key == Qt.Key.Key_Up:
            return same_day[position - 1] if position > 0 else None
        if key == Qt.Key.Key_Down:
            return same_day[position + 1] if position + 1 < len(same_day) else None
        step = 1 if key == Qt.Key.Key_Right else -1
        day = block.day + step
        while 0 <= day < DAYS_IN_WEEK:
            on_day = [other for other in ordered if other.day == day]
            if on_day:
                return on_day[min(position, len(on_day) - 1)]
            day += step
        return None

    def _focused_key(self) -> tuple[str, object, int] | None:
        for block in self.blocks():
            if block.hasFocus():
                return (block.occurrence.uid, block.occurrence.start, block.day)
        return None

    def _restore_focus(self, key: tuple[str, object, int] | None) -> None:
        if key is None:
            return
        for block in self.blocks():
            if (block.occurrence.uid, block.occurrence.start, block.day) == key:
                block.setFocus(Qt.FocusReason.OtherFocusReason)
                return
        blocks = self.blocks()
        if blocks:
            blocks[0].setFocus(Qt.FocusReason.OtherFocusReason)


_WEEK = timedelta(days=DAYS_IN_WEEK)


def _scroll_area(
    name: str, content: QWidget, *, sideways: Qt.ScrollBarPolicy, down: Qt.ScrollBarPolicy
) -> QScrollArea:
    area = QScrollArea()
    area.setObjectName(name)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(sideways)
    area.setVerticalScrollBarPolicy(down)
    area.setWidget(content)
    return area


def _block_order(entry: tuple[int, int, EventBlock]) -> tuple[int, int, str]:
    day, top, block = entry
    return (day, top, block.occurrence.title.casefold())
