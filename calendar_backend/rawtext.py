"""Byte-exact view of an iCalendar stream: where each component begins and ends.

Edits are made by splicing bytes at these positions, so everything outside the component
being changed stays exactly as the other program wrote it (folding, line endings, property
order, parameters we do not understand, even lines icalendar could not parse).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise

from calendar_backend.phrases import Phrase, phrase


class RawStructureError(ValueError):
    """BEGIN/END lines do not nest properly. `problem` says how, to be said in any language
    (as the detail of the file's CalendarFileError)."""

    def __init__(self, problem: Phrase) -> None:
        self.problem = problem
        super().__init__(str(problem))


@dataclass(frozen=True)
class RawComponent:
    """One BEGIN:…/END:… block, in document order (pre-order: parents before children)."""

    name: str
    start: int
    """Offset of the first byte of the BEGIN line."""
    end: int
    """Offset just past the END line, including its line ending."""
    end_line_start: int
    """Offset of the first byte of the END line: children appended to this component go here."""
    properties_end: int
    """Offset where the component's own properties end: its first child's BEGIN line or its
    END line. RFC 5545 puts properties before subcomponents, so new properties go here."""
    depth: int
    parent: int | None
    """Index of the enclosing component in the document list, None at top level."""


@dataclass(frozen=True)
class LogicalLine:
    start: int
    end: int
    unfolded: bytes
    """The content line with folding removed and without its line ending."""


def iter_logical_lines(data: bytes) -> Iterator[LogicalLine]:
    """Content lines with RFC 5545 folding undone (a physical line that starts with a space or
    tab continues the previous one). Offsets refer to the original bytes."""
    position = 0
    length = len(data)
    current_start = -1
    parts: list[bytes] = []
    while position < length:
        newline = data.find(b"\n", position)
        line_end = length if newline == -1 else newline + 1
        physical = data[position:line_end].rstrip(b"\r\n")
        if physical[:1] in (b" ", b"\t") and current_start >= 0:
            parts.append(physical[1:])
        else:
            if current_start >= 0:
                yield LogicalLine(current_start, position, b"".join(parts))
            current_start = position
            parts = [physical]
        position = line_end
    if current_start >= 0:
        yield LogicalLine(current_start, length, b"".join(parts))


UTF8_BOM = b"\xef\xbb\xbf"


def _marker(line: bytes) -> tuple[str, str] | None:
    """('BEGIN'|'END', NAME) for a BEGIN/END line, else None."""
    head, colon, value = line.removeprefix(UTF8_BOM).partition(b":")
    keyword = head.strip().upper()
    if not colon or keyword not in (b"BEGIN", b"END"):
        return None
    name = value.strip().upper().decode("ascii", errors="replace")
    return keyword.decode("ascii"), name


def scan_components(data: bytes) -> list[RawComponent]:
    """Every component in document order. Raises RawStructureError on bad nesting."""
    found: list[RawComponent | None] = []
    open_stack: list[tuple[int, str, int]] = []  # (index in found, name, BEGIN offset)
    first_child_start: dict[int, int] = {}
    for line in iter_logical_lines(data):
        marker = _marker(line.unfolded)
        if marker is None:
            continue
        keyword, name = marker
        if keyword == "BEGIN":
            if open_stack:
                first_child_start.setdefault(open_stack[-1][0], line.start)
            open_stack.append((len(found), name, line.start))
            found.append(None)
            continue
        if not open_stack:
            raise RawStructureError(phrase("END:{name} without a matching BEGIN", name=name))
        # A misspelt END (END:VTOOD) closes the innermost component, as icalendar reads it;
        # the caller checks that both readings of the file agree before editing it.
        index, open_name, begin = open_stack.pop()
        found[index] = RawComponent(
            name=open_name,
            start=begin,
            end=line.end,
            end_line_start=line.start,
            properties_end=first_child_start.get(index, line.start),
            depth=len(open_stack),
            parent=open_stack[-1][0] if open_stack else None,
        )
    if open_stack:
        raise RawStructureError(phrase("BEGIN:{name} is never closed", name=open_stack[-1][1]))
    return [component for component in found if component is not None]


def detect_newline(data: bytes) -> bytes:
    """The line ending the file already uses (CRLF, as RFC 5545 asks, when it has none)."""
    newline = data.find(b"\n")
    if newline > 0 and data[newline - 1 : newline] == b"\r":
        return b"\r\n"
    if newline >= 0:
        return b"\n"
    return b"\r\n"


def with_newline(text: bytes, newline: bytes) -> bytes:
    """Serialized iCalendar text (CRLF from icalendar) converted to the file's line ending."""
    return text if newline == b"\r\n" else text.replace(b"\r\n", newline)


@dataclass(frozen=True)
class Splice:
    """Replace data[start:end] with replacement."""

    start: int
    end: int
    replacement: bytes


def apply_splices(data: bytes, splices: Sequence[Splice]) -> bytes:
    ordered = sorted(splices, key=lambda splice: (splice.start, splice.end))
    for earlier, later in pairwise(ordered):
        if later.start < earlier.end:
            raise ValueError("overlapping edits")
    pieces: list[bytes] = []
    position = 0
    for splice in ordered:
        pieces.append(data[position : splice.start])
        pieces.append(splice.replacement)
        position = splice.end
    pieces.append(data[position:])
    return b"".join(pieces)


def insertion_at(data: bytes, offset: int, text: bytes, newline: bytes) -> Splice:
    """Insert whole lines at offset, which must be a line start or the end of the data; if
    the data there does not end with a line break, one is added first."""
    if offset > 0 and data[offset - 1 : offset] != b"\n":
        text = newline + text
    return Splice(offset, offset, text)
