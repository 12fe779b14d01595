"""The turnover goal from stored accounts: company accounts only, deflated by the CPI,
judged against both ends of the range."""

from __future__ import annotations

import gzip
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from retning.business.brreg_accounts import Accounts
from retning.business.importing import store_accounts
from retning.goals.service import goal_report
from retning.stats.sources.base import Record
from retning.stats.store import ensure_dataset, record_fetch
from retning.strategy.models import Goal
from tests.stats.synthetic_brreg import synthetic_units

pytestmark = pytest.mark.django_db


def synthetic_cpi(levels: dict[int, float]) -> None:
    records = [
        Record("cpi", "0", f"{year}M{month:02d}", Decimal(str(level)), "index")
        for year, level in levels.items()
        for month in range(1, 13)
    ]
    record_fetch(ensure_dataset("ssb-14700"), via="import", records=records, raw=b"synthetic cpi")


def test_turnover_is_deflated_and_judged_against_both_ends(loaded_strategy, tmp_path):
    [(a, _), (b, _)] = list(synthetic_units(2, seed=21))
    a["forretningsadresse"]["kommunenummer"], b["forretningsadresse"]["kommunenummer"] = (
        "3401",
        "3417",
    )
    path = tmp_path / "synthetic_enheter.json.gz"
    path.write_bytes(gzip.compress(json.dumps([a, b]).encode()))
    call_command("import_brreg", str(path), stdout=io.StringIO())
    org_a, org_b = a["organisasjonsnummer"], b["organisasjonsnummer"]
    accounts = [
        Accounts(org_a, 2016, None, None, "SELSKAP", "NOK", 1000.0),
        Accounts(org_b, 2016, None, None, "SELSKAP", "NOK", 1000.0),
        Accounts(org_a, 2016, None, None, "KONSERN", "NOK", 5000.0),  # group: not added on top
        Accounts(org_a, 2018, None, None, "SELSKAP", "NOK", 1100.0),
        Accounts(org_b, 2018, None, None, "SELSKAP", "NOK", 1100.0),
        Accounts(org_a, 2020, None, None, "SELSKAP", "NOK", 1320.0),
        Accounts(org_b, 2020, None, None, "SELSKAP", "NOK", 1320.0),
        Accounts("911111111", 2020, None, None, "SELSKAP", "NOK", 99999.0),  # not in the region
    ]
    store_accounts(accounts, raw=b"synthetic accounts", raw_name="synthetic.csv")
    synthetic_cpi({2016: 100.0, 2018: 105.0, 2020: 110.0})
    goal = Goal.objects.select_related("target", "strategy__region").get(slug="omsetning")
    report = goal_report(goal)
    values = {p.year: p.value for p in report.region_series}
    # in 2016 prices: 2000; 2200 × 100/105; 2640 × 100/110 = 2400
    assert values[2016] == pytest.approx(2000)
    assert values[2018] == pytest.approx(2200 * 100 / 105)
    assert values[2020] == pytest.approx(2400)
    e = report.evaluation
    rate = (2400 / 2000) ** (1 / 4) - 1
    projection = 2400 * (1 + rate) ** 10
    assert e.projection == pytest.approx(projection)  # ≈ 3 786
    low, high = e.ends
    assert low.projected_ratio == pytest.approx((projection - 2000) / 1400)  # > 1
    assert high.projected_ratio == pytest.approx((projection - 2000) / 2000)  # ≈ 0.89
    assert (low.status, high.status, e.status) == ("on_track", "at_risk", "on_track")
    assert not [g for g in report.gaps if "2016" in str(g.what)]


def test_turnover_without_a_price_index_says_so(loaded_strategy):
    goal = Goal.objects.select_related("target", "strategy__region").get(slug="omsetning")
    report = goal_report(goal)
    assert report.status == "insufficient_data"
    assert any("Regnskapsregisteret" in str(g.why) for g in report.gaps)
