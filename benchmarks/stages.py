"""Each stage of the assistant timed call by call, on inputs given from outside.

The suite's load conditions use these functions in-process, and the A/B comparison
(`benchmarks.ab`) runs this file as a script against another checkout's code:

    PYTHONPATH=<checkout> python benchmarks/stages.py --stage understanding --inputs FILE

The script prints one JSON object: where `app` was imported from, the load time, and one entry
per timed call. It may import only the standard library, numpy, `app` and `calendar_backend`,
and of those only what older checkouts have too (`load_call_model`, `Understander`,
`Recognizer`, `load_pipeline`, `Pipeline.run_recording` and `speak`, `load_audio`, `Dialog`,
`CalendarStore`): when it runs as a script, `benchmarks` is the other checkout's package.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from app.dialog import Dialog
    from app.nlu.llama_model import Completion
    from app.nlu.understand import CompletionModel
    from app.pipeline import Pipeline
    from app.speech.asr import Recognizer
    from app.speech.tts import Synthesizer

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 26, 10, 0, tzinfo=BERLIN)
"""The recorded fixtures' reference time and zone."""
STAGES = ("understanding", "recognition", "first-audio")
"""What the script can time: understanding text, recognising recordings, and from the end of
a recorded command to the first audio of the reply."""


@dataclass(frozen=True)
class Utterance:
    """A text to understand, as the understanding stage reads it from its inputs."""

    key: str
    text: str
    language: str
    now: datetime = NOW

    @classmethod
    def from_json(cls, entry: dict[str, Any]) -> Utterance:
        """`now` is naive local time in Europe/Berlin (the data generator's), or absent."""
        now = entry.get("now")
        when = datetime.fromisoformat(now).replace(tzinfo=BERLIN) if now else NOW
        return cls(str(entry["key"]), str(entry["text"]), str(entry["language"]), when)


@dataclass(frozen=True)
class Recording:
    """An audio file to recognise or to answer."""

    key: str
    file: Path
    language: str

    @classmethod
    def from_json(cls, entry: dict[str, Any]) -> Recording:
        return cls(str(entry["key"]), Path(entry["file"]), str(entry["language"]))


@dataclass(frozen=True)
class Call:
    """One timed call: `ms` is the stage's whole time; `parts` what it is made of."""

    key: str
    language: str
    ms: float
    parts: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "language": self.language,
            "ms": round(self.ms, 2),
            "parts": {name: round(value, 2) for name, value in self.parts.items()},
        }

    @classmethod
    def from_json(cls, entry: dict[str, Any]) -> Call:
        parts = {str(name): float(value) for name, value in entry.get("parts", {}).items()}
        return cls(str(entry["key"]), str(entry["language"]), float(entry["ms"]), parts)


class CountingModel:
    """The call model, keeping the last completion so that its token counts can be read."""

    def __init__(self, model: CompletionModel) -> None:
        self.model = model
        self.last: Completion | None = None

    def complete(self, prompt_text: str, *, copy_from: str | None = None) -> Completion:
        self.last = self.model.complete(prompt_text, copy_from=copy_from)
        return self.last


def understanding_calls(model: CompletionModel, utterances: Sequence[Utterance]) -> list[Call]:
    """`Understander.understand` per utterance: the whole call, its prompt and generation,
    and the tokens generated."""
    from app.nlu.understand import Understander

    counting = CountingModel(model)
    understander = Understander(counting)
    calls = []
    for utterance in utterances:
        understood = understander.understand(utterance.text, utterance.language, utterance.now)
        parts = {"prompt_ms": understood.prompt_ms, "generate_ms": understood.generate_ms}
        if counting.last is not None:
            parts["tokens"] = float(counting.last.completion_tokens)
            parts["prompt_tokens"] = float(counting.last.prompt_tokens)
        calls.append(Call(utterance.key, utterance.language, understood.ms, parts))
    return calls


def recognition_calls(recognizer: Recognizer, recordings: Sequence[Recording]) -> list[Call]:
    """`Recognizer.transcribe` per recording, language detected, timed around the call."""
    from app.speech.audio import SAMPLE_RATE, load_audio

    calls = []
    for recording in recordings:
        samples = load_audio(recording.file)
        started = time.perf_counter()
        recognizer.transcribe(samples, None)
        ms = _ms_since(started)
        parts = {"audio_s": len(samples) / SAMPLE_RATE}
        calls.append(Call(recording.key, recording.language, ms, parts))
    return calls


def synthesis_calls(synthesizer: Synthesizer, replies: dict[str, str], repeat: int) -> list[Call]:
    """Time to the first audio of each reply (language → text), `repeat` times each."""
    calls = []
    for language, reply in replies.items():
        for index in range(repeat):
            started = time.perf_counter()
            chunks = synthesizer.synthesize(reply, language)
            next(chunks)
            calls.append(Call(f"{language}-{index}", language, _ms_since(started)))
            _drain(chunks)
    return calls


@contextmanager
def scratch_dialog() -> Iterator[Dialog]:
    """The dialog on an empty calendar in a temporary folder, removed afterwards."""
    from app.dialog import Dialog
    from calendar_backend import CalendarStore

    with tempfile.TemporaryDirectory() as folder:
        calendar = Path(folder) / "calendar.ics"
        yield Dialog(CalendarStore(calendar, zone=BERLIN, backup_dir=Path(folder)))


def first_audio_calls(pipeline: Pipeline, recordings: Sequence[Recording]) -> list[Call]:
    """From the end of a recorded command (the recording in hand) to the first audio of the
    reply, each on an empty calendar; the parts are the pipeline's own stage timings and the
    first sentence of speech."""
    from app.speech.audio import load_audio

    calls = []
    for recording in recordings:
        samples = load_audio(recording.file)
        with scratch_dialog() as dialog:
            started = time.perf_counter()
            turn = pipeline.run_recording(samples, "auto", NOW, dialog)
            speech_started = time.perf_counter()
            chunks = pipeline.speak(turn.outcome)
            next(chunks)
            first_audio = time.perf_counter()
            _drain(chunks)
        parts = {name: value for name, value in turn.timings_ms.items() if value is not None}
        parts["tts_first_audio"] = (first_audio - speech_started) * 1000
        calls.append(Call(recording.key, recording.language, (first_audio - started) * 1000, parts))
    return calls


def _drain(chunks: Iterator[object]) -> None:
    for _chunk in chunks:
        pass


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def run_stage(stage: str, inputs: list[dict[str, Any]], warm_up: int) -> dict[str, Any]:
    """Load what `stage` needs, run `warm_up` untimed calls on the first input, then time one
    call per input."""
    import app

    started = time.perf_counter()
    if stage == "understanding":
        from app.nlu.llama_model import load_call_model

        model = load_call_model()
        utterances = [Utterance.from_json(entry) for entry in inputs]
        loaded_s = time.perf_counter() - started
        understanding_calls(model, utterances[:1] * warm_up)
        calls = understanding_calls(model, utterances)
    elif stage == "recognition":
        from app.speech.asr import Recognizer

        recognizer = Recognizer()
        recordings = [Recording.from_json(entry) for entry in inputs]
        loaded_s = time.perf_counter() - started
        recognition_calls(recognizer, recordings[:1] * warm_up)
        calls = recognition_calls(recognizer, recordings)
    elif stage == "first-audio":
        from app.pipeline import load_pipeline

        pipeline = load_pipeline()
        recordings = [Recording.from_json(entry) for entry in inputs]
        loaded_s = time.perf_counter() - started
        first_audio_calls(pipeline, recordings[:1] * warm_up)
        calls = first_audio_calls(pipeline, recordings)
    else:
        raise ValueError(f"unknown stage {stage!r}; one of {', '.join(STAGES)}")
    return {
        "stage": stage,
        "app": str(Path(app.__file__).resolve().parents[1]),
        "load_s": round(loaded_s, 2),
        "calls": [call.to_json() for call in calls],
    }


def _without_own_folder() -> None:
    """Run as a script, this file's folder comes first on sys.path, where `profile.py` would
    hide the standard library's `profile` module: take it off before anything is imported."""
    here = Path(__file__).resolve().parent
    sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != here]


def main() -> None:
    _without_own_folder()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", choices=STAGES, required=True)
    parser.add_argument(
        "--inputs",
        type=Path,
        required=True,
        help="a JSON list: {key, text, language, now?} to understand, {key, file, language} "
        "for the others",
    )
    parser.add_argument("--warm-up", type=int, default=1, help="untimed calls first")
    arguments = parser.parse_args()
    inputs = json.loads(arguments.inputs.read_text(encoding="utf-8"))
    result = run_stage(arguments.stage, inputs, arguments.warm_up)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
