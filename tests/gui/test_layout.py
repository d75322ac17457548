"""The window never clips: at 800x600, 900x560, 1280x800 and 1920x1080, in German and English,
with the longest kind of question waiting (a move with two matching events, a button for each),
every button gets its whole size hint, no two buttons overlap, each lies inside the window, and
the reply can be read whole (it scrolls when it is taller than its room). Screenshots of each
size go to test-artifacts/screenshots/ for a person to look at. The week view too: seven
columns of a usable width, each event inside its day and readable (side by side where two
fit, cascaded where they do not), its buttons whole."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import combinations
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from app.gui.week_layout import CASCADE_LEAST_STEP, LANE_GAP
from app.gui.week_view import BLOCK_GAP
from app.pipeline import Pipeline
from tests.conftest import BERLIN
from tests.gui.test_main_window import Harness, type_request

SIZES = [(800, 600), (900, 560), (1280, 800), (1920, 1080)]
MONDAY = datetime(2026, 3, 30, tzinfo=BERLIN)
REQUESTS = {
    "de": ("Teammeeting", "Verschieb das Teammeeting am Montag auf Dienstag um 10"),
    "en": ("Team meeting", "Move the team meeting on Monday to Tuesday at 10"),
}


def in_window(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_waiting_question_and_its_buttons_fit_at_every_size(
    qtbot, tmp_path: Path, pipeline: Pipeline, language: str
) -> None:
    title, request = REQUESTS[language]
    harness = Harness(qtbot, tmp_path, pipeline, ui_language=language)
    for hour in (9, 14):
        harness.store.create(title, MONDAY.replace(hour=hour), timedelta(hours=1))
    harness.start()
    type_request(harness, request)
    window = harness.window
    assert window.state == "waiting"
    choices = [button for button in window.choice_buttons() if button.isVisible()]
    assert len(choices) >= 3  # one per matching event, and "no"
    for width, height in SIZES:
        window.resize(width, height)
        QApplication.processEvents()
        assert (window.width(), window.height()) == (width, height)
        buttons = [b for b in window.findChildren(QPushButton) if b.isVisible()]
        frame = window.rect()
        for button in buttons:
            hint = button.sizeHint()
            where = f"{button.objectName()} {button.text()!r} at {width}x{height}"
            assert button.width() >= hint.width() and button.height() >= hint.height(), where
            assert frame.contains(in_window(button, window)), where
        for first, second in combinations(buttons, 2):
            assert not in_window(first, window).intersects(in_window(second, window)), (
                first.text(),
                second.text(),
            )
        reply = window.reply_label
        room = window.exchange_scroll.viewport().height()
        scrollable = window.exchange_scroll.verticalScrollBar().maximum() > 0
        assert reply.height() >= reply.heightForWidth(reply.width()), (width, height)
        assert room > 0 and (window.exchange.height() <= room or scrollable), (width, height)
        harness.screenshot(f"layout-{language}-{width}x{height}")


WEEK_EVENTS = {
    "de": ("Teammeeting mit der ganzen Abteilung", "Betriebsausflug"),
    "en": ("Team meeting with the whole department", "Company outing"),
}


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_week_fits_at_every_size(
    qtbot, tmp_path: Path, pipeline: Pipeline, language: str
) -> None:
    """Seven columns of a readable width side by side inside the window (scrolling sideways
    where the window is too narrow for them), every event block in its day's column, the
    week's buttons whole and apart, the conversation's buttons too."""
    meeting, outing = WEEK_EVENTS[language]
    harness = Harness(qtbot, tmp_path, pipeline, ui_language=language)
    harness.store.create(meeting, MONDAY.replace(day=23, hour=9), timedelta(hours=1))
    harness.store.create(meeting, MONDAY.replace(day=23, hour=9, minute=30), timedelta(hours=1))
    harness.store.create(outing, MONDAY.replace(day=27).date(), timedelta(days=1))
    harness.start()
    window = harness.window
    window.calendar.week_button.click()
    week = window.calendar.week
    qtbot.waitUntil(lambda: len(week.blocks()) == 3, timeout=10_000)
    for width, height in SIZES:
        window.resize(width, height)
        QApplication.processEvents()
        where = f"{language} {width}x{height}"
        frame = window.rect()
        assert frame.contains(in_window(week, window)), where
        columns = [week.hours.column(index) for index in range(7)]
        least = week.hours.least_day_width()
        assert all(column_width >= least for _left, column_width in columns), (where, columns)
        viewport = week.hours_scroll.viewport()
        sideways = week.hours_scroll.horizontalScrollBar()
        if week.hours.width() > viewport.width():  # the days scroll sideways; none is cut off
            assert sideways.isVisible() and sideways.maximum() == week.hours.width() - (
                viewport.width()
            ), where
        else:
            assert week.hours.width() == viewport.width() and not sideways.isVisible(), where
        ruler = QRect(sideways.value(), 0, week.hours.gutter, week.hours.height())
        assert week.hours.sticky.geometry() == ruler, where  # the hours' labels, in view
        header_columns = [week.header.column(index) for index in range(7)]
        assert header_columns == columns, where  # the day names sit over their columns
        for block in week.blocks():
            part = week.header if block.parent() is week.header else week.hours
            left, column_width = part.column(block.day)
            assert left <= block.x() and block.x() + block.width() <= left + column_width, where
            assert block.height() >= block.fontMetrics().height(), where
        first, second = sorted(week.blocks_titled(meeting), key=lambda block: block.y())
        week.show_block(first)  # Monday's, scrolled into view where the days scroll
        QApplication.processEvents()
        readable = week.hours.readable_width()
        inner = columns[0][1] - 2 * BLOCK_GAP
        if inner >= 2 * (readable + LANE_GAP):
            assert not first.geometry().intersects(second.geometry()), where  # side by side
            assert min(first.width(), second.width()) >= readable, where
        else:  # cascaded: the later one a step right, over the earlier one, whose top shows
            least = min(readable, inner - CASCADE_LEAST_STEP)
            assert min(first.width(), second.width()) >= least, where
            assert first.x() < second.x(), where
            assert week.hours.childAt(second.geometry().center()) is second, where
            assert week.hours.childAt(first.geometry().topLeft() + QPoint(2, 2)) is first, where
        assert width < 1920 or not first.geometry().intersects(second.geometry()), where
        buttons = [b for b in window.findChildren(QPushButton) if b.isVisible()]
        for button in buttons:
            hint = button.sizeHint()
            name = f"{button.objectName()} {button.text()!r} at {where}"
            assert button.width() >= hint.width() and button.height() >= hint.height(), name
            assert frame.contains(in_window(button, window)), name
        for one, other in combinations(buttons, 2):
            assert not in_window(one, window).intersects(in_window(other, window)), (
                one.text(),
                other.text(),
            )
        assert week.hours_scroll.viewport().height() >= 3 * 40, where
        harness.screenshot(f"week-{language}-{width}x{height}")
