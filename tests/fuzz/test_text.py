"""`parse`: text of every kind, as one TEXT and as lines of a batch, through the real model."""

from __future__ import annotations

import codecs

from hypothesis import example, given
from hypothesis import strategies as st

from app.limits import MAX_LINE_BYTES
from tests.fuzz.doors import assert_contract, assert_parse_object, call, fuzz_settings

CONTEXT = ("--now", "2026-03-26T10:00", "--tz", "Europe/Berlin")

PIECES = [
    "",
    " ",
    "\t",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\x7f",
    "\u0085",
    "\u200b",
    "\u200f",
    "\u202e",
    "\ufeff",
    "\u2028",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",
    "\U0001f5d3\ufe0f",
    "\u05e9\u05dc\u05d5\u05dd \u05de\u05d7\u05e8",
    "\u0645\u0648\u0639\u062f \u063a\u062f\u0627",
    '"',
    "\u201c",
    "\u201e",
    "'",
    "(",
    ")",
    "((",
    "))",
    "\\",
    "{title}",
    "%s",
    "<unused0>",
    "<unused1>",
    "<unused4>()<unused0>",
    '<unused1>(" Zahnarzt"," morgen","","","","")<unused0>',
    "<start_of_turn>",
    "<bos>",
    "<eos>",
    "Query:",
    "\nCall:",
    "Trag morgen um drei den Zahnarzt ein",
    "What's on my calendar tomorrow?",
    "Lösche Yoga am Montag",
    "am 30. Februar",
    "für minus fünf Stunden",
    "um 25 Uhr",
    "ÄÖÜß İ ﬁ",
    "Zahnarzt " * 40,
]
SPEAKABLE = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), min_size=0, max_size=6
)
TEXT = st.tuples(SPEAKABLE, st.sampled_from(["", " "])).map(lambda parts: parts[1].join(parts[0]))


@given(text=st.one_of(TEXT, st.sampled_from(["\udcff", "Zahnarzt \udce4 morgen"])))
@example(text="x" * 5000)
@fuzz_settings(60)
def test_one_text(models, text: str) -> None:
    reply = call("parse", text, *CONTEXT)
    result = assert_contract(reply)
    assert reply.code != 2
    if reply.code == 0:
        assert_parse_object(result, text)


LINE = st.one_of(
    TEXT.map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.binary(max_size=24),
    st.sampled_from([b"\xff\xfe", b"Zahnarzt \xc3 morgen", b"\xed\xa0\x80", b"\xc3\xa4" * 3]),
).map(lambda line: line.replace(b"\n", b" "))


def expected_texts(data: bytes) -> list[str]:
    """What each row's `text` must be: the line without its line break, cut at the limit,
    undecodable bytes replaced."""
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    texts = []
    for index, line in enumerate(lines):
        cut = line if len(line) <= MAX_LINE_BYTES else line[:MAX_LINE_BYTES]
        cut = cut.removesuffix(b"\r") if len(line) <= MAX_LINE_BYTES else cut
        if index == 0:
            cut = cut.removeprefix(codecs.BOM_UTF8)
        texts.append(cut.decode("utf-8", errors="replace"))
    return texts


@given(
    lines=st.lists(LINE, min_size=1, max_size=5),
    newline=st.sampled_from([b"\n", b"\r\n"]),
    last_newline=st.booleans(),
)
@example(
    lines=[b"hello", b"", b"Zahnarzt " * 9000, b"Was steht morgen an?"],
    newline=b"\n",
    last_newline=True,
)
@fuzz_settings(30)
def test_a_batch(models, lines: list[bytes], newline: bytes, last_newline: bool) -> None:
    data = newline.join(lines) + (newline if last_newline else b"")
    reply = call("parse", "--jsonl", *CONTEXT, stdin=data)
    rows = assert_contract(reply, jsonl=True)
    assert reply.code == 0, reply
    texts = expected_texts(data)
    assert [row["text"] for row in rows] == texts
    for row, text in zip(rows, texts, strict=True):
        if "error" in row:
            assert list(row) == ["text", "error"] and row["error"], row
        else:
            assert_parse_object(row, text)
