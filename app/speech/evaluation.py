"""Word error rate, and a benchmark of the speech stages on the recorded fixtures:
`python -m app.speech.evaluation [--manifest PATH]`."""

from __future__ import annotations

import argparse
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

_NOT_WORD = re.compile(r"[^\w']+")
_DIGITS_AND_LETTERS = re.compile(r"(?<=\d)(?=[^\W\d])|(?<=[^\W\d])(?=\d)")
_SPOKEN_FORMS = {"p.m.": "pm", "a.m.": "am", "o'clock": "oclock"}

DEFAULT_MANIFEST = Path(__file__).resolve().parents[2] / "tests/fixtures/audio/manifest.json"


def normalize(text: str) -> list[str]:
    """Lower case, without punctuation, so that only the words are compared."""
    lowered = text.casefold()
    for spoken, written in _SPOKEN_FORMS.items():
        lowered = lowered.replace(spoken, written)
    lowered = _DIGITS_AND_LETTERS.sub(" ", lowered)
    return [word.strip("'") for word in _NOT_WORD.split(lowered) if word.strip("'")]


def word_errors(reference: str, hypothesis: str) -> tuple[int, int]:
    """(substitutions + deletions + insertions, reference word count)."""
    ref, hyp = normalize(reference), normalize(hypothesis)
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
    manifest: Path = DEFAULT_MANIFEST, language: str | None = None
) -> list[FixtureResult]:
    from app.speech.asr import Recognizer

    recognizer = Recognizer()
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


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Benchmark the speech stages")
    parser.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST)
    _benchmark(parser.parse_args().manifest)
