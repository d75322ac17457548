"""The evaluation's scoring, on records and model outputs given here (no model is run)."""

from __future__ import annotations

from typing import Any

from app.nlu.call_format import prompt, render
from app.nlu.llama_model import Completion
from training.evaluate import (
    NEWER_SET,
    by_intent,
    failures,
    grouped_scores,
    markdown,
    overall_confusion,
    run_model,
    score,
    targets,
)


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
    answer = '<unused1>(" Zahnarzt"," Freitag"," halb drei","","","")<unused0>'
    outcomes, _ = outcomes_for({DENTIST["text"]: answer}, [DENTIST])
    metrics = score(outcomes)
    assert metrics["call_phrases_exact"] == 0.0
    assert metrics["resolved_call_exact"] == 1.0
    assert metrics["argument_phrase_exact"]["create_event.date"] == 0.0
    assert metrics["argument_phrase_exact"]["create_event.title"] == 1.0
    assert len(failures(outcomes)) == 1


def test_a_wrong_title_fails_the_whole_call() -> None:
    answer = '<unused1>(" Arzt"," nächsten Freitag"," halb drei","","","")<unused0>'
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
    answer = '<unused1>(" lunch"," friday","","","","")<unused0>'
    outcomes, _ = outcomes_for({MASSIVE["text"]: answer}, [MASSIVE])
    metrics = score(outcomes)
    assert metrics["title_overlap_f1"] == 1.0
    assert metrics["titles_scored"] == 1
    wider = '<unused1>(" lunch with tom"," friday","","","","")<unused0>'
    outcomes, _ = outcomes_for({MASSIVE["text"]: wider}, [MASSIVE])
    assert 0.0 < score(outcomes)["title_overlap_f1"] < 1.0


def test_the_markdown_report_has_the_table_and_the_failures() -> None:
    answer = '<unused1>(" Arzt"," nächsten Freitag"," halb drei","","","")<unused0>'
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
    assert "| heldout | all | 1 | 100.0 % | - | 0.0 % | 100.0 % | 0.0 % | 0.0 % |" in text
    assert "1 calls differ" in text and "Arzt" in text


def other_intent(text: str, intent: str, language: str = "en") -> dict[str, Any]:
    made = record(text, "none", {}, expected={}, language=language)
    made["intent"] = intent
    return made


ALARM = other_intent("wake me up at seven", "alarm_set")
MUSIC = other_intent("play let me love you by ariana grande", "play_music")
DATE = other_intent("tell me today's date", "datetime_query")


def test_out_of_domain_rejection_and_calendar_refusals_are_scored() -> None:
    records = [ALARM, MUSIC, DATE, LIST, DENTIST]
    answers = {
        ALARM["text"]: "<unused4>()<unused0>",
        MUSIC["text"]: '<unused1>(" let me love you","","","","","")<unused0>',
        DATE["text"]: '<unused3>(" today","")<unused0>',
        LIST["text"]: "<unused4>()<unused0>",
        DENTIST["text"]: DENTIST["completion"],
    }
    outcomes, _ = outcomes_for(answers, records)
    metrics = score(outcomes)
    assert metrics["none_left_alone"] == round(1 / 3, 4)
    assert metrics["calendar_read_as_none"] == 0.5
    table = by_intent(outcomes)
    assert set(table) == {"alarm_set", "play_music", "datetime_query"}
    assert table["alarm_set"]["none_left_alone"] == 1.0
    assert table["play_music"] == {
        "examples": 1,
        "none_left_alone": 0.0,
        "read_as": {"create_event": 1},
    }
    assert table["datetime_query"]["read_as"] == {"list_events": 1}


def report_of(sets: dict[str, list[dict[str, Any]]], answers: dict[str, str]) -> dict[str, Any]:
    report: dict[str, Any] = {
        "machine": "x86_64, 2 CPUs",
        "threads": 2,
        "peak_rss_mb": 400.0,
        "ensure_model_s": 0.5,
        "load_s": 0.7,
        "phrases": "copied",
        "sets": {},
        "failures": {},
    }
    for name, records in sets.items():
        outcomes, _ = outcomes_for(answers, records)
        groups: dict[str, list[Any]] = {}
        for outcome in outcomes:
            groups.setdefault(outcome.record["language"], []).append(outcome)
        report["sets"][name] = {"all": score(outcomes)} | {
            language: score(group) for language, group in groups.items()
        }
        report["failures"][name] = failures(outcomes)
        if any(r.get("intent") for r in records):
            report.setdefault("other_intents", {})[name] = by_intent(outcomes)
    report["confusion_all_sets"] = overall_confusion(report)
    report["targets"] = targets(report)
    return report


def test_the_confusion_over_all_sets_adds_up_every_set_and_language() -> None:
    answers = {r["text"]: r["completion"] for r in (DENTIST, LIST, WEATHER, MASSIVE)}
    answers[ALARM["text"]] = '<unused1>(" wake me up","","","","","")<unused0>'
    report = report_of(
        {"heldout": [DENTIST, LIST, WEATHER], "massive_other_dev_en": [ALARM, MASSIVE]}, answers
    )
    overall = report["confusion_all_sets"]
    assert set(overall) == {"all", "de", "en"}
    assert sum(sum(row.values()) for row in overall["all"].values()) == 5
    assert overall["all"]["none"] == {
        "create_event": 1,
        "delete_event": 0,
        "list_events": 0,
        "move_event": 0,
        "none": 1,
        "invalid": 0,
    }
    assert overall["en"]["create_event"]["create_event"] == 1
    assert overall["de"]["list_events"]["list_events"] == 1


def test_targets_are_checked_per_language_where_the_set_was_run() -> None:
    answers = {ALARM["text"]: "<unused4>()<unused0>", MUSIC["text"]: "<unused4>()<unused0>"}
    german = other_intent("weck mich um sieben", "alarm_set", "de")
    answers[german["text"]] = '<unused1>(" weck mich","","","","","")<unused0>'
    report = report_of(
        {"massive_other_dev_en": [ALARM, MUSIC], "massive_other_dev_de": [german]}, answers
    )
    rows = {(row["what"], row["language"]): row for row in report["targets"]}
    left_alone = "MASSIVE other intents left alone (none)"
    assert rows[left_alone, "en"]["value"] == 1.0 and rows[left_alone, "en"]["met"]
    assert rows[left_alone, "de"]["value"] == 0.0 and not rows[left_alone, "de"]["met"]
    assert rows["held-out templates: right function", "all"]["value"] is None
    text = markdown(report)
    assert "## Targets" in text and "**not met**" in text
    assert "| alarm_set | 1 | 0.0 % | create_event 1 |" in text
    assert "## Confusion over all sets" in text


def test_an_unknown_set_is_a_usage_error() -> None:
    import pytest

    from training.evaluate import main

    with pytest.raises(SystemExit) as raised:
        main(["--sets", "heldout,massive_test_de"])
    assert raised.value.code == 2


def test_the_newer_requests_are_scored_per_kind_and_counted_once_overall() -> None:
    move = record(
        "Verschieb den Zahnarzt auf Mittwoch",
        "move_event",
        {"title": "Zahnarzt", "date": None, "new_date": "Mittwoch", "new_time": None},
    ) | {"feature": "move"}
    answers = {r["text"]: r["completion"] for r in (DENTIST, move)}
    answers[move["text"]] = '<unused1>(" Zahnarzt","","","","","")<unused0>'  # a create
    outcomes, _ = outcomes_for(answers, [DENTIST, move])
    newer = grouped_scores([o for o in outcomes if o.record.get("feature")], by_feature=True)
    assert set(newer) == {"all", "de", "move/de"}
    assert newer["move/de"]["function_accuracy"] == 0.0
    assert newer["move/de"]["confusion"]["move_event"]["create_event"] == 1
    report = {"sets": {"heldout": grouped_scores(outcomes), NEWER_SET: newer}}
    overall = overall_confusion(report)
    assert sum(sum(row.values()) for row in overall["all"].values()) == 2


def test_massive_dev_is_scored_by_the_contract_labels_with_the_raw_figure_beside() -> None:
    timer = record(
        "set a timer for five minutes", "create_event", {"title": "timer"}, language="en"
    )
    timer["contract"] = ["none"]
    meeting = record("when is my meeting", "create_event", {"title": "meeting"}, language="en")
    meeting["contract"] = ["list_events"]
    invite = record(
        "send a calendar invite to jens for brunch",
        "create_event",
        {"title": "brunch"},
        language="en",
    )
    invite["contract"] = ["create_event", "none"]
    answers = {
        timer["text"]: "<unused4>()<unused0>",
        meeting["text"]: '<unused3>(""," meeting")<unused0>',
        invite["text"]: "<unused4>()<unused0>",
    }
    outcomes, _ = outcomes_for(answers, [timer, meeting, invite])
    metrics = score(outcomes)
    assert metrics["contract_function_accuracy"] == 1.0
    assert metrics["function_accuracy"] == 0.0
    report = report_of({"massive_dev_en": [timer, meeting, invite]}, answers)
    rows = {(row["what"], row["language"]): row for row in report["targets"]}
    by_contract = rows["MASSIVE dev: right function by contract labels", "en"]
    raw = rows["MASSIVE dev: right function by MASSIVE's labels (raw, no goal)", "en"]
    assert by_contract["value"] == 1.0 and by_contract["met"]
    assert raw["value"] == 0.0 and raw["goal"] is None and not raw["met"]


def test_sets_without_contract_labels_have_no_contract_figure() -> None:
    outcomes, _ = outcomes_for({DENTIST["text"]: DENTIST["completion"]}, [DENTIST])
    assert score(outcomes)["contract_function_accuracy"] is None
