"""`retning refresh` of every source against loopback servers, as `make run` users run it."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.management import call_command

from retning.stats.models import Fetch, Observation
from retning.stats.sources import ssb
from tests.stats.conftest import FIXTURES
from tests.stats.excel_fixtures import (
    synthetic_norskeutslipp_layout_with_real_values,
    synthetic_oversikt_detaljert_from_telemark,
    workbook_bytes,
)
from tests.stats.pxweb_server import PxWebServer
from tests.stats.ssb_cubes import all_synthetic_and_real_cubes
from tests.stats.static_server import StaticServer

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def synthetic_region_emissions() -> bytes:
    """Telemark's real rows for Skien, relabelled as each of the region's six (synthetic)."""
    raw, _ = synthetic_oversikt_detaljert_from_telemark({"Skien"}, years={"2019"})
    source = openpyxl.load_workbook(io.BytesIO(raw))["Oversikt - detaljert"]
    rows = list(source.iter_rows(values_only=True))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Oversikt - detaljert"
    sheet.append(rows[0])
    for code in ("3401", "3414", "3415", "3416", "3417", "3418"):
        for row in rows[1:]:
            sheet.append([row[0], code, *row[2:]])
    return workbook_bytes(book)


def test_refresh_every_source_fills_every_series_and_exits_zero(settings, snapshot_loaded, client):
    facilities, _ = synthetic_norskeutslipp_layout_with_real_values()
    files = {
        "/classifications/131/changes": (
            (FIXTURES / "klass_131_changes_region.json").read_bytes(),
            "application/json",
        ),
        "/hl060.xlsx": (
            (
                FIXTURES / "HL060_Helt_ledige_Fylke_og_kommune_Tidsserie_maaned_2022-10.xlsx"
            ).read_bytes(),
            XLSX,
        ),
        "/kommuner.xlsx": (synthetic_region_emissions(), XLSX),
        "/anlegg.xlsx": (facilities, XLSX),
    }
    with PxWebServer(all_synthetic_and_real_cubes()) as pxweb, StaticServer(files) as static:
        settings.RETNING_SSB_URL = pxweb.url
        settings.RETNING_KLASS_URL = static.url
        settings.RETNING_NAV_URL = static.url + "/hl060.xlsx"
        settings.RETNING_MILJODIR_URL = static.url + "/kommuner.xlsx"
        settings.RETNING_NORSKEUTSLIPP_URL = static.url + "/anlegg.xlsx"
        settings.RETNING_HTTP_MIN_INTERVAL = 0
        out, err = io.StringIO(), io.StringIO()
        call_command("refresh", stdout=out, stderr=err)
    summary = out.getvalue()
    assert err.getvalue() == ""
    for source in ("ssb", "klass", "miljodir", "nav"):
        assert source in summary
    assert "FAILED" not in summary
    assert not Fetch.objects.filter(outcome=Fetch.Outcome.FAILED).exists()
    assert Fetch.objects.filter(via=Fetch.Via.REFRESH).count() == len(ssb.GROUPS) + 1 + 2 + 1
    settings.ALLOWED_HOSTS = ["testserver"]
    html = client.get("/data/").content.decode()
    assert "Alle seriene målene trenger, finnes i databasen." in html
    # The facility figures in the snapshot are real and the export repeats them: unchanged.
    facility = Fetch.objects.get(via=Fetch.Via.REFRESH, dataset__slug="miljodir-norskeutslipp")
    assert facility.created == 0 and facility.changed == 0 and facility.unchanged == 98
    assert Observation.objects.filter(measure="ghg_emissions", current=True).exists()


def test_nav_asked_for_without_an_address_says_where_nav_publishes_it(snapshot_loaded, settings):
    settings.RETNING_NAV_URL = ""
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit):
        call_command("refresh", "--source", "nav", stdout=out, stderr=err)
    message = err.getvalue()
    assert "set RETNING_NAV_URL" in message
    assert "«HL060 Helt ledige. Fylke og kommune. Tidsserie måned»" in message
    assert "https://www.nav.no/" in message
