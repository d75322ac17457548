"""`python -m app run-wav FILE --calendar PATH [--speak-to OUT.wav] [--yes]`: the whole
assistant on one recording, without GUI and without sound devices."""

from __future__ import annotations

import argparse
import time as timer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from app.cli.options import Context, add_calendar_option

if TYPE_CHECKING:
    from app.pipeline import Pipeline
    from app.speech.audio import Samples


def add_parser(subcommands: Any, parent: argparse.ArgumentParser) -> None:
    parser = subcommands.add_parser(
        "run-wav",
        parents=[parent],
        help="the whole assistant on one recording (transcribe, parse, apply, answer)",
        description="Transcribe FILE, understand it, apply it to the calendar at PATH (created "
        "if missing) and optionally speak the reply into a WAV file. Without --yes a delete or "
        "an ambiguous match is not carried out: the status says it waits for confirmation.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the recording")
    add_calendar_option(parser)
    parser.add_argument("--speak-to", type=Path, metavar="OUT.wav", help="write the reply here")
    parser.add_argument(
        "--yes", action="store_true", help="confirm a delete or a clear best match up front"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, context: Context, parser: argparse.ArgumentParser) -> Any:
    del parser
    from app.pipeline import load_pipeline
    from app.speech.audio import load_audio

    samples = load_audio(args.file)  # a recording that cannot be used fails before the models load
    load_started = timer.perf_counter()
    pipeline = load_pipeline(speech_output=args.speak_to is not None)
    result = run_samples(
        pipeline, samples, args.calendar, context, confirmed=args.yes, speak_to=args.speak_to
    )
    result["load_ms"] = round((timer.perf_counter() - load_started) * 1000, 1)
    return result


def run_wav(
    pipeline: Pipeline,
    recording: Path,
    calendar: str | Path,
    context: Context,
    *,
    confirmed: bool = False,
    speak_to: Path | None = None,
    backup_dir: Path | None = None,
) -> dict[str, Any]:
    """The `run-wav` JSON object for one recording, with models already loaded. Backups go
    to the user's backups folder unless `backup_dir` says otherwise."""
    from app.speech.audio import load_audio

    return run_samples(
        pipeline,
        load_audio(recording),
        calendar,
        context,
        confirmed=confirmed,
        speak_to=speak_to,
        backup_dir=backup_dir,
    )


def run_samples(
    pipeline: Pipeline,
    samples: Samples,
    calendar: str | Path,
    context: Context,
    *,
    confirmed: bool = False,
    speak_to: Path | None = None,
    backup_dir: Path | None = None,
) -> dict[str, Any]:
    """`run_wav` for a recording already decoded (16 kHz mono)."""
    from app.dialog import Dialog
    from app.speech.audio import write_wav
    from app.speech.tts import AudioChunk
    from calendar_backend.opening import open_calendar

    dialog = Dialog(open_calendar(calendar, zone=context.zone, backup_dir=backup_dir))
    started = timer.perf_counter()
    turn = pipeline.run_recording(
        samples, context.language, context.now, dialog, confirmed=confirmed
    )
    timings = dict(turn.timings_ms)
    timings["tts_first_audio"] = None
    # Until the reply starts to sound (or, with nothing to speak, until the outcome is known).
    timings["total"] = (timer.perf_counter() - started) * 1000
    if speak_to is not None:
        tts_started = timer.perf_counter()
        chunks: list[AudioChunk] = []
        for chunk in pipeline.speak(turn.outcome):
            if not chunks:
                first_audio = timer.perf_counter()
                timings["tts_first_audio"] = (first_audio - tts_started) * 1000
                timings["total"] = (first_audio - started) * 1000
            chunks.append(chunk)
        rate = chunks[0].sample_rate if chunks else 22_050
        audio = np.concatenate([c.samples for c in chunks]) if chunks else np.zeros(0, np.float32)
        write_wav(speak_to, audio, rate)
    parse: dict[str, Any] = {"function": None, "arguments": {}, "missing": []}
    if turn.understanding is not None:
        understood = turn.understanding.to_json()
        parse = {key: understood[key] for key in ("function", "arguments", "missing", "call")}
    return {
        "transcript": {
            "text": turn.text,
            "language": turn.language,
            "language_probability": (
                turn.transcript.language_probability if turn.transcript else None
            ),
        },
        "parse": parse,
        "result": turn.outcome.to_json(),
        "timings_ms": {
            name: round(value, 1) if value is not None else None for name, value in timings.items()
        },
    }
