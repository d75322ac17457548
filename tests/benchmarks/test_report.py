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
