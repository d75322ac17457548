"""Medians and spread of repeated measurements."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Spread:
    n: int
    median: float
    p10: float
    p90: float
    minimum: float
    maximum: float

    def to_json(self) -> dict[str, Any]:
        return {key: round(value, 1) for key, value in asdict(self).items()}

    def text(self, unit: str = "ms") -> str:
        """`160 ms (p10 120, p90 311; n 520)`."""
        return f"{self.median:.0f} {unit} (p10 {self.p10:.0f}, p90 {self.p90:.0f}; n {self.n})"


def spread(values: Sequence[float]) -> Spread:
    if not values:
        raise ValueError("no measurements")
    ordered = sorted(values)
    return Spread(
        n=len(ordered),
        median=statistics.median(ordered),
        p10=_quantile(ordered, 0.1),
        p90=_quantile(ordered, 0.9),
        minimum=ordered[0],
        maximum=ordered[-1],
    )


def _quantile(ordered: Sequence[float], fraction: float) -> float:
    """Linear interpolation between the closest ranks."""
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


SLOW_CALL_MS = 3000.0
"""A single call slower than this is flagged: the user waits noticeably."""


def ratio(numerator: float, denominator: float) -> float | None:
    """`numerator / denominator`, or None when the denominator is not positive."""
    return numerator / denominator if denominator > 0 else None


def call_summary(
    values_ms: Sequence[float],
    idle_median_ms: float | None = None,
    slow_ms: float = SLOW_CALL_MS,
) -> dict[str, Any]:
    """Per-call milliseconds under one load condition: n, median, p90, max, the ratio of the
    median to the idle median (where given), and the calls slower than `slow_ms`, slowest
    first."""
    figures = spread(values_ms)
    return {
        "n": figures.n,
        "median": round(figures.median, 1),
        "p90": round(figures.p90, 1),
        "max": round(figures.maximum, 1),
        "ratio_to_idle": (
            None if idle_median_ms is None else _rounded(ratio(figures.median, idle_median_ms), 3)
        ),
        "slow": sorted((round(value, 1) for value in values_ms if value > slow_ms), reverse=True),
    }


def pair_ratios(a_values: Sequence[float], b_values: Sequence[float]) -> dict[str, Any]:
    """A/B: the ratio a/b of each pair (the same position in both), summarised by median,
    minimum and maximum."""
    if len(a_values) != len(b_values):
        raise ValueError(f"{len(a_values)} A runs but {len(b_values)} B runs")
    each = (ratio(a, b) for a, b in zip(a_values, b_values, strict=True))
    ratios = [value for value in each if value is not None]
    if not ratios:
        raise ValueError("no pairs with a positive B")
    figures = spread(ratios)
    return {
        "pairs": figures.n,
        "median": round(figures.median, 3),
        "min": round(figures.minimum, 3),
        "max": round(figures.maximum, 3),
    }


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)
