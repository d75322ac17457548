"""The week view in the real window, with the real models and calendars (a file and a Radicale
server on 127.0.0.1): events as blocks at their times, today and now marked, the weeks before
and after, an event clicked open, deleted with a yes and brought back, moved, its length and title
changed and undone, all
through the same dialog and backend as a spoken request; the keyboard does it all too. At the
smallest size, overlapping events cascade so that each title can be read and each clicked."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QPoint, Qt, QTime
from PySide6.QtWidgets import QApplication, QWidget

from app.gui.event_block import TEXT_TOP, EventBlock
from app.gui.event_details import EventDetails
from app.gui.preferences import load_preferences
from app.gui.week_layout import CASCADE_LEAST_STEP
from app.gui.week_view import BLOCK_GAP, HOUR_HEIGHT, WeekView
from app.pipeline import Pipeline
from app.speech.audio import load_audio
from calendar_backend import CalendarStore
from tests.conftest import BERLIN
from tests.gui.test_main_window import (
    ANSWER_TIMEOUT_MS,
    FIXTURES,
    NOW,
    TOMORROW_3PM,
    Harness,
    seed_dentist,
    type_request,
)

MONDAY = date(2026, 3, 23)  # the week of NOW (Thursday, March 26)
FRIDAY = TOMORROW_3PM.date()
NEXT_THURSDAY = datetime(2026, 4, 2, 9, 0, tzinfo=BERLIN)  # after the agenda's days


def week_of(harness: Harness) -> WeekView:
    return harness.window.calendar.week


def show_week(harness: Harness) -> WeekView:
    harness.qtbot.mouseClick(harness.window.calendar.week_button, Qt.MouseButton.LeftButton)
    week = week_of(harness)
    assert week.isVisible()
    return week


def titles(week: WeekView) -> list[str]:
    return [block.occurrence.title for block in week.blocks()]


def only_block(week: WeekView, title: str) -> EventBlock:
    (block,) = week.blocks_titled(title)
    return block


def open_details(harness: Harness, title: str) -> EventDetails:
    harness.qtbot.mouseClick(only_block(week_of(harness), title), Qt.MouseButton.LeftButton)
    details = harness.window.events.details
    assert details is not None and details.isVisible()
    return details


def focused(harness: Harness) -> QWidget | None:
    """The widget that has the keyboard in the window (whether or not the window is the
    active one: the tests share one offscreen screen)."""
    return harness.window.focusWidget()


def answer_to(harness: Harness, button: QWidget) -> None:
    with harness.qtbot.waitSignal(harness.window.answered, timeout=ANSWER_TIMEOUT_MS):
        harness.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    harness.settle()


def yes_button(harness: Harness) -> QWidget:
    buttons = {button.objectName(): button for button in harness.window.choice_buttons()}
    return buttons["confirm-0"]


def test_the_week_shows_each_event_at_its_time_with_today_now_and_marks(
    qtbot, tmp_path: Path, pipeline: Pipeline
) -> None:
    harness = Harness(qtbot, tmp_path, pipeline)
    seed_dentist(harness.store)
    harness.store.create(
        "Choir",
        datetime(2026, 3, 24, 18, 30, tzinfo=BERLIN),
        timedelta(hours=2),
        recurrence="FREQ=WEEKLY;COUNT=4",
        reminder_minutes=15,
    )
    harness.store.create("Holiday", date(2026, 3, 25), timedelta(days=2))
    harness.start()
    week = show_week(harness)
    qtbot.waitUntil(lambda: "Dentist appointment" in titles(week), timeout=10_000)
    assert load_preferences(harness.settings).calendar_view == "week"  # the choice is kept

    dentist = only_block(week, "Dentist appointment")
    assert dentist.day == 4  # Friday's column
    left, width = week.hours.column(4)
    assert left <= dentist.x() and dentist.x() + dentist.width() <= left + width
    assert dentist.y() == pytest.approx(15 * HOUR_HEIGHT, abs=2)
    assert dentist.height() == pytest.approx(HOUR_HEIGHT, abs=3)
    assert dentist.text() == "3:00 PM Dentist appointment"

    choir = only_block(week, "Choir")
    assert choir.text() == "6:30 PM Choir \u21bb \u25f7"
    assert "Recurring appointment" in choir.accessibleName()
    assert "Reminder 15 min before" in choir.accessibleName()

    holiday = week.blocks_titled("Holiday")
    assert [block.day for block in holiday] == [2, 3]  # in the all-day row, each of its days
    assert all(block.parent() is week.header for block in holiday)

    assert week.hours.today_index() == 3  # Thursday
    assert week.hours.now_line_y() == 10 * HOUR_HEIGHT
    assert week.range_label.text() == "Mar 23 \u2013 29, 2026"
    harness.screenshot("week-en")


def test_the_previous_and_next_weeks_and_back_to_this_one(
    qtbot, tmp_path: Path, pipeline: Pipeline
) -> None:
    harness = Harness(qtbot, tmp_path, pipeline)
    seed_dentist(harness.store)
    harness.store.create("Standup", NEXT_THURSDAY, timedelta(minutes=15))
    harness.start()
    week = show_week(harness)
    qtbot.waitUntil(lambda: "Dentist appointment" in titles(week), timeout=10_000)
    assert "Standup" not in titles(week)

    qtbot.mouseClick(week.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: titles(week) == ["Standup"], timeout=10_000)
    assert week.first == MONDAY + timedelta(days=7)
    assert week.hours.today_index() is None and week.hours.now_line_y() is None
    assert "Standup" not in harness.agenda_titles()  # the agenda still shows its seven days

    qtbot.mouseClick(week.previous_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(week.previous_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: week.first == MONDAY - timedelta(days=7), timeout=10_000)
    qtbot.waitUntil(lambda: titles(week) == [], timeout=10_000)

    qtbot.mouseClick(week.today_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Dentist appointment" in titles(week), timeout=10_000)
    assert week.first == MONDAY


@pytest.mark.parametrize("where", ["file", "server"])
def test_an_event_clicked_is_deleted_with_a_yes_undone_and_moved(
    qtbot, tmp_path: Path, pipeline: Pipeline, where: str, request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue("caldav_url") if where == "server" else ""
    harness = Harness(qtbot, tmp_path, pipeline, calendar_url=url)
    seed_dentist(harness.store)  # Friday 3 PM, one hour
    harness.start()
    week = show_week(harness)
    qtbot.waitUntil(lambda: "Dentist appointment" in titles(week), timeout=20_000)
    window = harness.window

    details = open_details(harness, "Dentist appointment")
    facts = {name: label.text() for name, label in details.values.items()}
    assert facts["When"] == "Friday, March 27, 3:00 PM\u20134:00 PM"
    assert facts["Length"] == "1 hour"
    assert facts["Repeats"] == "Only once"
    assert facts["Reminder"] == "No reminder"
    assert facts["Calendar"] == harness.preferences.calendar_location
    harness.screenshot(f"week-details-{where}")

    answer_to(harness, details.delete_button)
    assert window.state == "waiting"
    assert window.reply_label.text() == (
        "Shall I delete Dentist appointment on Friday, March 27 at 3:00 PM?"
    )
    assert harness.titles_on(FRIDAY) == ["Dentist appointment"]  # nothing before the yes
    answer_to(harness, yes_button(harness))
    assert harness.titles_on(FRIDAY) == []
    assert "Dentist appointment" not in titles(week)

    answer_to(harness, window.undo_button)
    assert harness.titles_on(FRIDAY) == ["Dentist appointment"]
    assert "Dentist appointment" in titles(week)

    details = open_details(harness, "Dentist appointment")
    details.new_day.setDate(QDate(2026, 3, 26))
    details.new_time.setTime(QTime(17, 15))
    answer_to(harness, details.edit_button)  # the start alone: asked as a move
    assert window.reply_label.text().startswith("Shall I move Dentist appointment from")
    answer_to(harness, yes_button(harness))
    (moved,) = harness.store.occurrences(NOW.date(), NOW.date())
    assert moved.start == datetime(2026, 3, 26, 17, 15, tzinfo=BERLIN)
    assert moved.end - moved.start == timedelta(hours=1)
    assert harness.titles_on(FRIDAY) == []
    block = only_block(week, "Dentist appointment")
    assert block.day == 3
    assert block.y() == pytest.approx(17.25 * HOUR_HEIGHT, abs=2)


@pytest.mark.parametrize("where", ["file", "server"])
def test_an_event_clicked_gets_a_new_length_and_title_with_a_yes_and_undo_restores_it(
    qtbot, tmp_path: Path, pipeline: Pipeline, where: str, request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue("caldav_url") if where == "server" else ""
    harness = Harness(qtbot, tmp_path, pipeline, calendar_url=url)
    seed_dentist(harness.store)  # Friday 3 PM, one hour
    harness.start()
    week = show_week(harness)
    qtbot.waitUntil(lambda: "Dentist appointment" in titles(week), timeout=20_000)
    window = harness.window
    block_height = only_block(week, "Dentist appointment").height()

    details = open_details(harness, "Dentist appointment")
    assert details.new_length.value() == 60
    assert details.new_title.text() == "Dentist appointment"
    assert details.new_length.accessibleName() == "New length in minutes"
    assert details.new_title.accessibleName() == "New title"
    assert details.edit_button.text() == "Edit…"
    details.new_title.clear()
    assert not details.edit_button.isEnabled()  # no appointment without a title
    qtbot.keyClicks(details.new_title, "Dentist, Dr. Weber; check-up")
    details.new_length.setValue(90)
    answer_to(harness, details.edit_button)
    assert window.state == "waiting"
    assert window.reply_label.text() == (
        "Shall I change Dentist appointment on Friday, March 27 at 3:00 PM to the title "
        "“Dentist, Dr. Weber; check-up” and a length of 1 hour and 30 minutes?"
    )
    assert yes_button(harness).text() == "Yes, change it"
    assert harness.titles_on(FRIDAY) == ["Dentist appointment"]  # nothing before the yes

    answer_to(harness, yes_button(harness))
    (edited,) = harness.store.occurrences(FRIDAY, FRIDAY)
    assert edited.title == "Dentist, Dr. Weber; check-up"
    assert edited.end - edited.start == timedelta(minutes=90)
    block = only_block(week, "Dentist, Dr. Weber; check-up")
    assert block.height() == pytest.approx(block_height * 1.5, abs=3)

    answer_to(harness, window.undo_button)
    (restored,) = harness.store.occurrences(FRIDAY, FRIDAY)
    assert (restored.title, restored.end - restored.start) == (
        "Dentist appointment",
        timedelta(hours=1),
    )
    assert titles(week) == ["Dentist appointment"]
    assert only_block(week, "Dentist appointment").height() == block_height


def test_the_keyboard_moves_between_events_opens_and_deletes(
    qtbot, tmp_path: Path, pipeline: Pipeline
) -> None:
    harness = Harness(qtbot, tmp_path, pipeline)
    seed_dentist(harness.store)
    harness.store.create("Gym", TOMORROW_3PM.replace(hour=18), timedelta(hours=1))
    harness.store.create("Breakfast", datetime(2026, 3, 24, 8, 0, tzinfo=BERLIN))
    harness.start()
    week = show_week(harness)
    qtbot.waitUntil(lambda: len(week.blocks()) == 3, timeout=10_000)
    breakfast = only_block(week, "Breakfast")
    breakfast.setFocus()
    qtbot.keyClick(breakfast, Qt.Key.Key_Right)  # Wednesday and Thursday are empty
    assert focused(harness) is only_block(week, "Dentist appointment")
    qtbot.keyClick(only_block(week, "Dentist appointment"), Qt.Key.Key_Down)
    gym = only_block(week, "Gym")
    assert focused(harness) is gym
    qtbot.keyClick(gym, Qt.Key.Key_Up)
    assert focused(harness) is only_block(week, "Dentist appointment")

    qtbot.keyClick(only_block(week, "Dentist appointment"), Qt.Key.Key_Return)
    details = harness.window.events.details
    assert details is not None and details.isVisible()
    details.reject()

    gym.setFocus()
    with qtbot.waitSignal(harness.window.answered, timeout=ANSWER_TIMEOUT_MS):
        qtbot.keyClick(gym, Qt.Key.Key_Delete)
    harness.settle()
    assert harness.window.reply_label.text() == "Shall I delete Gym on Friday, March 27 at 6:00 PM?"
    assert focused(harness) is yes_button(harness)  # Enter there says yes
    with qtbot.waitSignal(harness.window.answered, timeout=ANSWER_TIMEOUT_MS):
        qtbot.keyClick(yes_button(harness), Qt.Key.Key_Return)
    harness.settle()
    assert harness.titles_on(FRIDAY) == ["Dentist appointment"]
    assert "Gym" not in titles(week)

    for accessible in (week.previous_button, week.next_button, week.today_button):
        assert accessible.accessibleName()
    assert harness.window.talk_button.accessibleName() == "Talk (Space)"


def test_space_talks_while_an_event_has_the_focus(
    qtbot, tmp_path: Path, pipeline: Pipeline
) -> None:
    harness = Harness(qtbot, tmp_path, pipeline)
    seed_dentist(harness.store)
    harness.start()
    week = show_week(harness)
    qtbot.waitUntil(lambda: "Dentist appointment" in titles(week), timeout=10_000)
    block = only_block(week, "Dentist appointment")
    block.setFocus()
    harness.recordings.append(load_audio(FIXTURES / "en_create_lunch.flac"))
    qtbot.keyClick(block, Qt.Key.Key_Space)
    assert harness.window.state == "listening"
    with qtbot.waitSignal(harness.window.answered, timeout=ANSWER_TIMEOUT_MS):
        qtbot.keyClick(harness.window, Qt.Key.Key_Space)
    harness.settle()
    assert "lunch with Sarah" in titles(week)  # a spoken request shows in the week at once
    assert harness.window.events.details is None  # Space talked; it did not open the event


def test_a_typed_request_and_another_programs_change_show_in_the_week_at_once(
    qtbot, tmp_path: Path, pipeline: Pipeline
) -> None:
    harness = Harness(qtbot, tmp_path, pipeline)
    harness.start()
    week = show_week(harness)
    type_request(harness, "Put lunch with Sarah on my calendar on Saturday at noon for two hours.")
    lunch = only_block(week, "lunch with Sarah")
    assert lunch.day == 5
    assert lunch.y() == pytest.approx(12 * HOUR_HEIGHT, abs=2)
    assert lunch.height() == pytest.approx(2 * HOUR_HEIGHT, abs=3)

    other_program = CalendarStore(harness.preferences.calendar_path, zone=BERLIN)
    other_program.create("Choir", datetime(2026, 3, 29, 18, 0, tzinfo=BERLIN), timedelta(hours=2))
    qtbot.waitUntil(lambda: "Choir" in titles(week), timeout=10_000)
    assert only_block(week, "Choir").day == 6


def test_a_german_week_speaks_german(qtbot, tmp_path: Path, pipeline: Pipeline) -> None:
    harness = Harness(qtbot, tmp_path, pipeline, ui_language="de")
    seed_dentist(harness.store)
    harness.start()
    week = show_week(harness)
    qtbot.waitUntil(lambda: "Dentist appointment" in titles(week), timeout=10_000)
    assert week.header.day_names[0] == ("Mo.", "23.3.")
    assert week.range_label.text() == "23.\u201329. M\u00e4rz 2026"
    assert week.today_button.text() == "Diese Woche"
    assert week.next_button.accessibleName() == "Nächste Woche"
    assert only_block(week, "Dentist appointment").text() == "15:00 Dentist appointment"
    assert harness.window.calendar.week_button.text() == "Woche"

    details = open_details(harness, "Dentist appointment")
    assert details.windowTitle() == "Termin"
    assert set(details.values) == {
        "Titel",
        "Wann",
        "Dauer",
        "Wiederholung",
        "Erinnerung",
        "Kalender",
    }
    assert details.values["Wann"].text() == "Freitag, 27. März, 15:00\u201316:00"
    assert details.values["Dauer"].text() == "1 Stunde"
    assert details.delete_button.text() == "Löschen …"
    assert details.edit_button.text() == "Ändern …"
    assert details.new_length.accessibleName() == "Neue Dauer in Minuten"
    answer_to(harness, details.delete_button)
    assert harness.window.reply_label.text() == (
        "Soll ich Dentist appointment am Freitag, 27. März um 15:00 löschen?"
    )
    assert yes_button(harness).text() == "Ja, löschen"
    harness.screenshot("week-de-confirm")


def title_row(block: EventBlock) -> int:
    """The middle of the block's first line of text, in the block."""
    return TEXT_TOP + block.fontMetrics().lineSpacing() // 2


def open_width(block: EventBlock, y: int) -> int:
    """How much of the block's row `y`, from its left edge, no other block lies over: where a
    click reaches this block."""
    hours = block.parentWidget()
    x = 0
    while x < block.width() and hours.childAt(block.mapToParent(QPoint(x, y))) is block:
        x += 1
    return x


def visible_point(block: EventBlock) -> QPoint:
    """A point on the block's first line that a click reaches (no block lies over it)."""
    hours = block.parentWidget()
    y = title_row(block)
    for x in range(block.width() - 3, 2, -1):
        if hours.childAt(block.mapToParent(QPoint(x, y))) is block:
            return QPoint(x, y)
    raise AssertionError(f"{block.occurrence.title} is covered all along its first line")


OVERLAPPING = {
    "de": ("Zahnarzt", "Teammeeting", "Mittagessen mit Anna"),
    "en": ("Dentist", "Team meeting", "Lunch with Anna"),
}
TUESDAY_9 = datetime(2026, 3, 24, 9, 0, tzinfo=BERLIN)


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("size", [(800, 600), (1280, 800)])
def test_three_overlapping_events_cascade_each_readable_and_clickable(
    qtbot, tmp_path: Path, pipeline: Pipeline, language: str, size: tuple[int, int]
) -> None:
    """Where a day is too narrow for three lanes side by side, the blocks cascade: each a step
    right of and above the one before, each keeping most of the column and at least the readable
    width (a narrow window scrolls the days sideways rather than narrow them), the first line of
    each (its title) in view across its whole width, and each opens with a click where it shows
    and gets the keyboard in turn."""
    harness = Harness(qtbot, tmp_path, pipeline, ui_language=language)
    titles_in_order = OVERLAPPING[language]
    times = [(0, 90), (30, 90), (60, 60)]  # minutes after 9:00, minutes long
    for title, (offset, minutes) in zip(titles_in_order, times, strict=True):
        start = TUESDAY_9 + timedelta(minutes=offset)
        harness.store.create(title, start, timedelta(minutes=minutes))
    harness.start()
    harness.window.resize(*size)
    week = show_week(harness)
    qtbot.waitUntil(lambda: len(week.blocks()) == 3, timeout=10_000)
    QApplication.processEvents()
    week.hours_scroll.verticalScrollBar().setValue(week.hours.y_of(8 * 60))
    readable = week.hours.readable_width()
    left, column = week.hours.column(1)
    inner = column - 2 * BLOCK_GAP
    assert inner < 3 * readable  # three lanes side by side would be slivers
    assert inner - 2 * CASCADE_LEAST_STEP >= readable
    blocks = [only_block(week, title) for title in titles_in_order]
    week.show_block(blocks[0])
    QApplication.processEvents()

    assert [block.x() for block in blocks] == sorted({block.x() for block in blocks})
    for block in blocks:
        title = block.occurrence.title
        assert block.width() >= min(readable, inner - 2 * CASCADE_LEAST_STEP), title
        assert block.width() > inner // 2, title  # no sliver
        assert left <= block.x() and block.x() + block.width() <= left + column, title
        assert open_width(block, title_row(block)) == block.width(), title
        (line,) = block.shown_lines()  # one row in view: time and title on one line
        assert title[:4] in line, (title, line)
        in_view = block.mapTo(week.hours_scroll.viewport(), QPoint(0, 0))
        assert in_view.x() >= week.hours.gutter, title  # right of the hours, not under them
    harness.screenshot(f"week-cascade-{language}-{size[0]}x{size[1]}")

    title_label = "Titel" if language == "de" else "Title"
    for block in blocks:
        qtbot.mouseClick(block, Qt.MouseButton.LeftButton, pos=visible_point(block))
        details = harness.window.events.details
        assert details is not None and details.isVisible(), block.occurrence.title
        assert details.values[title_label].text() == block.occurrence.title
        details.reject()

    blocks[0].setFocus()
    for block in blocks[1:]:
        qtbot.keyClick(focused(harness), Qt.Key.Key_Down)
        assert focused(harness) is block
        middle = block.mapToParent(block.rect().center())
        assert week.hours.childAt(middle) is block  # the one with the keyboard lies on top
        assert block.accessibleName().startswith(block.occurrence.title)


@pytest.mark.parametrize("language", ["de", "en"])
def test_an_hour_long_block_shows_its_title_beside_its_time(
    qtbot, tmp_path: Path, pipeline: Pipeline, language: str
) -> None:
    harness = Harness(qtbot, tmp_path, pipeline, ui_language=language)
    harness.store.create("Zahnarzt", TOMORROW_3PM, timedelta(hours=1))
    harness.store.create("Chorprobe", TOMORROW_3PM.replace(hour=18), timedelta(hours=2))
    harness.start()
    week = show_week(harness)
    qtbot.waitUntil(lambda: len(week.blocks()) == 2, timeout=10_000)
    clock = "15:00" if language == "de" else "3:00 PM"
    for width, height in [(800, 600), (1280, 800), (1920, 1080)]:
        harness.window.resize(width, height)
        QApplication.processEvents()
        dentist, choir = only_block(week, "Zahnarzt"), only_block(week, "Chorprobe")
        (line,) = dentist.shown_lines()
        assert "Zahn" in line, (width, line)
        if width == 1920:
            assert line == f"{clock} Zahnarzt"  # room for both, whole
        head, *below = choir.shown_lines()  # a longer one: its time, its title below
        assert "".join(below).startswith("Chorprobe") and "Chor" not in head, (width, head)
    harness.screenshot(f"week-{language}-hour-block")


def columns_in_view(week: WeekView) -> list[tuple[int, int]]:
    """Each day column's left edge and width in the hours' viewport."""
    scrolled = week.hours_scroll.horizontalScrollBar().value()
    return [(left - scrolled, width) for left, width in map(week.hours.column, range(7))]


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_narrow_window_scrolls_the_days_sideways_under_the_hours(
    qtbot, tmp_path: Path, pipeline: Pipeline, language: str
) -> None:
    """At 800x600 seven readable days do not fit beside the conversation: each day keeps a
    readable width, today's column comes first in view, the arrows bring an event of another
    day into view right of the hours, and the hours and the day names stay over their rows and
    columns however far the days scroll."""
    harness = Harness(qtbot, tmp_path, pipeline, ui_language=language)
    lunch = OVERLAPPING[language][2]
    harness.store.create(lunch, datetime(2026, 3, 23, 12, 0, tzinfo=BERLIN))
    harness.store.create("Standup", datetime(2026, 3, 26, 11, 0, tzinfo=BERLIN))
    harness.start()
    harness.window.resize(800, 600)
    week = show_week(harness)
    qtbot.waitUntil(lambda: len(week.blocks()) == 2, timeout=10_000)
    QApplication.processEvents()
    sideways = week.hours_scroll.horizontalScrollBar()
    viewport = week.hours_scroll.viewport()
    gutter = week.hours.gutter
    assert sideways.isVisible() and sideways.maximum() > 0
    assert all(width >= week.hours.least_day_width() for _left, width in columns_in_view(week))
    today = (NOW.date() - MONDAY).days
    left, width = columns_in_view(week)[today]
    assert gutter <= left and left + width <= viewport.width()  # today in view, by the hours

    standup = only_block(week, "Standup")
    standup.setFocus()
    qtbot.keyClick(standup, Qt.Key.Key_Left)  # Tuesday and Wednesday are empty
    monday_block = only_block(week, lunch)
    assert focused(harness) is monday_block
    in_view = monday_block.mapTo(viewport, QPoint(0, 0))
    assert gutter <= in_view.x() and in_view.x() + monday_block.width() <= viewport.width()
    (line,) = monday_block.shown_lines()
    shown = line.removesuffix("\u2026")
    assert lunch.startswith(shown) and len(shown) >= 5, line  # a readable start of the title

    clock = "09:00" if language == "de" else "9:00 AM"
    for value in (0, sideways.maximum() // 2, sideways.maximum()):
        sideways.setValue(value)
        QApplication.processEvents()
        assert week.header_scroll.horizontalScrollBar().value() == value
        names = [week.header.column(index)[0] - value for index in range(7)]
        assert names == [left for left, _width in columns_in_view(week)]  # names over columns
        nine = QPoint(value + gutter // 2, week.hours.y_of(9 * 60) + 4)
        assert week.hours.childAt(nine) is week.hours.sticky  # the hours lie over the days
        assert week.hours.sticky.labels[9] == clock
        corner = QPoint(value + gutter // 2, week.header.height() - 2)
        assert week.header.childAt(corner) is week.header.sticky
    harness.screenshot(f"week-{language}-800x600-scrolled")
