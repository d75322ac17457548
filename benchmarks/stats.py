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
