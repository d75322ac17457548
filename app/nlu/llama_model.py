"""The call model at run time: llama.cpp, greedy decoding under the call grammar.

Greedy decoding with a grammar is done the cheap way: the most likely token is checked against
the grammar alone, and only when the grammar refuses it are the grammar's constraints applied
to the candidates. The result is exactly what greedy decoding over the grammar-filtered
vocabulary gives.

A call copies its phrases from the utterance, so only a few hundred of the 262,144 tokens can
ever be admitted (`candidates.py`). llama.cpp stops each step at the final hidden state (an
eval callback, `_HiddenStateTap`), and only those tokens' rows of the output head are scored
(`output_head.py`): the head, which costs more than the rest of the model, shrinks to what the
grammar can use.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import llama_cpp
import numpy as np
import numpy.typing as npt
from llama_cpp import Llama
from llama_cpp import _internals as llama_internals
from llama_cpp.llama_grammar import LlamaGrammar

from app.cpu_load import ThreadChooser
from app.nlu.call_format import MAX_CALL_TOKENS, CallStyle, PromptTooLongError, grammar
from app.nlu.candidates import TokenIndex
from app.nlu.functions import END_TOKEN, FUNCTIONS, FunctionSpec
from app.nlu.model_store import adapter_path, ensure_model
from app.nlu.output_head import HeadRows, OutputHeadError, QuantizedOutputHead

CONTEXT_TOKENS = 256
DESCRIBED_CONTEXT_TOKENS = 512
"""Room for the function descriptions of a described prompt (about 170 tokens), for the
comparison baseline."""

_log = logging.getLogger(__name__)


@llama_cpp.llama_log_callback  # type: ignore[untyped-decorator]
def _to_debug_log(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:
    """llama.cpp's own messages (for example that the LoRA cannot use the repacked CPU
    buffers) are for debugging; failures reach us as exceptions."""
    del level, user_data
    _log.debug("llama.cpp: %s", text.decode("utf-8", errors="replace").rstrip())


llama_cpp.llama_log_set(_to_debug_log, ctypes.c_void_p(0))


class CallModelError(RuntimeError):
    """The call model cannot be loaded or run; the message says what to do."""


@dataclass(frozen=True)
class Completion:
    text: str
    """The raw completion, functional tokens included."""
    prompt_tokens: int
    completion_tokens: int
    prompt_ms: float
    generate_ms: float


class _Candidates:
    """Candidate arrays for grammar checks, allocated once per model: one token, or all."""

    def __init__(self, n_vocab: int) -> None:
        self.one = (llama_cpp.llama_token_data * 1)()
        self.one_array = llama_cpp.llama_token_data_array(
            data=ctypes.cast(self.one, llama_cpp.llama_token_data_p),
            size=1,
            selected=-1,
            sorted=False,
        )
        self.all, self.all_array = _token_data(np.arange(n_vocab, dtype=np.intc))


def _token_data(
    tokens: npt.NDArray[np.intc],
) -> tuple[np.recarray, llama_cpp.llama_token_data_array]:
    """llama.cpp's candidate array for `tokens` (logits to be filled in)."""
    data = np.recarray(
        (len(tokens),),
        dtype=np.dtype([("id", np.intc), ("logit", np.single), ("p", np.single)], align=True),
    )
    data.id[:] = tokens
    data.p[:] = 0.0
    array = llama_cpp.llama_token_data_array(
        data=data.ctypes.data_as(llama_cpp.llama_token_data_p),
        size=len(tokens),
        selected=-1,
        sorted=False,
    )
    return data, array


class _GrammarSampler:
    """llama.cpp's grammar sampler, applied to one candidate or to many."""

    def __init__(self, llm: Llama, gbnf: str, candidates: _Candidates) -> None:
        parsed = LlamaGrammar.from_string(gbnf, verbose=False)
        vocab = llama_cpp.llama_model_get_vocab(llm.model)
        self._sampler = llama_cpp.llama_sampler_init_grammar(
            vocab, parsed._grammar.encode("utf-8"), parsed._root.encode("utf-8")
        )
        if not self._sampler:
            raise CallModelError("llama.cpp refused the call grammar")
        self._candidates = candidates

    def reset(self) -> None:
        llama_cpp.llama_sampler_reset(self._sampler)

    def allows(self, token: int) -> bool:
        candidates = self._candidates
        candidates.one[0] = llama_cpp.llama_token_data(token, 0.0, 0.0)
        candidates.one_array.size = 1
        llama_cpp.llama_sampler_apply(self._sampler, ctypes.byref(candidates.one_array))
        return bool(np.isfinite(candidates.one[0].logit))

    def best_allowed(self, logits: np.ndarray) -> int:
        """The best token of the whole vocabulary the grammar admits."""
        candidates = self._candidates
        candidates.all.logit[:] = logits
        candidates.all_array.size = len(candidates.all)
        candidates.all_array.sorted = False
        return self._best_of(candidates.all, candidates.all_array)

    def best_allowed_among(self, tokens: npt.NDArray[np.intc], scores: np.ndarray) -> int:
        """The best of `tokens` (ascending) the grammar admits."""
        data, array = _token_data(tokens)
        data.logit[:] = scores
        return self._best_of(data, array)

    def _best_of(self, data: np.recarray, array: llama_cpp.llama_token_data_array) -> int:
        llama_cpp.llama_sampler_apply(self._sampler, ctypes.byref(array))
        best = int(np.argmax(data.logit))
        if not np.isfinite(data.logit[best]):
            raise CallModelError("the call grammar admits no next token")
        return int(data.id[best])

    def accept(self, token: int) -> None:
        llama_cpp.llama_sampler_accept(self._sampler, token)

    def close(self) -> None:
        if self._sampler:
            llama_cpp.llama_sampler_free(self._sampler)
            self._sampler = None


def _ggml_library() -> ctypes.CDLL | None:
    """ggml's base library as llama_cpp loaded it (for tensor names and data), if found."""
    folder = Path(llama_cpp.__file__).resolve().parent / "lib"
    for name in ("libggml-base.so", "libggml-base.dylib", "ggml-base.dll"):
        if (folder / name).is_file():
            library = ctypes.CDLL(str(folder / name))
            library.ggml_get_name.restype = ctypes.c_char_p
            library.ggml_get_name.argtypes = [ctypes.c_void_p]
            library.ggml_nbytes.restype = ctypes.c_size_t
            library.ggml_nbytes.argtypes = [ctypes.c_void_p]
            library.ggml_backend_tensor_get.restype = None
            library.ggml_backend_tensor_get.argtypes = [
                ctypes.c_void_p,
                ctypes.c_void_p,
                ctypes.c_size_t,
                ctypes.c_size_t,
            ]
            return library
    return None


_END_TEXT = END_TOKEN.encode()
CALL_HEADS = (*(text for spec in FUNCTIONS for text in (spec.token, spec.name)), END_TOKEN)
"""Every text that can name a function in a call (either call style) or end one."""

HIDDEN_STATE_TENSOR = b"result_norm"
"""llama.cpp's name for the final hidden state, after the output norm, before the head."""


class _HiddenStateTap:
    """llama.cpp's eval callback: copies the final hidden state of each decode and, when
    `skip_head` is set, stops the graph there, so that the output head is not computed."""

    def __init__(self, ggml: ctypes.CDLL, width: int, max_rows: int) -> None:
        self._ggml = ggml
        self.width = width
        self.hidden = np.zeros((max_rows, width), dtype=np.float32)
        self.rows = 0
        """Rows copied by the last decode; 0 when llama.cpp named no tensor as expected."""
        self.skip_head = False
        self.callback = llama_cpp.ggml_backend_sched_eval_callback(self._observe)

    def _observe(self, tensor: int, ask: bool, user_data: ctypes.c_void_p) -> bool:
        del user_data
        if ask:
            return bool(self._ggml.ggml_get_name(tensor) == HIDDEN_STATE_TENSOR)
        size = min(int(self._ggml.ggml_nbytes(tensor)), self.hidden.nbytes)
        self._ggml.ggml_backend_tensor_get(tensor, self.hidden.ctypes.data, 0, size)
        self.rows = size // (4 * self.width)
        return not self.skip_head


class LlamaCallModel:
    """Loads the call model once; `complete()` turns a prompt into a call, greedily."""

    def __init__(
        self,
        model_path: Path,
        *,
        threads: int = 2,
        lora_path: Path | None = None,
        draft_tokens: int = 0,
        context_tokens: int = CONTEXT_TOKENS,
        adapt_threads: bool = True,
        score_candidates_only: bool = True,
    ) -> None:
        """`lora_path` defaults to the adapter that `ensure_model()` puts next to the model.
        `threads`: at most this many; with `adapt_threads` fewer while other programs keep
        the cores busy (`ThreadChooser`), so that a busy machine slows a call down in
        proportion instead of making llama.cpp's threads wait for each other.
        `draft_tokens`: how many prompt tokens to propose at once (0: plain greedy).
        `score_candidates_only`: score only the tokens the grammar can admit (the same
        result, cheaper); off, every step pays for the whole output head."""
        self._draft_tokens = draft_tokens
        self._context_tokens = context_tokens
        self.model_path = model_path
        if lora_path is None and adapter_path(model_path).is_file():
            lora_path = adapter_path(model_path)
        if not model_path.is_file():
            raise CallModelError(f"No call model at {model_path}; see app.nlu.model_store.")
        try:
            self._llm = Llama(
                model_path=str(model_path),
                lora_path=str(lora_path) if lora_path else None,
                n_ctx=context_tokens,
                n_batch=context_tokens,
                n_threads=threads,
                n_threads_batch=threads,
                seed=0,
                verbose=False,
            )
        except (ValueError, RuntimeError) as error:
            raise CallModelError(f"llama.cpp cannot load {model_path}: {error}") from None
        self._n_vocab = self._llm.n_vocab()
        self._candidates = _Candidates(self._n_vocab)
        self._any_words = _GrammarSampler(self._llm, grammar(), self._candidates)
        self._grammar = self._any_words
        end = self._llm.tokenize(END_TOKEN.encode(), add_bos=False, special=True)
        if len(end) != 1:
            raise CallModelError(f"{END_TOKEN} is not one token in {model_path}")
        self._end_token = end[0]
        self._threads = ThreadChooser(threads) if adapt_threads else None
        self._max_threads = threads
        self._threads_used = threads
        self._tap: _HiddenStateTap | None = None
        self._head: QuantizedOutputHead | None = None
        self._token_index: TokenIndex | None = None
        self._head_rows: HeadRows | None = None
        if score_candidates_only:
            self._tap_hidden_state()

    @property
    def threads_used(self) -> int:
        """The threads the last call ran with."""
        return self._threads_used

    def _tap_hidden_state(self) -> None:
        """A context of our own with the hidden-state tap as its eval callback, in place of
        the one `Llama` made (the adapter applied to it again)."""
        ggml = _ggml_library()
        if ggml is None:
            _log.info("ggml library not found: scoring the whole vocabulary")
            return
        try:
            head = QuantizedOutputHead(self.model_path)
        except OutputHeadError as error:
            _log.info("scoring the whole vocabulary: %s", error)
            return
        llm = self._llm
        tap = _HiddenStateTap(ggml, head.width, self._context_tokens)
        params = llm.context_params
        params.cb_eval = tap.callback
        params.cb_eval_user_data = None
        context = llama_internals.LlamaContext(model=llm._model, params=params, verbose=False)
        llm._stack.enter_context(contextlib.closing(context))
        if llm._lora_adapter is not None:
            adapters = (llama_cpp.llama_adapter_lora_p_ctypes * 1)(llm._lora_adapter)  # type: ignore[misc]
            scales = (ctypes.c_float * 1)(llm.lora_scale)
            if llama_cpp.llama_set_adapters_lora(context.ctx, adapters, 1, scales):
                raise CallModelError(f"llama.cpp cannot apply the adapter {llm.lora_path}")
        llm._ctx.close()  # type: ignore[no-untyped-call]
        llm._ctx = context
        self._tap = tap
        self._head = head
        self._token_index = TokenIndex(self._token_texts())

    def _token_texts(self) -> list[bytes]:
        """Every token's text as the grammar reads it (special tokens by name)."""
        vocab = llama_cpp.llama_model_get_vocab(self._llm.model)
        buffer = ctypes.create_string_buffer(256)
        texts = []
        for token in range(self._n_vocab):
            length = llama_cpp.llama_token_to_piece(vocab, token, buffer, 256, 0, True)
            texts.append(buffer.raw[: max(length, 0)])
        return texts

    def tokenize(self, prompt_text: str) -> list[int]:
        return self._llm.tokenize(prompt_text.encode("utf-8"), add_bos=True, special=False)

    def complete(
        self,
        prompt_text: str,
        *,
        copy_from: str | None = None,
        functions: Sequence[FunctionSpec] = FUNCTIONS,
        style: CallStyle = "functional",
    ) -> Completion:
        """Greedy completion under `grammar(copy_from, functions)`, stopped after the end
        token: with `copy_from` (the utterance in the prompt), phrases can only be runs of its
        words; `functions` narrows the calls the model may write (training mines its second
        choices that way); `style` is the call style the model was trained on."""
        started = time.perf_counter()
        self._use_threads()
        self._use_grammar(copy_from, tuple(functions), style)
        tokens = self.tokenize(prompt_text)
        if len(tokens) + MAX_CALL_TOKENS > self._context_tokens:
            raise PromptTooLongError(len(tokens), self._context_tokens - MAX_CALL_TOKENS)
        self._score_candidates_of(copy_from)
        self._reuse_prefix(tokens)
        self._decode(tokens[self._llm.n_tokens :], every_row=False)
        prompt_done = time.perf_counter()
        self._grammar.reset()
        generated = self._generate(tokens)
        finished = time.perf_counter()
        text = self._llm.detokenize(generated, special=True).decode("utf-8", errors="replace")
        return Completion(
            text=text,
            prompt_tokens=len(tokens),
            completion_tokens=len(generated),
            prompt_ms=(prompt_done - started) * 1000,
            generate_ms=(finished - prompt_done) * 1000,
        )

    def _use_threads(self) -> None:
        threads = self._threads.choose() if self._threads else self._max_threads
        if threads != self._threads_used:
            llama_cpp.llama_set_n_threads(self._llm.ctx, threads, threads)
            self._threads_used = threads

    def _use_grammar(
        self, copy_from: str | None, functions: tuple[FunctionSpec, ...], style: CallStyle
    ) -> None:
        if self._grammar is not self._any_words:
            self._grammar.close()
        self._grammar = (
            self._any_words
            if copy_from is None and functions == FUNCTIONS and style == "functional"
            else _GrammarSampler(self._llm, grammar(copy_from, functions, style), self._candidates)
        )

    def _score_candidates_of(self, copy_from: str | None) -> None:
        """Score only the tokens a copied call can hold; without an utterance to copy from,
        any token can be a word, so the whole head is computed."""
        if copy_from is None or self._tap is None or self._head is None:
            self._head_rows = None
        else:
            assert self._token_index is not None
            tokens = self._token_index.candidates(copy_from, CALL_HEADS)
            self._head_rows = self._head.rows(tokens)
        if self._tap is not None:
            self._tap.skip_head = self._head_rows is not None

    def _choose(self, row: int) -> int:
        """The next token after output row `row` (-1: the last) of the last decode."""
        if self._head_rows is not None and self._tap is not None and self._tap.rows:
            return self._choose_among_candidates(row if row >= 0 else self._tap.rows - 1)
        # No hidden state copied (a llama.cpp that names its tensors differently): the graph
        # ran to the end, so the logits are there.
        logits = self._logits_row(row)
        token = int(np.argmax(logits))
        if not self._grammar.allows(token):
            token = self._grammar.best_allowed(logits)
        return token

    def _choose_among_candidates(self, row: int) -> int:
        assert self._tap is not None and self._head is not None
        assert self._head_rows is not None
        candidates = self._head_rows
        scores = self._head.scores(self._tap.hidden[row], candidates)
        token = int(candidates.tokens[int(np.argmax(scores))])
        if not self._grammar.allows(token):
            token = self._grammar.best_allowed_among(candidates.tokens, scores)
        return token

    def _generate(self, prompt_tokens: list[int]) -> list[int]:
        """Greedy decoding with prompt-lookup drafts: the phrases of a call are copied from
        the utterance, so after a token that occurs in the prompt the tokens that follow it
        there are proposed and checked in one batch. Only drafts the model would have chosen
        itself are kept, so the output is exactly plain greedy decoding's."""
        generated: list[int] = []
        row = -1
        while len(generated) < MAX_CALL_TOKENS:
            token = self._choose(row)
            self._grammar.accept(token)
            generated.append(token)
            if self._ends_the_call(generated) or len(generated) == MAX_CALL_TOKENS:
                break
            draft = self._draft(prompt_tokens, token, MAX_CALL_TOKENS - len(generated))
            start = self._llm.n_tokens
            self._decode([token, *draft], every_row=bool(draft))
            row = 0 if draft else -1
            accepted = 0
            for index, drafted in enumerate(draft):
                if self._choose(index) != drafted:
                    break
                self._grammar.accept(drafted)
                generated.append(drafted)
                accepted += 1
                if self._ends_the_call(generated):
                    return generated
                row = index + 1
            self._llm.n_tokens = start + 1 + accepted
        return generated

    def _ends_the_call(self, generated: list[int]) -> bool:
        """The end token, or its text spelt in plain tokens ("<", "un", "used", "0", ">"),
        which the grammar's literal admits too; after either it admits nothing more."""
        last = generated[-1]
        if last == self._end_token:
            return True
        if not self._llm.detokenize([last], special=True).endswith(_END_TEXT[-1:]):
            return False
        tail = self._llm.detokenize(generated[-len(_END_TEXT) :], special=True)
        return tail.endswith(_END_TEXT)

    def _draft(self, prompt_tokens: list[int], token: int, room: int) -> list[int]:
        """The prompt tokens after the last occurrence of `token` in the prompt (BOS and the
        fixed template aside)."""
        if self._draft_tokens == 0 or room <= 1:
            return []
        for position in range(len(prompt_tokens) - 2, 0, -1):
            if prompt_tokens[position] == token:
                end = min(position + 1 + self._draft_tokens, len(prompt_tokens) - 1)
                return prompt_tokens[position + 1 : end][: room - 1]
        return []

    def _decode(self, tokens: list[int], *, every_row: bool) -> None:
        """Evaluate `tokens` after the cached ones, with an output row after each of them
        (`every_row`) or after the last only (row -1). Rows are logits, or hidden states in
        the tap when only candidates are scored; valid until the next decode."""
        llm = self._llm
        start = llm.n_tokens
        llm._ctx.kv_cache_seq_rm(-1, start, -1)
        llm._batch.set_batch(batch=tokens, n_past=start, logits_all=every_row)
        if self._tap is not None:
            self._tap.rows = 0
        llm._ctx.decode(llm._batch)
        llm.input_ids[start : start + len(tokens)] = tokens
        llm.n_tokens = start + len(tokens)

    def _logits_row(self, index: int) -> np.ndarray:
        pointer = llama_cpp.llama_get_logits_ith(self._llm.ctx, index)
        return np.ctypeslib.as_array(pointer, shape=(self._n_vocab,))

    def forget_prompt(self) -> None:
        """Drop the cached prompt, so that the next call evaluates its whole prompt (for
        measuring what a call costs without a shared prefix)."""
        self._llm.n_tokens = 0

    def _reuse_prefix(self, tokens: list[int]) -> None:
        """Keep the cached prefix the new prompt shares with the last one (at least the last
        prompt token is evaluated again, for its output row)."""
        cached = self._llm.input_ids[: self._llm.n_tokens].tolist()
        shared = 0
        for old, new in zip(cached, tokens[:-1], strict=False):
            if old != new:
                break
            shared += 1
        self._llm.n_tokens = shared

    def close(self) -> None:
        if self._threads is not None:
            self._threads.close()
        if self._head is not None:
            self._head.close()
        if self._grammar is not self._any_words:
            self._grammar.close()
        self._any_words.close()
        self._llm.close()


def load_call_model(*, threads: int = 2) -> LlamaCallModel:
    """The shipped call model, built on first use (see `ensure_model`)."""
    return LlamaCallModel(ensure_model(), threads=threads)
