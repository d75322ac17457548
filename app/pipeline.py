"""The whole assistant without a GUI: audio → transcript → call → resolved call → outcome →
speech, each stage timed. The GUI and `run-wav` both drive it; it is Qt-free and blocking, so
call it from a worker."""

from __future__ import annotations

import time as timer
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from app.dialog import Dialog, Outcome
from app.dialog.replies import replies_for
from app.locales import LANGUAGES
from app.nlu.understand import Understander, Understanding, UtteranceError
from app.speech.asr import Recognizer, Transcript
from app.speech.audio import Samples
from app.speech.no_speech import heard_nothing
from app.speech.tts import AudioChunk, Synthesizer


@dataclass(frozen=True)
class Turn:
    """One request and its answer."""

    text: str
    language: str
    outcome: Outcome
    understanding: Understanding | None
    """None when the text answered a pending question instead of being a new request, or
    when nothing could be understood (no speech, an utterance too long)."""
    transcript: Transcript | None = None
    timings_ms: dict[str, float | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Heard:
    """Recognition and understanding of one recording. Neither reads nor changes the dialog
    or the calendar, so push-to-talk can make this while the button is still held (see
    `app.early_start`)."""

    transcript: Transcript
    language: str
    """The recognition language asked for: "auto", "de" or "en"."""
    now: datetime
    """The moment the understanding resolved dates and times against."""
    understanding: Understanding | None
    """None when nothing was heard or the text cannot be understood as it is (the dialog's
    reply to that is made when the request is answered)."""
    asr_ms: float
    nlu_ms: float | None


@dataclass
class Pipeline:
    understander: Understander
    recognizer: Recognizer | None = None
    synthesizer: Synthesizer | None = None

    def hear(self, samples: Samples, language: str) -> Transcript:
        if self.recognizer is None:
            raise RuntimeError("this pipeline was built without speech recognition")
        return self.recognizer.transcribe(samples, None if language == "auto" else language)

    def prepare(self, samples: Samples, language: str, now: datetime) -> Heard:
        """Recognition and then understanding of a recording, with nothing changed."""
        started = timer.perf_counter()
        transcript = self.hear(samples, language)
        asr_ms = _ms_since(started)
        if heard_nothing(transcript):
            return Heard(transcript, language, now, None, asr_ms, None)
        chosen = transcript.language if language == "auto" else language
        try:
            understanding = self.understander.understand(transcript.text, chosen, now)
        except UtteranceError:
            return Heard(transcript, language, now, None, asr_ms, None)
        return Heard(transcript, language, now, understanding, asr_ms, understanding.ms)

    def respond(
        self,
        text: str,
        language: str,
        now: datetime,
        dialog: Dialog,
        *,
        confirmed: bool = False,
        understanding: Understanding | None = None,
    ) -> Turn:
        """Text → outcome. An answer to what the dialog asked (yes, no, the missing date)
        continues that request; anything else is a new one. `understanding`: what was
        already made of `text` in `language` at a moment that resolves like `now` (see
        `app.early_start`); it is not made again."""
        if understanding is not None and understanding.text != text:
            raise ValueError("the understanding given is of another text")
        started = timer.perf_counter()
        answer = dialog.follow_up(text, now)
        if answer is not None:
            return Turn(
                text,
                answer.language,
                answer,
                None,
                timings_ms={"nlu": 0.0, "calendar": _ms_since(started)},
            )
        nlu_ms = 0.0
        if understanding is None:
            try:
                understanding = self.understander.understand(text, language, now)
            except UtteranceError as error:
                chosen = language if language in LANGUAGES else dialog.language
                reply = "too_long" if error.too_long else "not_understood"
                outcome = Outcome("error", replies_for(chosen).say(reply), chosen)
                return Turn(text, chosen, outcome, None, timings_ms={"nlu": _ms_since(started)})
            nlu_ms = understanding.ms
        calendar_started = timer.perf_counter()
        if understanding.understood:
            outcome = dialog.handle(understanding.call, now, confirmed=confirmed)
        else:
            message = replies_for(understanding.language).say("not_understood")
            outcome = Outcome("error", message, understanding.language, call=understanding.call)
        return Turn(
            text,
            understanding.language,
            outcome,
            understanding,
            timings_ms={"nlu": nlu_ms, "calendar": _ms_since(calendar_started)},
        )

    def run_recording(
        self,
        samples: Samples,
        language: str,
        now: datetime,
        dialog: Dialog,
        *,
        confirmed: bool = False,
    ) -> Turn:
        started = timer.perf_counter()
        transcript = self.hear(samples, language)
        asr_ms = _ms_since(started)
        turn = self.respond_to_speech(transcript, language, now, dialog, confirmed=confirmed)
        return replace(turn, timings_ms={"asr": asr_ms, **turn.timings_ms})

    def respond_to_speech(
        self,
        transcript: Transcript,
        language: str,
        now: datetime,
        dialog: Dialog,
        *,
        confirmed: bool = False,
        understanding: Understanding | None = None,
    ) -> Turn:
        """What was heard → outcome. A recording without speech (see `heard_nothing`) gets a
        `no_speech` outcome, in the chosen language or else the dialog's, and nothing else
        runs; what the dialog waits for keeps waiting. `understanding`: as for `respond`."""
        if heard_nothing(transcript):
            chosen = language if language in LANGUAGES else dialog.language
            outcome = Outcome("no_speech", replies_for(chosen).say("no_speech"), chosen)
            timings: dict[str, float | None] = {"nlu": None, "calendar": None}
            return Turn(transcript.text, chosen, outcome, None, transcript, timings)
        chosen = transcript.language if language == "auto" else language
        turn = self.respond(
            transcript.text, chosen, now, dialog, confirmed=confirmed, understanding=understanding
        )
        return replace(turn, transcript=transcript)

    def speak(self, outcome: Outcome) -> Iterator[AudioChunk]:
        """The reply, sentence by sentence."""
        if self.synthesizer is None:
            raise RuntimeError("this pipeline was built without speech synthesis")
        return self.synthesizer.synthesize(outcome.message, outcome.language)


def _ms_since(started: float) -> float:
    return (timer.perf_counter() - started) * 1000


def load_pipeline(
    *,
    speech_input: bool = True,
    speech_output: bool = True,
    voice_files: Sequence[Path] = (),
    on_stage: Callable[[str], None] | None = None,
) -> Pipeline:
    """Load (and warm up) every model the assistant needs. Takes seconds: call it in a worker.
    The three models load at the same time (each spends much of its loading reading files,
    building its graph or running one thread); `on_stage` hears "understanding",
    "recognition" and "voices" in turn, for the model the loading waits for now.
    `voice_files`: Piper voices to prefer."""
    from app.nlu.llama_model import load_call_model

    def synthesizer_warmed_up() -> Synthesizer:
        synthesizer = Synthesizer(explicit_voices=tuple(voice_files))
        for language in ("en", "de"):
            synthesizer.warm_up(language)
        return synthesizer

    with ThreadPoolExecutor(max_workers=3, thread_name_prefix="load") as pool:
        understanding = pool.submit(lambda: Understander(load_call_model()))
        recognition = pool.submit(Recognizer) if speech_input else None
        voices = pool.submit(synthesizer_warmed_up) if speech_output else None
        waits: list[tuple[str, Future[Any] | None]] = [
            ("understanding", understanding),
            ("recognition", recognition),
            ("voices", voices),
        ]
        for stage, future in waits:
            if future is not None and not future.done():
                if on_stage is not None:
                    on_stage(stage)
                future.exception()
        return Pipeline(
            understanding.result(),
            recognition.result() if recognition else None,
            voices.result() if voices else None,
        )
