"""The call language: the prompt the model reads, the completion it writes, its grammar, and a
strict parser for what comes back.

A completion is one functional token, the argument phrases copied from the utterance in
parentheses, and the end token::

    <unused1>(" Zahnarzt"," nächsten Freitag"," halb drei","")<unused0>

Each phrase is written with one leading space inside its quotes, so that its words tokenize as
they do in the utterance (which makes copying easy for the model); a phrase the utterance does
not contain is `""`. Phrases never contain a double quote or a line break: `prompt()` removes
those from the utterance first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from app.nlu.functions import (
    END_TOKEN,
    FUNCTIONS,
    FUNCTIONS_BY_NAME,
    FUNCTIONS_BY_TOKEN,
    FunctionSpec,
)

PROMPT_TEMPLATE = "Query: {text}\nCall:"
DESCRIBED_PROMPT_TEMPLATE = "Functions:\n{functions}\n\nQuery: {text}\nCall:"
CallStyle = Literal["functional", "described"]
"""How a call names its function: by its functional token (the Octopus way, the prompt holds
only the query), or, for the comparison with the conventional approach, by its name, with
every function described in the prompt."""
MAX_PHRASE_CHARS = 120
MAX_CALL_TOKENS = 96
"""Enough for the longest valid call; generation is cut there."""

_FORBIDDEN_IN_TEXT = re.compile(r'["\u201c\u201d\u201e\x00-\x1f\x7f-\x9f\u2028\u2029]+')
"""Quotes, control characters (line breaks and tabs among them) and line separators."""
_SPACES = re.compile(r"\s+")


class MalformedCallError(ValueError):
    """The model's output is not a valid call."""


class PromptTooLongError(ValueError):
    """A prompt that leaves the model no room for the call in its context."""

    def __init__(self, tokens: int, limit: int) -> None:
        super().__init__(f"utterance too long ({tokens} tokens; at most {limit} fit)")
        self.tokens = tokens
        self.limit = limit


@dataclass(frozen=True)
class RawCall:
    """What the model chose and the phrases it copied, not yet resolved."""

    function: str
    phrases: dict[str, str | None]
    """Parameter name → phrase as copied (stripped), or None when not given."""
    text: str
    """The raw completion, functional tokens included."""


def clean_utterance(text: str) -> str:
    """The utterance as the model sees it: no quotes, control characters or line breaks,
    single spaces."""
    return _SPACES.sub(" ", _FORBIDDEN_IN_TEXT.sub(" ", text)).strip()


def prompt(text: str, style: CallStyle = "functional") -> str:
    if style == "described":
        return DESCRIBED_PROMPT_TEMPLATE.format(
            functions=function_descriptions(), text=clean_utterance(text)
        )
    return PROMPT_TEMPLATE.format(text=clean_utterance(text))


def function_descriptions() -> str:
    """Every function with its parameters and what they mean, for a described prompt."""
    lines = []
    for spec in FUNCTIONS:
        parameters = ", ".join(parameter.name for parameter in spec.parameters)
        lines.append(f"{spec.name}({parameters}): {spec.description}")
        lines.extend(f"  {p.name}: {p.description}" for p in spec.parameters)
    return "\n".join(lines)


def _head(spec: FunctionSpec, style: CallStyle) -> str:
    """What names the function in a completion."""
    return spec.name if style == "described" else spec.token


def render(function: str, phrases: dict[str, str | None], style: CallStyle = "functional") -> str:
    """The completion for a call; the inverse of `parse_call`."""
    spec = FUNCTIONS_BY_NAME[function]
    unknown = set(phrases) - {parameter.name for parameter in spec.parameters}
    if unknown:
        raise ValueError(f"{function} has no parameters {sorted(unknown)}")
    arguments = []
    for parameter in spec.parameters:
        phrase = phrases.get(parameter.name)
        cleaned = clean_utterance(phrase) if phrase is not None else ""
        if not cleaned:  # no phrase, or one of nothing but spaces, quotes and line breaks
            arguments.append('""')
            continue
        if len(cleaned) > MAX_PHRASE_CHARS:
            raise ValueError(f"phrase longer than {MAX_PHRASE_CHARS} characters: {cleaned!r}")
        arguments.append(f'" {cleaned}"')
    return f"{_head(spec, style)}({','.join(arguments)}){END_TOKEN}"


_PHRASE = re.compile(r'""|" ([^"\s]+(?: [^"\s]+)*)"')


def parse_call(raw: str, style: CallStyle = "functional") -> RawCall:
    """Read a completion strictly: anything but exactly one well-formed call is refused."""
    text = raw.strip()
    heads = FUNCTIONS_BY_NAME if style == "described" else FUNCTIONS_BY_TOKEN
    head_match = re.match(r"[a-z_]+(?=\()" if style == "described" else r"<unused\d+>", text)
    if head_match is None or head_match.group() not in heads:
        raise MalformedCallError(f"no function at the start of {raw!r}")
    spec = heads[head_match.group()]
    position = head_match.end()
    if not text.startswith("(", position):
        raise MalformedCallError(f"expected '(' after {head_match.group()} in {raw!r}")
    position += 1
    phrases: dict[str, str | None] = {}
    for index, parameter in enumerate(spec.parameters):
        if index and not text.startswith(",", position):
            raise MalformedCallError(f"expected ',' before {parameter.name} in {raw!r}")
        position += 1 if index else 0
        phrase_match = _PHRASE.match(text, position)
        if phrase_match is None:
            raise MalformedCallError(f"bad {parameter.name} phrase in {raw!r}")
        phrase = phrase_match.group(1)
        if phrase is not None and len(phrase) > MAX_PHRASE_CHARS:
            raise MalformedCallError(f"bad {parameter.name} phrase {phrase!r} in {raw!r}")
        phrases[parameter.name] = phrase
        position = phrase_match.end()
    if text[position:] != f"){END_TOKEN}":
        raise MalformedCallError(f"expected '){END_TOKEN}' at the end of {raw!r}")
    return RawCall(function=spec.name, phrases=phrases, text=raw)


def grammar(
    copy_from: str | None = None,
    functions: Sequence[FunctionSpec] = FUNCTIONS,
    style: CallStyle = "functional",
) -> str:
    """GBNF admitting exactly the completions `parse_call` accepts (phrase length aside).

    With `copy_from` (the utterance), every phrase must also be a run of its words: a phrase
    starts at a word (leading brackets or quotes aside) and ends at one (trailing punctuation
    or a possessive "'s" aside), so the model can copy but never invent. `functions` narrows
    the calls to those functions."""
    if not functions:
        raise ValueError("a grammar needs at least one function")
    rules = ["root ::= " + " | ".join(f"call-{index}" for index in range(len(functions)))]
    for index, spec in enumerate(functions):
        arguments = ' "," '.join("phrase" for _ in spec.parameters)
        body = f'"(" {arguments} ")"' if arguments else '"()"'
        rules.append(f'call-{index} ::= "{_head(spec, style)}" {body} "{END_TOKEN}"')
    if copy_from is None:
        rules.append('phrase ::= "\\"\\"" | "\\" " word (" " word)* "\\""')
        rules.append('word ::= [^" \\t\\n\\r]+')
    else:
        rules.extend(_copy_rules(clean_utterance(copy_from).split(" ")))
    return "\n".join(rules) + "\n"


LEADING_PUNCTUATION = "([{'\u00bf\u00a1\u201a\u2018"
_TRAILING = re.compile(r"(?:'s|\u2019s)?[,.?!;:)\]}'\u2019]*$")


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _endings(word: str) -> list[str]:
    """The ways a phrase may end with `word`: whole, or without trailing punctuation."""
    forms = [word, word.rstrip(",.?!;:)]}'\u2019"), _TRAILING.sub("", word)]
    return [_literal(form) for form in dict.fromkeys(forms) if form]


def _copy_rules(words: list[str]) -> list[str]:
    """phrase ::= "" or a run of `words`: `first-i` starts a phrase at word i, `rest-i`
    continues one there."""
    words = [word for word in words if word]
    rules = []
    starts = []
    for index, word in enumerate(words):
        more = index + 1 < len(words)
        rest = _endings(word) + ([f'{_literal(word)} " " rest-{index + 1}'] if more else [])
        rules.append(f"rest-{index} ::= " + " | ".join(rest))
        lead = word.lstrip(LEADING_PUNCTUATION)
        if not lead:
            continue
        first = _endings(lead) + ([f'{_literal(lead)} " " rest-{index + 1}'] if more else [])
        rules.append(f"first-{index} ::= " + " | ".join(first))
        starts.append(f"first-{index}")
    span = f' "\\" " ({" | ".join(starts)}) "\\""' if starts else ""
    return ['phrase ::= "\\"\\""' + (f" |{span}" if span else ""), *rules]
