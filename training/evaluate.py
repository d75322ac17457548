"""Strict, automatic evaluation of the shipped call model, through the runtime path the app
uses (`ensure_model()`, `LlamaCallModel`, `parse_call`, `resolve_call`).

    python -m training.evaluate [--limit N] [--sets heldout,massive_dev_de] [--models-dir DIR]
                                [--data-dir DIR]

Sets: the held-out templates, MASSIVE's calendar dev rows (scored by the contract's labels,
`training/data/contract_labels.py`, with MASSIVE's own beside them), MASSIVE's other-intent dev
rows (German and English; all `none`), the Bot Framework dev rows and the held-out said values
(`training/data/said_values.py`: whole calls given, scored exact or not). Reported per set and
language, with the out-of-domain rejection ("none left alone"), the other intents per MASSIVE
intent, the confusion matrix over all sets and the issue's targets. Writes `eval_report.json`
and `eval_report.md` into the models folder.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import re
import resource
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from app.nlu.call_format import CallStyle, MalformedCallError, RawCall, parse_call, prompt
from app.nlu.functions import FUNCTIONS, FUNCTIONS_BY_NAME
from app.nlu.llama_model import (
    CONTEXT_TOKENS,
    DESCRIBED_CONTEXT_TOKENS,
    Completion,
    LlamaCallModel,
)
from app.nlu.model_store import ensure_model
from app.nlu.understand import resolve_said_call
from app.resolve import ResolvedCall, clean_title, resolve_call
from training.settings import DEFAULT_CONFIG, load_config

LOG = logging.getLogger("training.evaluate")
ZONE = ZoneInfo("Europe/Berlin")
"""The zone the data generator's `now` values are in."""
INVALID = "invalid"
SETS = {
    "heldout": "heldout.jsonl",
    "massive_dev_en": "massive_dev_en.jsonl",
    "massive_dev_de": "massive_dev_de.jsonl",
    "massive_other_dev_en": "massive_other_dev_en.jsonl",
    "massive_other_dev_de": "massive_other_dev_de.jsonl",
    "botframework_dev": "botframework_dev.jsonl",
    "said_values_en": "said_values_en.jsonl",
    "said_values_de": "said_values_de.jsonl",
}
NONE = "none"
NEWER_SET = "heldout_new"
"""The held-out records that move, repeat, remind or ask about one appointment."""
TARGETS = (
    (
        "MASSIVE dev: right function by contract labels",
        "massive_dev",
        "contract_function_accuracy",
        {"de": 0.97, "en": 0.97},
    ),
    (
        "MASSIVE dev: right function by MASSIVE's labels (raw, no goal)",
        "massive_dev",
        "function_accuracy",
        {"de": None, "en": None},
    ),
    (
        "MASSIVE dev: whole resolved call",
        "massive_dev",
        "resolved_call_exact",
        {"de": 0.80, "en": 0.85},
    ),
    (
        "MASSIVE other intents left alone (none)",
        "massive_other_dev",
        "function_accuracy",
        {"de": 0.99, "en": 0.99},
    ),
    ("held-out templates: right function", "heldout", "function_accuracy", {"all": 0.98}),
    ("held-out templates: whole resolved call", "heldout", "resolved_call_exact", {"all": 0.95}),
    (
        "held-out said values (lengths, series' ends, reminder and move titles): whole call",
        "said_values",
        "resolved_call_exact",
        {"de": 0.95, "en": 0.95},
    ),
    (
        "held-out move, repeat, remind, find: right function",
        NEWER_SET,
        "function_accuracy",
        {"all": 0.97},
    ),
    (
        "held-out move, repeat, remind, find: whole resolved call",
        NEWER_SET,
        "resolved_call_exact",
        {"all": 0.92},
    ),
)
"""The issue's targets: (what, set name or prefix, metric, goal per language or "all")."""


@dataclass(frozen=True)
class Outcome:
    record: dict[str, Any]
    completion: Completion
    ms: float
    predicted: RawCall | None

    @property
    def gold_function(self) -> str:
        return str(self.record["function"])

    @property
    def predicted_function(self) -> str:
        return self.predicted.function if self.predicted else INVALID


def read_records(path: Path, limit: int) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    return records[:limit] if limit else records


def run_model(
    model: LlamaCallModel,
    records: Sequence[dict[str, Any]],
    *,
    copy: bool = True,
    style: CallStyle = "functional",
) -> list[Outcome]:
    """`copy`: phrases restricted to runs of the utterance's words, as the app runs it."""
    outcomes = []
    for record in records:
        started = time.perf_counter()
        completion = model.complete(
            prompt(record["text"], style),
            copy_from=record["text"] if copy else None,
            style=style,
        )
        predicted: RawCall | None
        try:
            predicted = parse_call(completion.text, style)
        except MalformedCallError:
            predicted = None
        ms = (time.perf_counter() - started) * 1000
        outcomes.append(Outcome(record, completion, ms, predicted))
    return outcomes


def _now(record: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(record["now"]).replace(tzinfo=ZONE)


def _gold_call(record: dict[str, Any]) -> RawCall:
    spec = FUNCTIONS_BY_NAME[record["function"]]
    phrases = record.get("phrases") or {}
    return RawCall(
        function=spec.name,
        phrases={parameter.name: phrases.get(parameter.name) for parameter in spec.parameters},
        text=str(record.get("completion", "")),
    )


def _resolved(call: RawCall, record: dict[str, Any]) -> ResolvedCall:
    return resolve_call(call, record["language"], _now(record))


def _predicted_resolved(call: RawCall, record: dict[str, Any]) -> ResolvedCall:
    """As the app resolves the model's call: checked against the utterance first."""
    return resolve_said_call(call, record["text"], record["language"], _now(record))


def _same_resolution(left: ResolvedCall, right: ResolvedCall) -> bool:
    return (left.function, left.arguments, left.missing) == (
        right.function,
        right.arguments,
        right.missing,
    )


def _matches_expected(call: ResolvedCall, expected: dict[str, Any]) -> bool:
    """Every value the utterance says (non-null in `expected`) is what the call resolved to."""
    arguments = call.arguments_json()
    for name, value in expected.items():
        if value is None:
            continue
        got = arguments.get(name)
        if name == "title":
            wanted = clean_title(str(value))
            if got is None or wanted is None or got.casefold() != wanted.casefold():
                return False
        elif got != value:
            return False
    return True


def is_whole_call(call: ResolvedCall | None, record: dict[str, Any]) -> bool:
    """Whether `call` is exactly the record's whole resolved call (the title compared as
    `_matches_expected` does, without regard to case)."""
    if call is None or call.function != record["function"] or call.missing:
        return False
    arguments = call.arguments_json()
    expected = record["expected"]
    return (
        set(arguments) == set(expected)
        and all(arguments[name] == value for name, value in expected.items() if name != "title")
        and _matches_expected(call, {"title": expected.get("title")})
        and (expected.get("title") is not None or arguments.get("title") is None)
    )


def _words(text: str | None) -> list[str]:
    return re.findall(r"\w+", (text or "").casefold())


def _overlap_f1(predicted: str | None, gold: str) -> float:
    got, wanted = Counter(_words(predicted)), Counter(_words(gold))
    common = sum((got & wanted).values())
    if not common:
        return 0.0
    precision = common / sum(got.values())
    recall = common / sum(wanted.values())
    return 2 * precision * recall / (precision + recall)


def _ratio(count: int, total: int) -> float | None:
    return round(count / total, 4) if total else None


def _percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def score(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """Metrics of one group of outcomes."""
    total = len(outcomes)
    names = [spec.name for spec in FUNCTIONS]
    confusion = {gold: {pred: 0 for pred in [*names, INVALID]} for gold in names}
    function_right = valid = phrases_exact = phrases_total = resolved_exact = 0
    contract_total = contract_right = unchecked_exact = 0
    expected_total = expected_right = gold_expected_right = 0
    argument_right: Counter[str] = Counter()
    argument_total: Counter[str] = Counter()
    title_f1: list[float] = []
    title_exact = 0
    for outcome in outcomes:
        record = outcome.record
        gold = _gold_call(record)
        predicted = outcome.predicted
        confusion[gold.function][outcome.predicted_function] += 1
        valid += predicted is not None
        same_function = predicted is not None and predicted.function == gold.function
        function_right += same_function
        if "contract" in record:
            contract_total += 1
            contract_right += outcome.predicted_function in record["contract"]
        with_phrases = not record.get("expected_whole")  # said values have no gold phrases
        phrases_total += with_phrases
        for name, phrase in gold.phrases.items() if with_phrases else ():
            key = f"{gold.function}.{name}"
            argument_total[key] += 1
            if same_function and predicted is not None:
                argument_right[key] += (predicted.phrases.get(name) or None) == (phrase or None)
        if same_function and predicted is not None and with_phrases:
            phrases_exact += all(
                (predicted.phrases.get(name) or None) == (phrase or None)
                for name, phrase in gold.phrases.items()
            )
        gold_resolved = _resolved(gold, record)
        predicted_resolved = (
            _predicted_resolved(predicted, record) if predicted is not None else None
        )
        if record.get("expected_whole"):  # no gold phrases: the whole call is given
            resolved_exact += is_whole_call(predicted_resolved, record)
            unchecked_exact += predicted is not None and is_whole_call(
                _resolved(predicted, record), record
            )
        else:
            resolved_exact += predicted_resolved is not None and _same_resolution(
                predicted_resolved, gold_resolved
            )
            unchecked_exact += predicted is not None and _same_resolution(
                _resolved(predicted, record), gold_resolved
            )
        expected = record.get("expected")
        if isinstance(expected, dict):
            expected_total += 1
            gold_expected_right += _matches_expected(gold_resolved, expected)
            expected_right += (
                predicted_resolved is not None
                and predicted_resolved.function == gold.function
                and _matches_expected(predicted_resolved, expected)
            )
        event_name = record.get("event_name")
        if event_name and gold.function in ("create_event", "delete_event"):
            predicted_title = (
                predicted.phrases.get("title") if same_function and predicted else None
            )
            title_f1.append(_overlap_f1(predicted_title, event_name))
            title_exact += _words(predicted_title) == _words(event_name)
    latencies = [outcome.ms for outcome in outcomes]
    gold_none = [outcome for outcome in outcomes if outcome.gold_function == NONE]
    gold_calendar = [outcome for outcome in outcomes if outcome.gold_function != NONE]
    return {
        "examples": total,
        "function_accuracy": _ratio(function_right, total),
        "contract_function_accuracy": _ratio(contract_right, contract_total),
        "none_left_alone": _ratio(
            sum(outcome.predicted_function == NONE for outcome in gold_none), len(gold_none)
        ),
        "calendar_read_as_none": _ratio(
            sum(outcome.predicted_function == NONE for outcome in gold_calendar),
            len(gold_calendar),
        ),
        "structurally_valid": _ratio(valid, total),
        "call_phrases_exact": _ratio(phrases_exact, phrases_total),
        "resolved_call_exact": _ratio(resolved_exact, total),
        "resolved_call_exact_unchecked": _ratio(unchecked_exact, total),
        "matches_expected": _ratio(expected_right, expected_total),
        "gold_phrases_match_expected": _ratio(gold_expected_right, expected_total),
        "argument_phrase_exact": {
            key: _ratio(argument_right[key], argument_total[key]) for key in sorted(argument_total)
        },
        "title_overlap_f1": round(statistics.fmean(title_f1), 4) if title_f1 else None,
        "title_exact": _ratio(title_exact, len(title_f1)),
        "titles_scored": len(title_f1),
        "confusion": confusion,
        "latency_ms": {
            "median": round(statistics.median(latencies), 1) if latencies else None,
            "p90": round(_percentile(latencies, 0.9), 1) if latencies else None,
            "prompt_median": round(statistics.median(o.completion.prompt_ms for o in outcomes), 1)
            if outcomes
            else None,
            "generate_median": round(
                statistics.median(o.completion.generate_ms for o in outcomes), 1
            )
            if outcomes
            else None,
            "completion_tokens_median": statistics.median(
                o.completion.completion_tokens for o in outcomes
            )
            if outcomes
            else None,
        },
    }


def grouped_scores(
    outcomes: Sequence[Outcome], *, by_feature: bool = False
) -> dict[str, dict[str, Any]]:
    """Scores of all the outcomes, per language, and (`by_feature`) per record feature
    ("move", "recurrence", "reminder", "find") and language: "move/de"."""
    groups: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        language = outcome.record["language"]
        groups.setdefault(language, []).append(outcome)
        feature = outcome.record.get("feature")
        if by_feature and feature:
            groups.setdefault(f"{feature}/{language}", []).append(outcome)
    return {
        "all": score(outcomes),
        **{name: score(group) for name, group in sorted(groups.items())},
    }


def by_intent(outcomes: Sequence[Outcome]) -> dict[str, dict[str, Any]]:
    """Per MASSIVE intent of the other-intent rows: how many, how many left alone (`none`),
    and what the others were read as."""
    groups: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        intent = outcome.record.get("intent")
        if intent:
            groups.setdefault(str(intent), []).append(outcome)
    table = {}
    for intent, group in sorted(groups.items()):
        wrong = Counter(o.predicted_function for o in group if o.predicted_function != NONE)
        table[intent] = {
            "examples": len(group),
            "none_left_alone": _ratio(sum(o.predicted_function == NONE for o in group), len(group)),
            "read_as": dict(wrong.most_common()),
        }
    return table


def add_confusions(matrices: Sequence[dict[str, dict[str, int]]]) -> dict[str, dict[str, int]]:
    total: dict[str, dict[str, int]] = {}
    for matrix in matrices:
        for gold, row in matrix.items():
            into = total.setdefault(gold, dict.fromkeys(row, 0))
            for predicted, count in row.items():
                into[predicted] = into.get(predicted, 0) + count
    return total


def overall_confusion(report: dict[str, Any]) -> dict[str, dict[str, dict[str, int]]]:
    """The confusion matrix over every evaluated set, in all and per language (the newer
    requests' set is part of the held-out set and counted there)."""
    sets = [groups for name, groups in report["sets"].items() if name != NEWER_SET]
    languages = sorted({group for groups in sets for group in groups if group != "all"})
    return {
        group: add_confusions([groups[group]["confusion"] for groups in sets if group in groups])
        for group in ["all", *languages]
    }


def targets(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Each of the issue's targets with the measured value per language (None where the set
    was not evaluated)."""
    rows = []
    for what, prefix, metric, goals in TARGETS:
        for group, goal in goals.items():
            name = prefix if group == "all" else f"{prefix}_{group}"
            metrics = report["sets"].get(name, {}).get(group)
            value = metrics[metric] if metrics else None
            rows.append(
                {
                    "what": what,
                    "language": group,
                    "goal": goal,
                    "value": value,
                    "met": value is not None and goal is not None and value >= goal,
                }
            )
    return rows


def failures(outcomes: Sequence[Outcome]) -> list[dict[str, Any]]:
    wrong = []
    for outcome in outcomes:
        gold = _gold_call(outcome.record)
        predicted = outcome.predicted
        same = (
            predicted is not None
            and predicted.function == gold.function
            and all(
                (predicted.phrases.get(n) or None) == (p or None) for n, p in gold.phrases.items()
            )
        )
        if not same:
            wrong.append(
                {
                    "text": outcome.record["text"],
                    "gold": outcome.record.get("completion"),
                    "predicted": outcome.completion.text,
                }
            )
    return wrong


def evaluate(
    data_dir: Path,
    models_dir: Path,
    *,
    threads: int,
    limit: int = 0,
    cache_dir: Path | None = None,
    copy: bool = True,
    style: CallStyle = "functional",
    sets: Sequence[str] = tuple(SETS),
) -> dict[str, Any]:
    started = time.perf_counter()
    model_path = ensure_model(models_dir, cache_dir)
    built = time.perf_counter()
    context = CONTEXT_TOKENS if style == "functional" else DESCRIBED_CONTEXT_TOKENS
    model = LlamaCallModel(model_path, threads=threads, context_tokens=context)
    loaded = time.perf_counter()
    report: dict[str, Any] = {
        "model": model_path.name,
        "threads": threads,
        "machine": f"{platform.machine()}, {_cpu_count()} CPUs",
        "ensure_model_s": round(built - started, 2),
        "load_s": round(loaded - built, 2),
        "phrases": "copied" if copy else "any words",
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "default"),
        "call_style": style,
        "prompt_tokens": len(model.tokenize(prompt("Trag morgen um 9 den Zahnarzt ein", style))),
        "sets": {},
        "failures": {},
    }
    for name in sets:
        path = data_dir / SETS[name]
        if not path.is_file():
            LOG.warning("no %s: skipped", path)
            continue
        outcomes = run_model(model, read_records(path, limit), copy=copy, style=style)
        report["sets"][name] = grouped_scores(outcomes)
        report["failures"][name] = failures(outcomes)
        newer = [outcome for outcome in outcomes if outcome.record.get("feature")]
        if name.startswith("said_values"):
            report["sets"][name] = grouped_scores(outcomes, by_feature=True)
        if name == "heldout" and newer:
            report["sets"][NEWER_SET] = grouped_scores(newer, by_feature=True)
            report["failures"][NEWER_SET] = failures(newer)
        if any(outcome.record.get("intent") for outcome in outcomes):
            report.setdefault("other_intents", {})[name] = by_intent(outcomes)
        LOG.info(
            "%s: %d examples, function %.4f, resolved exact %s, median %.0f ms",
            name,
            len(outcomes),
            report["sets"][name]["all"]["function_accuracy"],
            report["sets"][name]["all"]["resolved_call_exact"],
            report["sets"][name]["all"]["latency_ms"]["median"],
        )
    model.close()
    report["confusion_all_sets"] = overall_confusion(report)
    report["targets"] = targets(report)
    report["peak_rss_mb"] = peak_rss_mb()
    report["seconds"] = round(time.perf_counter() - started, 1)
    return report


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: the latter keeps the peak of
    the process that exec'd this one (the training run)."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text(encoding="utf-8").splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _cpu_count() -> int:
    return len(os.sched_getaffinity(0))


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f} %"


def _confusion_lines(matrix: dict[str, dict[str, int]]) -> list[str]:
    columns = list(next(iter(matrix.values())))
    lines = ["| gold \\ predicted | " + " | ".join(columns) + " |"]
    lines.append("|---" * (len(columns) + 1) + "|")
    for gold, row in matrix.items():
        lines.append(f"| {gold} | " + " | ".join(str(row.get(c, 0)) for c in columns) + " |")
    return lines


def _target_lines(report: dict[str, Any]) -> list[str]:
    rows = report.get("targets") or []
    if not rows:
        return []
    lines = ["## Targets", "", "| target | lang | goal | measured | |", "|---|---|---|---|---|"]
    for row in rows:
        unmeasured = row["value"] is None or row["goal"] is None
        mark = "met" if row["met"] else ("-" if unmeasured else "**not met**")
        lines.append(
            f"| {row['what']} | {row['language']} | {_percent(row['goal'])} | "
            f"{_percent(row['value'])} | {mark} |"
        )
    return [*lines, ""]


def _intent_lines(report: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for name, table in report.get("other_intents", {}).items():
        lines += [
            "",
            f"## {name}: left alone per MASSIVE intent (worst first)",
            "",
            "| intent | n | left alone | read as |",
            "|---|---|---|---|",
        ]
        ordered = sorted(table.items(), key=lambda item: (item[1]["none_left_alone"], item[0]))
        for intent, row in ordered:
            read_as = ", ".join(f"{function} {count}" for function, count in row["read_as"].items())
            lines.append(
                f"| {intent} | {row['examples']} | {_percent(row['none_left_alone'])} | "
                f"{read_as or '-'} |"
            )
    return lines


def markdown(report: dict[str, Any]) -> str:
    lines = [
        "# Call model evaluation",
        "",
        f"Written by `python -m training.evaluate` through the runtime path (`ensure_model`, "
        f"`LlamaCallModel`, `parse_call`, `resolve_call`); {report['machine']}, "
        f"{report['threads']} threads (OpenMP wait policy "
        f"{report.get('omp_wait_policy', 'default')}); peak RSS {report['peak_rss_mb']} MB; "
        f"model build "
        f"{report['ensure_model_s']} s, load {report['load_s']} s. Phrases: "
        + (
            "any words (`--any-words`)."
            if report.get("phrases") == "any words"
            else "copied (the grammar admits only runs of the utterance's words)."
        ),
        "",
        *_target_lines(report),
        "Sets: `heldout` (held-out templates, ours), `heldout_new` (those of them that move, "
        "repeat, remind or ask about one appointment, also per kind and language), "
        "`massive_dev_<lang>` (MASSIVE's calendar dev rows; *function* by MASSIVE's labels, "
        "the targets also by the contract's), `massive_other_dev_<lang>` "
        "(MASSIVE's other-intent dev rows, all `none`), `botframework_dev` (Bot Framework move "
        "and find rows held back from training), `said_values_<lang>` (held-out requests "
        "written by hand: lengths before the noun, series' ends, reminder and move titles; "
        "whole calls given, no gold phrases). *resolved exact* is the call as the app resolves "
        "it, checked against the utterance (`app.nlu.typed_slots`). "
        "*none left alone*: of the records that are not calendar requests, the share the model "
        "answered with `none`; *calendar as none*: of the calendar requests, the share it "
        "refused.",
        "",
        "| set | lang | n | function | none left alone | calendar as none | valid | "
        "phrases exact | resolved exact | matches expected | title F1 | median ms | p90 ms |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, groups in report["sets"].items():
        for group, metrics in groups.items():
            lines.append(
                f"| {name} | {group} | {metrics['examples']} | "
                f"{_percent(metrics['function_accuracy'])} | "
                f"{_percent(metrics.get('none_left_alone'))} | "
                f"{_percent(metrics.get('calendar_read_as_none'))} | "
                f"{_percent(metrics['structurally_valid'])} | "
                f"{_percent(metrics['call_phrases_exact'])} | "
                f"{_percent(metrics['resolved_call_exact'])} | "
                f"{_percent(metrics['matches_expected'])} | "
                f"{_percent(metrics['title_overlap_f1'])} | "
                f"{metrics['latency_ms']['median']} | {metrics['latency_ms']['p90']} |"
            )
    overall = report.get("confusion_all_sets")
    if overall:
        lines += ["", "## Confusion over all sets (rows: gold, columns: predicted)"]
        for group, matrix in overall.items():
            lines += ["", f"{group}:", "", *_confusion_lines(matrix)]
    lines += _intent_lines(report)
    for name, groups in report["sets"].items():
        metrics = groups["all"]
        lines += ["", f"## {name}", "", "Confusion (rows: gold, columns: predicted):", ""]
        lines += _confusion_lines(metrics["confusion"])
        if metrics["argument_phrase_exact"]:
            lines += ["", "Argument phrases exact:", ""]
            lines += [
                f"- {key}: {_percent(value)}"
                for key, value in metrics["argument_phrase_exact"].items()
            ]
        latency = metrics["latency_ms"]
        lines += [
            "",
            f"Latency: median {latency['median']} ms (prompt {latency['prompt_median']} ms, "
            f"generation {latency['generate_median']} ms, "
            f"{latency['completion_tokens_median']} tokens), p90 {latency['p90']} ms.",
        ]
        wrong = report["failures"].get(name, [])
        if wrong:
            lines += [
                "",
                f"{len(wrong)} calls differ from the gold phrases (all in eval_report.json); "
                f"the first {min(10, len(wrong))}:",
                "",
            ]
            lines += [
                f"- `{item['text']}`: `{item['predicted']}` (gold `{item['gold']}`)"
                for item in wrong[:10]
            ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Evaluate the shipped call model.")
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--models-dir", type=Path, default=None)
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=None, help="examples per set (0: all)")
    parser.add_argument(
        "--sets",
        default=",".join(SETS),
        help=f"comma-separated sets to evaluate (default: all of {', '.join(SETS)})",
    )
    parser.add_argument("--report-dir", type=Path, default=None)
    parser.add_argument(
        "--any-words",
        action="store_true",
        help="let phrases be any words (the grammar without the copy constraint), to compare",
    )
    arguments = parser.parse_args(argv)
    sets = [name.strip() for name in arguments.sets.split(",") if name.strip()]
    unknown = sorted(set(sets) - set(SETS))
    if unknown:
        parser.error(f"unknown sets {unknown}; known: {', '.join(SETS)}")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    config = load_config(arguments.config)
    models_dir = arguments.models_dir or config.models_dir
    limit = arguments.limit if arguments.limit is not None else config.evaluate.get("limit", 0)
    report = evaluate(
        arguments.data_dir or config.data_dir,
        models_dir,
        threads=config.evaluate.get("threads", 2),
        limit=limit,
        cache_dir=arguments.cache_dir,
        copy=not arguments.any_words,
        style=config.model.call_style,
        sets=sets,
    )
    report_dir = arguments.report_dir or models_dir
    report_dir.mkdir(parents=True, exist_ok=True)
    (report_dir / "eval_report.json").write_text(
        json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (report_dir / "eval_report.md").write_text(markdown(report), encoding="utf-8")
    LOG.info("report written to %s", report_dir / "eval_report.md")


if __name__ == "__main__":
    main()
