"""Region totals, rates, deflation and decomposition, with properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retning.goals.decomposition import contributions, shift_share
from retning.goals.engine import AnnualChange, Point, evaluate
from retning.goals.indicators import deflate, region_rate, region_total

MEMBERS = ["3401", "3414", "3415"]


def test_region_total_sums_members_and_marks_incomplete_years():
    data = {
        "3401": [Point(2020, 100), Point(2021, 110)],
        "3414": [Point(2020, 10), Point(2021, None, "suppressed")],
        "3415": [Point(2020, 1), Point(2021, 2)],
    }
    total = region_total(data, MEMBERS)
    assert total[0] == Point(2020, 111, "", ())
    assert total[1].value is None
    assert total[1].missing_reason == "incomplete: no value for 3414 (suppressed)"


def test_region_rate_is_recomputed_not_averaged():
    employed = {"a": [Point(2020, 90)], "b": [Point(2020, 10)]}
    population = {"a": [Point(2020, 100)], "b": [Point(2020, 100)]}
    # averaging the rates (90 % and 10 %) would give 50 %; the region's rate is 100 / 200
    [rate] = region_rate(employed, population, ["a", "b"])
    assert rate.value == pytest.approx(50.0)
    employed["b"] = [Point(2020, 30)]
    population["b"] = [Point(2020, 300)]
    # (90 + 30) / (100 + 300) = 30 %, not (90 % + 10 %) / 2 = 50 %
    assert region_rate(employed, population, ["a", "b"])[0].value == pytest.approx(30.0)


def test_deflate_to_base_year_prices():
    cpi = {2016: 100.0, 2020: 110.0}
    nominal = [Point(2016, 1000.0), Point(2020, 1320.0), Point(2021, 5.0)]
    real = deflate(nominal, cpi, 2016)
    assert real[0].value == 1000.0
    assert real[1].value == pytest.approx(1200.0)  # 1320 × 100 / 110
    assert real[2].value is None and real[2].missing_reason == "no price index for 2021"


member_series = st.lists(st.integers(min_value=0, max_value=10_000), min_size=6, max_size=6)


@given(st.lists(member_series, min_size=3, max_size=3), st.permutations(range(3)))
def test_region_total_equals_sum_of_parts_in_any_order(columns, order):
    data = {
        m: [Point(2015 + i, v) for i, v in enumerate(col)]
        for m, col in zip(MEMBERS, columns, strict=True)
    }
    total = region_total(data, MEMBERS)
    assert [p.value for p in total] == [sum(col[i] for col in columns) for i in range(6)]
    shuffled = [MEMBERS[i] for i in order]
    assert region_total(data, shuffled) == total
    target = AnnualChange(2015, 2028, 100)
    assert evaluate(target, region_total(data, shuffled)).status == evaluate(target, total).status


def test_contributions_add_up_to_the_region_change():
    parts = contributions({"3401": (8000, 8100), "3414": (1500, 1450), "3415": (2500, 2560)})
    assert sum(c.change for c in parts) == (8100 + 1450 + 2560) - (8000 + 1500 + 2500)
    assert [c.change for c in parts] == [100, -50, 60]


def test_shift_share_hand_worked():
    # Norway: industry A 1000 → 1100 (+10 %), B 1000 → 1000 (0 %); all jobs +5 %
    national = {"A": (1000, 1100), "B": (1000, 1000)}
    # region: A 100 → 120 (+20 %), B 50 → 45 (−10 %)
    regional = {"A": (100, 120), "B": (50, 45)}
    a, b = shift_share(regional, national)
    assert a.national_growth == pytest.approx(100 * 0.05)  # 5
    assert a.industry_mix == pytest.approx(100 * (0.10 - 0.05))  # 5
    assert a.regional_effect == pytest.approx(100 * (0.20 - 0.10))  # 10
    assert b.national_growth == pytest.approx(50 * 0.05)  # 2.5
    assert b.industry_mix == pytest.approx(50 * (0.0 - 0.05))  # −2.5
    assert b.regional_effect == pytest.approx(50 * (-0.10 - 0.0))  # −5
    for row in (a, b):
        assert row.national_growth + row.industry_mix + row.regional_effect == pytest.approx(
            row.change
        )


def test_shift_share_refuses_an_industry_without_national_figures():
    with pytest.raises(ValueError, match="industry 'C'"):
        shift_share({"C": (1, 2)}, {"A": (10, 11)})
