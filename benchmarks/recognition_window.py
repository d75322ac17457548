"""Word errors and time of recognition with Whisper's whole 30-second window against windows
cut to the speech (`RecognizerSettings.min_window_s`), and beam sizes, side by side:
`python -m benchmarks.recognition_window [--sets real,fixtures,massive] [--variants 30/1,10/3]`
(each variant: the shortest window in seconds / the beam size [/ `sure_log_prob`]).

Three sets:
- `real`: the recordings of real people in `../shared/data/speech/` (for measuring, never for
  training), German and English;
- `fixtures`: the recorded fixtures (all of them, degraded ones included);
- `massive`: MASSIVE dev calendar commands spoken by the app's own voices (deterministic),
  `--massive` per language.

Word error rates per language, raw (case and punctuation removed) and normalized (numerals
as words as well); time per recording (median) and per second of audio; how many recordings
were heard again with the whole window because the decoder was unsure on the short one. Each
recording is recognized with every window in turn, so a busy machine affects them alike."""

from __future__ import annotations

import argparse
import json
import logging
import statistics
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from app.speech.asr import Recognizer, RecognizerSettings
from app.speech.audio import Samples, load_audio, resample
from app.speech.evaluation import DEFAULT_MANIFEST, load_manifest, word_errors
from app.speech.tts import Style, Synthesizer
from benchmarks.suite import MASSIVE, REAL_VOICES, real_voice_entries

SETS = ("real", "fixtures", "massive")


@dataclass(frozen=True)
class Spoken:
    name: str
    language: str
    text: str
    samples: Samples


def real_voices(folder: Path = REAL_VOICES) -> list[Spoken]:
    return [
        Spoken(entry["file"], entry["lang"], entry["text"], load_audio(folder / entry["file"]))
        for entry in real_voice_entries(folder)
    ]


def fixtures(manifest: Path = DEFAULT_MANIFEST) -> list[Spoken]:
    return [
        Spoken(
            str(entry["file"]),
            str(entry["language"]),
            str(entry["text"]),
            load_audio(manifest.parent / str(entry["file"])),
        )
        for entry in load_manifest(manifest)
    ]


def massive_spoken(per_language: int) -> list[Spoken]:
    """The first `per_language` MASSIVE dev calendar commands of each language, spoken."""
    synthesizer = Synthesizer()
    spoken: list[Spoken] = []
    for language, locale in (("de", "de-DE"), ("en", "en-US")):
        lines = (MASSIVE / f"{locale}.dev.jsonl").read_text(encoding="utf-8").splitlines()
        for line in lines[:per_language]:
            text = json.loads(line)["utt"]
            chunks = list(synthesizer.synthesize(text, language, Style(deterministic=True)))
            audio = np.concatenate([resample(c.samples, c.sample_rate) for c in chunks])
            silence = np.zeros(8000, dtype=np.float32)
            samples = np.concatenate([silence, audio, silence]).astype(np.float32)
            spoken.append(Spoken(f"massive-{language}-{len(spoken)}", language, text, samples))
    return spoken


@dataclass
class _Tally:
    raw: list[int] = field(default_factory=lambda: [0, 0])
    normalized: list[int] = field(default_factory=lambda: [0, 0])
    ms: list[float] = field(default_factory=list)
    audio_s: float = 0.0
    heard_again: int = 0

    def report(self) -> dict[str, object]:
        return {
            "wer_raw": round(self.raw[0] / max(self.raw[1], 1), 4),
            "wer_normalized": round(self.normalized[0] / max(self.normalized[1], 1), 4),
            "median_ms": round(statistics.median(self.ms), 1) if self.ms else None,
            "ms_per_audio_s": round(sum(self.ms) / self.audio_s, 1) if self.audio_s else None,
            "heard_again_whole": self.heard_again,
            "recordings": len(self.ms),
        }


def variant_settings(variant: str) -> RecognizerSettings:
    """A variant "10/3" is a window of at least 10 s and beam size 3; "10/3/-0.8" is heard
    again with the whole window below a mean log probability of -0.8 as well
    (`RecognizerSettings.sure_log_prob`)."""
    window, beam, *sure = variant.split("/")
    settings = RecognizerSettings(min_window_s=float(window), beam_size=int(beam))
    return replace(settings, sure_log_prob=float(sure[0])) if sure else settings


def compare(
    recordings: list[Spoken], variants: list[str], language_given: bool = False
) -> dict[str, object]:
    """Every recording through a recognizer per variant (see `variant_settings`);
    `language_given`: the language is set (as when the person chose one in Settings)
    instead of detected."""
    recognizers = {v: Recognizer(variant_settings(v)) for v in variants}
    tallies = {v: {"de": _Tally(), "en": _Tally()} for v in variants}
    differing = []
    for recording in recordings:
        heard = {}
        for variant, recognizer in recognizers.items():
            language = recording.language if language_given else None
            transcript = recognizer.transcribe(recording.samples, language)
            tally = tallies[variant][recording.language]
            for counts, numbers_in in ((tally.raw, None), (tally.normalized, recording.language)):
                wrong, words = word_errors(recording.text, transcript.text, numbers_in)
                counts[0] += wrong
                counts[1] += words
            tally.ms.append(transcript.ms)
            tally.audio_s += len(recording.samples) / 16000
            short_window = recognizer.settings.min_window_s < 30
            tally.heard_again += short_window and transcript.window_s >= 30
            heard[variant] = transcript.text
        if len(set(heard.values())) > 1:
            differing.append({"recording": recording.name, "said": recording.text, **heard})
    return {
        variant: {language: tally.report() for language, tally in tallies[variant].items()}
        for variant in variants
    } | {"differing": {"count": len(differing), "examples": differing[:30]}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(SETS), help=f"any of {', '.join(SETS)}")
    parser.add_argument("--massive", type=int, default=60, help="commands per language")
    parser.add_argument(
        "--variants", default="30/1,10/3", help="window in seconds / beam size, comma-separated"
    )
    parser.add_argument("--language-given", action="store_true", help="do not detect it")
    parser.add_argument("--out", type=Path)
    arguments = parser.parse_args()
    logging.getLogger("faster_whisper").setLevel(logging.WARNING)
    variants = arguments.variants.split(",")
    loaders = {
        "real": real_voices,
        "fixtures": fixtures,
        "massive": lambda: massive_spoken(arguments.massive),
    }
    results = {
        name: compare(loaders[name](), variants, arguments.language_given)
        for name in arguments.sets.split(",")
    }
    text = json.dumps(results, indent=2, ensure_ascii=False)
    print(text)
    if arguments.out:
        arguments.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
