"""Stage: transcript text → resolved call, through the functional-token model."""

from __future__ import annotations

import time as timer
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from app.limits import MAX_UTTERANCE_CHARS
from app.nlu.call_format import (
    MalformedCallError,
    PromptTooLongError,
    RawCall,
    clean_utterance,
    parse_call,
    prompt,
)
from app.nlu.language import detect_language
from app.nlu.typed_slots import check_call
from app.resolve import ResolvedCall, resolve_call

if TYPE_CHECKING:
    from app.nlu.llama_model import Completion


class UtteranceError(ValueError):
    """Text that cannot be understood as it is: empty, too long, or not text."""

    def __init__(self, reason: str, *, too_long: bool = False) -> None:
        super().__init__(reason)
        self.too_long = too_long


class CompletionModel(Protocol):
    """Anything that completes a prompt with one call: the shipped llama.cpp model, or a
    recording of its outputs in tests."""

    def complete(self, prompt_text: str, *, copy_from: str | None = None) -> Completion: ...


@dataclass(frozen=True)
class Understanding:
    text: str
    language: str
    call: ResolvedCall
    understood: bool
    """False when the model's output was no valid call (then `call` is the `none` call)."""
    raw: str
    ms: float
    prompt_ms: float
    generate_ms: float

    def to_json(self) -> dict[str, Any]:
        """The `parse` object of ../shared/INTERFACE.md."""
        return {
            "text": self.text,
            "language": self.language,
            "function": self.call.function,
            "arguments": self.call.arguments_json(),
            "missing": list(self.call.missing),
            "call": self.raw,
            "ms": round(self.ms, 1),
        }


class Understander:
    def __init__(self, model: CompletionModel) -> None:
        self.model = model

    def understand(self, text: str, language: str, now: datetime) -> Understanding:
        """`language` is "de", "en", or "auto" (chosen from the words of `text`). Raises
        UtteranceError for text that cannot be understood as it is (see `check_utterance`)."""
        check_utterance(text)
        started = timer.perf_counter()
        chosen = detect_language(text) if language == "auto" else language
        try:
            completion = self.model.complete(prompt(text), copy_from=text)
        except PromptTooLongError as error:
            raise UtteranceError(str(error), too_long=True) from None
        try:
            raw_call = parse_call(completion.text)
            understood = True
        except MalformedCallError:
            raw_call = None
            understood = False
        call = (
            resolve_said_call(raw_call, text, chosen, now)
            if raw_call is not None
            else ResolvedCall("none", chosen, {})
        )
        return Understanding(
            text=text,
            language=chosen,
            call=call,
            understood=understood,
            raw=completion.text,
            ms=(timer.perf_counter() - started) * 1000,
            prompt_ms=completion.prompt_ms,
            generate_ms=completion.generate_ms,
        )


def resolve_said_call(raw_call: RawCall, text: str, language: str, now: datetime) -> ResolvedCall:
    """The model's call resolved, once its phrases are checked against what `text` says
    (`app.nlu.typed_slots`)."""
    return resolve_call(check_call(raw_call, text, language, now).call, language, now)


def check_utterance(text: str) -> None:
    """Raises UtteranceError for text that cannot be understood as it is: what can be seen
    before the text is tokenized (the model's context is checked then)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise UtteranceError("not text: it holds bytes that are not UTF-8") from None
    if not clean_utterance(text):
        raise UtteranceError("empty utterance: there is nothing to understand")
    if len(text) > MAX_UTTERANCE_CHARS:
        raise UtteranceError(
            f"utterance too long ({len(text)} characters; at most {MAX_UTTERANCE_CHARS})",
            too_long=True,
        )
