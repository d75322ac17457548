"""What a block in the week shows in the room it has: a short one its time and title on one
line, a longer one its time above its title, the marks always whole, the rest cut with "…"."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from app.gui.block_text import BlockText, block_text, elide, fitted_lines, wrap
from app.gui.text import UiText
from calendar_backend import Occurrence
from tests.conftest import BERLIN

CHARACTER = 6


def measure(text: str) -> int:
    """Every character 6 pixels wide."""
    return CHARACTER * len(text)


def chars(count: int) -> int:
    return count * CHARACTER


DENTIST = BlockText("14:00", "Zahnarzt", "", "Zahnarzt, Freitag, 14:00\u201315:00")
CHOIR = BlockText("18:30", "Chorprobe im Gemeindehaus", "\u21bb \u25f7", "")


def test_a_short_block_shows_its_time_and_title_on_one_line() -> None:
    assert fitted_lines(DENTIST, chars(30), 2, True, measure) == ["14:00 Zahnarzt"]
    assert fitted_lines(DENTIST, chars(11), 2, True, measure) == ["14:00 Zahn\u2026"]


def test_where_the_time_leaves_too_little_of_the_title_the_line_is_the_title() -> None:
    assert fitted_lines(DENTIST, chars(9), 1, True, measure) == ["Zahnarzt"]
    assert fitted_lines(DENTIST, chars(6), 1, True, measure) == ["Zahna\u2026"]


def test_a_longer_block_shows_its_time_and_marks_above_its_title() -> None:
    lines = fitted_lines(CHOIR, chars(14), 4, False, measure)
    assert lines == ["18:30 \u21bb \u25f7", "Chorprobe im", "Gemeindehaus"]
    assert fitted_lines(CHOIR, chars(14), 2, False, measure) == [
        "18:30 \u21bb \u25f7",
        "Chorprobe im\u2026",
    ]


def test_a_longer_block_with_one_row_in_view_uses_one_line_and_keeps_its_marks() -> None:
    lines = fitted_lines(CHOIR, chars(20), 1, False, measure)
    assert lines == ["18:30 Chorprobe\u2026 \u21bb \u25f7"]


def test_a_piece_without_its_time_wraps_its_title_and_keeps_its_marks_first() -> None:
    night = BlockText("", "Nachtschicht im Krankenhaus", "\u21bb", "")
    lines = fitted_lines(night, chars(14), 3, False, measure)
    assert lines == ["Nachtschicht \u21bb", "im Krankenhaus"]


def test_a_word_too_long_for_its_line_is_broken_and_the_last_line_cut() -> None:
    assert wrap("Donaudampfschifffahrt", [chars(6), chars(6)], measure) == [
        "Donaud",
        "ampfs\u2026",
    ]
    assert elide("Zahnarzt", chars(5), measure) == "Zahn\u2026"


def test_a_block_too_narrow_for_four_letters_and_an_ellipsis_shows_the_letters() -> None:
    assert elide("Zahnarzt", chars(4), measure) == "Zahn"
    assert elide("Zahnarzt", chars(1), measure) == "Z"
    assert elide("Zahnarzt", 2, measure) == ""
    assert fitted_lines(DENTIST, chars(4), 1, True, measure) == ["Zahn"]


def test_the_block_says_its_time_title_and_marks() -> None:
    start = datetime(2026, 3, 27, 15, 0, tzinfo=BERLIN)
    end = start + timedelta(hours=1)
    occurrence = Occurrence("d", "Dentist", start, end, False, True, start, reminder_minutes=10)
    words = block_text(occurrence, date(2026, 3, 27), UiText("en"))
    assert (words.time, words.title, words.marks) == ("3:00 PM", "Dentist", "\u21bb \u25f7")
    assert words.label == "3:00 PM Dentist \u21bb \u25f7"
    assert words.spoken.startswith("Dentist, ")
    assert "3:00 PM\u20134:00 PM" in words.spoken
    assert block_text(occurrence, date(2026, 3, 28), UiText("en")).time == ""
