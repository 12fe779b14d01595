"""After `retning refresh --source ssb` against loopback tables shaped like SSB's real ones
(tests/stats/ssb_cubes.py; values synthetic except the population), the jobs and the
inclusion goals are evaluated from the stored figures, not left as "too little data"."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from retning.goals.recipes.turnover import annual_cpi
from retning.stats.models import Fetch, Observation
from retning.stats.sources import ssb
from tests.stats.pxweb_server import PxWebServer
from tests.stats.ssb_cubes import CPI_MONTHS, all_synthetic_and_real_cubes, synthetic_cpi

pytestmark = pytest.mark.django_db


def test_refresh_of_real_shaped_tables_stores_every_series_and_the_goals_are_evaluated(
    settings, loaded_strategy
):
    with PxWebServer(all_synthetic_and_real_cubes()) as server:
        settings.RETNING_SSB_URL = server.url
        settings.RETNING_HTTP_MIN_INTERVAL = 0
        out, err = StringIO(), StringIO()
        call_command("refresh", "--source", "ssb", stdout=out, stderr=err)
    assert err.getvalue() == ""
    assert not Fetch.objects.filter(outcome=Fetch.Outcome.FAILED).exists()
    for group in ssb.GROUPS:
        assert Observation.objects.filter(dataset__slug=group.dataset, value__isnull=False)
    out = StringIO()
    call_command("status", "--format", "json", stdout=out)
    goals = {goal["goal"]: goal for goal in json.loads(out.getvalue())["goals"]}
    for slug in ("arbeidsplasser", "inkludering"):
        assert goals[slug]["evaluation"]["status"] != "insufficient_data", goals[slug]["gaps"]
    jobs = goals["arbeidsplasser"]
    assert [p["year"] for p in jobs["series"] if p["value"] is not None][:2] == [2015, 2016]
    assert {s["dataset"] for s in jobs["sources"]} >= {"ssb-07984", "ssb-13470"}
    inclusion = goals["inkludering"]
    assert {s["dataset"] for s in inclusion["sources"]} >= {"ssb-06445", "ssb-07459"}
    # the CPI's annual average comes only from complete years (2026 has two months here)
    averages, _ = annual_cpi()
    assert sorted(averages) == list(range(2015, 2026))
    months_2020 = [synthetic_cpi("00", m) for m in CPI_MONTHS if m.startswith("2020")]
    assert averages[2020] == pytest.approx(sum(months_2020) / 12)
