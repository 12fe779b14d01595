"""`retning refresh --source ssb` against a loopback PxWebApi v2 server."""

from __future__ import annotations

import csv
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from retning.stats.http import HttpClient
from retning.stats.models import Fetch, Observation
from retning.stats.queries import series
from retning.stats.refresh import run_job, ssb_jobs
from retning.stats.sources import ssb
from tests.stats.conftest import SNAPSHOT_DIR
from tests.stats.pxweb_server import Fault, PxWebServer
from tests.stats.ssb_cubes import all_synthetic_and_real_cubes

pytestmark = pytest.mark.django_db


@pytest.fixture
def pxweb(settings):
    with PxWebServer(all_synthetic_and_real_cubes()) as server:
        settings.RETNING_SSB_URL = server.url
        settings.RETNING_HTTP_MIN_INTERVAL = 0
        settings.RETNING_HTTP_RETRIES = 1
        # Generous: a loaded machine answers slowly; the stall fault waits 5 s.
        settings.RETNING_HTTP_TIMEOUT = 10
        yield server


def quick_client(sleeps: list | None = None) -> HttpClient:
    record = sleeps.append if sleeps is not None else (lambda _s: None)
    return HttpClient(timeout=3, connect_timeout=3, retries=1, min_interval=0, sleep=record)


def refresh(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("refresh", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def job(table: str):
    return next(j for j in ssb_jobs() if j.series.startswith(table))


def real_rows(name: str, variable: str) -> dict[tuple[str, str], Decimal]:
    with (SNAPSHOT_DIR / name).open(encoding="utf-8") as handle:
        return {
            (row["municipality_code"], row["year"]): Decimal(row["value"])
            for row in csv.DictReader(handle)
            if row["variable"] == variable and row["municipality_code"] != "KR6"
        }


def test_refresh_ssb_fills_every_series_with_one_data_request_per_measure_group(
    pxweb, loaded_strategy
):
    code, out, err = refresh("--source", "ssb")
    assert code == 0, err
    assert len(pxweb.data_requests()) == len(ssb.GROUPS)
    metadata = [p for m, p in pxweb.requests if m == "GET" and "/metadata" in p]
    assert len(metadata) == len({g.table for g in ssb.GROUPS})
    assert [p for m, p in pxweb.requests if m == "GET" and p.startswith("/config")] == ["/config"]
    for group in ssb.GROUPS:
        assert Observation.objects.filter(dataset__slug=group.dataset).exists(), group.table
    assert "07459 population" in out and "FAILED" not in out


def test_refresh_population_age_groups_equal_the_real_published_sums(pxweb, loaded_strategy):
    assert refresh("--source", "ssb")[0] == 0
    expected = real_rows("population_by_age.csv", "population_20_66")
    points = series("population", codes=["0402"], dimensions={"age": "20-66"})
    assert len(points) == 22
    for point in points:
        published = "0402" if int(point.period) <= 2019 else "3401"
        assert point.value == expected[(published, point.period)]
    totals = real_rows("population_total.csv", "population_total")
    for point in series("population", codes=["3418"]):
        published = "0425" if int(point.period) <= 2019 else "3418"
        assert point.value == totals[(published, point.period)]


def test_refresh_after_the_snapshot_finds_the_real_population_unchanged(pxweb, snapshot_loaded):
    before = Observation.objects.filter(dataset__slug="ssb-07459", current=True).count()
    outcome = run_job(job("07459"), quick_client())
    assert outcome.ok, outcome.message
    assert outcome.unchanged == before
    assert outcome.changed == 0
    # Innlandet and Norway are new; the six municipalities were all in the snapshot.
    assert outcome.created > 0
    assert not Observation.objects.filter(
        dataset__slug="ssb-07459", current=True, code__in=["3401", "3414"], fetch__via="refresh"
    ).exists()


def test_refresh_series_across_2020_code_change_has_no_missing_year(pxweb, loaded_strategy):
    run_job(job("07459"), quick_client())
    points = series("population", codes=["3416"])
    assert [p.period for p in points] == [str(y) for y in range(2005, 2027)]
    assert all(p.value is not None for p in points)
    assert {p.code_published for p in points} == {"0420", "3416"}


def test_refresh_keeps_ssb_suppressed_cell_as_missing_with_reason(pxweb, loaded_strategy):
    run_job(job("13470"), quick_client())
    [point] = [
        p
        for p in series("employed_by_workplace", codes=["3418"], dimensions={"nace": "01-03"})
        if p.period == "2023"
    ]
    assert point.value is None
    assert "':'" in point.missing_reason


def test_refresh_comparison_regions_are_fetched_and_absent_ones_noted(pxweb, loaded_strategy):
    outcome = run_job(job("07984"), quick_client())
    assert outcome.ok, outcome.message
    codes = {p.code for p in series("employed_by_workplace")}
    assert {"0", "3401"} <= codes
    # 07984 has no county codes: Innlandet is skipped and the fetch says so
    assert "34" not in codes
    assert "codes not in table 07984: 34" in Fetch.objects.get(pk=outcome.fetch_id).note


def test_refresh_dry_run_stores_nothing(pxweb, loaded_strategy):
    code, out, _ = refresh("--source", "ssb", "--dry-run")
    assert code == 0
    assert "dry run" in out
    assert not Observation.objects.exists()
    assert not Fetch.objects.exists()


def test_refresh_retries_after_429_waiting_retry_after(pxweb, loaded_strategy):
    pxweb.faults["13470"] = Fault("429", times=1, retry_after="7")
    sleeps: list[float] = []
    outcome = run_job(job("13470"), quick_client(sleeps))
    assert outcome.ok, outcome.message
    assert 7.0 in sleeps


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        ("500", "HTTP 500"),
        ("timeout", "timed out"),
        ("truncated", "trunc"),
        ("malformed", "malformed JSON-stat"),
        ("drop", "connect"),
    ],
)
def test_refresh_fault_names_source_and_problem_and_keeps_last_good_data(
    pxweb, loaded_strategy, fault, words
):
    assert run_job(job("13470"), quick_client()).ok
    good = list(Observation.objects.filter(current=True).values_list("pk", "value"))
    pxweb.faults["13470"] = Fault(fault)
    outcome = run_job(job("13470"), quick_client())
    assert not outcome.ok
    assert outcome.message.startswith("SSB:")
    assert "13470" in outcome.message
    if fault != "drop":
        assert words in outcome.message
    else:
        assert "connect" in outcome.message or "broken" in outcome.message
    assert list(Observation.objects.filter(current=True).values_list("pk", "value")) == good
    failed = Fetch.objects.get(outcome=Fetch.Outcome.FAILED)
    assert failed.message == outcome.message


def test_refresh_with_server_gone_mid_run_exits_nonzero_and_keeps_data(pxweb, loaded_strategy):
    assert refresh("--source", "ssb")[0] == 0
    before = Observation.objects.filter(current=True).count()
    for table in ("13472", "06445", "13563", "14700"):
        pxweb.faults[table] = Fault("drop")
    code, _, err = refresh("--source", "ssb")
    assert code == 1
    assert "FAILED ssb 13472" in err and "FAILED ssb 13470" not in err
    assert "last good data is kept" in err
    assert Observation.objects.filter(current=True).count() == before


def test_refresh_renamed_contents_code_is_named_in_the_message(pxweb, loaded_strategy):
    pxweb.cubes["13470"].rename_code("ContentsCode", "SysselsatteArb", "SysselsatteArbeidssted")
    outcome = run_job(job("13470"), quick_client())
    assert not outcome.ok
    assert "table 13470, variable ContentsCode: expected contents code 'SysselsatteArb'" in (
        outcome.message
    )
    assert "'SysselsatteArbeidssted'" in outcome.message
    assert pxweb.data_requests() == []


def test_refresh_splits_by_time_when_the_api_cell_limit_is_small(pxweb, loaded_strategy):
    # 13 regions of 13470 × 17 industry groups = 221 cells a year; three years a request
    pxweb.config["maxDataCells"] = 221 * 3
    outcome = run_job(job("13470"), quick_client())
    assert outcome.ok, outcome.message
    posts = [p for p in pxweb.data_requests() if "/13470/" in p]
    assert len(posts) == 4  # ten years (2016–2025) in chunks of three
    assert len(series("employed_by_workplace", codes=["3401"], dimensions={"nace": "85"})) == 10


def test_refresh_refuses_when_one_period_alone_is_over_the_cell_limit(pxweb, loaded_strategy):
    pxweb.config["maxDataCells"] = 100
    outcome = run_job(job("13470"), quick_client())
    assert not outcome.ok
    assert "table 13470: one period alone is 221 cells, more than the 100" in outcome.message
    assert pxweb.data_requests() == []


def test_refresh_records_the_licence_the_api_states(pxweb, loaded_strategy):
    pxweb.config["license"] = "synthetic licence text"
    assert refresh("--source", "ssb")[0] == 0
    assert set(Fetch.objects.values_list("licence", flat=True)) == {"synthetic licence text"}


def current_rows() -> set[tuple]:
    return set(
        Observation.objects.filter(current=True).values_list(
            "measure", "code", "period", "dimension_key", "value"
        )
    )


def test_refresh_when_the_server_is_unplugged_mid_run_keeps_every_previous_figure(
    pxweb, loaded_strategy
):
    assert refresh("--source", "ssb")[0] == 0
    before = current_rows()
    for cube in pxweb.cubes.values():  # a new release with other numbers…
        for key, value in cube.cells.items():
            if not isinstance(value, str):
                cube.cells[key] = value + 1
    pxweb.faults["13472"] = Fault("unplug")  # …but the server dies at the fourth table
    code, _, err = refresh("--source", "ssb")
    assert code == 1
    for table in ("13472", "06445", "13563", "14700"):
        assert f"FAILED ssb {table}" in err
    assert "could not connect" in err
    after = current_rows()
    updated = {row[0] for row in after - before}
    assert updated == {"population", "employed_by_workplace"}  # fetched before the plug
    untouched = {row for row in before if row[0] not in updated}
    assert untouched and untouched <= after


def test_refresh_with_ssb_unreachable_tries_once_and_fails_every_table(settings, loaded_strategy):
    with PxWebServer([]) as gone:
        settings.RETNING_SSB_URL = gone.url
    settings.RETNING_HTTP_MIN_INTERVAL = 0
    settings.RETNING_HTTP_RETRIES = 0
    code, _, err = refresh("--source", "ssb")
    assert code == 1
    assert err.count("FAILED ssb") == len(ssb.GROUPS)
    assert "could not connect" in err
    assert err.count("not tried, SSB unreachable") == len(ssb.GROUPS) - 1


def test_refresh_answer_with_an_out_of_range_figure_fails_that_series_and_keeps_the_rest(
    pxweb, loaded_strategy
):
    cube = pxweb.cubes["06445"]
    key = next(k for k, v in cube.cells.items() if isinstance(v, int | float))
    cube.cells[key] = 1e30
    code, out, err = refresh("--source", "ssb")
    assert code != 0
    assert "06445" in out + err
    failed = Fetch.objects.filter(outcome=Fetch.Outcome.FAILED)
    assert [f.table for f in failed] == ["06445"]
    assert not Observation.objects.filter(value__gt=10**14).exists()
    assert series("employed_by_workplace")  # the other tables were stored
