"""The Markdown table of a benchmark run, with the targets of the benchmark issue."""

from __future__ import annotations

from typing import Any


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
        "",
    ]
    return "\n".join(lines)


def _pair(figures: dict[str, Any]) -> str:
    function, resolved = figures["function"] * 100, figures["resolved"] * 100
    return f"{function:.1f} / {resolved:.1f} % (n {figures['examples']})"
