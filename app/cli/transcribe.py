"""`python -m app transcribe FILE [--lang auto|de|en]`: one recording to text."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.options import Context

if TYPE_CHECKING:
    from app.speech.asr import Recognizer

TRANSCRIBE_FIELDS = ("text", "language", "language_probability", "duration_s", "ms")
"""What `transcribe` prints (../shared/INTERFACE.md)."""


def add_parser(subcommands: Any, shared: argparse.ArgumentParser) -> None:
    transcribe = subcommands.add_parser(
        "transcribe",
        parents=[shared],
        help="transcribe a recording (WAV, FLAC, MP3, …) to text",
        description="Print {text, language, language_probability, duration_s, ms} as JSON. "
        "With --lang auto the language is detected, restricted to German and English.",
    )
    transcribe.add_argument("file", type=Path, metavar="FILE", help="the recording")
    transcribe.set_defaults(handler=_transcribe)


def _transcribe(args: argparse.Namespace, context: Context, parser: argparse.ArgumentParser) -> Any:
    del parser
    from app.speech.audio import load_audio

    samples = load_audio(args.file)
    transcript = _load_recognizer().transcribe(samples, context.language)
    return {name: getattr(transcript, name) for name in TRANSCRIBE_FIELDS}


def _load_recognizer() -> Recognizer:
    from app.speech.asr import Recognizer  # loading the model only when it is needed

    return Recognizer()
