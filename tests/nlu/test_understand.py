"""The text path with a model that replays given outputs, so that everything after the model
(parsing, language, resolving, the `parse` verb) is tested without loading it."""

import io
import json
from datetime import datetime

import pytest

from app.cli import main, parse
from app.nlu.call_format import prompt
from app.nlu.llama_model import Completion
from app.nlu.understand import Understander
from tests.conftest import BERLIN

NOW = datetime(2026, 3, 26, 10, 0, tzinfo=BERLIN)  # a Thursday

OUTPUTS = {
    "Erstelle morgen um 15 Uhr einen Termin Zahnarzt für eine Stunde": (
        '<unused1>(" Zahnarzt"," morgen"," um 15 Uhr"," für eine Stunde","","")<unused0>'
    ),
    "Trag mir für nächsten Freitag um halb drei den Zahnarzt ein": (
        '<unused1>(" Zahnarzt"," nächsten Freitag"," halb drei","","","")<unused0>'
    ),
    "What's on my calendar tomorrow?": '<unused3>(" tomorrow","")<unused0>',
    "cancel my dentist appointment on friday": (
        '<unused2>(" dentist appointment"," on friday")<unused0>'
    ),
    "Wie wird das Wetter morgen?": "<unused4>()<unused0>",
    "Mach einen Termin": '<unused1>("","","","","","")<unused0>',
    "truncated output": '<unused1>(" Zahnarzt"," morgen"',
}


class ReplayModel:
    """Answers each known prompt with its given output."""

    def __init__(self) -> None:
        self.prompts: list[str] = []
        self.copied_from: list[str | None] = []

    def complete(self, prompt_text: str, *, copy_from: str | None = None) -> Completion:
        self.prompts.append(prompt_text)
        self.copied_from.append(copy_from)
        text = next(out for utterance, out in OUTPUTS.items() if prompt(utterance) == prompt_text)
        return Completion(
            text=text, prompt_tokens=20, completion_tokens=15, prompt_ms=20.0, generate_ms=60.0
        )


@pytest.fixture
def understander():
    return Understander(ReplayModel())


def test_the_contract_example(understander):
    text = "Erstelle morgen um 15 Uhr einen Termin Zahnarzt für eine Stunde"
    result = understander.understand(text, "auto", NOW).to_json()
    assert result["language"] == "de"
    assert result["function"] == "create_event"
    assert result["arguments"] == {
        "title": "Zahnarzt",
        "date": "2026-03-27",
        "time": "15:00",
        "duration_minutes": 60,
        "recurrence": None,
        "reminder_minutes": None,
    }
    assert result["missing"] == []
    assert result["call"] == OUTPUTS[text]
    assert result["ms"] >= 0


def test_product_example_defaults_the_duration(understander):
    result = understander.understand(
        "Trag mir für nächsten Freitag um halb drei den Zahnarzt ein", "auto", NOW
    )
    assert result.call.arguments_json() == {
        "title": "Zahnarzt",
        "date": "2026-03-27",
        "time": "14:30",
        "duration_minutes": 60,
        "recurrence": None,
        "reminder_minutes": None,
    }


def test_list_and_delete_in_english(understander):
    listing = understander.understand("What's on my calendar tomorrow?", "auto", NOW)
    assert listing.language == "en"
    assert listing.call.arguments_json() == {
        "start_date": "2026-03-27",
        "end_date": "2026-03-27",
        "title": None,
    }
    delete = understander.understand("cancel my dentist appointment on friday", "auto", NOW)
    assert delete.call.arguments_json() == {"title": "Dentist appointment", "date": "2026-03-27"}


def test_not_a_calendar_request(understander):
    result = understander.understand("Wie wird das Wetter morgen?", "de", NOW).to_json()
    assert (result["function"], result["arguments"], result["missing"]) == ("none", {}, [])


def test_nothing_given_lists_what_is_missing(understander):
    result = understander.understand("Mach einen Termin", "de", NOW)
    assert result.call.missing == ("title", "date")


def test_an_invalid_output_never_reaches_the_calendar(understander):
    result = understander.understand("truncated output", "de", NOW)
    assert not result.understood
    assert result.call.function == "none"


def test_a_forced_language_wins(understander):
    result = understander.understand("What's on my calendar tomorrow?", "de", NOW)
    assert result.language == "de"


def test_parse_verb_prints_the_contract_object(monkeypatch, capsys):
    monkeypatch.setattr(parse, "_load_model", ReplayModel)
    code = main(
        [
            "parse",
            "Erstelle morgen um 15 Uhr einen Termin Zahnarzt für eine Stunde",
            "--now",
            "2026-03-26T10:00",
            "--tz",
            "Europe/Berlin",
        ]
    )
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert list(result) == ["text", "language", "function", "arguments", "missing", "call", "ms"]
    assert result["arguments"]["date"] == "2026-03-27"


def test_parse_jsonl_answers_line_by_line_with_one_model(monkeypatch, capsys):
    models: list[ReplayModel] = []

    def load() -> ReplayModel:
        models.append(ReplayModel())
        return models[-1]

    monkeypatch.setattr(parse, "_load_model", load)
    lines = ["What's on my calendar tomorrow?", "", "Wie wird das Wetter morgen?"]
    stdin = io.TextIOWrapper(io.BytesIO(("\n".join(lines) + "\n").encode()))
    monkeypatch.setattr("sys.stdin", stdin)
    assert main(["parse", "--jsonl", "--now", "2026-03-26T10:00", "--tz", "Europe/Berlin"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [row["text"] for row in rows] == lines
    assert [row.get("function") for row in rows] == ["list_events", None, "none"]
    assert rows[1] == {"text": "", "error": "empty utterance: there is nothing to understand"}
    assert len(models) == 1 and len(models[0].prompts) == 2


def test_parse_needs_text_or_jsonl(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["parse"])
    assert exit_info.value.code == 2


def test_the_model_is_asked_to_copy_from_the_utterance(understander):
    text = "Erstelle morgen um 15 Uhr einen Termin Zahnarzt für eine Stunde"
    understander.understand(text, "de", NOW)
    assert understander.model.copied_from == [text]
