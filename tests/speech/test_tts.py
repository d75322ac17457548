from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile

from app.speech.asr import Recognizer
from app.speech.audio import resample
from app.speech.evaluation import word_errors
from app.speech.tts import (
    AudioChunk,
    NoSpeakerError,
    SpeechSynthesisError,
    Style,
    Synthesizer,
    join_chunks,
    made_ahead,
    play,
    split_clauses,
    split_for_speaking,
    split_sentences,
    write_reply,
)
from app.speech.voices import (
    EspeakVoiceSpec,
    PiperVoiceSpec,
    VoiceError,
    bundled_voices,
    choose_voice,
    discover_piper_voices,
    read_piper_voice,
    user_voices_dir,
)


@pytest.mark.parametrize(
    ("language", "text", "sentences"),
    [
        (
            "de",
            "Ich habe Zahnarzt am Samstag, 28. März eingetragen. Noch etwas?",
            ["Ich habe Zahnarzt am Samstag, 28. März eingetragen.", "Noch etwas?"],
        ),
        ("de", "Das ist z. B. gut! Ja.", ["Das ist z. B. gut!", "Ja."]),
        (
            "en",
            "I added Dentist with Dr. Smith. Anything else? Bye",
            ["I added Dentist with Dr. Smith.", "Anything else?", "Bye"],
        ),
        ("en", "It is number 1. Then 2.", ["It is number 1.", "Then 2."]),
        ("en", "   ", []),
    ],
)
def test_split_sentences(language, text, sentences):
    assert split_sentences(text, language) == sentences


def fake_german_voice(folder: Path, name: str = "de_DE-test-medium") -> Path:
    """The bundled English model under a German name and configuration."""
    english = bundled_voices()[0]
    folder.mkdir(parents=True, exist_ok=True)
    model = folder / f"{name}.onnx"
    shutil.copy(english.model_path, model)
    config = json.loads(english.config_path.read_text())
    config["language"] = {"code": "de_DE", "family": "de"}
    config["espeak"] = {"voice": "de"}
    (folder / f"{name}.onnx.json").write_text(json.dumps(config))
    return model


def test_voices_are_found_by_language(tmp_path: Path):
    empty = tmp_path / "empty"
    english = choose_voice("en", folder=empty)
    assert isinstance(english, PiperVoiceSpec)
    assert english.name == "en_US-joe-medium"
    german = choose_voice("de", folder=empty)
    assert isinstance(german, EspeakVoiceSpec)
    assert german.name.startswith("de")

    voices = tmp_path / "voices"
    fake_german_voice(voices)
    (voices / "broken.onnx").write_bytes(b"x")  # no configuration: skipped
    (voices / "odd.onnx").write_bytes(b"x")
    (voices / "odd.onnx.json").write_text("{not json")
    assert [v.name for v in discover_piper_voices([voices])] == ["de_DE-test-medium"]
    chosen = choose_voice("de", folder=voices)
    assert isinstance(chosen, PiperVoiceSpec)
    assert chosen.language == "de"


def test_explicit_voice_wins_and_bad_ones_are_refused(tmp_path: Path):
    explicit = fake_german_voice(tmp_path / "mine", "de_DE-mine")
    fake_german_voice(tmp_path / "folder", "de_DE-other")
    chosen = choose_voice("de", explicit=[explicit], folder=tmp_path / "folder")
    assert chosen.name == "de_DE-mine"
    with pytest.raises(VoiceError, match="configuration"):
        (tmp_path / "lonely.onnx").write_bytes(b"x")
        read_piper_voice(tmp_path / "lonely.onnx")
    with pytest.raises(VoiceError, match="no such voice"):
        read_piper_voice(tmp_path / "missing.onnx")


def test_user_voices_folder_follows_the_platform(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert user_voices_dir() == tmp_path / "voice-calendar" / "voices"


def test_english_reply_streams_sentence_by_sentence(
    synthesizer: Synthesizer, recognizer: Recognizer
):
    reply = "I added Dentist on Saturday afternoon. Anything else?"
    chunks = synthesizer.synthesize(reply, "en")
    first = next(chunks)
    assert first.text == "I added Dentist on Saturday afternoon."
    assert first.sample_rate == 22050
    assert 1.0 < first.duration_s < 5.0
    rest = list(chunks)
    assert [chunk.text for chunk in rest] == ["Anything else?"]
    samples, rate = join_chunks([first, *rest])
    transcript = recognizer.transcribe(resample(samples, rate), "en")
    assert word_errors(reply, transcript.text)[0] <= 2, transcript.text


def test_german_reply_through_espeak(synthesizer: Synthesizer, recognizer: Recognizer):
    assert isinstance(synthesizer.voice_for("de"), EspeakVoiceSpec)
    chunks = list(synthesizer.synthesize("Ich habe Zahnarzt eingetragen. Sonst noch was?", "de"))
    assert [chunk.text for chunk in chunks] == ["Ich habe Zahnarzt eingetragen.", "Sonst noch was?"]
    assert all(
        chunk.sample_rate == 22050 and np.max(np.abs(chunk.samples)) > 0.05 for chunk in chunks
    )
    samples, rate = join_chunks(chunks)
    assert recognizer.transcribe(resample(samples, rate)).language == "de"


def test_german_piper_voice_from_the_user_folder_is_used(tmp_path: Path):
    synthesizer = Synthesizer(voices_folder=tmp_path / "voices")
    fake_german_voice(tmp_path / "voices")
    voice = synthesizer.voice_for("de")
    assert isinstance(voice, PiperVoiceSpec)
    chunk = next(synthesizer.synthesize("Hallo.", "de"))
    assert chunk.sample_rate == 22050


def test_deterministic_piper_repeats_exactly(synthesizer: Synthesizer):
    style = Style(deterministic=True)
    for language in ("en",):
        once = join_chunks(synthesizer.synthesize("Okay, done.", language, style))[0]
        again = join_chunks(synthesizer.synthesize("Okay, done.", language, style))[0]
        assert np.array_equal(once, again)


def test_speed_changes_length(synthesizer: Synthesizer):
    for language in ("en", "de"):
        normal = join_chunks(synthesizer.synthesize("One two three four five.", language))[0]
        fast = join_chunks(
            synthesizer.synthesize("One two three four five.", language, Style(speed=1.5))
        )[0]
        assert len(fast) < 0.85 * len(normal)


def test_write_reply(tmp_path: Path, synthesizer: Synthesizer):
    seconds = write_reply(synthesizer.synthesize("Done. Bye.", "en"), tmp_path / "reply.wav")
    info = soundfile.info(tmp_path / "reply.wav")
    assert info.samplerate == 22050
    assert info.duration == pytest.approx(seconds, abs=0.01)
    assert seconds > 0.5


def test_first_audio_comes_before_the_whole_reply_is_made(synthesizer: Synthesizer):
    synthesizer.warm_up("en")
    long_reply = " ".join(f"This is sentence number {n}." for n in range(1, 7))
    started = time.perf_counter()
    chunks = synthesizer.synthesize(long_reply, "en")
    next(chunks)
    first = time.perf_counter() - started
    list(chunks)
    whole = time.perf_counter() - started
    assert first < whole / 2


def test_unknown_language_has_no_voice(synthesizer: Synthesizer):
    with pytest.raises(SpeechSynthesisError, match="fr"):
        synthesizer.voice_for("fr")


@pytest.mark.parametrize(
    ("language", "sentence", "parts"),
    [
        (  # a list after a colon: its head plays while the list is made
            "en",
            "On Saturday, March 28 you have 2 appointments: Zahnarzt at 3:00 PM and Team at"
            " 3:30 PM.",
            [
                "On Saturday, March 28 you have 2 appointments:",
                "Zahnarzt at 3:00 PM and Team at 3:30 PM.",
            ],
        ),
        (
            "de",
            "Ich habe 2 passende Termine gefunden: Zahnarzt am Samstag, 28. März um 15:00 und"
            " Team am Samstag, 28. März um 15:30.",
            [
                "Ich habe 2 passende Termine gefunden:",
                "Zahnarzt am Samstag, 28. März um 15:00 und Team am Samstag, 28. März um 15:30.",
            ],
        ),
        (  # a comma before a clause
            "en",
            "I added Schwimmen every Thursday at 8:00 AM, until Tuesday, June 30, starting"
            " Thursday, April 2.",
            [
                "I added Schwimmen every Thursday at 8:00 AM,",
                "until Tuesday, June 30, starting Thursday, April 2.",
            ],
        ),
        (  # commas in dates and lists stay; so does a colon in a quoted title
            "de",
            "Soll ich Müll von Freitag, 3. April um 07:00 auf Donnerstag, 2. April um 07:00"
            " verschieben?",
            [
                "Soll ich Müll von Freitag, 3. April um 07:00 auf Donnerstag, 2. April um 07:00"
                " verschieben?"
            ],
        ),
        (
            "en",
            "I can add, move, delete and read out appointments, and remind you of them.",
            ["I can add, move, delete and read out appointments, and remind you of them."],
        ),
        (
            "en",
            "I found no appointment “Meeting: budget, until then” on Saturday, March 28 at all.",
            ["I found no appointment “Meeting: budget, until then” on Saturday, March 28 at all."],
        ),
        (  # no part shorter than the language's shortest
            "en",
            "That was the whole list of everything that I could find for you: none.",
            ["That was the whole list of everything that I could find for you: none."],
        ),
    ],
)
def test_a_long_sentence_is_spoken_in_clauses_where_that_is_safe(language, sentence, parts):
    assert split_clauses(sentence, language) == parts
    assert split_for_speaking(f"{sentence} Anything else?", language) == [*parts, "Anything else?"]


def test_made_ahead_makes_the_next_item_while_one_is_used():
    made = [threading.Event() for _ in range(3)]

    def items():
        for number, event in enumerate(made):
            event.set()
            yield number

    taken = made_ahead(items())
    assert next(taken) == 0
    # Without working ahead, the second item would only be made at the next `next`.
    assert made[1].wait(30)
    assert list(taken) == [1, 2]


def test_made_ahead_hands_on_an_error_where_it_happened():
    def items():
        yield "first"
        raise SpeechSynthesisError("the voice broke")

    taken = made_ahead(items())
    assert next(taken) == "first"
    with pytest.raises(SpeechSynthesisError, match="the voice broke"):
        next(taken)


def test_play_synthesizes_the_next_sentence_while_one_plays(monkeypatch):
    import sounddevice

    second_made = threading.Event()
    made_while_playing: list[bool] = []
    written: list[int] = []

    def chunks():
        yield AudioChunk(np.full(2205, 0.1, np.float32), 22050, "One.")
        second_made.set()
        yield AudioChunk(np.full(2205, 0.2, np.float32), 22050, "Two.")

    class Speakers:
        def __init__(self, **_: object) -> None:
            pass

        def start(self) -> None:
            pass

        def write(self, samples: np.ndarray) -> None:
            if samples.any() and not written:  # the first sentence is playing
                made_while_playing.append(second_made.wait(30))
            written.append(len(samples))

        def stop(self) -> None:
            pass

        def close(self) -> None:
            pass

    monkeypatch.setattr(sounddevice, "OutputStream", Speakers)
    play(chunks())
    assert made_while_playing == [True]
    assert written == [2205, 3307, 2205, 3307]  # each sentence, then a short pause


def _has_output_device() -> bool:
    import sounddevice  # type: ignore[import-untyped]

    try:
        sounddevice.query_devices(kind="output")
    except (sounddevice.PortAudioError, ValueError):
        return False
    return True


@pytest.mark.skipif(_has_output_device(), reason="this machine can play sound")
def test_playing_without_an_output_device_is_a_no_speaker_error(
    synthesizer: Synthesizer,
) -> None:
    """Through the real PortAudio on a machine without sound output (as CI's)."""
    with pytest.raises(NoSpeakerError, match="no sound output device"):
        play(synthesizer.synthesize("Hello.", "en"))
