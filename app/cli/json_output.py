"""JSON as the commands print it: UTF-8 text as it is, except the characters that some readers
take for line breaks inside a string (U+0085, U+2028, U+2029), which are escaped, so that one
object per line stays one line for every reader of JSON lines."""

from __future__ import annotations

import json
from typing import Any

_LINE_BREAKS_JSON_KEEPS = str.maketrans(
    {"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def json_text(value: Any, *, indent: int | None = None) -> str:
    """`value` as JSON; the characters above can only occur inside strings, where their
    escapes mean the same."""
    return json.dumps(value, ensure_ascii=False, indent=indent).translate(_LINE_BREAKS_JSON_KEEPS)
