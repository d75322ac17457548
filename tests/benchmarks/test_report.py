"""The benchmark's arithmetic and its report (the measurements themselves are not tests)."""

from __future__ import annotations

import json

import pytest

from benchmarks.report import markdown
from benchmarks.stats import spread
from tests.conftest import REPO_ROOT


def test_spread_gives_median_and_interpolated_percentiles() -> None:
    result = spread([5.0, 1.0, 3.0, 2.0, 4.0])
    assert (result.n, result.median, result.minimum, result.maximum) == (5, 3.0, 1.0, 5.0)
    assert result.p10 == pytest.approx(1.4)
    assert result.p90 == pytest.approx(4.6)
    assert spread([7.0]).p90 == 7.0
    with pytest.raises(ValueError, match="no measurements"):
        spread([])


def test_the_committed_results_render_with_a_verdict_per_target() -> None:
    results = json.loads((REPO_ROOT / "benchmarks" / "results" / "latest.json").read_text())
    table = markdown(results)
    assert table.count("met") >= 4
    for what in ("understanding per call, de", "first reply audio", "peak RSS", "cold start"):
        assert what in table
    german = results["accuracy"]["de"]["recordings_clean"]
    assert f"| {german[0]} of {german[1]} |" in table
    slow = json.loads(json.dumps(results))
    slow["peak_rss_mb_all_models"] = 1500.0
    assert "≤ 1.2 GB: not met" in markdown(slow)


def test_the_comparison_table_gives_ratios_described_over_functional() -> None:
    from benchmarks.compare import markdown as comparison

    result = json.loads((REPO_ROOT / "benchmarks" / "results" / "comparison.json").read_text())
    table = comparison(result)
    tokens = result["uncached"]
    expected = tokens["described"]["prompt_tokens"] / tokens["functional"]["prompt_tokens"]
    assert f"| prompt tokens | {tokens['functional']['prompt_tokens']:.0f} |" in table
    assert f"{expected:.2f} |" in table
    assert table.count("\n|") == 11


def test_the_load_table_has_a_row_per_stage_a_column_per_condition_and_flags_slow_calls() -> None:
    from benchmarks.report import under_load_section
    from benchmarks.under_load import summarise

    measured = {
        "idle": {"recognition": [500.0, 600.0, 700.0], "understanding_full_de": [100.0, 120.0]},
        "multi": {"recognition": [1000.0, 1400.0, 3500.0], "understanding_full_de": [200.0, 240.0]},
    }
    hogs = {
        "idle": {"description": "idle", "hog_threads": 0, "hog_busy_cores": None},
        "multi": {"description": "BLAS on every core", "hog_threads": 2, "hog_busy_cores": 1.83},
    }
    workload = {
        "full_commands_per_language": 12,
        "massive_per_language": 12,
        "synthesis_per_language": 5,
        "first_audio_repeat": 2,
    }
    section = under_load_section(
        {
            "conditions": ["idle", "multi"],
            "hogs": hogs,
            "workload": workload,
            "stages": summarise(measured),
        }
    )
    table = "\n".join(section)
    assert "| stage | idle | BLAS on every core | calls over 3 s |" in table
    assert (
        "| recognition per clean recording | 600 / 680 / 700 ms | 1400 / 3080 / 3500 ms (x2.33)"
        " | multi: 1 (slowest 3.5 s) |" in table
    )
    assert (
        "| understanding, full commands, de | 110 / 118 / 120 ms | 220 / 236 / 240 ms (x2.00)"
        " | none |" in table
    )
    assert "BLAS on every core: 1.8 cores (2 threads)" in table
    assert under_load_section(None) == []


def test_the_understanding_sets_table_puts_full_commands_beside_massive() -> None:
    from benchmarks.report import understanding_sets_section

    def figures(median: float, tokens: float | None) -> dict[str, object]:
        def one(value: float) -> dict[str, float]:
            return {
                "n": 24,
                "median": value,
                "p10": value,
                "p90": value * 2,
                "minimum": 1,
                "maximum": 9,
            }

        entry: dict[str, object] = {
            "utterances": "x",
            "total_ms": one(median),
            "prompt_ms": one(median / 4),
            "generate_ms": one(median * 3 / 4),
        }
        if tokens is not None:
            entry["tokens"] = one(tokens)
        return entry

    results = {
        "understanding": {"de": figures(120, 12), "en": figures(100, None)},
        "understanding_full_commands": {"de": figures(240, 28), "en": figures(200, 26)},
    }
    table = "\n".join(understanding_sets_section(results))
    assert "| full commands (de) | 240 ms | 480 ms | 60 / 180 ms | 28 (p90 56) | 24 |" in table
    assert "| MASSIVE dev (en) | 100 ms | 200 ms | 25 / 75 ms | - | 24 |" in table
    assert understanding_sets_section({"understanding": results["understanding"]}) == []


def test_the_ab_table_gives_both_medians_and_the_pair_ratios() -> None:
    from benchmarks.report import ab_markdown

    side = {
        "run_medians_ms": [200.0],
        "all_calls_ms": {"n": 48, "median": 200.0},
        "tokens": {"median": 27.0},
        "load_s": [1.0],
    }
    result = {
        "when": "2026-11-30T05:00+00:00",
        "a": {"path": "/work/a", "commit": "abc1234"},
        "b": {"path": "/work/b", "commit": "5545a5c"},
        "python": "/venv/bin/python",
        "pairs": 3,
        "load": {"description": "idle"},
        "seconds": 300.0,
        "stages": [
            {
                "stage": "understanding-full",
                "label": "understanding, full commands (de+en)",
                "inputs": 48,
                "a": {**side, "all_calls_ms": {"n": 144, "median": 180.0}},
                "b": {**side, "tokens": {"median": 29.0}},
                "ratio_a_over_b": {"pairs": 3, "median": 0.9, "min": 0.85, "max": 0.97},
            }
        ],
    }
    table = ab_markdown(result)
    assert "A = abc1234 (/work/a), B = 5545a5c (/work/b)" in table
    assert (
        "| understanding, full commands (de+en) | 48 | 180 ms | 200 ms | 0.90 (0.85-0.97) |"
        " 27 / 29 |" in table
    )
