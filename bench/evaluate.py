"""Benchmark: evaluating every goal for a country-sized synthetic set.

357 municipalities × 20 years (synthetic values, made up here). For each of the four
target kinds the pure engine evaluates every municipality and the national total. The
baseline, measured in the same run, is only building the national total (summing the
series); the ratio says what the evaluation itself costs on top. Goal: under 1 s in all.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from retning.goals.engine import AnnualChange, Direction, Point, RelativeChange, evaluate
from retning.goals.indicators import region_total

MUNICIPALITIES = 357
YEARS = range(2006, 2026)
TARGETS = [
    AnnualChange(2015, 2028, 100),
    RelativeChange(2016, 2030, 70, 100),
    RelativeChange(2019, 2030, -55, -55),
    Direction(2016, "increase"),
]


def synthetic_series(seed: int) -> dict[str, list[Point]]:
    rng = random.Random(seed)
    data = {}
    for m in range(MUNICIPALITIES):
        level = rng.uniform(500, 50_000)
        series = []
        for year in YEARS:
            level *= 1 + rng.uniform(-0.03, 0.04)
            value = None if rng.random() < 0.02 else level  # some suppressed cells
            series.append(Point(year, value, "" if value is not None else "suppressed", (str(m),)))
        data[f"{m:04d}"] = series
    return data


def main() -> None:
    data = synthetic_series(357)
    members = list(data)
    started = time.perf_counter()
    total = region_total(data, members)
    baseline = time.perf_counter() - started

    started = time.perf_counter()
    evaluations = 0
    for target in TARGETS:
        total = region_total(data, members)
        evaluate(target, total)
        for series in data.values():
            evaluate(target, series)
            evaluations += 1
    elapsed = time.perf_counter() - started
    shape = f"{MUNICIPALITIES} municipalities × {len(YEARS)} years, {len(TARGETS)} goals"
    print(f"{shape}: {evaluations:,} evaluations")
    print(f"baseline (sum to a national total once): {baseline * 1000:.1f} ms")
    print(f"all goals evaluated:                     {elapsed * 1000:.1f} ms (goal < 1000 ms)")
    print(f"ratio evaluation/baseline: {elapsed / baseline:.1f}")


if __name__ == "__main__":
    main()
