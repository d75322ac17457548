"""Scoring only the tokens a copied call can hold (`candidates.py`, `output_head.py`) chooses
exactly what greedy decoding over the whole vocabulary chooses."""

from __future__ import annotations

import json
import os
import random
import re
from collections.abc import Iterator
from ctypes import byref
from pathlib import Path

import llama_cpp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.nlu import output_head
from app.nlu.call_format import grammar, prompt
from app.nlu.candidates import TokenIndex, _copyable_texts, _substrings
from app.nlu.gguf_layout import tensor_location
from app.nlu.llama_model import CALL_HEADS, LlamaCallModel, _GrammarSampler
from app.nlu.model_store import (
    DEFAULT_MODELS_DIR,
    EMBEDDING_TENSOR,
    MANIFEST_FILE,
    ensure_model,
)
from app.nlu.output_head import QuantizedOutputHead, quantize_q8_0

MASSIVE = Path(__file__).resolve().parents[3] / "shared" / "data" / "massive"
UTTERANCES = [
    "Trag mir für nächsten Freitag um halb drei den Zahnarzt ein, eine Stunde",
    "Verschieb das Teammeeting auf 14 Uhr",
    "What's on my calendar tomorrow?",
    "Um, put lunch with Tom at Luigi's on Friday's list, at 7 p.m. (the usual).",
    "„Elternabend“ am 3.4. von 19 bis 21 Uhr (Aula) — bitte eintragen!",
    "remind me 15 minutes before the 1:1 with Dr. Müller-Lüdenscheidt 🙂",
    "Jeden zweiten Donnerstag um 8 Uhr Schwimmen, bis Ende Juni",
    "play let me love you by ariana grande",
    "日本語のテキスト 明日",
    "a " * 40,
]


def test_candidates_are_the_tokens_made_of_pieces_of_the_utterance() -> None:
    pieces = [
        b"<pad>",
        b"",
        b" Zahn",
        b"arzt",
        b" Zug",
        b'"',
        b'",',
        b'("',
        b' ("',
        b'arzt",',
        b"xyz",
        b"<unused1>",
        b"(",
        b" um",
        b"um",
        b"\xc3",
        b"Mitt",
    ]
    index = TokenIndex(pieces)
    chosen = set(index.candidates("Zahnarzt um 3", ["<unused1>", "<unused0>"]).tolist())
    assert chosen == {2, 3, 5, 6, 7, 8, 9, 11, 12, 13, 14}
    # A phrase may leave out a leading bracket: " Zahnarzt" is then copyable too.
    assert 2 in index.candidates("(Zahnarzt) um 3", []).tolist()
    # Bytes of a character the utterance holds: a byte token can spell it.
    assert 15 in index.candidates("Zahnärzte", []).tolist()
    assert list(index.candidates("Mittwoch", [])) == sorted(index.candidates("Mittwoch", []))


_PIECE_BYTES = st.sampled_from([b"a", b"b", b" ", b'"', b"(", b")", b",", b"\0", b"\xc3"])


@given(
    pieces=st.lists(st.lists(_PIECE_BYTES, max_size=20).map(b"".join), min_size=1, max_size=60),
    utterance=st.text(alphabet='ab (),"ä', max_size=30),
)
@settings(max_examples=300, deadline=None)
def test_candidates_are_exactly_the_tokens_whose_parts_are_pieces_of_the_texts(
    pieces: list[bytes], utterance: str
) -> None:
    """Against the definition, read off the whole vocabulary: texts with syntax characters
    or NUL bytes, texts of syntax alone, and texts more than one token has."""
    heads = ["(a"]
    texts = [*_copyable_texts(utterance), b"(a"]
    found = _substrings(texts, max(map(len, pieces)))
    expected = [
        token
        for token, piece in enumerate(pieces)
        if piece and all(part in found for part in re.split(rb'["(),]', piece) if part)
    ]
    assert TokenIndex(pieces).candidates(utterance, heads).tolist() == expected


def test_q8_0_rounds_like_llama_cpp() -> None:
    blocks = np.array([np.linspace(-1.0, 2.0, 32), np.zeros(32)], dtype=np.float32)
    quantized, scales = quantize_q8_0(blocks)
    assert quantized[0].max() == 127 and quantized[0].min() == -64
    assert scales[0] == np.float32(np.float16(2.0 / 127))
    assert not quantized[1].any() and scales[1] == 0


pytestmark_model = pytest.mark.skipif(
    not (DEFAULT_MODELS_DIR / MANIFEST_FILE).is_file(),
    reason="models/ has no trained deltas yet (run ./scripts/train)",
)


@pytest.fixture(scope="module")
def models() -> Iterator[tuple[LlamaCallModel, LlamaCallModel]]:
    path = ensure_model()
    candidates = LlamaCallModel(path, adapt_threads=False)
    whole = LlamaCallModel(path, adapt_threads=False, score_candidates_only=False)
    yield candidates, whole
    candidates.close()
    whole.close()


@pytestmark_model
@pytest.mark.parametrize("utterance", UTTERANCES)
def test_every_token_the_grammar_admits_is_a_candidate(models, utterance) -> None:
    candidates_model, whole = models
    assert candidates_model._token_index is not None
    chosen = set(candidates_model._token_index.candidates(utterance, CALL_HEADS).tolist())
    completion = whole.complete(prompt(utterance), copy_from=utterance)
    llm = whole._llm
    sampler = _GrammarSampler(llm, grammar(utterance), whole._candidates)
    try:
        steps = llm.tokenize(completion.text.encode(), add_bos=False, special=True)
        for token in steps:
            whole._candidates.all.logit[:] = 0.0
            whole._candidates.all_array.size = len(whole._candidates.all)
            llama_cpp.llama_sampler_apply(sampler._sampler, byref(whole._candidates.all_array))
            admitted = set(np.flatnonzero(np.isfinite(whole._candidates.all.logit)).tolist())
            assert admitted <= chosen, sorted(admitted - chosen)[:10]
            sampler.accept(token)
    finally:
        sampler.close()


@pytestmark_model
def test_scores_are_llama_cpps_logits(models) -> None:
    candidates_model, whole = models
    head = QuantizedOutputHead(whole.model_path)
    utterance = UTTERANCES[0]
    # llama.cpp rounds a prompt decoded in pieces (after a cached prefix) differently from one
    # decoded whole, so both decode it whole here.
    whole.forget_prompt()
    candidates_model.forget_prompt()
    whole.complete(prompt(utterance), copy_from=utterance)
    candidates_model.complete(prompt(utterance), copy_from=utterance)
    tap = candidates_model._tap
    assert tap is not None and tap.rows == 1
    # Both decoded the same call; compare their last step's scores.
    rows = candidates_model._head_rows
    assert rows is not None
    logits = whole._logits_row(-1)[rows.tokens]
    scores = head.scores(tap.hidden[0], rows)
    head.close()
    np.testing.assert_allclose(scores, logits, rtol=0, atol=1e-3)


@pytestmark_model
def test_head_rows_are_the_model_files_rows_also_once_kept_rows_are_dropped(
    models, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, whole = models
    monkeypatch.setattr(output_head, "ROWS_KEPT", 4)
    head = QuantizedOutputHead(whole.model_path)
    row_bytes = head.width // 32 * 18
    location = tensor_location(whole.model_path, EMBEDDING_TENSOR)
    try:
        for tokens in ([0, 1, 2, 3, 4, 5], [5, 131_072, head.n_vocab - 1], [2, 3]):
            rows = head.rows(np.array(tokens, dtype=np.intc))
            with whole.model_path.open("rb") as file:
                for index, token in enumerate(tokens):
                    file.seek(location.offset + token * row_bytes)
                    blocks = np.frombuffer(file.read(row_bytes), dtype=np.uint8).reshape(-1, 18)
                    scales = blocks[:, :2].copy().view(np.float16)[:, 0].astype(np.float32)
                    low, high = blocks[:, 2:] & 0x0F, blocks[:, 2:] >> 4
                    values = np.concatenate([low, high], axis=1).astype(np.float32) - 8
                    np.testing.assert_array_equal(rows.scales[:, index], scales)
                    np.testing.assert_array_equal(rows.quants[:, index, :], values)
        assert len(head._read) < 8  # of the 8 tokens read, some were dropped
    finally:
        head.close()


def _evaluation_sample() -> list[str]:
    """MASSIVE dev utterances (calendar and other intents, both languages): all with
    VOICE_CALENDAR_SAME_CALLS=all, else a fixed sample of 60 per file."""
    texts: list[str] = []
    everything = os.environ.get("VOICE_CALENDAR_SAME_CALLS") == "all"
    for name in ("de-DE.dev", "en-US.dev", "de-DE.dev.other", "en-US.dev.other"):
        path = MASSIVE / f"{name}.jsonl"
        if not path.is_file():
            continue
        rows = [json.loads(line)["utt"] for line in path.read_text(encoding="utf-8").splitlines()]
        texts.extend(rows if everything else random.Random(name).sample(rows, min(60, len(rows))))
    return texts


@pytestmark_model
def test_greedy_calls_are_the_same_as_over_the_whole_vocabulary(models) -> None:
    candidates_model, whole = models
    texts = UTTERANCES + _evaluation_sample()
    differing = []
    for text in texts:
        fast = candidates_model.complete(prompt(text), copy_from=text).text
        slow = whole.complete(prompt(text), copy_from=text).text
        if fast != slow:
            differing.append((text, fast, slow))
    assert not differing, differing[:5]
    assert len(texts) >= len(UTTERANCES) + 200 or not MASSIVE.is_dir()
