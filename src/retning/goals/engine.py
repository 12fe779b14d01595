"""Evaluating a goal: progress, target path, projection and status.

Pure Python (no Django): a target and a yearly series in, an `Evaluation` out. Missing
years are never filled in: a year without a value is listed as a gap and takes no part in
any figure, so a series can never look on track because of years we do not have.

Methods (named on the goal pages):
- target path: straight line for `annual_change` (baseline + per_year × years); constant
  annual rate for `relative_change` (baseline × (1 + change)^(years / horizon)).
- projection: the linear trend (least squares) over the last `trend_years` observations
  for `annual_change` and `direction`; the compound annual rate between the first and last
  of those observations for `relative_change` (linear when a value is zero or negative).
- status from the projected progress: the projected change by the end year as a share of
  the target change. ≥ 1: on track; ≥ `at_risk_ratio`: at risk; below: off track. For a
  range target the low end decides; the high end is reported beside it. `direction` goals
  are judged by the trend's sign and size per year against `flat_pct_per_year`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal


class Status(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    INSUFFICIENT_DATA = "insufficient_data"


@dataclass(frozen=True)
class Point:
    """One year of an indicator: a value, or None with the reason it is missing."""

    year: int
    value: float | None
    missing_reason: str = ""
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Thresholds:
    """When a goal counts as at risk; set per goal in strategy.yaml (`status:`)."""

    at_risk_ratio: float = 0.75
    min_observations: int = 3
    trend_years: int = 5
    flat_pct_per_year: float = 0.25


@dataclass(frozen=True)
class AnnualChange:
    baseline_year: int
    end_year: int
    per_year: float
    kind: Literal["annual_change"] = "annual_change"


@dataclass(frozen=True)
class RelativeChange:
    baseline_year: int
    end_year: int
    low_pct: float
    high_pct: float
    kind: Literal["relative_change"] = "relative_change"

    @property
    def is_range(self) -> bool:
        return self.low_pct != self.high_pct


@dataclass(frozen=True)
class Direction:
    baseline_year: int
    direction: Literal["increase", "decrease"]
    end_year: int | None = None
    kind: Literal["direction"] = "direction"


Target = AnnualChange | RelativeChange | Direction


@dataclass(frozen=True)
class EndEvaluation:
    """The figures against one end of a target (a range has two)."""

    label: str  # "target", "low" or "high"
    target_value: float
    path_value_at_latest: float
    gap: float  # latest − path: positive is ahead when the target is to rise
    required_per_year: float  # change per year needed from the latest year to the end year
    required_rate_pct: float | None  # the same as a constant annual rate (relative targets)
    projected_ratio: float | None  # projected change ÷ target change
    status: Status


@dataclass(frozen=True)
class YearChange:
    year: int
    change: float
    target_change: float | None


@dataclass
class Evaluation:
    kind: str
    status: Status
    reason: str
    baseline_year: int
    baseline_value: float | None = None
    latest_year: int | None = None
    latest_value: float | None = None
    change: float | None = None
    change_pct: float | None = None
    end_year: int | None = None
    projection: float | None = None
    projection_method: str = ""
    trend_per_year: float | None = None
    ends: list[EndEvaluation] = field(default_factory=list)
    path: list[tuple[int, float]] = field(default_factory=list)
    yearly_changes: list[YearChange] = field(default_factory=list)
    gaps: list[Point] = field(default_factory=list)
    observations: list[Point] = field(default_factory=list)

    @property
    def main_end(self) -> EndEvaluation | None:
        return self.ends[0] if self.ends else None


# --- arithmetic --------------------------------------------------------------------------
def linear_trend(points: Sequence[tuple[int, float]]) -> tuple[float, float]:
    """Least-squares slope and intercept of value on year."""
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    if sxx == 0:
        return 0.0, mean_y
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / sxx
    return slope, mean_y - slope * mean_x


def compound_rate(first: tuple[int, float], last: tuple[int, float]) -> float | None:
    """Constant annual growth rate between two observations (None if undefined)."""
    (y0, v0), (y1, v1) = first, last
    if y1 <= y0 or v0 <= 0 or v1 <= 0:
        return None
    return (v1 / v0) ** (1 / (y1 - y0)) - 1


def _status_from_ratio(ratio: float | None, thresholds: Thresholds) -> Status:
    if ratio is None or math.isnan(ratio):
        return Status.INSUFFICIENT_DATA
    if ratio >= 1:
        return Status.ON_TRACK
    if ratio >= thresholds.at_risk_ratio:
        return Status.AT_RISK
    return Status.OFF_TRACK


# --- evaluation --------------------------------------------------------------------------
def _split(series: Iterable[Point]) -> tuple[list[Point], list[Point]]:
    ordered = sorted(series, key=lambda p: p.year)
    years = [p.year for p in ordered]
    if len(years) != len(set(years)):
        raise ValueError("a series has at most one value per year")
    observed = [p for p in ordered if p.value is not None]
    gaps = [p for p in ordered if p.value is None]
    return observed, gaps


def evaluate(
    target: Target, series: Iterable[Point], thresholds: Thresholds | None = None
) -> Evaluation:
    """Evaluate a goal's target against its yearly indicator series."""
    thresholds = thresholds or Thresholds()
    observed, gaps = _split(series)
    base = next((p for p in observed if p.year == target.baseline_year), None)
    result = Evaluation(
        kind=target.kind,
        status=Status.INSUFFICIENT_DATA,
        reason="",
        baseline_year=target.baseline_year,
        end_year=target.end_year,
        gaps=[p for p in gaps if p.year >= target.baseline_year],
        observations=observed,
    )
    if base is None:
        missing = next((p for p in gaps if p.year == target.baseline_year), None)
        result.reason = f"no value for the baseline year {target.baseline_year}" + (
            f" ({missing.missing_reason})" if missing and missing.missing_reason else ""
        )
        return result
    result.baseline_value = base.value
    since = [p for p in observed if p.year >= target.baseline_year]
    latest = since[-1]
    result.latest_year, result.latest_value = latest.year, latest.value
    result.change = latest.value - base.value
    result.change_pct = 100 * result.change / base.value if base.value else None
    window = [(p.year, p.value) for p in since[-thresholds.trend_years :]]
    if latest.year == base.year:
        result.reason = "no value after the baseline year yet"
        return result
    if len(window) < thresholds.min_observations:
        result.reason = (
            f"{len(window)} observations since the baseline year; the trend needs "
            f"{thresholds.min_observations}"
        )
    slope, intercept = linear_trend(window) if len(window) >= 2 else (None, None)
    result.trend_per_year = slope

    if isinstance(target, AnnualChange):
        _evaluate_annual(target, result, since, window, slope, intercept, thresholds)
    elif isinstance(target, RelativeChange):
        _evaluate_relative(target, result, window, slope, intercept, thresholds)
    else:
        _evaluate_direction(target, result, window, slope, thresholds)
    if len(window) < thresholds.min_observations:
        result.status = Status.INSUFFICIENT_DATA
        result.ends = [
            EndEvaluation(**{**end.__dict__, "status": Status.INSUFFICIENT_DATA})
            for end in result.ends
        ]
    return result


def _evaluate_annual(target, result, since, window, slope, intercept, thresholds) -> None:
    base_value = result.baseline_value
    horizon = target.end_year - target.baseline_year
    result.path = [
        (year, base_value + target.per_year * (year - target.baseline_year))
        for year in range(target.baseline_year, target.end_year + 1)
    ]
    by_year = {p.year: p.value for p in since}
    result.yearly_changes = [
        YearChange(year, by_year[year] - by_year[year - 1], target.per_year)
        for year in sorted(by_year)
        if year - 1 in by_year
    ]
    target_value = base_value + target.per_year * horizon
    latest_year, latest_value = result.latest_year, result.latest_value
    path_now = base_value + target.per_year * (latest_year - target.baseline_year)
    years_left = target.end_year - latest_year
    required = (target_value - latest_value) / years_left if years_left > 0 else float("nan")
    ratio = None
    if slope is not None:
        result.projection = intercept + slope * target.end_year
        result.projection_method = "linear_trend"
        target_change = target_value - base_value
        ratio = (result.projection - base_value) / target_change if target_change else None
    status = _status_from_ratio(ratio, thresholds)
    result.ends = [
        EndEvaluation(
            "target", target_value, path_now, latest_value - path_now, required, None, ratio, status
        )
    ]
    result.status = status
    result.reason = result.reason or _reason(status)


def _evaluate_relative(target, result, window, slope, intercept, thresholds) -> None:
    base_value = result.baseline_value
    horizon = target.end_year - target.baseline_year
    latest_year, latest_value = result.latest_year, result.latest_value
    rate = compound_rate(window[0], window[-1]) if len(window) >= 2 else None
    years_left = target.end_year - latest_year
    if rate is not None:
        try:
            result.projection = latest_value * (1 + rate) ** years_left
        except OverflowError:  # a rate from an absurd pair of values: no projection
            rate = None
        else:
            result.projection_method = "compound_annual_rate"
    if rate is None and slope is not None:
        result.projection = intercept + slope * target.end_year
        result.projection_method = "linear_trend"
    ends = (
        [("low", target.low_pct), ("high", target.high_pct)]
        if target.is_range
        else [("target", target.low_pct)]
    )
    for label, pct in ends:
        factor = 1 + pct / 100
        target_value = base_value * factor
        elapsed = (latest_year - target.baseline_year) / horizon
        path_now = (
            base_value * factor**elapsed
            if factor > 0
            else base_value + (target_value - base_value) * elapsed
        )
        required = (target_value - latest_value) / years_left if years_left > 0 else float("nan")
        required_rate = None
        if years_left > 0 and latest_value > 0 and target_value > 0:
            required_rate = 100 * ((target_value / latest_value) ** (1 / years_left) - 1)
        target_change = target_value - base_value
        ratio = None
        if result.projection is not None and target_change:
            ratio = (result.projection - base_value) / target_change
        status = _status_from_ratio(ratio, thresholds)
        result.ends.append(
            EndEvaluation(
                label,
                target_value,
                path_now,
                latest_value - path_now,
                required,
                required_rate,
                ratio,
                status,
            )
        )
    low = target.low_pct
    result.path = [
        (year, base_value * (1 + low / 100) ** ((year - target.baseline_year) / horizon))
        for year in range(target.baseline_year, target.end_year + 1)
    ]
    result.status = result.ends[0].status
    result.reason = result.reason or _reason(result.status)


def _evaluate_direction(target, result, window, slope, thresholds) -> None:
    if slope is None:
        return
    level = sum(v for _, v in window) / len(window)
    pct_per_year = 100 * slope / abs(level) if level else 0.0
    wanted = 1 if target.direction == "increase" else -1
    if abs(pct_per_year) < thresholds.flat_pct_per_year:
        status = Status.AT_RISK
        reason = f"the trend is flat ({pct_per_year:+.2f} % per year)"
    elif pct_per_year * wanted > 0:
        status = Status.ON_TRACK
        reason = f"the trend goes the right way ({pct_per_year:+.2f} % per year)"
    else:
        status = Status.OFF_TRACK
        reason = f"the trend goes the wrong way ({pct_per_year:+.2f} % per year)"
    result.projection_method = "linear_trend"
    result.status = status
    result.reason = result.reason or reason


def _reason(status: Status) -> str:
    return {
        Status.ON_TRACK: "the projection reaches the target by the end year",
        Status.AT_RISK: "the projection falls somewhat short of the target",
        Status.OFF_TRACK: "the projection falls well short of the target",
        Status.INSUFFICIENT_DATA: "too little data to judge",
    }[status]
