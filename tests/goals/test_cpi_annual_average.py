"""The CPI's annual average: SSB 14700 is monthly only, so Retning computes the mean of a
year's twelve months, and a year with fewer months has no annual figure."""

from __future__ import annotations

import pytest

from retning.goals.indicators import annual_average


def months(year: int, values: list[float | None]) -> list[tuple[str, float | None]]:
    return [(f"{year}M{month:02d}", value) for month, value in enumerate(values, 1)]


def test_annual_average_is_the_mean_of_twelve_months():
    series = months(2024, [100.0 + m for m in range(12)])
    assert annual_average(series) == {2024: pytest.approx(105.5)}


def test_a_year_with_eleven_months_has_no_annual_figure():
    series = months(2024, [100.0] * 12) + months(2025, [110.0] * 11)
    assert annual_average(series) == {2024: 100.0}


def test_a_missing_month_value_leaves_the_year_without_an_annual_figure():
    series = months(2024, [100.0] * 11 + [None]) + months(2023, [90.0] * 12)
    assert annual_average(series) == {2023: 90.0}


def test_a_month_listed_twice_does_not_make_up_for_a_missing_one():
    series = [*months(2024, [100.0] * 11), ("2024M11", 100.0)]
    assert annual_average(series) == {}


def test_periods_other_than_months_are_ignored():
    series = [("2024", 100.0), ("2024K1", 100.0), *months(2024, [100.0] * 12)]
    assert annual_average(series) == {2024: 100.0}
