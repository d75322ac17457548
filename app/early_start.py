"""Push-to-talk starts early: people let go of the button a moment after they stop speaking.
When the microphone's end-of-speech detector hears the speaker stop (`SpeechEnd`), recognition
and understanding start on the audio so far (`start_early`); they change nothing. At the
release, `decide` says whether that work stands for the whole recording: only when nothing
but silence was added since. Then `respond_at_release` goes on from it to the calendar step;
otherwise it runs on the whole recording as before. The calendar is only ever changed after
the release, once. Qt-free; the window runs the two halves on its assistant lane."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

import numpy as np

from app.dialog import Dialog
from app.pipeline import Heard, Pipeline, Turn
from app.speech.audio import SAMPLE_RATE, Samples
from app.speech.microphone import ENDPOINTERS, Endpointer, EndReason, Recording, SpeechEnd

Verdict = Literal[
    "reused",
    "reused_transcript",
    "no_early_start",
    "other_language",
    "other_audio",
    "spoke_again",
]
"""What became of the early start at the release: both its transcript and its understanding
were used; only its transcript (the minute changed since, and dates resolve to the minute);
or nothing, because there was none, the recognition language differs, the recording is not a
continuation of its audio, or the speaker talked again after it."""


@dataclass(frozen=True)
class EarlyStart:
    """Recognition and understanding of the audio up to an end of speech."""

    speech_end: SpeechEnd
    heard: Heard


@dataclass(frozen=True)
class Reuse:
    verdict: Verdict

    @property
    def transcript(self) -> bool:
        return self.verdict in ("reused", "reused_transcript")

    @property
    def understanding(self) -> bool:
        return self.verdict == "reused"


def start_early(
    pipeline: Pipeline, speech_end: SpeechEnd, language: str, now: datetime
) -> EarlyStart:
    """Recognition and understanding of the audio up to `speech_end`; blocking, changes
    nothing."""
    return EarlyStart(speech_end, pipeline.prepare(speech_end.recording.samples, language, now))


def only_silence_added(early: Recording, final: Recording) -> Verdict | None:
    """None when `final` is `early`'s audio followed by nothing the end-of-speech detector
    took for speech; else why not."""
    length = len(early.samples)
    if len(final.samples) < length or not np.array_equal(final.samples[:length], early.samples):
        return "other_audio"
    if final.last_speech_sample != early.last_speech_sample:
        return "spoke_again"
    return None


def decide(early: EarlyStart | None, final: Recording, language: str, now: datetime) -> Reuse:
    """Whether the early start stands for `final`, the recording at the release, answered at
    `now` with the recognition language `language`."""
    if early is None:
        return Reuse("no_early_start")
    if early.heard.language != language:
        return Reuse("other_language")
    refused = only_silence_added(early.speech_end.recording, final)
    if refused is not None:
        return Reuse(refused)
    if _to_the_minute(early.heard.now) != _to_the_minute(now):
        return Reuse("reused_transcript")
    return Reuse("reused")


def _to_the_minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def respond_at_release(
    pipeline: Pipeline,
    early: EarlyStart | None,
    final: Recording,
    language: str,
    now: datetime,
    dialog: Dialog,
    on_stage: Callable[[str], None] | None = None,
) -> tuple[Turn, Reuse]:
    """The request of the released recording, answered once: from the early start where
    `decide` allows it, else from the whole recording. `on_stage` hears "transcribing" and
    "thinking" as they start. The turn's `asr` and `nlu` timings are the time spent after
    the release (0 for what was reused); `early_asr` and `early_nlu` that before it."""

    def stage(name: str) -> None:
        if on_stage is not None:
            on_stage(name)

    reuse = decide(early, final, language, now)
    if early is None or not reuse.transcript:
        stage("transcribing")
        heard_at = time.perf_counter()
        transcript = pipeline.hear(final.samples, language)
        asr_ms = (time.perf_counter() - heard_at) * 1000
        stage("thinking")
        turn = pipeline.respond_to_speech(transcript, language, now, dialog)
        return replace(turn, timings_ms={"asr": asr_ms, **turn.timings_ms}), reuse
    stage("thinking")
    heard = early.heard
    understanding = heard.understanding if reuse.understanding else None
    turn = pipeline.respond_to_speech(
        heard.transcript, language, now, dialog, understanding=understanding
    )
    timings = {"asr": 0.0, **turn.timings_ms, "early_asr": heard.asr_ms}
    if reuse.understanding:
        timings["early_nlu"] = heard.nlu_ms
    return replace(turn, timings_ms=timings), reuse


class EarlyStarts:
    """The early starts of one recording, shared between the thread that hears the ends of
    speech and the one that does the work: only the latest end of speech is worth working
    on, and the release takes the latest result."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latest: SpeechEnd | None = None
        self._result: EarlyStart | None = None

    def heard(self, speech_end: SpeechEnd) -> None:
        with self._lock:
            self._latest = speech_end

    def is_latest(self, speech_end: SpeechEnd) -> bool:
        with self._lock:
            return speech_end is self._latest

    def finished(self, early: EarlyStart) -> None:
        with self._lock:
            if early.speech_end is self._latest:
                self._result = early

    def result(self) -> EarlyStart | None:
        with self._lock:
            return self._result


# --- for benchmarks ----------------------------------------------------------------------------


def find_speech_end(samples: Samples, endpointer: str = "silero", block: int = 480) -> int | None:
    """Where the microphone would notice the first end of speech in `samples` (16 kHz mono),
    fed to the end-of-speech detector in blocks of `block` samples as the microphone feeds
    it: the end of the block in which it was noticed. None when it notices none."""
    detector = ENDPOINTERS[endpointer]()
    for start in range(0, len(samples), block):
        detector.feed(samples[start : start + block])
        if detector.ends_heard:
            return min(start + block, len(samples))
    return None


def _recording(samples: Samples, ended_by: EndReason, detector: Endpointer) -> Recording:
    return Recording(
        samples=samples,
        device_name="benchmark",
        device_sample_rate=SAMPLE_RATE,
        ended_by=ended_by,
        speech_detected=detector.speech_started,
        clipped_fraction=0.0,
        last_speech_sample=detector.last_speech_sample,
    )


@dataclass(frozen=True)
class PushToTalkLatency:
    """`time.perf_counter()` moments of one push-to-talk request."""

    speech_end: float
    """The end of speech was noticed and the early start began."""
    release: float
    """The button was released."""
    first_audio: float | None
    """The reply's first chunk (sentence or clause) was synthesized; None when there is
    nothing to say (no synthesizer, or an empty reply)."""
    reuse: Reuse
    turn: Turn

    @property
    def speech_end_to_first_audio_ms(self) -> float | None:
        return None if self.first_audio is None else (self.first_audio - self.speech_end) * 1000

    @property
    def release_to_first_audio_ms(self) -> float | None:
        return None if self.first_audio is None else (self.first_audio - self.release) * 1000


def measure_push_to_talk(
    pipeline: Pipeline,
    samples: Samples,
    speech_end_index: int,
    release_index: int,
    language: str,
    now: datetime,
    dialog: Dialog,
    *,
    endpointer: str = "silero",
) -> PushToTalkLatency:
    """One push-to-talk request in real time, as the window makes it: `samples` (16 kHz
    mono) is what the microphone records; at `speech_end_index` the end of speech is noticed
    (see `find_speech_end`) and the early start begins on `samples[:speech_end_index]` in a
    thread of its own; (release_index - speech_end_index) / 16 kHz seconds later the button
    is released with `samples[:release_index]`, and `respond_at_release` answers (changing
    `dialog`'s calendar) once the early start is done; then the reply's first chunk is
    synthesized. The end-of-speech detector `endpointer` runs over the samples beforehand to
    decide, as the microphone would, whether speech came again before the release."""
    if not 0 < speech_end_index <= release_index <= len(samples):
        raise ValueError("need 0 < speech_end_index <= release_index <= len(samples)")
    detector = ENDPOINTERS[endpointer]()
    detector.feed(samples[:speech_end_index])
    snapshot = _recording(samples[:speech_end_index], "speech_end", detector)
    detector.feed(samples[speech_end_index:release_index])
    final = _recording(samples[:release_index], "stopped", detector)
    with ThreadPoolExecutor(max_workers=1) as executor:
        speech_end = time.perf_counter()
        running = executor.submit(
            start_early, pipeline, SpeechEnd(snapshot, speech_end), language, now
        )
        held_on_s = (release_index - speech_end_index) / SAMPLE_RATE
        time.sleep(max(0.0, speech_end + held_on_s - time.perf_counter()))
        release = time.perf_counter()
        early = running.result()
    turn, reuse = respond_at_release(pipeline, early, final, language, now, dialog)
    first_audio = None
    speaks = pipeline.synthesizer is not None and bool(turn.outcome.message)
    if speaks and next(pipeline.speak(turn.outcome), None) is not None:
        first_audio = time.perf_counter()
    return PushToTalkLatency(speech_end, release, first_audio, reuse, turn)
