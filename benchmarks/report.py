"""The Markdown table of a benchmark run, with the targets of the benchmark issue."""

from __future__ import annotations

from typing import Any

LOAD_STAGE_LABELS = {
    "recognition": "recognition per clean recording",
    "understanding_full_de": "understanding, full commands, de",
    "understanding_full_en": "understanding, full commands, en",
    "understanding_massive_de": "understanding, MASSIVE dev, de",
    "understanding_massive_en": "understanding, MASSIVE dev, en",
    "synthesis_de": "synthesis to first audio, de",
    "synthesis_en": "synthesis to first audio, en",
    "end_to_end": "end of a 3-5 s command → first reply audio",
}


def _cell(spread: dict[str, float], unit: str = "ms", scale: float = 1.0) -> str:
    return (
        f"{spread['median'] * scale:.{_digits(unit)}f} {unit} "
        f"({spread['p10'] * scale:.{_digits(unit)}f}-{spread['p90'] * scale:.{_digits(unit)}f}, "
        f"n {spread['n']:.0f})"
    )


def _digits(unit: str) -> int:
    return 1 if unit == "s" else 0


def _verdict(value: float, target: float) -> str:
    return "met" if value <= target else "not met"


def markdown(results: dict[str, Any]) -> str:
    machine = results["machine"]
    rows: list[tuple[str, str, str]] = []
    understanding = results["understanding"]
    for language in ("de", "en"):
        stage = understanding[language]
        median = stage["total_ms"]["median"]
        rows.append(
            (
                f"understanding per call, {language} ({stage['utterances']})",
                f"{_cell(stage['total_ms'])}; prompt {stage['prompt_ms']['median']:.0f}, "
                f"generation {stage['generate_ms']['median']:.0f}",
                f"≤ 150 ms median: {_verdict(median, 150)}",
            )
        )
    end_to_end = results["end_to_end"]
    rows.append(
        (
            "end of a 3-5 s command → first reply audio",
            _cell(end_to_end["all_ms"])
            + "; "
            + ", ".join(
                f"{language} {spread['median']:.0f}"
                for language, spread in sorted(end_to_end["total_ms"].items())
            ),
            f"≤ 1.0 s median: {_verdict(end_to_end['all_ms']['median'], 1000)}",
        )
    )
    rows.append(
        (
            "  of which (medians)",
            ", ".join(
                f"{name} {spread['median']:.0f}"
                for name, spread in end_to_end["stage_ms"].items()
                if name != "total"
            ),
            "",
        )
    )
    peak = results["peak_rss_mb_all_models"]
    rows.append(
        (
            "peak RSS, every model loaded and used",
            f"{peak:.0f} MB",
            f"≤ 1.2 GB: {_verdict(peak, 1200)}",
        )
    )
    for key, label in (("cold_start_window", "the window"), ("cold_start", "headless")):
        start = results[key]
        rows.append(
            (
                f"cold start to ready, {label}",
                _cell(start["to_ready_s"], "s")
                + "; "
                + ", ".join(
                    f"{name} {spread['median']:.1f}"
                    for name, spread in start["stage_s"].items()
                    if name != "ready"
                ),
                f"≤ 5 s median: {_verdict(start['to_ready_s']['median'], 5)}"
                if key == "cold_start_window"
                else "",
            )
        )
    for language, spread in sorted(results["speech_recognition_ms_per_audio_s"].items()):
        rows.append((f"speech recognition, {language}", _cell(spread) + " per second of audio", ""))
    for language, synthesis in sorted(results["speech_synthesis"].items()):
        rows.append(
            (
                f"speech synthesis, {language} ({synthesis['voice']})",
                _cell(synthesis["first_audio_ms"]) + " to first audio",
                "",
            )
        )
    accuracy_rows = []
    for language, figures in sorted(results.get("accuracy", {}).items()):
        clean, degraded = figures["recordings_clean"], figures["recordings_degraded"]
        accuracy_rows.append(
            f"| {language} | {_pair(figures['heldout'])} | {_pair(figures['massive_dev'])} | "
            f"{clean[0]} of {clean[1]} | {degraded[0]} of {degraded[1]} |"
        )
    accuracy = (
        [
            "",
            "Accuracy per language: function / whole resolved call on text (the call model's"
            " evaluation in models/), and recorded commands through the whole assistant, judged"
            " by the calendar afterwards.",
            "",
            "| language | held-out templates | MASSIVE dev | recordings, clean | recordings,"
            " degraded |",
            "|---|---|---|---|---|",
            *accuracy_rows,
        ]
        if accuracy_rows
        else []
    )
    lines = [
        f"Benchmarks of {results['when']} on {machine['cpus']} CPUs ({machine['processor']}), "
        f"Python {machine['python']}; {results['repeat']} repetitions, "
        f"{results['seconds']:.0f} s in all. Median (p10-p90, n).",
        "",
        "| what | measured | target |",
        "|---|---|---|",
        *(f"| {what} | {measured} | {target} |" for what, measured, target in rows),
        *accuracy,
        *understanding_sets_section(results),
        *under_load_section(results.get("under_load")),
        "",
    ]
    return "\n".join(lines)


def understanding_sets_section(results: dict[str, Any]) -> list[str]:
    """The call model per call on the full held-out commands beside MASSIVE dev; empty for
    results from before the full commands were measured."""
    full = results.get("understanding_full_commands")
    if not full:
        return []
    rows = []
    for label, sets in (("full commands", full), ("MASSIVE dev", results["understanding"])):
        for language in ("de", "en"):
            stage = sets[language]
            tokens = stage.get("tokens")
            rows.append(
                f"| {label} ({language}) | {stage['total_ms']['median']:.0f} ms | "
                f"{stage['total_ms']['p90']:.0f} ms | "
                f"{stage['prompt_ms']['median']:.0f} / {stage['generate_ms']['median']:.0f} ms | "
                + (f"{tokens['median']:.0f} (p90 {tokens['p90']:.0f})" if tokens else "-")
                + f" | {stage['total_ms']['n']:.0f} |"
            )
    return [
        "",
        "Understanding per call: the full held-out create, delete and list commands with the"
        " most arguments (benchmarks/data/full_commands.jsonl) beside MASSIVE dev utterances.",
        "",
        "| utterances | median | p90 | prompt / generation (medians) | tokens generated | n |",
        "|---|---|---|---|---|---|",
        *rows,
    ]


def under_load_section(under_load: dict[str, Any] | None) -> list[str]:
    """Each stage per load condition: median / p90 / max per call, the loaded median over
    the idle one, and the calls over 3 s."""
    if not under_load:
        return []
    conditions: list[str] = under_load["conditions"]
    hogs = under_load["hogs"]
    rows = []
    for stage, by_condition in under_load["stages"].items():
        label = LOAD_STAGE_LABELS.get(stage, stage)
        cells = [
            _load_cell(by_condition[condition], with_ratio=condition != "idle")
            for condition in conditions
        ]
        rows.append(f"| {label} | " + " | ".join(cells) + f" | {_slow_calls(by_condition)} |")
    header = [hogs[condition]["description"] for condition in conditions]
    busy = [
        f"{hogs[condition]['description']}: {hogs[condition]['hog_busy_cores']:.1f} cores"
        f" ({hogs[condition]['hog_threads']} thread"
        f"{'s' if hogs[condition]['hog_threads'] != 1 else ''})"
        for condition in conditions
        if hogs[condition]["hog_busy_cores"] is not None
    ]
    workload = under_load["workload"]
    return [
        "",
        "Under load (`--load`): the same calls under each condition, the models loaded once:"
        f" every clean recording, {workload['full_commands_per_language']} full commands and"
        f" {workload['massive_per_language']} MASSIVE dev utterances per language,"
        f" {workload['synthesis_per_language']} syntheses per language,"
        f" {workload['first_audio_repeat']} passes over the 3-5 s commands. Per call: median /"
        " p90 / max, and (x) the loaded median over the idle one.",
        "",
        "| stage | " + " | ".join(header) + " | calls over 3 s |",
        "|---|" + "---|" * len(conditions) + "---|",
        *rows,
        *(
            ["", "The background load kept busy, on average: " + "; ".join(busy) + "."]
            if busy
            else []
        ),
    ]


def _slow_calls(by_condition: dict[str, dict[str, Any]]) -> str:
    """`multi: 2 (slowest 3.4 s)`, per condition with calls over 3 s; "none" if none."""
    flagged = []
    for condition, figures in by_condition.items():
        slow = figures["slow"]
        if slow:
            flagged.append(f"{condition}: {len(slow)} (slowest {slow[0] / 1000:.1f} s)")
    return "; ".join(flagged) or "none"


def _load_cell(figures: dict[str, Any], *, with_ratio: bool) -> str:
    cell = f"{figures['median']:.0f} / {figures['p90']:.0f} / {figures['max']:.0f} ms"
    ratio = figures["ratio_to_idle"]
    return f"{cell} (x{ratio:.2f})" if with_ratio and ratio is not None else cell


def _pair(figures: dict[str, Any]) -> str:
    function, resolved = figures["function"] * 100, figures["resolved"] * 100
    return f"{function:.1f} / {resolved:.1f} % (n {figures['examples']})"


def ab_markdown(result: dict[str, Any]) -> str:
    """The A/B comparison (`python -m benchmarks.ab`): per stage both sides' medians over
    every call and the ratio A/B of each pair's run medians."""
    a, b = result["a"], result["b"]
    rows = []
    for stage in result["stages"]:
        ratio = stage["ratio_a_over_b"]
        tokens = "-"
        if stage["a"]["tokens"] and stage["b"]["tokens"]:
            tokens = f"{stage['a']['tokens']['median']:.0f} / {stage['b']['tokens']['median']:.0f}"
        rows.append(
            f"| {stage['label']} | {stage['inputs']} | "
            f"{stage['a']['all_calls_ms']['median']:.0f} ms | "
            f"{stage['b']['all_calls_ms']['median']:.0f} ms | "
            f"{ratio['median']:.2f} ({ratio['min']:.2f}-{ratio['max']:.2f}) | {tokens} |"
        )
    load = result["load"]["description"]
    return "\n".join(
        [
            f"A/B of {result['when']}: A = {a['commit']} ({a['path']}), B = {b['commit']}"
            f" ({b['path']}), the same Python ({result['python']}) and inputs;"
            f" {result['pairs']} pairs of fresh processes, alternating AB and BA; load:"
            f" {load}; {result['seconds']:.0f} s in all.",
            "",
            "| stage | calls per run | A median | B median | A/B per pair: median (min-max) |"
            " tokens generated A / B |",
            "|---|---|---|---|---|---|",
            *rows,
            "",
            "A/B below 1: A is faster. The ratios are of each pair's two run medians; the"
            " medians are over every call of a side.",
            "",
        ]
    )
