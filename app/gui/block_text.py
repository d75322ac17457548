"""What an event's block in the week says: its time, title and marks, fitted as lines of text to
the block's width and to the rows of it in view (cut with "…" where they do not fit), and its
words for a screen reader. Qt-free: how wide a text is comes from a function."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from app.dialog.replies import replies_for
from app.gui.agenda import event_marks
from app.gui.text import UiText
from calendar_backend import Occurrence

ELLIPSIS = "\u2026"
TITLE_LETTERS_KEPT = 4
"""On one line, the time goes first only where at least this many letters of the title still
fit beside it; otherwise the line is the title alone (the block's place shows the time)."""

Measure = Callable[[str], int]
"""How many pixels wide a text is drawn."""


@dataclass(frozen=True)
class BlockText:
    time: str
    """The start time; empty for an all-day event and for a piece that began on an earlier
    day."""
    title: str
    marks: str
    """↻ and ◷ as they apply, separated by a space."""
    spoken: str
    """For a screen reader and the tooltip: title, day, times, the marks in words."""

    @property
    def label(self) -> str:
        """All of it on one line, as a button's text."""
        return " ".join(part for part in (self.time, self.title, self.marks) if part)


def block_text(occurrence: Occurrence, day: date, text: UiText) -> BlockText:
    """What the block of `occurrence` on `day` shows and says, in the window's language."""
    replies = replies_for(text.language)
    marks = event_marks(occurrence, text)
    start, end = occurrence.start, occurrence.end
    times = ""
    if isinstance(start, datetime) and not occurrence.all_day:
        times = replies.clock_text(start.time()) if start.date() == day else ""
        spoken_times = replies.clock_text(start.time())
        if isinstance(end, datetime) and end > start:
            spoken_times += f"\u2013{replies.clock_text(end.time())}"
    else:
        spoken_times = text("all day")
    meanings = [meaning for _mark, meaning in marks]
    spoken = ", ".join([occurrence.title, replies.day_text(day, day), spoken_times, *meanings])
    return BlockText(times, occurrence.title, " ".join(mark for mark, _ in marks), spoken)


def fitted_lines(
    words: BlockText, width: int, rows: int, short: bool, measure: Measure
) -> list[str]:
    """The lines a block `width` pixels wide (for text) shows when `rows` lines of it are in
    view. A short block, or one with a single row in view, shows its time and title on one line
    ("14:00 Zahnarzt ↻"); a longer one its time (and marks) on the first line and its title on
    the lines below. The marks are kept whole; the text before them is cut with "…"."""
    rows = max(1, rows)
    if words.time and not short and rows >= 2:
        head = elide(" ".join(part for part in (words.time, words.marks) if part), width, measure)
        return [head, *wrap(words.title, [width] * (rows - 1), measure)]
    room = width - (measure(f" {words.marks}") if words.marks else 0)
    if words.time:
        lines = [elide(_time_and_title(words, room, measure), room, measure)]
    else:
        lines = wrap(words.title, [room] + [width] * (rows - 1), measure) or [""]
    if words.marks:
        lines[0] = f"{lines[0]} {words.marks}".strip()
    return lines


def _time_and_title(words: BlockText, room: int, measure: Measure) -> str:
    kept = words.title[:TITLE_LETTERS_KEPT]
    least = f"{words.time} {kept}" + (ELLIPSIS if kept != words.title else "")
    return f"{words.time} {words.title}" if measure(least) <= room else words.title


def wrap(text: str, widths: Sequence[int], measure: Measure) -> list[str]:
    """`text` in lines as wide as `widths` at most (one line per width, at word breaks, a word
    too long for a line broken inside), the last line cut with "…" when the text goes on."""
    words = text.split()
    lines: list[str] = []
    for index, width in enumerate(widths):
        if not words:
            break
        if index == len(widths) - 1:
            lines.append(elide(" ".join(words), width, measure))
            break
        line = ""
        while words:
            candidate = f"{line} {words[0]}" if line else words[0]
            if measure(candidate) <= width:
                line = candidate
                words.pop(0)
            elif line:
                break
            else:
                cut = _fitting(words[0], width, measure)
                line, words[0] = words[0][:cut], words[0][cut:]
                break
        lines.append(line)
    return lines


def elide(text: str, width: int, measure: Measure) -> str:
    """`text`, or as much of its start as fits `width` with "…" after it; where "…" would
    leave fewer than `TITLE_LETTERS_KEPT` letters, as many as fit without it (empty when not
    even one does)."""
    if measure(text) <= width:
        return text
    elided = ""
    for cut in range(len(text) - 1, -1, -1):
        if measure(text[:cut].rstrip() + ELLIPSIS) <= width:
            elided = text[:cut].rstrip() + ELLIPSIS
            break
    if len(elided) > TITLE_LETTERS_KEPT:
        return elided
    cut = _fitting(text, width, measure)
    bare = text[:cut].rstrip() if measure(text[:cut]) <= width else ""
    return bare if len(bare) >= len(elided) else elided


def _fitting(word: str, width: int, measure: Measure) -> int:
    """How many letters of `word` fit `width`; at least one, so a line always takes some."""
    cut = len(word)
    while cut > 1 and measure(word[:cut]) > width:
        cut -= 1
    return cut
