"""Benchmark of the temporal resolver (not a test; speed is measured, never asserted).

    .venv/bin/python tests/temporal/bench_temporal.py

Prints the import time, the latency per call over every phrase of the case tables (with the
phrase cache cleared before each call, so every call does the full work, and warm), and how
many date and time cases dateparser 1.5.0 alone gets right, for comparison.
"""

from __future__ import annotations

import statistics
import sys
import time as clock
import tomllib
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
ZONE = ZoneInfo("Europe/Berlin")


def load(language: str) -> dict[str, Any]:
    with (HERE / f"cases_{language}.toml").open("rb") as file:
        return tomllib.load(file)


def main() -> None:
    started = clock.perf_counter()
    import app.temporal as temporal
    from app.temporal.lexicon import canonical, vocabulary

    imported = clock.perf_counter()
    vocabulary("de"), vocabulary("en")
    loaded = clock.perf_counter()
    print(f"import app.temporal: {1000 * (imported - started):.1f} ms; "
          f"vocabularies (babel, TOML): {1000 * (loaded - imported):.1f} ms")  # fmt: skip

    calls: list[tuple[str, str, dict[str, Any], datetime]] = []
    for language in ("de", "en"):
        data = load(language)
        nows = {k: datetime.fromisoformat(v).replace(tzinfo=ZONE) for k, v in data["nows"].items()}
        for kind in ("dates", "times", "durations", "ranges"):
            for case in data[kind]["cases"]:
                calls.append((language, kind, case, nows[case.get("now", "default")]))

    def run(language: str, kind: str, case: dict[str, Any], now: datetime) -> object:
        if kind == "dates":
            return temporal.resolve_date(case["p"], language, now)
        if kind == "times":
            return temporal.resolve_time(case["p"], language, case.get("hint", ""))
        if kind == "durations":
            start = time.fromisoformat(case["start"]) if "start" in case else None
            return temporal.resolve_duration(case["p"], language, start)
        return temporal.resolve_range(case["p"], language, now)

    for label, clear in (("cold (cache cleared each call)", True), ("warm (cached phrase)", False)):
        timings = []
        for _ in range(5):
            for call in calls:
                if clear:
                    canonical.cache_clear()
                begin = clock.perf_counter()
                run(*call)
                timings.append(1000 * (clock.perf_counter() - begin))
        timings.sort()
        p99 = timings[int(0.99 * len(timings))]
        print(f"{label}: {len(timings)} calls, median {statistics.median(timings):.3f} ms, "
              f"p99 {p99:.3f} ms, max {timings[-1]:.3f} ms")  # fmt: skip

    began = clock.perf_counter()
    import dateparser

    print(f"import dateparser: {1000 * (clock.perf_counter() - began):.0f} ms")
    for language in ("de", "en"):
        data = load(language)
        nows = {k: datetime.fromisoformat(v).replace(tzinfo=ZONE) for k, v in data["nows"].items()}
        for kind in ("dates", "times"):
            right = 0
            cases = data[kind]["cases"]
            for case in cases:
                now = nows[case.get("now", "default")]
                settings = {
                    "RELATIVE_BASE": now.replace(tzinfo=None),
                    "PREFER_DATES_FROM": "future",
                }
                parsed = dateparser.parse(case["p"], languages=[language], settings=settings)  # type: ignore[arg-type]
                expected = case["e"]
                if kind == "dates":
                    got = parsed.date().isoformat() if parsed else "none"
                else:
                    got = f"{parsed:%H:%M}" if parsed else "none"
                right += got == expected
            print(f"dateparser alone, {language} {kind}: {right}/{len(cases)} right")
        date_right = sum(
            (lambda got: (got.isoformat() if isinstance(got, date) else "none") == case["e"])(
                temporal.resolve_date(case["p"], language, nows[case.get("now", "default")])
            )
            for case in data["dates"]["cases"]
        )
        print(f"app.temporal, {language} dates: {date_right}/{len(data['dates']['cases'])} right")


if __name__ == "__main__":
    main()
