"""`python -m app selftest`: load every model, run the built-in recording through `run-wav`
against a temporary calendar, and say whether every stage worked."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time as timer
from datetime import datetime
from pathlib import Path
from typing import Any

from app.cli.options import Context

RECORDING = Path(__file__).resolve().parents[1] / "assets" / "selftest_en.flac"
"""Piper's English voice saying "Add dentist tomorrow at 3 pm for one hour."."""
EXPECTED_START = "2026-03-27T15:00:00+01:00"
SELFTEST_NOW = "2026-03-26T10:00"
SELFTEST_ZONE = "Europe/Berlin"


def add_parser(subcommands: Any, parent: argparse.ArgumentParser) -> None:
    parser = subcommands.add_parser(
        "selftest",
        parents=[parent],
        help="check that every model loads and the whole assistant works",
        description="Loads every model, runs a built-in recording through run-wav against a "
        "temporary calendar, prints a summary; exit 0 only if every stage worked.",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, context: Context, parser: argparse.ArgumentParser) -> Any:
    del args, context, parser
    from app.cli.run_wav import run_wav
    from app.pipeline import load_pipeline
    from app.speech.audio import load_audio
    from calendar_backend import CalendarStore, zone_named

    zone = zone_named(SELFTEST_ZONE)
    fixed = Context(datetime.fromisoformat(SELFTEST_NOW).replace(tzinfo=zone), zone, "auto")
    stages: dict[str, dict[str, Any]] = {}
    started = timer.perf_counter()
    pipeline = load_pipeline()
    stages["load"] = {"ok": True, "ms": _ms_since(started)}
    with tempfile.TemporaryDirectory(prefix="voice-calendar-selftest-") as folder:
        calendar = Path(folder) / "selftest.ics"
        reply = Path(folder) / "reply.wav"
        # Backups of the throwaway calendar go with it, not into the user's backups folder.
        result = run_wav(
            pipeline,
            RECORDING,
            calendar,
            fixed,
            confirmed=True,
            speak_to=reply,
            backup_dir=Path(folder) / "backups",
        )
        events = CalendarStore(calendar, zone=zone, backup_dir=Path(folder) / "backups")
        created = events.occurrences(fixed.now.date(), fixed.now.date().replace(day=28))
        spoken = load_audio(reply) if reply.stat().st_size > 44 else None
    timings = result["timings_ms"]
    heard = result["transcript"]["text"]
    stages["asr"] = {"ok": "dentist" in heard.casefold(), "heard": heard, "ms": timings["asr"]}
    stages["nlu"] = {
        "ok": result["parse"]["function"] == "create_event",
        "call": result["parse"].get("call"),
        "ms": timings["nlu"],
    }
    stages["calendar"] = {
        "ok": [o.to_json()["start"] for o in created] == [EXPECTED_START],
        "message": result["result"]["message"],
        "ms": timings["calendar"],
    }
    stages["tts"] = {
        "ok": spoken is not None and len(spoken) > 16_000 * 0.5,
        "ms": timings["tts_first_audio"],
    }
    german_started = timer.perf_counter()
    assert pipeline.synthesizer is not None
    chunks = list(pipeline.synthesizer.synthesize("Ich habe Zahnarzt eingetragen.", "de"))
    seconds = sum(len(chunk.samples) / chunk.sample_rate for chunk in chunks)
    stages["tts_de"] = {"ok": seconds > 0.5, "ms": _ms_since(german_started)}
    stages["audio"] = _sound_devices()
    failed = [name for name, stage in stages.items() if not stage["ok"]]
    json.dump({"ok": not failed, "stages": stages}, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    sys.stdout.flush()
    for name, stage in stages.items():
        print(f"{'ok  ' if stage['ok'] else 'FAIL'} {name}", file=sys.stderr)
    if failed:
        raise RuntimeError(f"selftest failed at: {', '.join(failed)}")
    return None


def _sound_devices() -> dict[str, Any]:
    """PortAudio, which the microphone and playback need, loads. A machine without sound
    devices still passes: the recording above came from a file."""
    from app.speech.devices import list_devices

    try:
        inputs, outputs = list_devices("input"), list_devices("output")
    except OSError as error:
        return {
            "ok": False,
            "message": f"{error}; install PortAudio (apt-get install libportaudio2)",
        }
    return {"ok": True, "inputs": len(inputs), "outputs": len(outputs)}


def _ms_since(started: float) -> float:
    return round((timer.perf_counter() - started) * 1000, 1)
