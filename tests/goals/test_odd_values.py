"""Defence in depth: odd figures in the database never take a page or `retning status`
down. Imports and check constraints keep them out; these tests put them there anyway."""

from __future__ import annotations

import gzip
import io
import json
import math

import pytest
from django.core.management import call_command
from django.db import connection

from retning.business.brreg_accounts import Accounts
from retning.business.importing import store_accounts
from retning.core.formatting import format_number, format_percent, format_signed
from retning.goals.engine import Point, RelativeChange, evaluate
from tests.business.test_turnover_goal import synthetic_cpi
from tests.stats.synthetic_brreg import synthetic_units

PAGES = ["/", "/mal/omsetning/", "/kommuner/kongsvinger/", "/api/v1/goals/"]


@pytest.fixture
def region_accounts(loaded_strategy, tmp_path):
    """Two synthetic enterprises in the region with accounts for 2016–2020, and the CPI."""
    [(a, _), (b, _)] = list(synthetic_units(2, seed=21))
    for record in (a, b):
        record["forretningsadresse"]["kommunenummer"] = "3401"
    path = tmp_path / "synthetic_enheter.json.gz"
    path.write_bytes(gzip.compress(json.dumps([a, b]).encode()))
    call_command("import_brreg", str(path), stdout=io.StringIO())
    accounts = [
        Accounts(record["organisasjonsnummer"], year, None, None, "SELSKAP", "NOK", 1000.0)
        for record in (a, b)
        for year in (2016, 2018, 2020)
    ]
    store_accounts(accounts, raw=b"synthetic accounts", raw_name="synthetic.csv")
    synthetic_cpi({2016: 100.0, 2018: 105.0, 2020: 110.0})
    return a["organisasjonsnummer"]


def pages_answer(client) -> dict[str, int]:
    return {page: client.get(page).status_code for page in PAGES}


@pytest.mark.django_db
def test_extreme_but_storable_revenue_keeps_the_pages_up(region_accounts, client):
    from retning.business.models import AnnualAccounts

    # the smallest and largest figures the constraint lets through, in one series
    AnnualAccounts.objects.filter(year=2016).update(operating_revenue="0.01")
    AnnualAccounts.objects.filter(year=2020).update(operating_revenue=10**14 - 1)
    assert set(pages_answer(client).values()) == {200}
    call_command("status", stdout=io.StringIO())


@pytest.mark.django_db
def test_a_value_stored_past_the_constraint_keeps_the_pages_up(region_accounts, client):
    """As in a database written before the constraints existed."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = ON")
            bad = "1e30"  # SQLite keeps it; reading it back breaks Django's decimal converter
        else:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER needs no pending checks
            cursor.execute(
                "ALTER TABLE business_annualaccounts DROP CONSTRAINT accounts_revenue_in_range"
            )
            bad = "'NaN'"  # PostgreSQL's numeric holds NaN
        try:
            cursor.execute(
                f"UPDATE business_annualaccounts SET operating_revenue = {bad} "
                "WHERE orgnr = %s AND year = 2018",
                [region_accounts],
            )
        finally:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA ignore_check_constraints = OFF")
    assert set(pages_answer(client).values()) == {200}
    call_command("status", stdout=io.StringIO())
    call_command("status", "--format", "json", stdout=io.StringIO())


def test_growth_too_steep_to_project_leaves_the_projection_out():
    # 0.000001 → 10^13 in a year, projected 60 years on, overflows a float
    target = RelativeChange(2016, 2080, 70, 100)
    evaluation = evaluate(target, [Point(2016, 1e-6), Point(2017, 1e13), Point(2018, 1e13)])
    assert evaluation.projection is None or math.isfinite(evaluation.projection)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_numbers_that_are_not_finite_show_as_missing(value):
    assert format_number(value) == format_signed(value) == format_percent(value) == "\u2013"
