"""The evaluation's scoring, on records and model outputs given here (no model is run)."""

from __future__ import annotations

from typing import Any

from app.nlu.call_format import prompt, render
from app.nlu.llama_model import Completion
from training.evaluate import failures, markdown, run_model, score


def record(
    text: str,
    function: str,
    phrases: dict[str, str | None],
    *,
    expected: dict[str, Any] | None = None,
    event_name: str | None = None,
    language: str = "de",
) -> dict[str, Any]:
    made: dict[str, Any] = {
        "text": text,
        "language": language,
        "now": "2026-11-18T10:00",
        "function": function,
        "phrases": phrases,
        "completion": render(function, phrases),
        "expected": expected,
    }
    if event_name is not None:
        made["event_name"] = event_name
    return made


DENTIST = record(
    "Trag am nächsten Freitag um halb drei den Zahnarzt ein",
    "create_event",
    {"title": "Zahnarzt", "date": "nächsten Freitag", "time": "halb drei", "duration": None},
    expected={"title": "Zahnarzt", "date": "2026-11-20", "time": "14:30", "duration_minutes": None},
)
LIST = record("Was steht morgen an?", "list_events", {"range": "morgen"})
WEATHER = record("Wie wird das Wetter morgen?", "none", {})
MASSIVE = record(
    "put lunch with tom on friday in my calendar",
    "create_event",
    {"title": "lunch with tom", "date": "friday", "time": None, "duration": None},
    event_name="lunch",
    language="en",
)


class Replay:
    """Answers each utterance with the completion given for it."""

    def __init__(self, answers: dict[str, str]) -> None:
        self.answers = answers
        self.copied_from: list[str | None] = []

    def complete(
        self, prompt_text: str, *, copy_from: str | None = None, style: str = "functional"
    ) -> Completion:
        self.copied_from.append(copy_from)
        text = next(
            answer
            for said, answer in self.answers.items()
            if prompt(said, style) == prompt_text  # type: ignore[arg-type]
        )
        return Completion(text, 12, 9, 30.0, 80.0)


def outcomes_for(answers: dict[str, str], records: list[dict[str, Any]], *, copy: bool = True):
    model = Replay(answers)
    return run_model(model, records, copy=copy), model  # type: ignore[arg-type]


def test_right_calls_score_full_marks() -> None:
    records = [DENTIST, LIST, WEATHER]
    outcomes, model = outcomes_for({r["text"]: r["completion"] for r in records}, records)
    metrics = score(outcomes)
    assert metrics["function_accuracy"] == 1.0
    assert metrics["call_phrases_exact"] == 1.0
    assert metrics["resolved_call_exact"] == 1.0
    assert metrics["matches_expected"] == 1.0
    assert metrics["confusion"]["none"]["none"] == 1
    assert failures(outcomes) == []
    assert model.copied_from == [r["text"] for r in records]


def test_the_described_baseline_is_prompted_and_read_in_its_own_style() -> None:
    records = [DENTIST, LIST, WEATHER]
    answers = {r["text"]: render(r["function"], r["phrases"], "described") for r in records}
    model = Replay(answers)
    outcomes = run_model(model, records, style="described")  # type: ignore[arg-type]
    assert score(outcomes)["resolved_call_exact"] == 1.0
    assert outcomes[0].completion.text.startswith("create_event(")
    functional = run_model(model, records[:1], style="functional")  # type: ignore[arg-type]
    assert functional[0].predicted is None


def test_the_any_words_comparison_does_not_ask_for_copies() -> None:
    _, model = outcomes_for({LIST["text"]: LIST["completion"]}, [LIST], copy=False)
    assert model.copied_from == [None]


def test_another_phrase_for_the_same_day_is_resolved_exact_but_not_phrase_exact() -> None:
    answer = '<unused1>(" Zahnarzt"," Freitag"," halb drei","")<unused0>'
    outcomes, _ = outcomes_for({DENTIST["text"]: answer}, [DENTIST])
    metrics = score(outcomes)
    assert metrics["call_phrases_exact"] == 0.0
    assert metrics["resolved_call_exact"] == 1.0
    assert metrics["argument_phrase_exact"]["create_event.date"] == 0.0
    assert metrics["argument_phrase_exact"]["create_event.title"] == 1.0
    assert len(failures(outcomes)) == 1


def test_a_wrong_title_fails_the_whole_call() -> None:
    answer = '<unused1>(" Arzt"," nächsten Freitag"," halb drei","")<unused0>'
    outcomes, _ = outcomes_for({DENTIST["text"]: answer}, [DENTIST])
    metrics = score(outcomes)
    assert metrics["function_accuracy"] == 1.0
    assert metrics["resolved_call_exact"] == 0.0
    assert metrics["matches_expected"] == 0.0


def test_wrong_functions_and_invalid_outputs_land_in_the_confusion_matrix() -> None:
    records = [LIST, WEATHER]
    answers = {LIST["text"]: "<unused4>()<unused0>", WEATHER["text"]: '<unused3>(" morgen"'}
    outcomes, _ = outcomes_for(answers, records)
    metrics = score(outcomes)
    assert metrics["function_accuracy"] == 0.0
    assert metrics["structurally_valid"] == 0.5
    assert metrics["confusion"]["list_events"]["none"] == 1
    assert metrics["confusion"]["none"]["invalid"] == 1
    assert [item["text"] for item in failures(outcomes)] == [LIST["text"], WEATHER["text"]]


def test_title_overlap_with_the_massive_span() -> None:
    answer = '<unused1>(" lunch"," friday","","")<unused0>'
    outcomes, _ = outcomes_for({MASSIVE["text"]: answer}, [MASSIVE])
    metrics = score(outcomes)
    assert metrics["title_overlap_f1"] == 1.0
    assert metrics["titles_scored"] == 1
    wider = '<unused1>(" lunch with tom"," friday","","")<unused0>'
    outcomes, _ = outcomes_for({MASSIVE["text"]: wider}, [MASSIVE])
    assert 0.0 < score(outcomes)["title_overlap_f1"] < 1.0


def test_the_markdown_report_has_the_table_and_the_failures() -> None:
    answer = '<unused1>(" Arzt"," nächsten Freitag"," halb drei","")<unused0>'
    outcomes, _ = outcomes_for({DENTIST["text"]: answer}, [DENTIST])
    report = {
        "machine": "x86_64, 2 CPUs",
        "threads": 2,
        "peak_rss_mb": 400.0,
        "ensure_model_s": 0.5,
        "load_s": 0.7,
        "phrases": "copied",
        "sets": {"heldout": {"all": score(outcomes)}},
        "failures": {"heldout": failures(outcomes)},
    }
    text = markdown(report)
    assert "| heldout | all | 1 | 100.0 % | 100.0 % | 0.0 % | 0.0 % |" in text
    assert "1 calls differ" in text and "Arzt" in text
