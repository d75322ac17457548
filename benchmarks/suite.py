"""The measurements. Each function measures one thing and returns plain JSON-ready values."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.pipeline import Pipeline
from app.speech.audio import SAMPLE_RATE, Samples, load_audio
from benchmarks.full_commands import full_commands
from benchmarks.stages import (
    Call,
    Recording,
    Utterance,
    first_audio_calls,
    synthesis_calls,
    understanding_calls,
)
from benchmarks.stats import spread

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "audio"
MASSIVE = ROOT.parent / "shared" / "data" / "massive"
REAL_VOICES = ROOT.parent / "shared" / "data" / "speech"
"""Recordings of real people, German and English, with what they said (for measuring only)."""
REPLIES = {
    "en": "I added Dentist on Saturday, March 28 at 3:00 PM. Anything else?",
    "de": "Ich habe Zahnarzt am Samstag, 28. März um 15:00 eingetragen. Sonst noch etwas?",
}


def clean_fixtures() -> list[dict[str, Any]]:
    """The recordings without added noise, clipping or other degradation."""
    manifest = json.loads((FIXTURES / "manifest.json").read_text(encoding="utf-8"))
    return [entry for entry in manifest["recordings"] if not entry["degradation"]]


def cold_starts(repeat: int, *, window: bool) -> dict[str, Any]:
    """Fresh processes from `python` to ready: the whole time, each stage, and peak RSS.

    A stage lasts from its event to the next one; "interpreter" is what the process took
    before our module ran (Python's start-up and its first imports)."""
    totals: list[float] = []
    stages: dict[str, list[float]] = {}
    peaks: list[float] = []
    command = [sys.executable, "-m", "benchmarks.cold_start", *(["--window"] if window else [])]
    for _ in range(repeat):
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, text=True, env=_quiet_environment()
        )
        assert process.stdout is not None
        events: list[tuple[str, float]] = []
        for line in process.stdout:
            event = json.loads(line)
            events.append((event["event"], event["s"]))
            if event["event"] in ("ready", "unavailable"):
                total = time.perf_counter() - started
                totals.append(total)
                peaks.append(event["peak_rss_mb"])
                stages.setdefault("interpreter", []).append(total - event["s"])
        if process.wait(timeout=120) != 0:
            raise RuntimeError(f"{' '.join(command)} failed with exit status {process.returncode}")
        previous_name, previous_s = "imports", 0.0
        for name, seconds in events:
            stages.setdefault(previous_name, []).append(seconds - previous_s)
            previous_name, previous_s = name, seconds
    return {
        "to_ready_s": spread(totals).to_json(),
        "stage_s": {name: spread(values).to_json() for name, values in stages.items()},
        "peak_rss_mb": spread(peaks).to_json(),
    }


def _quiet_environment() -> dict[str, str]:
    return {**os.environ, "TRANSFORMERS_VERBOSITY": "error", "PYTHONWARNINGS": "ignore"}


def speech_recognition(pipeline: Pipeline, repeat: int) -> dict[str, Any]:
    """Milliseconds of recognition per second of audio, per language."""
    assert pipeline.recognizer is not None
    per_second: dict[str, list[float]] = {}
    for entry in clean_fixtures():
        samples = load_audio(FIXTURES / entry["file"])
        for _ in range(repeat):
            transcript = pipeline.recognizer.transcribe(samples, None)
            per_second.setdefault(entry["language"], []).append(
                transcript.ms / transcript.duration_s
            )
    return {language: spread(values).to_json() for language, values in per_second.items()}


def massive_utterances(language: str, limit: int) -> list[str]:
    path = MASSIVE / f"{'de-DE' if language == 'de' else 'en-US'}.dev.jsonl"
    if not path.is_file():
        return [entry["text"] for entry in clean_fixtures() if entry["language"] == language]
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line)["utt"] for line in lines if line.strip()][:limit]


def massive_dev(language: str, limit: int) -> list[Utterance]:
    return [
        Utterance(f"massive-{language}-{index}", text, language)
        for index, text in enumerate(massive_utterances(language, limit))
    ]


def massive_label() -> str:
    return "MASSIVE dev" if MASSIVE.is_dir() else "recorded fixtures' texts"


def understanding(pipeline: Pipeline, per_language: int) -> dict[str, Any]:
    """The call model per call on MASSIVE dev utterances: prompt evaluation, generation, the
    whole `understand`, and the tokens generated."""
    model = pipeline.understander.model
    return {
        language: understanding_figures(
            understanding_calls(model, massive_dev(language, per_language)), massive_label()
        )
        for language in ("de", "en")
    }


def understanding_full_commands(
    pipeline: Pipeline, per_language: int | None = None
) -> dict[str, Any]:
    """The same on the full held-out create, delete and list commands (benchmarks/data)."""
    model = pipeline.understander.model
    return {
        language: understanding_figures(
            understanding_calls(model, full_commands(language, per_language)),
            "full held-out commands",
        )
        for language in ("de", "en")
    }


def understanding_figures(calls: Sequence[Call], utterances: str) -> dict[str, Any]:
    return {
        "utterances": utterances,
        "prompt_ms": spread([call.parts["prompt_ms"] for call in calls]).to_json(),
        "generate_ms": spread([call.parts["generate_ms"] for call in calls]).to_json(),
        "total_ms": spread([call.ms for call in calls]).to_json(),
        "tokens": spread([call.parts["tokens"] for call in calls]).to_json(),
    }


def speech_synthesis(pipeline: Pipeline, repeat: int) -> dict[str, Any]:
    """Time to the first audio of a two-sentence reply, per language."""
    synthesizer = pipeline.synthesizer
    assert synthesizer is not None
    calls = synthesis_calls(synthesizer, REPLIES, repeat)
    return {
        language: {
            "voice": synthesizer.voice_for(language).name,
            "first_audio_ms": spread([c.ms for c in calls if c.language == language]).to_json(),
        }
        for language in REPLIES
    }


def three_to_five_second_commands() -> list[tuple[dict[str, Any], Samples]]:
    """The clean recorded commands 3-5 s long, with their samples."""
    recorded = [(entry, load_audio(FIXTURES / entry["file"])) for entry in clean_fixtures()]
    return [
        (entry, samples) for entry, samples in recorded if 3.0 <= len(samples) / SAMPLE_RATE <= 5.0
    ]


def three_to_five_second_recordings() -> list[Recording]:
    return [
        Recording(entry["file"], FIXTURES / entry["file"], entry["language"])
        for entry, _samples in three_to_five_second_commands()
    ]


def real_voice_entries(folder: Path = REAL_VOICES) -> list[dict[str, Any]]:
    """The manifest of `REAL_VOICES`: file, lang, text (what was said) and more per line."""
    lines = (folder / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def real_voice_recordings(folder: Path = REAL_VOICES) -> list[Recording]:
    return [
        Recording(entry["file"], folder / entry["file"], entry["lang"])
        for entry in real_voice_entries(folder)
    ]


def clean_recordings() -> list[Recording]:
    return [
        Recording(entry["file"], FIXTURES / entry["file"], entry["language"])
        for entry in clean_fixtures()
    ]


def end_to_end(pipeline: Pipeline, repeat: int) -> dict[str, Any]:
    """From the end of a 3-5 s command (the recording in hand) to the first audio of the
    reply: recognition, understanding, the calendar, the first sentence of speech."""
    commands = three_to_five_second_recordings()
    calls = [call for _ in range(repeat) for call in first_audio_calls(pipeline, commands)]
    totals: dict[str, list[float]] = {}
    parts: dict[str, list[float]] = {}
    for call in calls:
        totals.setdefault(call.language, []).append(call.ms)
        for name, value in call.parts.items():
            parts.setdefault(name, []).append(value)
    return {
        "commands": [command.key for command in commands],
        "total_ms": {language: spread(values).to_json() for language, values in totals.items()},
        "all_ms": spread([call.ms for call in calls]).to_json(),
        "stage_ms": {name: spread(values).to_json() for name, values in parts.items()},
    }


def machine() -> dict[str, Any]:
    import platform

    return {
        "cpus": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
    }


def peak_rss_mb() -> float:
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def accuracy(pipeline: Pipeline) -> dict[str, Any]:
    """Per language: the call model on text (its evaluation report in models/) and the whole
    assistant on the recorded commands, judged by the calendar."""
    from benchmarks.recordings import judge_recordings

    report = json.loads((ROOT / "models" / "eval_report.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        verdicts = judge_recordings(pipeline, Path(folder))
    results: dict[str, Any] = {}
    for language in ("de", "en"):
        heldout = report["sets"]["heldout"][language]
        massive = report["sets"][f"massive_dev_{language}"]["all"]
        mine = [v for v in verdicts if v["language"] == language]
        clean = [v for v in mine if not v["degradation"]]
        degraded = [v for v in mine if v["degradation"]]
        results[language] = {
            "heldout": _pair(heldout),
            "massive_dev": _pair(massive),
            "recordings_clean": [sum(v["passed"] for v in clean), len(clean)],
            "recordings_degraded": [sum(v["passed"] for v in degraded), len(degraded)],
        }
    return results


def _pair(metrics: dict[str, Any]) -> dict[str, Any]:
    return {
        "examples": metrics["examples"],
        "function": metrics["function_accuracy"],
        "resolved": metrics["resolved_call_exact"],
    }
