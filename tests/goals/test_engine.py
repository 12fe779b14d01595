"""The evaluation engine, with the arithmetic written out by hand in each test."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retning.goals.engine import (
    AnnualChange,
    Direction,
    Point,
    RelativeChange,
    Status,
    Thresholds,
    evaluate,
)


def series(values: dict[int, float | None]) -> list[Point]:
    return [
        Point(year, value, "" if value is not None else "not published")
        for year, value in values.items()
    ]


JOBS = AnnualChange(baseline_year=2015, end_year=2028, per_year=100)


def test_annual_change_hand_worked():
    result = evaluate(
        JOBS, series({2015: 1000, 2016: 1050, 2017: 1150, 2018: 1200, 2019: 1300, 2020: 1350})
    )
    assert (result.baseline_value, result.latest_year, result.latest_value) == (1000, 2020, 1350)
    assert result.change == 350 and result.change_pct == 35.0
    end = result.main_end
    # target path: 1000 + 100 × (2020 − 2015) = 1500; gap 1350 − 1500 = −150
    assert end.path_value_at_latest == 1500 and end.gap == -150
    # target 2028: 1000 + 100 × 13 = 2300; still needed: (2300 − 1350) / 8 = 118.75 per year
    assert end.target_value == 2300 and end.required_per_year == 118.75
    # trend 2016–2020: x − 2018 = −2…2, y − 1210 = −160, −60, −10, 90, 140
    # slope = (320 + 60 + 0 + 90 + 280) / 10 = 75; projection 2028 = 1210 + 75 × 10 = 1960
    assert result.trend_per_year == pytest.approx(75)
    assert result.projection == pytest.approx(1960)
    assert result.projection_method == "linear_trend"
    # projected progress (1960 − 1000) / 1300 = 0.738 < 0.75 → off track
    assert end.projected_ratio == pytest.approx(960 / 1300)
    assert result.status == Status.OFF_TRACK
    assert [(c.year, c.change) for c in result.yearly_changes] == [
        (2016, 50),
        (2017, 100),
        (2018, 50),
        (2019, 100),
        (2020, 50),
    ]
    assert result.path[0] == (2015, 1000) and result.path[-1] == (2028, 2300)


def test_annual_change_on_track_and_at_risk_thresholds():
    steady = series({2015 + i: 1000 + 100 * i for i in range(6)})  # exactly on the path
    assert evaluate(JOBS, steady).status == Status.ON_TRACK
    # +80 per year: projection 1000 + 80 × 13 = 2040; ratio 1040 / 1300 = 0.8 → at risk
    slower = series({2015 + i: 1000 + 80 * i for i in range(6)})
    assert evaluate(JOBS, slower).main_end.projected_ratio == pytest.approx(0.8)
    assert evaluate(JOBS, slower).status == Status.AT_RISK
    assert evaluate(JOBS, slower, Thresholds(at_risk_ratio=0.9)).status == Status.OFF_TRACK


def test_relative_range_is_reported_against_both_ends():
    target = RelativeChange(baseline_year=2016, end_year=2030, low_pct=70, high_pct=100)
    result = evaluate(target, series({2016: 100, 2017: 104, 2018: 108, 2019: 110, 2020: 115}))
    rate = 1.15 ** (1 / 4) - 1  # compound rate 2016→2020
    projection = 115 * (1 + rate) ** 10  # ten more years to 2030
    assert result.projection == pytest.approx(projection)
    assert result.projection_method == "compound_annual_rate"
    low, high = result.ends
    assert (low.label, low.target_value, high.label, high.target_value) == ("low", 170, "high", 200)
    assert low.projected_ratio == pytest.approx((projection - 100) / 70)  # ≈ 0.90
    assert high.projected_ratio == pytest.approx((projection - 100) / 100)  # ≈ 0.63
    assert (low.status, high.status) == (Status.AT_RISK, Status.OFF_TRACK)
    assert result.status == Status.AT_RISK  # the low end decides
    assert low.required_rate_pct == pytest.approx(100 * ((170 / 115) ** 0.1 - 1))
    assert low.required_per_year == pytest.approx((170 - 115) / 10)
    assert low.path_value_at_latest == pytest.approx(100 * 1.7 ** (4 / 14))


def test_relative_reduction_on_track():
    target = RelativeChange(baseline_year=2019, end_year=2030, low_pct=-55, high_pct=-55)
    result = evaluate(target, series({2019: 1000, 2020: 900, 2021: 850, 2022: 700}))
    projection = 700 * (0.7 ** (1 / 3)) ** 8
    assert result.projection == pytest.approx(projection)  # ≈ 270
    assert result.main_end.target_value == pytest.approx(450)
    assert result.main_end.projected_ratio == pytest.approx((projection - 1000) / (450 - 1000))
    assert result.status == Status.ON_TRACK
    assert len(result.ends) == 1


def test_relative_with_a_zero_value_falls_back_to_linear_trend():
    target = RelativeChange(baseline_year=2019, end_year=2030, low_pct=-55, high_pct=-55)
    result = evaluate(target, series({2019: 30, 2020: 20, 2021: 10, 2022: 0}))
    assert result.projection_method == "linear_trend"
    assert result.status == Status.ON_TRACK


def test_direction_goal_from_trend_sign_and_size():
    target = Direction(baseline_year=2016, direction="increase")
    rising = series({2016: 63.0, 2017: 63.2, 2018: 63.5, 2019: 63.9, 2020: 64.0, 2021: 64.4})
    result = evaluate(target, rising)
    # last five: slope = 2.9 / 10 = 0.29 points a year = 0.29 / 63.8 = 0.45 % > 0.25 %
    assert result.trend_per_year == pytest.approx(0.29)
    assert result.status == Status.ON_TRACK
    falling = series({2016: 64.4, 2017: 64.0, 2018: 63.9, 2019: 63.5, 2020: 63.2})
    assert evaluate(target, falling).status == Status.OFF_TRACK
    flat = series({2016: 64.0, 2017: 64.1, 2018: 64.0, 2019: 64.1, 2020: 64.0})
    assert evaluate(target, flat).status == Status.AT_RISK
    assert evaluate(Direction(2016, "decrease"), falling).status == Status.ON_TRACK


def test_missing_baseline_is_insufficient_data_with_the_reason():
    result = evaluate(
        JOBS, [Point(2015, None, "not published for this municipality"), Point(2016, 10)]
    )
    assert result.status == Status.INSUFFICIENT_DATA
    assert (
        result.reason == "no value for the baseline year 2015 (not published for this municipality)"
    )


def test_too_few_observations_is_insufficient_data():
    result = evaluate(JOBS, series({2015: 1000, 2016: 1200}))
    assert result.status == Status.INSUFFICIENT_DATA
    assert result.change == 200  # the figures are still reported
    assert "2 observations" in result.reason


def test_latest_year_is_the_last_observed_not_the_last_listed():
    result = evaluate(JOBS, series({2015: 1000, 2016: 1100, 2017: 1200, 2018: None}))
    assert result.latest_year == 2017
    assert [g.year for g in result.gaps] == [2018]


def test_duplicate_years_are_refused():
    with pytest.raises(ValueError):
        evaluate(JOBS, [Point(2015, 1), Point(2015, 2)])


values = st.one_of(st.none(), st.floats(min_value=1, max_value=1e6, allow_nan=False))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(values, min_size=2, max_size=16), st.sampled_from(["annual", "relative", "direction"])
)
def test_missing_years_never_influence_the_result(raw, kind):
    """A series with gaps evaluates exactly as the same series with the gaps removed: no
    year we do not have can make a goal look on track."""
    target = {
        "annual": JOBS,
        "relative": RelativeChange(2015, 2030, 70, 100),
        "direction": Direction(2015, "increase"),
    }[kind]
    with_gaps = [Point(2015 + i, v, "" if v is not None else "missing") for i, v in enumerate(raw)]
    without = [p for p in with_gaps if p.value is not None]
    a, b = evaluate(target, with_gaps), evaluate(target, without)
    assert (a.status, a.latest_year, a.baseline_value) == (
        b.status,
        b.latest_year,
        b.baseline_value,
    )
    assert (a.projection is None) == (b.projection is None)
    if a.projection is not None and math.isfinite(a.projection):
        assert a.projection == pytest.approx(b.projection)
