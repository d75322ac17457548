"""The arithmetic of the load and A/B tables: ratios, per-call summaries, pair ratios."""

from __future__ import annotations

import pytest

from benchmarks.stats import SLOW_CALL_MS, call_summary, pair_ratios, ratio


def test_ratio_refuses_a_denominator_that_is_not_positive() -> None:
    assert ratio(3.0, 2.0) == 1.5
    assert ratio(0.0, 2.0) == 0.0
    assert ratio(3.0, 0.0) is None
    assert ratio(3.0, -1.0) is None


def test_a_call_summary_gives_median_p90_max_ratio_and_the_slow_calls() -> None:
    values = [100.0, 200.0, 300.0, 400.0, 3500.0, 5000.0]
    summary = call_summary(values, idle_median_ms=175.0)
    assert summary["n"] == 6
    assert summary["median"] == 350.0
    assert summary["p90"] == pytest.approx(4250.0)
    assert summary["max"] == 5000.0
    assert summary["ratio_to_idle"] == 2.0
    assert summary["slow"] == [5000.0, 3500.0]
    assert SLOW_CALL_MS == 3000.0


def test_a_call_summary_without_an_idle_median_has_no_ratio() -> None:
    summary = call_summary([10.0, 20.0])
    assert summary["ratio_to_idle"] is None
    assert summary["slow"] == []
    assert call_summary([3000.0])["slow"] == []


def test_pair_ratios_divide_position_by_position() -> None:
    result = pair_ratios([100.0, 90.0, 120.0], [100.0, 100.0, 100.0])
    assert result == {"pairs": 3, "median": 1.0, "min": 0.9, "max": 1.2}
    with pytest.raises(ValueError, match="2 A runs but 1 B runs"):
        pair_ratios([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="no pairs"):
        pair_ratios([1.0], [0.0])
