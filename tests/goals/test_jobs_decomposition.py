"""Jobs by industry: the shift-share split against Norway and the change per focus area,
from synthetic SSB 13470 figures (made up for the test)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from retning.goals.service import goal_report
from retning.stats.sources.base import Record
from retning.stats.store import ensure_dataset, record_fetch
from retning.strategy.models import Goal

pytestmark = pytest.mark.django_db
CODES = ["3401", "3414", "3415", "3416", "3417", "3418"]


def test_shift_share_and_focus_area_change(loaded_strategy, client):
    # each member: construction (41-43) 100 → 110, manufacturing (10-33) 200 → 190
    # Norway: construction 1000 → 1100 (+10 %), manufacturing 2000 → 2000 (0 %)
    figures = {
        ("41-43", 2015): 100,
        ("41-43", 2022): 110,
        ("10-33", 2015): 200,
        ("10-33", 2022): 190,
    }
    national = {
        ("41-43", 2015): 1000,
        ("41-43", 2022): 1100,
        ("10-33", 2015): 2000,
        ("10-33", 2022): 2000,
    }
    records = [
        Record("employed_by_workplace", code, str(year), Decimal(value), "persons", {"nace": group})
        for code in CODES
        for (group, year), value in figures.items()
    ] + [
        Record("employed_by_workplace", "0", str(year), Decimal(value), "persons", {"nace": group})
        for (group, year), value in national.items()
    ]
    record_fetch(ensure_dataset("ssb-13470"), via="import", records=records, raw=b"synthetic 13470")
    goal = Goal.objects.select_related("target", "strategy__region").get(slug="arbeidsplasser")
    report = goal_report(goal)
    assert report.decomposition_years == (2015, 2022)
    rows = {row.industry: row for row in report.shift_share}
    # Norway overall: 3000 → 3100, +1/30. Region construction 600 → 660:
    # national growth 600 × 1/30 = 20; mix 600 × (0.10 − 1/30) = 40;
    # regional 600 × (0.10 − 0.10) = 0
    construction = rows["41-43"]
    assert construction.national_growth == pytest.approx(20)
    assert construction.industry_mix == pytest.approx(40)
    assert construction.regional_effect == pytest.approx(0)
    # manufacturing 1200 → 1140: national 40, mix 1200 × (0 − 1/30) = −40, regional −60
    manufacturing = rows["10-33"]
    assert (manufacturing.national_growth, manufacturing.industry_mix) == pytest.approx((40, -40))
    assert manufacturing.regional_effect == pytest.approx(-60)
    # only construction's group lies wholly inside one focus area (bygg og anlegg: 41, 42, 43)
    assert report.focus_changes == [("Bygg og anlegg", ["41-43"], 600, 660)]
    html = client.get("/mal/arbeidsplasser/").content.decode()
    assert "Skift-andel mot hele landet" in html
    assert "landsveksten" in html
