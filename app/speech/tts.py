"""Speaking: Piper voices, or espeak-ng (the `espeakng-loader` wheel's library and data,
through ctypes) for a language without a Piper voice. `synthesize` yields one chunk per
sentence (a long sentence in clauses), and `play` makes the next chunks while one plays, so
the reply starts as soon as its first part is made."""

from __future__ import annotations

import ctypes
import queue
import re
import threading
import time
import tomllib
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from app.speech.audio import Samples, write_wav
from app.speech.voices import (
    LOCALES_DIR,
    EspeakVoiceSpec,
    PiperVoiceSpec,
    VoiceError,
    VoiceSpec,
    choose_voice,
)


class SpeechSynthesisError(RuntimeError):
    """A voice could not be loaded or could not speak."""


class NoSpeakerError(RuntimeError):
    """No sound output device could be opened or written to (none connected, or it went
    away), so a reply cannot be played."""


@dataclass(frozen=True)
class AudioChunk:
    samples: Samples
    """Mono float32 in [-1, 1]."""
    sample_rate: int
    text: str
    """The sentence (or clause of a long sentence) this chunk speaks."""

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.sample_rate


@dataclass(frozen=True)
class Style:
    """How a voice speaks. Defaults: the voice's own settings."""

    speed: float = 1.0
    """Above 1 is faster."""
    deterministic: bool = False
    """Reproducible audio: Piper without its random variation (the same samples every time),
    espeak-ng with a fixed random seed (the same samples for the same sequence of calls in a
    fresh process; a few milliseconds apart otherwise)."""


# --- sentences -------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"([.!?…]+)[\"'»«“”)]*\s+")


@cache
def _sentence_rules(language: str) -> tuple[frozenset[str], bool]:
    """Abbreviations, and whether a number with a full stop is an ordinal ("28. März")."""
    path = LOCALES_DIR / language / "voices.toml"
    try:
        with path.open("rb") as file:
            rules = tomllib.load(file).get("sentences", {})
    except OSError:
        return frozenset(), False
    abbreviations = frozenset(str(word) for word in rules.get("abbreviations", []))
    return abbreviations, bool(rules.get("ordinal_numbers_end_with_full_stop", False))


def split_sentences(text: str, language: str) -> list[str]:
    """Sentences, keeping dates ("am 28. März") and abbreviations ("z. B.") whole."""
    abbreviations, ordinals = _sentence_rules(language)
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        words = text[start : match.start()].split()
        previous = words[-1] if words else ""
        if match.group(1) == "." and (
            (ordinals and previous.isdigit()) or previous in abbreviations
        ):
            continue
        sentence = text[start : match.end()].strip()
        if sentence:
            sentences.append(sentence)
        start = match.end()
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


@dataclass(frozen=True)
class ClauseRules:
    """When and where a long sentence is spoken in parts (`[clauses]` in voices.toml)."""

    longer_than: int
    """Sentences longer than this many characters are split."""
    shortest: int
    """No part (nor the rest after it) is shorter than this many characters."""
    comma_before: frozenset[str]
    """Words that start a clause after a comma ("until", "bis"); other commas (in a date, a
    list, a title) do not end one."""


_CLAUSE_END = re.compile(r"([,;:])\s+(\w*)")
_QUOTED = re.compile(r"„[^“]*“|“[^”]*”|\"[^\"]*\"|«[^»]*»|»[^«]*«")


@cache
def _clause_rules(language: str) -> ClauseRules | None:
    path = LOCALES_DIR / language / "voices.toml"
    try:
        with path.open("rb") as file:
            rules = tomllib.load(file).get("clauses")
    except OSError:
        return None
    if not rules:
        return None
    return ClauseRules(
        longer_than=int(rules["longer_than"]),
        shortest=int(rules["shortest"]),
        comma_before=frozenset(str(word) for word in rules.get("comma_before", [])),
    )


def split_clauses(sentence: str, language: str) -> list[str]:
    """A long sentence in parts that a voice can speak one after another as it would speak
    the whole: split after a colon or semicolon, or a comma before a word that starts a
    clause, never inside quotes, and into no part shorter than the language's `shortest`."""
    rules = _clause_rules(language)
    if rules is None or len(sentence) <= rules.longer_than:
        return [sentence]
    quoted = [match.span() for match in _QUOTED.finditer(sentence)]
    parts: list[str] = []
    start = 0
    for match in _CLAUSE_END.finditer(sentence):
        mark, next_word = match.group(1), match.group(2)
        if mark == "," and next_word.lower() not in rules.comma_before:
            continue
        if any(opening < match.start() < closing for opening, closing in quoted):
            continue
        part = sentence[start : match.start(2)].strip()
        rest = sentence[match.start(2) :].strip()
        if len(part) >= rules.shortest and len(rest) >= rules.shortest:
            parts.append(part)
            start = match.start(2)
    parts.append(sentence[start:].strip())
    return parts


def split_for_speaking(text: str, language: str) -> list[str]:
    """What a voice speaks one chunk at a time: the sentences, long ones in clauses."""
    return [
        part
        for sentence in split_sentences(text, language)
        for part in split_clauses(sentence, language)
    ]


# --- espeak-ng -------------------------------------------------------------------------------

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_DONT_EXIT = 0x8000
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_PARAMETER_RATE = 1
_SYNTH_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class _Espeak:
    """The espeak-ng library: one per process (its state is global), used under a lock."""

    _instance: _Espeak | None = None
    _instance_lock = threading.Lock()

    def __init__(self) -> None:
        try:
            import espeakng_loader  # type: ignore[import-untyped]
        except ModuleNotFoundError as error:
            raise SpeechSynthesisError("espeak-ng (espeakng-loader) is not installed") from error
        self._lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self._lib.espeak_Initialize.argtypes = [
            ctypes.c_int,
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_int,
        ]
        self._lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        self._lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        self._lib.espeak_Synth.argtypes = [
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        ]
        data_path = espeakng_loader.get_data_path().encode()
        rate = self._lib.espeak_Initialize(
            _AUDIO_OUTPUT_SYNCHRONOUS, 0, data_path, _INITIALIZE_DONT_EXIT
        )
        if rate <= 0:
            raise SpeechSynthesisError("espeak-ng failed to initialise")
        self.sample_rate = int(rate)
        self._pieces: list[npt.NDArray[np.int16]] = []
        self._callback = _SYNTH_CALLBACK(self._receive)
        self._lib.espeak_SetSynthCallback(self._callback)
        self._lock = threading.Lock()

    @classmethod
    def get(cls) -> _Espeak:
        with cls._instance_lock:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance

    def _receive(self, wave: Any, count: int, events: Any) -> int:
        del events
        if count > 0:
            self._pieces.append(np.ctypeslib.as_array(wave, shape=(count,)).copy())
        return 0

    def speak(
        self, text: str, voice: str, words_per_minute: int, seed: int | None = None
    ) -> Samples:
        with self._lock:
            if self._lib.espeak_SetVoiceByName(voice.encode()) != 0:
                raise SpeechSynthesisError(f"espeak-ng has no voice {voice!r}")
            self._lib.espeak_SetParameter(_PARAMETER_RATE, words_per_minute, 0)
            if seed is not None:
                self._lib.espeak_ng_SetRandSeed(ctypes.c_long(seed))
            self._pieces = []
            encoded = text.encode()
            status = self._lib.espeak_Synth(
                encoded, len(encoded) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None
            )
            if status != 0:
                raise SpeechSynthesisError(f"espeak-ng could not speak (error {status})")
            pieces, self._pieces = self._pieces, []
        if not pieces:
            return np.zeros(0, dtype=np.float32)
        return (np.concatenate(pieces).astype(np.float32) / 32768.0).astype(np.float32)


# --- the synthesizer -------------------------------------------------------------------------


@dataclass
class Synthesizer:
    """Speaks German and English. Voices are chosen once per language and loaded on first use
    (or by `warm_up`), then reused."""

    explicit_voices: Sequence[Path] = ()
    """Piper voice models to prefer over everything else."""
    voices_folder: Path | None = None
    """The user's voices folder (default: the platform's user data folder)."""
    _chosen: dict[str, VoiceSpec] = field(default_factory=dict, init=False)
    _piper: dict[Path, Any] = field(default_factory=dict, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def voice_for(self, language: str) -> VoiceSpec:
        if language not in self._chosen:
            try:
                self._chosen[language] = choose_voice(
                    language, self.explicit_voices, self.voices_folder
                )
            except VoiceError as error:
                raise SpeechSynthesisError(str(error)) from error
        return self._chosen[language]

    def warm_up(self, language: str) -> float:
        """Load the language's voice and speak one word; returns the milliseconds it took."""
        started = time.perf_counter()
        for _ in self.synthesize("Okay.", language):
            pass
        return (time.perf_counter() - started) * 1000

    def synthesize(
        self, text: str, language: str, style: Style | None = None
    ) -> Iterator[AudioChunk]:
        """One chunk per sentence (a long one in clauses, see `split_for_speaking`), each made
        only when the previous one was taken."""
        return self.synthesize_with(self.voice_for(language), text, style)

    def synthesize_with(
        self, voice: VoiceSpec, text: str, style: Style | None = None
    ) -> Iterator[AudioChunk]:
        style = style or Style()
        for sentence in split_for_speaking(text, voice.language):
            if isinstance(voice, PiperVoiceSpec):
                samples, rate = self._speak_piper(voice, sentence, style)
            else:
                samples, rate = self._speak_espeak(voice, sentence, style)
            if len(samples):
                yield AudioChunk(samples, rate, sentence)

    def _speak_espeak(
        self, voice: EspeakVoiceSpec, sentence: str, style: Style
    ) -> tuple[Samples, int]:
        engine = _Espeak.get()
        words_per_minute = round(voice.words_per_minute * style.speed)
        seed = zlib.crc32(sentence.encode()) if style.deterministic else None
        return engine.speak(sentence, voice.name, words_per_minute, seed), engine.sample_rate

    def _speak_piper(
        self, voice: PiperVoiceSpec, sentence: str, style: Style
    ) -> tuple[Samples, int]:
        from piper import SynthesisConfig

        piper_voice = self._load_piper(voice)
        config = SynthesisConfig(
            length_scale=piper_voice.config.length_scale / style.speed,
            noise_scale=0.0 if style.deterministic else None,
            noise_w_scale=0.0 if style.deterministic else None,
        )
        pieces = [chunk.audio_float_array for chunk in piper_voice.synthesize(sentence, config)]
        samples = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)
        return samples.astype(np.float32), int(piper_voice.config.sample_rate)

    def _load_piper(self, voice: PiperVoiceSpec) -> Any:
        with self._lock:
            if voice.model_path not in self._piper:
                from piper import PiperVoice

                try:
                    self._piper[voice.model_path] = PiperVoice.load(
                        voice.model_path, voice.config_path
                    )
                except Exception as error:
                    raise SpeechSynthesisError(
                        f"{voice.model_path}: the Piper voice could not be loaded ({error})"
                    ) from error
            return self._piper[voice.model_path]


# --- output ----------------------------------------------------------------------------------


def join_chunks(chunks: Iterable[AudioChunk]) -> tuple[Samples, int]:
    """All chunks as one recording, with a short pause between sentences."""
    pieces: list[Samples] = []
    sample_rate = 0
    for chunk in chunks:
        if sample_rate and chunk.sample_rate != sample_rate:
            raise SpeechSynthesisError("chunks with different sample rates cannot be joined")
        sample_rate = chunk.sample_rate
        if pieces:
            pieces.append(np.zeros(int(0.15 * sample_rate), dtype=np.float32))
        pieces.append(chunk.samples)
    if not pieces:
        return np.zeros(0, dtype=np.float32), sample_rate or 22_050
    return np.concatenate(pieces).astype(np.float32), sample_rate


def write_reply(chunks: Iterable[AudioChunk], path: Path) -> float:
    """Write the whole reply to a WAV file; returns its length in seconds."""
    samples, sample_rate = join_chunks(chunks)
    write_wav(path, samples, sample_rate)
    return len(samples) / sample_rate


Item = TypeVar("Item")


class _End:
    """Made ahead: there is nothing more."""


@dataclass(frozen=True)
class _Failed:
    """Made ahead: making the next one failed."""

    error: BaseException


def made_ahead(items: Iterable[Item], depth: int = 1) -> Iterator[Item]:
    """`items`, taken from a thread of their own: while one is used (a chunk played), the
    next ones are made (the next sentences synthesized), up to `depth` waiting. An error in
    making one comes out here, where that one would have."""
    waiting: queue.Queue[Item | _End | _Failed] = queue.Queue(maxsize=depth)
    abandoned = threading.Event()

    def hand_over(item: Item | _End | _Failed) -> bool:
        while not abandoned.is_set():
            try:
                waiting.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def make() -> None:
        try:
            for item in items:
                if not hand_over(item):
                    return
        except BaseException as error:  # handed to the consumer, which raises it
            hand_over(_Failed(error))
            return
        hand_over(_End())

    threading.Thread(target=make, name="made-ahead", daemon=True).start()
    try:
        while True:
            item = waiting.get()
            if isinstance(item, _End):
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        abandoned.set()


def play(chunks: Iterable[AudioChunk], device: str | None = None) -> None:
    """Play through sounddevice as the chunks arrive (output device chosen by name); the
    next chunks are made while one plays (`made_ahead`)."""
    import sounddevice  # type: ignore[import-untyped]

    from app.speech.devices import find_device

    index = find_device(device, "output") if device else None
    stream: Any = None
    try:
        for chunk in made_ahead(chunks):
            try:
                if stream is None:
                    stream = sounddevice.OutputStream(
                        samplerate=chunk.sample_rate, channels=1, dtype="float32", device=index
                    )
                    stream.start()
                stream.write(np.ascontiguousarray(chunk.samples.reshape(-1, 1)))
                stream.write(np.zeros((int(0.15 * chunk.sample_rate), 1), dtype=np.float32))
            except sounddevice.PortAudioError as error:  # "Error querying device -1"
                raise NoSpeakerError(f"no sound output device could be used ({error})") from error
    finally:
        if stream is not None:
            stream.stop()
            stream.close()
