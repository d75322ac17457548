"""Every limit on what the app accepts, in one place. Input beyond a limit is refused with a
message that names the limit, before it is read whole into memory."""

from __future__ import annotations

from calendar_backend.storage import MAX_CALENDAR_BYTES

MAX_RECORDING_S = 60.0
"""A spoken command takes a few seconds; `run-wav` and `transcribe` refuse longer recordings
(read from the file's header where it says, and while decoding where it does not)."""

MAX_UTTERANCE_CHARS = 1000
"""Text longer than this cannot fit the call model's context (256 tokens) anyway; refused
before it is tokenized."""

MAX_LINE_BYTES = 64 * 1024
"""A `parse --jsonl` line is read at most this long; the rest of it is skipped unread, and its
row's `text` is cut there."""

__all__ = ["MAX_CALENDAR_BYTES", "MAX_LINE_BYTES", "MAX_RECORDING_S", "MAX_UTTERANCE_CHARS"]
