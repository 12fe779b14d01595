"""The read-only observations API and `retning import-data`."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from retning.stats.models import Fetch, Observation
from retning.stats.queries import series
from tests.stats.conftest import FIXTURES, SNAPSHOT_DIR
from tests.stats.excel_fixtures import FIXTURES as MILJODIR_FIXTURES
from tests.stats.ssb_cubes import full_selection, synthetic_cube_13470

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    return client


def test_api_json_by_historical_code_returns_the_current_series_with_provenance(
    api, snapshot_loaded
):
    body = api.get("/api/v1/observations.json?municipality=0402&measure=population").json()
    totals = [o for o in body["observations"] if not o["dimensions"]]
    assert len(totals) == 22
    first = totals[0]
    assert first["municipality"] == "3401" and first["municipality_published"] == "0402"
    assert first["period"] == "2005" and first["value"] == 17279
    assert first["unit"] == "persons" and first["table"] == "07459"
    assert Fetch.objects.filter(pk=first["fetch_id"]).exists()


def test_api_filters_by_dataset(api, snapshot_loaded):
    body = api.get("/api/v1/observations.json?dataset=nav-hl060").json()
    assert body["count"] == 120
    assert {o["dataset"] for o in body["observations"]} == {"nav-hl060"}


def test_api_csv_has_the_same_rows_as_json(api, snapshot_loaded):
    query = "municipality=3416&measure=facility_ghg_emissions"
    as_json = api.get(f"/api/v1/observations.json?{query}").json()["observations"]
    response = api.get(f"/api/v1/observations.csv?{query}")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == len(as_json) > 0
    assert [Decimal(r["value"]) for r in rows] == [Decimal(str(o["value"])) for o in as_json]
    assert rows[0]["dimensions"] == "facility=6228"


def test_api_bad_limit_is_a_400_naming_the_parameter(api, snapshot_loaded):
    response = api.get("/api/v1/observations.json?limit=lots")
    assert response.status_code == 400
    assert "limit" in response.json()["error"]


def test_api_query_count_is_constant(api, snapshot_loaded, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        api.get("/api/v1/observations.json?measure=population")


def test_import_data_statbank_jsonstat_file_with_provenance(tmp_path, loaded_strategy):
    cube = synthetic_cube_13470()
    doc = cube.data(
        [
            {**item, "valueCodes": ["SysselsatteArb"]}
            if item["variableCode"] == "ContentsCode"
            else item
            for item in full_selection(cube, {"NACE2007": "agg_NACE2007arb11"})
        ]
    )
    path = tmp_path / "synthetic_13470.json"
    path.write_text(json.dumps(doc))
    out = io.StringIO()
    call_command(
        "import-data".replace("-", "_"),
        str(path),
        "--url",
        "https://www.ssb.no/statbank/table/13470",
        stdout=out,
    )
    assert "ssb-13470" in out.getvalue()
    fetch = Fetch.objects.get(via=Fetch.Via.IMPORT)
    assert fetch.raw_name == "synthetic_13470.json"
    assert "imported by hand" in fetch.note
    assert series("employed_by_workplace", codes=["3401"], dimensions={"nace": "41-43"})


def test_import_data_nav_workbook(tmp_path, loaded_strategy):
    out = io.StringIO()
    call_command(
        "import_data",
        str(FIXTURES / "HL060_Helt_ledige_Fylke_og_kommune_Tidsserie_maaned_2022-10.xlsx"),
        stdout=out,
    )
    assert Observation.objects.filter(dataset__slug="nav-hl060").count() == 7140


def test_import_data_real_plant_file_and_the_api_serves_maarud_2019_with_provenance(
    api, loaded_strategy
):
    path = MILJODIR_FIXTURES / "norske-utslipp-landbasert-industri-2021.xlsx"
    out = io.StringIO()
    call_command("import_data", str(path), stdout=out)
    assert "miljodir-norskeutslipp" in out.getvalue()
    body = api.get("/api/v1/observations.json?municipality=3415").json()
    maarud = {
        o["period"]: o
        for o in body["observations"]
        if o["measure"] == "facility_ghg_emissions" and o["dimensions"] == {"facility": "6430"}
    }
    row = maarud["2019"]
    assert row["value"] == 6215.59 and row["unit"] == "tonnes CO2-equivalents"
    assert maarud["2022"]["value"] == 4311.9406
    assert (row["dataset"], row["source"], row["licence"]) == (
        "miljodir-norskeutslipp",
        "miljodir",
        "NLOD 2.0",
    )
    fetch = Fetch.objects.get(pk=row["fetch_id"])
    assert fetch.via == Fetch.Via.IMPORT and fetch.raw_name == path.name
    # the file is kept as it was read, byte for byte
    assert fetch.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert row["retrieved_at"] == fetch.retrieved_at.isoformat()


def test_import_data_long_csv_keeps_each_rows_source(tmp_path, loaded_strategy):
    out = io.StringIO()
    call_command("import_data", str(SNAPSHOT_DIR / "employment_by_workplace.csv"), stdout=out)
    fetch = Fetch.objects.get()
    assert fetch.url.startswith("https://kommuneprofilen.no/")
    assert len(series("employed_by_workplace", codes=["3401"])) == 18


def test_import_data_unknown_table_is_refused_with_the_table_named(tmp_path, loaded_strategy):
    cube = synthetic_cube_13470()
    cube.table = "99999"
    path = tmp_path / "synthetic.json"
    path.write_text(json.dumps(cube.data(full_selection(cube))))
    with pytest.raises(CommandError, match="table 99999"):
        call_command("import_data", str(path))
    assert not Observation.objects.exists()


def test_api_csv_quotes_text_a_spreadsheet_would_run_and_keeps_numbers(api, snapshot_loaded):
    # A label from an imported file could be anything; a spreadsheet must not run it.
    query = "municipality=3416&measure=facility_ghg_emissions"
    first = Observation.objects.filter(
        current=True, code="3416", measure="facility_ghg_emissions"
    ).first()
    Observation.objects.filter(pk=first.pk).update(
        missing_reason='=HYPERLINK("http://x")', unit="@unit", value=Decimal("-5")
    )
    rows = list(csv.reader(io.StringIO(api.get(f"/api/v1/observations.csv?{query}").text)))
    cells = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("http://x")' in cells and "'@unit" in cells
    assert not [c for c in cells if c[:1] in {"=", "+", "@"}]
    assert "-5.0" in cells  # a negative number is a number, not a formula
