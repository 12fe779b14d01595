"""The CO2 goal: the fixed set of plants reporting in 2019 plus heavy road transport summed
over the gases, on the snapshot's real plant figures and synthetic transport figures."""

from __future__ import annotations

from decimal import Decimal

import pytest

from retning.goals.service import goal_report
from retning.stats.sources.base import Record
from retning.stats.store import ensure_dataset, record_fetch
from retning.strategy.models import Goal

pytestmark = pytest.mark.django_db
CODES = ["3401", "3414", "3415", "3416", "3417", "3418"]


def synthetic_transport(years: range) -> None:
    """Heavy vehicles, CO2 10 t and N2O 1 t per municipality and year (made up)."""
    records = [
        Record(
            "ghg_emissions", code, str(year), Decimal(amount), "tonnes CO2-equivalents",
            {"sector": "Veitrafikk", "source": "Tunge kjøretøy", "gas": gas},
        )
        for code in CODES
        for year in years
        for gas, amount in (("CO2", "10"), ("N2O", "1"))
    ]  # fmt: skip
    record_fetch(
        ensure_dataset("miljodir-kommuner"), via="import", records=records, raw=b"synthetic"
    )


def test_emissions_indicator_adds_the_2019_plants_and_heavy_transport(snapshot_loaded):
    synthetic_transport(range(2019, 2023))
    goal = Goal.objects.select_related("target", "strategy__region").get(slug="co2-industri")
    report = goal_report(goal)
    values = {p.year: p for p in report.region_series}
    # 2019: Hydro Magnor 43.3 + First Seafood 1.4449 + Maarud 6215.59 (snapshot CSV) plus
    # transport 6 municipalities × (10 + 1)
    assert values[2019].value == pytest.approx(43.3 + 1.4449 + 6215.59 + 6 * 11)
    # 2020–2022: First Seafood has no report, so the plants' total is missing, not zero
    assert values[2020].value is None
    assert "First Seafood AS" in values[2020].missing_reason
    assert not any("Tungtransport" in str(g.what) for g in report.gaps)
    assert report.status == "insufficient_data"
