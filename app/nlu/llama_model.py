"""The call model at run time: llama.cpp, greedy decoding under the call grammar.

Greedy decoding with a grammar is done the cheap way: the most likely token is checked against
the grammar alone, and only when the grammar refuses it are the grammar's constraints applied
to the whole vocabulary (262k tokens, which costs milliseconds per step). The result is exactly
what greedy decoding over the grammar-filtered vocabulary gives.
"""

from __future__ import annotations

import ctypes
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import llama_cpp
import numpy as np
from llama_cpp import Llama
from llama_cpp.llama_grammar import LlamaGrammar

from app.nlu.call_format import MAX_CALL_TOKENS, CallStyle, PromptTooLongError, grammar
from app.nlu.functions import END_TOKEN, FUNCTIONS, FunctionSpec
from app.nlu.model_store import adapter_path, ensure_model

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
        self.all = np.recarray(
            (n_vocab,),
            dtype=np.dtype([("id", np.intc), ("logit", np.single), ("p", np.single)], align=True),
        )
        self.all.id[:] = np.arange(n_vocab, dtype=np.intc)
        self.all.p[:] = 0.0
        self.all_array = llama_cpp.llama_token_data_array(
            data=self.all.ctypes.data_as(llama_cpp.llama_token_data_p),
            size=n_vocab,
            selected=-1,
            sorted=False,
        )


class _GrammarSampler:
    """llama.cpp's grammar sampler, applied to one candidate or to the whole vocabulary."""

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
        candidates = self._candidates
        candidates.all.logit[:] = logits
        candidates.all_array.size = len(candidates.all)
        candidates.all_array.sorted = False
        llama_cpp.llama_sampler_apply(self._sampler, ctypes.byref(candidates.all_array))
        token = int(np.argmax(candidates.all.logit))
        if not np.isfinite(candidates.all.logit[token]):
            raise CallModelError("the call grammar admits no next token")
        return token

    def accept(self, token: int) -> None:
        llama_cpp.llama_sampler_accept(self._sampler, token)

    def close(self) -> None:
        if self._sampler:
            llama_cpp.llama_sampler_free(self._sampler)
            self._sampler = None


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
    ) -> None:
        """`lora_path` defaults to the adapter that `ensure_model()` puts next to the model.
        `draft_tokens`: how many prompt tokens to propose at once (0: plain greedy). Off by
        default: on two shared cores checking drafts (a logits row of the 262k-token head
        each) cost more than it saved (median 226 vs 170 ms over 40 held-out commands)."""
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
        self._candidates = _Candidates(self._llm.n_vocab())
        self._any_words = _GrammarSampler(self._llm, grammar(), self._candidates)
        self._grammar = self._any_words
        end = self._llm.tokenize(END_TOKEN.encode(), add_bos=False, special=True)
        if len(end) != 1:
            raise CallModelError(f"{END_TOKEN} is not one token in {model_path}")
        self._end_token = end[0]
        self._n_vocab = self._llm.n_vocab()

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
        self._use_grammar(copy_from, tuple(functions), style)
        tokens = self.tokenize(prompt_text)
        if len(tokens) + MAX_CALL_TOKENS > self._context_tokens:
            raise PromptTooLongError(len(tokens), self._context_tokens - MAX_CALL_TOKENS)
        self._reuse_prefix(tokens)
        self._llm.eval(tokens[self._llm.n_tokens :])
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

    def _choose(self, logits: np.ndarray) -> int:
        token = int(np.argmax(logits))
        if not self._grammar.allows(token):
            token = self._grammar.best_allowed(logits)
        return token

    def _generate(self, prompt_tokens: list[int]) -> list[int]:
        """Greedy decoding with prompt-lookup drafts: the phrases of a call are copied from
        the utterance, so after a token that occurs in the prompt the tokens that follow it
        there are proposed and checked in one batch. Only drafts the model would have chosen
        itself are kept, so the output is exactly plain greedy decoding's."""
        generated: list[int] = []
        logits = self._logits_row(-1)
        while len(generated) < MAX_CALL_TOKENS:
            token = self._choose(logits)
            self._grammar.accept(token)
            generated.append(token)
            if token == self._end_token or len(generated) == MAX_CALL_TOKENS:
                break
            draft = self._draft(prompt_tokens, token, MAX_CALL_TOKENS - len(generated))
            start = self._llm.n_tokens
            rows = self._decode([token, *draft])
            logits = rows[0]
            accepted = 0
            for index, drafted in enumerate(draft):
                if self._choose(logits) != drafted:
                    break
                self._grammar.accept(drafted)
                generated.append(drafted)
                accepted += 1
                if drafted == self._end_token:
                    return generated
                logits = rows[index + 1]
            self._llm.n_tokens = start + 1 + accepted
        return generated

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

    def _decode(self, tokens: list[int]) -> list[np.ndarray]:
        """Evaluate `tokens` after the cached ones; the logits after each of them (views into
        llama.cpp's buffer, valid until the next decode)."""
        llm = self._llm
        start = llm.n_tokens
        llm._ctx.kv_cache_seq_rm(-1, start, -1)
        llm._batch.set_batch(batch=tokens, n_past=start, logits_all=True)
        llm._ctx.decode(llm._batch)
        llm.input_ids[start : start + len(tokens)] = tokens
        llm.n_tokens = start + len(tokens)
        return [self._logits_row(index) for index in range(len(tokens))]

    def _logits_row(self, index: int) -> np.ndarray:
        pointer = llama_cpp.llama_get_logits_ith(self._llm.ctx, index)
        return np.ctypeslib.as_array(pointer, shape=(self._n_vocab,))

    def forget_prompt(self) -> None:
        """Drop the cached prompt, so that the next call evaluates its whole prompt (for
        measuring what a call costs without a shared prefix)."""
        self._llm.n_tokens = 0

    def _reuse_prefix(self, tokens: list[int]) -> None:
        """Keep the cached prefix the new prompt shares with the last one (at least the last
        prompt token is evaluated again, for its logits)."""
        cached = self._llm.input_ids[: self._llm.n_tokens].tolist()
        shared = 0
        for old, new in zip(cached, tokens[:-1], strict=False):
            if old != new:
                break
            shared += 1
        self._llm.n_tokens = shared

    def close(self) -> None:
        if self._grammar is not self._any_words:
            self._grammar.close()
        self._any_words.close()
        self._llm.close()


def load_call_model(*, threads: int = 2) -> LlamaCallModel:
    """The shipped call model, built on first use (see `ensure_model`)."""
    return LlamaCallModel(ensure_model(), threads=threads)
