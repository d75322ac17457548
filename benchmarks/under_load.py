"""Every stage side by side under each load condition (see `benchmarks.load`): the same
calls, with the models loaded once, idle and then with the background load running. Per
stage and condition: median, p90 and max per call, the ratio of the median to the idle one,
and every call over 3 s."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from app.pipeline import Pipeline
from benchmarks import suite
from benchmarks.full_commands import full_commands
from benchmarks.load import background_load
from benchmarks.stages import (
    Call,
    first_audio_calls,
    recognition_calls,
    synthesis_calls,
    understanding_calls,
)
from benchmarks.stats import call_summary, spread

LOG = logging.getLogger("benchmarks.under_load")


@dataclass(frozen=True)
class Workload:
    """The calls made under each condition: fewer than the idle suite's, the same for every
    condition."""

    full_commands_per_language: int = 12
    """At least four of each function (create, delete, list) per language."""
    massive_per_language: int = 12
    synthesis_per_language: int = 5
    first_audio_repeat: int = 2
    """Passes over the 3-5 s recorded commands."""


def measure_stages(pipeline: Pipeline, workload: Workload) -> dict[str, list[float]]:
    """Milliseconds per call, per stage, in the order of the report (see its
    `LOAD_STAGE_LABELS`)."""
    recognizer, synthesizer = pipeline.recognizer, pipeline.synthesizer
    assert recognizer is not None and synthesizer is not None
    model = pipeline.understander.model
    calls: dict[str, list[Call]] = {
        "recognition": recognition_calls(recognizer, suite.clean_recordings())
    }
    for language in ("de", "en"):
        full = full_commands(language, workload.full_commands_per_language)
        calls[f"understanding_full_{language}"] = understanding_calls(model, full)
    for language in ("de", "en"):
        massive = suite.massive_dev(language, workload.massive_per_language)
        calls[f"understanding_massive_{language}"] = understanding_calls(model, massive)
    for language in ("de", "en"):
        calls[f"synthesis_{language}"] = synthesis_calls(
            synthesizer,
            {language: suite.REPLIES[language]},
            workload.synthesis_per_language,
        )
    commands = suite.three_to_five_second_recordings()
    calls["end_to_end"] = [
        call
        for _ in range(workload.first_audio_repeat)
        for call in first_audio_calls(pipeline, commands)
    ]
    return {stage: [call.ms for call in stage_calls] for stage, stage_calls in calls.items()}


def summarise(
    measured: Mapping[str, Mapping[str, Sequence[float]]],
) -> dict[str, dict[str, Any]]:
    """condition → stage → per-call ms, turned into stage → condition → `call_summary` (with
    the ratio to the idle median where idle was measured)."""
    idle: Mapping[str, Sequence[float]] = measured.get("idle", {})
    summary: dict[str, dict[str, Any]] = {}
    for condition, stages in measured.items():
        for stage, values in stages.items():
            idle_median = spread(idle[stage]).median if idle.get(stage) else None
            summary.setdefault(stage, {})[condition] = call_summary(values, idle_median)
    return summary


def under_load(
    pipeline: Pipeline, conditions: Sequence[str], workload: Workload | None = None
) -> dict[str, Any]:
    """The stages under each condition in turn; the hogs' own figures beside them."""
    workload = workload or Workload()
    measured: dict[str, dict[str, list[float]]] = {}
    hogs: dict[str, Any] = {}
    for condition in conditions:
        LOG.info("under load: %s", condition)
        with background_load(condition) as load:
            measured[condition] = measure_stages(pipeline, workload)
        hogs[condition] = load.to_json()
    return {
        "conditions": list(conditions),
        "hogs": hogs,
        "workload": asdict(workload),
        "stages": summarise(measured),
    }
