"""Whether a recording holds no speech: the one decision that `run-wav` and the window share.
When it holds none, understanding and the calendar do not run; the reply says nothing was heard."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.speech.asr import Transcript

_WORD = re.compile(r"\w")


def heard_nothing(transcript: Transcript) -> bool:
    """True when Silero VAD found no speech in the recording (silence, noise, a muted
    microphone, an empty file), or recognition made not one word of what it found."""
    return transcript.speech_s == 0.0 or _WORD.search(transcript.text) is None
