"""The per-call stage timings with stand-ins for the models: what each call records. The
stage runner also runs against other checkouts, so it must not import this one's
`benchmarks` package. Nothing here is timed."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from app.nlu.llama_model import Completion
from benchmarks import stages
from benchmarks.stages import (
    NOW,
    Call,
    Recording,
    Utterance,
    first_audio_calls,
    synthesis_calls,
    understanding_calls,
)
from tests.conftest import BERLIN, REPO_ROOT

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "audio"


class CreateModel:
    """Writes the same create call for every prompt."""

    def complete(self, prompt_text: str, *, copy_from: str | None = None) -> Completion:
        return Completion(
            text='<unused1>(" Zahnarzt"," morgen"," um 15 Uhr","","","")<unused0>',
            prompt_tokens=31,
            completion_tokens=17,
            prompt_ms=20.0,
            generate_ms=60.0,
        )


def test_understanding_calls_record_prompt_generation_and_tokens() -> None:
    utterances = [
        Utterance("a", "Zahnarzt morgen um 15 Uhr", "de"),
        Utterance("b", "Zahnarzt morgen um 15 Uhr", "de", datetime(2027, 1, 4, 9, tzinfo=BERLIN)),
    ]
    calls = understanding_calls(CreateModel(), utterances)
    assert [call.key for call in calls] == ["a", "b"]
    assert calls[0].parts == {
        "prompt_ms": 20.0,
        "generate_ms": 60.0,
        "tokens": 17.0,
        "prompt_tokens": 31.0,
    }
    assert all(call.ms >= 0 and call.language == "de" for call in calls)


def test_inputs_and_calls_round_trip_through_json() -> None:
    utterance = Utterance.from_json({"key": "k", "text": "t", "language": "en"})
    assert utterance.now == NOW
    dated = Utterance.from_json(
        {"key": "k", "text": "t", "language": "en", "now": "2027-07-01T08:30"}
    )
    assert dated.now == datetime(2027, 7, 1, 8, 30, tzinfo=BERLIN)
    recording = Recording.from_json({"key": "r", "file": "/tmp/r.flac", "language": "de"})
    assert str(recording.file) == "/tmp/r.flac"
    call = Call("k", "de", 12.345678, {"tokens": 3.0})
    assert Call.from_json(call.to_json()) == Call("k", "de", 12.35, {"tokens": 3.0})


class Voices:
    def synthesize(self, text: str, language: str) -> Iterator[bytes]:
        yield b"first sentence"
        yield b"second sentence"


def test_synthesis_calls_time_each_reply_as_often_as_asked() -> None:
    calls = synthesis_calls(Voices(), {"de": "Hallo. Tschüss.", "en": "Hi. Bye."}, 2)
    assert [(call.key, call.language) for call in calls] == [
        ("de-0", "de"),
        ("de-1", "de"),
        ("en-0", "en"),
        ("en-1", "en"),
    ]


@dataclass
class Answer:
    message: str = "Erledigt."
    language: str = "de"


@dataclass
class Turned:
    outcome: Answer = field(default_factory=Answer)
    timings_ms: dict[str, float | None] = field(
        default_factory=lambda: {"asr": 5.0, "nlu": 7.0, "calendar": None}
    )


class Assistant:
    def __init__(self) -> None:
        self.heard: list[int] = []

    def run_recording(self, samples, language, now, dialog) -> Turned:
        self.heard.append(len(samples))
        assert (language, now) == ("auto", NOW)
        return Turned()

    def speak(self, outcome: Answer) -> Iterator[bytes]:
        yield b"audio"


def test_first_audio_calls_take_the_pipeline_timings_and_the_first_sentence() -> None:
    recording = Recording("de_list_morgen.flac", FIXTURES / "de_list_morgen.flac", "de")
    assistant = Assistant()
    (call,) = first_audio_calls(assistant, [recording])
    assert assistant.heard and assistant.heard[0] > 16_000
    assert set(call.parts) == {"asr", "nlu", "tts_first_audio"}
    assert call.ms >= call.parts["tts_first_audio"]


def test_the_stage_runner_imports_nothing_of_this_benchmarks_package() -> None:
    tree = ast.parse((REPO_ROOT / "benchmarks" / "stages.py").read_text(encoding="utf-8"))
    imported = [
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    ] + [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ]
    assert imported
    assert not [name for name in imported if name.split(".")[0] == "benchmarks"]
    assert stages.STAGES == ("understanding", "recognition", "first-audio")
