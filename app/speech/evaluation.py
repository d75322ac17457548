"""Word error rate, and a benchmark of the speech stages on the recorded fixtures:
`python -m app.speech.evaluation [--manifest PATH]`."""

from __future__ import annotations

import argparse
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.speech.asr import Recognizer

_NOT_WORD = re.compile(r"[^\w']+")
_DIGITS_AND_LETTERS = re.compile(r"(?<=\d)(?=[^\W\d])|(?<=[^\W\d])(?=\d)")
_SPOKEN_FORMS = {"p.m.": "pm", "a.m.": "am", "o'clock": "oclock"}

DEFAULT_MANIFEST = Path(__file__).resolve().parents[2] / "tests/fixtures/audio/manifest.json"


def normalize(text: str, numbers_in: str | None = None) -> list[str]:
    """Lower case, without punctuation, so that only the words are compared. With
    `numbers_in` ("de" or "en"), numerals are written as words of that language as well, so
    that "7 of clubs" and "seven of clubs" are the same words (years 1100-1999 as spoken:
    "nineteen sixty-three", "neunzehnhundertdreiundsechzig")."""
    lowered = text.casefold()
    for spoken, written in _SPOKEN_FORMS.items():
        lowered = lowered.replace(spoken, written)
    if numbers_in is not None:
        lowered = _NUMERAL.sub(lambda match: _spelled(match, numbers_in), lowered)
    lowered = _DIGITS_AND_LETTERS.sub(" ", lowered)
    return [word.strip("'") for word in _NOT_WORD.split(lowered) if word.strip("'")]


_NUMERAL = re.compile(r"(\d+)(?:(\.)(?=\s|$)|(st|nd|rd|th)\b)?")


def _spelled(numeral: re.Match[str], language: str) -> str:
    from num2words import num2words  # type: ignore[import-untyped]  # dev extra only

    number = int(numeral.group(1))
    ordinal = numeral.group(3) is not None or (language == "de" and numeral.group(2) is not None)
    if ordinal:
        kind = "ordinal"
    elif 1100 <= number <= 1999:
        kind = "year"
    else:
        kind = "cardinal"
    spelled: str = num2words(number, lang=language, to=kind)
    return " " + spelled.replace("-", " ") + " "


def word_errors(reference: str, hypothesis: str, numbers_in: str | None = None) -> tuple[int, int]:
    """(substitutions + deletions + insertions, reference word count); `numbers_in`: see
    `normalize`."""
    ref, hyp = normalize(reference, numbers_in), normalize(hypothesis, numbers_in)
    previous = list(range(len(hyp) + 1))
    for i, ref_word in enumerate(ref, start=1):
        current = [i] + [0] * len(hyp)
        for j, hyp_word in enumerate(hyp, start=1):
            current[j] = min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (ref_word != hyp_word),
            )
        previous = current
    return previous[-1], len(ref)


@dataclass(frozen=True)
class FixtureResult:
    file: str
    language: str
    degradation: str | None
    reference: str
    hypothesis: str
    detected_language: str
    errors: int
    words: int
    duration_s: float
    ms: float


def load_manifest(path: Path = DEFAULT_MANIFEST) -> list[dict[str, object]]:
    recordings: list[dict[str, object]] = json.loads(path.read_text(encoding="utf-8"))["recordings"]
    return recordings


def transcribe_fixtures(
    manifest: Path = DEFAULT_MANIFEST,
    language: str | None = None,
    recognizer: Recognizer | None = None,
) -> list[FixtureResult]:
    from app.speech.asr import Recognizer

    recognizer = recognizer or Recognizer()
    results = []
    for entry in load_manifest(manifest):
        transcript = recognizer.transcribe_file(manifest.parent / str(entry["file"]), language)
        errors, words = word_errors(str(entry["text"]), transcript.text)
        results.append(
            FixtureResult(
                file=str(entry["file"]),
                language=str(entry["language"]),
                degradation=entry["degradation"] if entry["degradation"] else None,  # type: ignore[arg-type]
                reference=str(entry["text"]),
                hypothesis=transcript.text,
                detected_language=transcript.language,
                errors=errors,
                words=words,
                duration_s=transcript.duration_s,
                ms=transcript.ms,
            )
        )
    return results


def word_error_rate(results: list[FixtureResult]) -> float:
    words = sum(r.words for r in results)
    return sum(r.errors for r in results) / words if words else 0.0


def _benchmark(manifest: Path) -> None:
    from app.speech.asr import Recognizer
    from app.speech.tts import Synthesizer

    started = time.perf_counter()
    recognizer = Recognizer()
    total_s = (time.perf_counter() - started) * 1000
    print(
        f"ASR load {recognizer.load_ms:.0f} ms, warm-up {recognizer.warm_up_ms:.0f} ms "
        f"(total {total_s:.0f} ms)"
    )
    del recognizer
    results = transcribe_fixtures(manifest)
    for language in ("en", "de"):
        mine = [r for r in results if r.language == language]
        clean = [r for r in mine if r.degradation is None]
        audio_s = sum(r.duration_s for r in mine)
        print(
            f"{language}: WER {word_error_rate(mine):.1%} over {len(mine)} recordings "
            f"(clean {word_error_rate(clean):.1%}); language detected right "
            f"{sum(r.detected_language == language for r in mine)}/{len(mine)}; "
            f"ASR {sum(r.ms for r in mine) / audio_s:.0f} ms per second of audio "
            f"({audio_s:.0f} s of audio)"
        )
    for result in results:
        if result.errors:
            print(f"  {result.file}: {result.hypothesis!r}")
    synthesizer = Synthesizer()
    replies = {
        "en": "I added Dentist on Saturday, 28 March at 3:00 PM. Anything else?",
        "de": "Ich habe Zahnarzt am Samstag, 28. März um 15:00 Uhr eingetragen. Sonst noch was?",
    }
    for language, reply in replies.items():
        warm_up_ms = synthesizer.warm_up(language)
        firsts = []
        for _ in range(5):
            started = time.perf_counter()
            chunks = synthesizer.synthesize(reply, language)
            next(chunks)
            firsts.append((time.perf_counter() - started) * 1000)
            for _chunk in chunks:
                pass
        voice = synthesizer.voice_for(language)
        print(
            f"TTS {language} ({type(voice).__name__} {voice.name}): load + warm-up "
            f"{warm_up_ms:.0f} ms, time to first audio median {sorted(firsts)[2]:.0f} ms"
        )


@dataclass(frozen=True)
class EndpointResult:
    file: str
    detected: bool
    cut_early: bool
    """The end was declared before the speech was over."""
    latency_ms: float
    """From the true end of speech to the declared end."""


def endpoint_fixtures(
    name: str, manifest: Path = DEFAULT_MANIFEST, noise_db: float | None = None
) -> list[EndpointResult]:
    """Stream every fixture (with a second of silence before and three after, plus a faint
    noise floor, or with steady background noise `noise_db` below the speech throughout)
    through an end-of-speech detector, as the microphone does block by block."""
    import numpy as np

    from app.speech.audio import SAMPLE_RATE, load_audio
    from app.speech.microphone import ENDPOINTERS

    results = []
    block = int(0.03 * SAMPLE_RATE)
    rng = np.random.default_rng(7)
    for entry in load_manifest(manifest):
        speech = load_audio(manifest.parent / str(entry["file"]))
        loud = np.flatnonzero(np.abs(speech) > 0.02)
        true_end = SAMPLE_RATE + (int(loud[-1]) if len(loud) else 0)
        stream = np.concatenate(
            [np.zeros(SAMPLE_RATE, np.float32), speech, np.zeros(3 * SAMPLE_RATE, np.float32)]
        )
        noise = rng.standard_normal(len(stream)).astype(np.float32)
        if noise_db is None:
            noise *= 3e-4
        else:
            noise = np.convolve(noise, np.ones(8, np.float32) / 8, mode="same").astype(np.float32)
            speech_rms = float(np.sqrt(np.mean(speech[np.abs(speech) > 0.01] ** 2)))
            noise *= speech_rms / float(np.sqrt(np.mean(noise**2))) * 10 ** (-noise_db / 20)
        stream = (stream + noise).astype(np.float32)
        endpointer = ENDPOINTERS[name]()
        declared = None
        for start in range(0, len(stream), block):
            endpointer.feed(stream[start : start + block])
            if endpointer.speech_ended:
                declared = start + block
                break
        results.append(
            EndpointResult(
                file=str(entry["file"]),
                detected=endpointer.speech_started,
                cut_early=declared is not None and declared < true_end,
                latency_ms=((declared or len(stream)) - true_end) / SAMPLE_RATE * 1000,
            )
        )
    return results


def _endpoint_benchmark(manifest: Path) -> None:
    for name, noise_db in (
        ("energy", None),
        ("silero", None),
        ("energy", 15.0),
        ("silero", 15.0),
        ("energy", 6.0),
        ("silero", 6.0),
    ):
        print(f"background noise {noise_db} dB below speech" if noise_db else "quiet room")
        results = endpoint_fixtures(name, manifest, noise_db)
        started = time.perf_counter()
        endpoint_fixtures(name, manifest, noise_db)
        seconds = time.perf_counter() - started
        latencies = sorted(r.latency_ms for r in results if not r.cut_early and r.detected)
        median = latencies[len(latencies) // 2] if latencies else float("nan")
        print(
            f"end of speech ({name}): speech found {sum(r.detected for r in results)}"
            f"/{len(results)}, cut early {sum(r.cut_early for r in results)}, "
            f"median latency after the last word {median:.0f} ms, "
            f"whole run {seconds * 1000:.0f} ms"
        )
        for result in results:
            if result.cut_early or not result.detected:
                print(f"  {result.file}: detected={result.detected} cut_early={result.cut_early}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Benchmark the speech stages")
    parser.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST)
    parser.add_argument(
        "--only", choices=("all", "endpoint"), default="all", help="which benchmarks to run"
    )
    arguments = parser.parse_args()
    _endpoint_benchmark(arguments.manifest)
    if arguments.only == "all":
        _benchmark(arguments.manifest)
