"""The comparison the Octopus paper makes, on our task: the functional-token model against the
same base trained the conventional way (function names, every function described in the
prompt), same data, same training budget, same runtime and grammar.

    python -m benchmarks.compare [--functional models] [--described build/described/models]
                                 [--data build/training] [--samples 40]

Reads both models' `eval_report.json` (accuracy, latency as evaluated, with llama.cpp keeping
the shared prompt prefix cached between calls), measures prompt length and latency without
any cached prefix on held-out utterances, and writes benchmarks/results/comparison.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path
from typing import Any

from app.nlu.call_format import CallStyle, prompt
from app.nlu.llama_model import DESCRIBED_CONTEXT_TOKENS, LlamaCallModel
from app.nlu.model_store import ensure_model

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"


def uncached_latency(models_dir: Path, style: CallStyle, texts: list[str]) -> dict[str, float]:
    """Median prompt tokens and milliseconds per call with nothing cached from earlier calls."""
    model = LlamaCallModel(ensure_model(models_dir), context_tokens=DESCRIBED_CONTEXT_TOKENS)
    tokens, prompt_ms, total_ms = [], [], []
    try:
        for text in texts:
            model.forget_prompt()
            completion = model.complete(prompt(text, style), copy_from=text, style=style)
            tokens.append(completion.prompt_tokens)
            prompt_ms.append(completion.prompt_ms)
            total_ms.append(completion.prompt_ms + completion.generate_ms)
    finally:
        model.close()
    return {
        "prompt_tokens": statistics.median(tokens),
        "prompt_ms": round(statistics.median(prompt_ms), 1),
        "total_ms": round(statistics.median(total_ms), 1),
    }


def _accuracy(report: dict[str, Any]) -> dict[str, float | None]:
    sets = report["sets"]
    heldout = sets["heldout"]["all"]
    return {
        "held-out function": heldout["function_accuracy"],
        "held-out whole resolved call": heldout["resolved_call_exact"],
        "MASSIVE en function": sets["massive_dev_en"]["all"]["function_accuracy"],
        "MASSIVE de function": sets["massive_dev_de"]["all"]["function_accuracy"],
        "MASSIVE en title F1": sets["massive_dev_en"]["all"]["title_overlap_f1"],
        "MASSIVE de title F1": sets["massive_dev_de"]["all"]["title_overlap_f1"],
    }


def compare(functional: Path, described: Path, data: Path, samples: int) -> dict[str, Any]:
    with (data / "heldout.jsonl").open(encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for line in lines if line.strip()][:samples]
    reports = {
        "functional": json.loads((functional / "eval_report.json").read_text("utf-8")),
        "described": json.loads((described / "eval_report.json").read_text("utf-8")),
    }
    return {
        "accuracy": {style: _accuracy(report) for style, report in reports.items()},
        "latency_as_evaluated_ms": {
            style: report["sets"]["heldout"]["all"]["latency_ms"]
            for style, report in reports.items()
        },
        "uncached": {
            "functional": uncached_latency(functional, "functional", texts),
            "described": uncached_latency(described, "described", texts),
        },
        "samples": len(texts),
    }


def _ratio(described: float | None, functional: float | None) -> str:
    if not described or not functional:
        return "-"
    return f"{described / functional:.2f}"


def markdown(result: dict[str, Any]) -> str:
    functional, described = result["accuracy"]["functional"], result["accuracy"]["described"]
    rows = []
    for name in functional:
        f, d = functional[name], described[name]
        rows.append((name, _percent(f), _percent(d), _ratio(d, f)))
    evaluated = result["latency_as_evaluated_ms"]
    uncached = result["uncached"]
    for label, key in (("prompt tokens", "prompt_tokens"),):
        f, d = uncached["functional"][key], uncached["described"][key]
        rows.append((label, f"{f:.0f}", f"{d:.0f}", _ratio(d, f)))
    for label, source, key in (
        ("ms per call, no cached prefix", uncached, "total_ms"),
        ("  of which prompt", uncached, "prompt_ms"),
        ("ms per call as evaluated (shared prefix cached)", evaluated, "median"),
    ):
        f, d = source["functional"][key], source["described"][key]
        rows.append((label, f"{f:.0f}", f"{d:.0f}", _ratio(d, f)))
    lines = [
        "| | functional tokens (shipped) | described in the prompt | ratio |",
        "|---|---|---|---|",
        *(f"| {name} | {f} | {d} | {r} |" for name, f, d, r in rows),
        "",
        f"Latency without a cached prefix: median over {result['samples']} held-out utterances.",
        "",
    ]
    return "\n".join(lines)


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f} %"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--functional", type=Path, default=ROOT / "models")
    parser.add_argument("--described", type=Path, default=ROOT / "build" / "described" / "models")
    parser.add_argument("--data", type=Path, default=ROOT / "build" / "training")
    parser.add_argument("--samples", type=int, default=40)
    arguments = parser.parse_args()
    result = compare(arguments.functional, arguments.described, arguments.data, arguments.samples)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "comparison.json").write_text(json.dumps(result, indent=1) + "\n", "utf-8")
    (RESULTS / "comparison.md").write_text(markdown(result), "utf-8")
    print(markdown(result))


if __name__ == "__main__":
    main()
