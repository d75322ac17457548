"""`parse`: every line of a batch gets its answer, a bad line its reason, and the batch goes on;
a bad single TEXT ends with exit 1 and a one-line reason."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Iterator

import pytest

from app.cli import main, parse
from app.cli.parse import Line, read_lines
from app.limits import MAX_LINE_BYTES
from app.nlu.llama_model import LlamaCallModel, load_call_model
from tests.conftest import REPO_ROOT

LONG_LINE = "Trag mir morgen um drei den Zahnarzt ein " * 220  # about 2,000 tokens
ISSUE_BATCH = ["hello", "", LONG_LINE.strip(), "Was steht morgen an?"]
CONTEXT = ["--now", "2026-03-26T10:00", "--tz", "Europe/Berlin"]


def lines_of(data: bytes, limit: int = MAX_LINE_BYTES) -> list[Line]:
    return list(read_lines(io.BytesIO(data), limit))


def test_lines_keep_their_order_and_lose_only_their_line_break():
    data = b"\xef\xbb\xbferste\r\nzweite\n\n  \nletzte ohne Umbruch"
    assert lines_of(data) == [
        Line("erste", None),
        Line("zweite", None),
        Line("", None),
        Line("  ", None),
        Line("letzte ohne Umbruch", None),
    ]


def test_a_line_that_is_not_utf8_says_where():
    (line,) = lines_of(b"Zahnarzt \xff morgen\n")
    assert line == Line("Zahnarzt \ufffd morgen", "not UTF-8 text (byte 0xff at position 9)")


def test_an_overlong_line_is_cut_and_the_rest_skipped():
    data = b"x" * 100 + b"\xc3\xa4" * 500 + b"\nnext\n"
    first, second = lines_of(data, limit=50)
    assert first == Line("x" * 50, "utterance too long (more than 50 bytes)")
    assert second == Line("next", None)


@pytest.fixture(scope="module")
def model() -> Iterator[LlamaCallModel]:
    loaded = load_call_model()
    yield loaded
    loaded.close()


def run_batch(monkeypatch, capsys, model, data: bytes) -> tuple[int, list[dict], str]:
    monkeypatch.setattr(parse, "_load_model", lambda: model)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    code = main(["parse", "--jsonl", *CONTEXT])
    captured = capsys.readouterr()
    return code, [json.loads(row) for row in captured.out.splitlines()], captured.err


def test_the_batch_from_the_issue_answers_every_line(monkeypatch, capsys, model):
    data = ("\n".join(ISSUE_BATCH) + "\n").encode() + b"\xff\xfe\n" + b"Termin \x00\x07 morgen\n"
    code, rows, err = run_batch(monkeypatch, capsys, model, data)
    assert code == 0 and err == ""
    assert [row["text"] for row in rows] == [*ISSUE_BATCH, "\ufffd\ufffd", "Termin \x00\x07 morgen"]
    assert rows[0]["function"] == "none"
    assert rows[1] == {"text": "", "error": "empty utterance: there is nothing to understand"}
    assert (
        rows[2]["error"] == f"utterance too long ({len(ISSUE_BATCH[2])} characters; at most 1000)"
    )
    assert rows[3]["function"] == "list_events"
    assert rows[3]["arguments"]["start_date"] == "2026-03-27"
    assert rows[4]["error"] == "not UTF-8 text (byte 0xff at position 0)"
    assert "function" in rows[5]


def test_a_line_longer_than_the_model_reads_names_its_token_count(monkeypatch, capsys, model):
    words = "Zahnarzt morgen " * 60
    _, rows, _ = run_batch(monkeypatch, capsys, model, words.encode() + b"\n")
    assert rows[0]["error"].startswith("utterance too long (")
    assert rows[0]["error"].endswith("tokens; at most 160 fit)")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty utterance"),
        (" \t ", "empty utterance"),
        ("\u201c\u201d", "empty utterance"),
        ("x" * 1001, "utterance too long (1001 characters; at most 1000)"),
        ("Zahnarzt \udcff", "not text"),
    ],
)
def test_a_single_bad_text_fails_with_one_line_before_the_model_loads(
    monkeypatch, capsys, text, reason
):
    def no_model():
        raise AssertionError("the model was loaded for text it cannot understand")

    monkeypatch.setattr(parse, "_load_model", no_model)
    assert main(["parse", text, *CONTEXT]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"error: {reason}")
    assert captured.err.count("\n") == 1


def test_the_batch_from_the_issue_as_a_real_process():
    completed = subprocess.run(
        [sys.executable, "-m", "app", "parse", "--jsonl", *CONTEXT],
        input=("\n".join(ISSUE_BATCH) + "\n").encode(),
        capture_output=True,
        cwd=REPO_ROOT,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    rows = [json.loads(row) for row in completed.stdout.decode().splitlines()]
    assert [row["text"] for row in rows] == ISSUE_BATCH
    assert ["error" in row for row in rows] == [False, True, True, False]


def test_a_unicode_line_separator_stays_inside_its_row(monkeypatch, capsys, model):
    # Found by the fuzz tests: written raw, U+0085 and U+2028 split a row for readers that
    # take them for line breaks (Python's str.splitlines among them).
    text = "Yoga\u2028am Montag\x85 und \u2029 Dienstag"
    _code, rows, _err = run_batch(monkeypatch, capsys, model, f"{text}\nheute\n".encode())
    assert [row["text"] for row in rows] == [text, "heute"]
