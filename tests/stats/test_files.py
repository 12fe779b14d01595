"""NAV HL060 and Miljødirektoratet files: parsers on real data, refresh over loopback HTTP."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from retning.stats.http import HttpClient
from retning.stats.importing import recognise
from retning.stats.models import Observation
from retning.stats.queries import series
from retning.stats.refresh import run_job
from retning.stats.refresh_sources import miljodir_jobs, nav_jobs
from retning.stats.sources.base import SourceError
from retning.stats.sources.miljodir import parse_facilities, parse_municipal
from retning.stats.sources.nav import SUPPRESSED, parse_hl060
from tests.stats.conftest import FIXTURES, SNAPSHOT_DIR
from tests.stats.excel_fixtures import FIXTURES as MILJODIR_FIXTURES
from tests.stats.excel_fixtures import (
    TELEMARK,
    synthetic_norskeutslipp_layout_with_real_values,
    synthetic_oversikt_detaljert_from_telemark,
    workbook_bytes,
)
from tests.stats.static_server import StaticServer

HL060 = FIXTURES / "HL060_Helt_ledige_Fylke_og_kommune_Tidsserie_maaned_2022-10.xlsx"
NORSKE_UTSLIPP = MILJODIR_FIXTURES / "norske-utslipp-landbasert-industri-2021.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def client() -> HttpClient:
    return HttpClient(min_interval=0, retries=0, timeout=5)


def snapshot_nav() -> dict[tuple[str, str, str], Decimal]:
    with (SNAPSHOT_DIR / "inclusion_indicators.csv").open(encoding="utf-8") as handle:
        return {
            (row["municipality_code"], row["variable"][-2:], row["variable"][:-8]): Decimal(
                row["value"]
            )
            for row in csv.DictReader(handle)
            if row["variable"].startswith("nav_helt_ledige")
        }


def test_hl060_real_file_matches_the_values_read_by_hand_for_the_six():
    records = parse_hl060(HL060.read_bytes())
    by_key = {(r.measure, r.code, r.period): r.value for r in records}
    expected = snapshot_nav()
    assert len(expected) == 120
    for (code, month, variable), value in expected.items():
        measure = (
            "nav_registered_unemployed"
            if "persons" in variable
            else "nav_registered_unemployed_pct"
        )
        assert by_key[(measure, code, f"2022M{month}")] == value


def test_hl060_suppressed_cells_stay_suppressed():
    records = parse_hl060(HL060.read_bytes())
    suppressed = [r for r in records if r.value is None]
    assert suppressed
    assert {r.missing_reason for r in suppressed} == {SUPPRESSED}
    book = openpyxl.load_workbook(HL060, read_only=True)
    stars = sum(
        1
        for name in ("3. Kommune Antall", "4. Kommune Prosent av arbeidsst")
        for row in book[name].iter_rows(values_only=True)
        if str(row[1])[:4].isdigit()  # municipality rows, not "I alt Ukjent"
        for cell in row
        if cell == "*"
    )
    assert len(suppressed) == stars


def test_hl060_renamed_month_column_is_named_with_its_cell():
    book = openpyxl.load_workbook(HL060)
    sheet = book["3. Kommune Antall"]
    sheet["C8"] = "Jan."
    with pytest.raises(SourceError) as excinfo:
        parse_hl060(workbook_bytes(book), "synthetic_renamed.xlsx")
    message = str(excinfo.value)
    assert message.startswith("NAV:")
    assert "synthetic_renamed.xlsx" in message and "C8" in message and "'Jan.'" in message


def synthetic_later_edition() -> openpyxl.Workbook:
    """The real 2022 workbook reshaped as a later edition might differ: other sheet names,
    a new title, the period line moved, and November–December added (the added figures are
    made up: each municipality 1 and 2, Kongsvinger 301 and 302)."""
    book = openpyxl.load_workbook(HL060)
    for old, new in (
        ("3. Kommune Antall", "Kommune Antall"),
        ("4. Kommune Prosent av arbeidsst", "4 Kommune Prosent"),
    ):
        sheet = book[old]
        sheet.title = new
        sheet["C2"] = "HL060 Helt ledige – fylke og kommune, måned for måned"
        sheet["B6"] = None
        sheet["C4"] = "Januar - desember 2022"
        for row in sheet.iter_rows(min_row=7):
            label = row[1].value
            if label is None and row[2].value == "Januar":
                row[12].value, row[13].value = "November", "Desember"
            elif isinstance(label, str) and label[:4].isdigit():
                kongsvinger = label.startswith("3401")
                row[12].value, row[13].value = (301, 302) if kongsvinger else (1, 2)
    return book


def test_hl060_later_edition_with_more_months_other_title_and_sheet_names_is_read():
    real = {
        (r.measure, r.code, r.period): (r.value, r.missing_reason)
        for r in parse_hl060(HL060.read_bytes())
    }
    raw = workbook_bytes(synthetic_later_edition())
    records = parse_hl060(raw, "synthetic_later_edition.xlsx")
    later = {(r.measure, r.code, r.period): (r.value, r.missing_reason) for r in records}
    assert {k: v for k, v in later.items() if k[2] <= "2022M10"} == real
    assert later[("nav_registered_unemployed", "3401", "2022M12")] == (Decimal(302), "")
    assert len(later) == len(real) * 12 // 10
    assert [b.dataset for b in recognise("synthetic_later_edition.xlsx", raw, {})] == ["nav-hl060"]


def test_hl060_header_months_must_match_the_period_line():
    book = openpyxl.load_workbook(HL060)
    book["3. Kommune Antall"]["B6"] = "Januar - november 2022"
    with pytest.raises(SourceError) as excinfo:
        parse_hl060(workbook_bytes(book), "synthetic_period.xlsx")
    message = str(excinfo.value)
    assert "synthetic_period.xlsx, sheet '3. Kommune Antall', row 8" in message
    assert (
        "do not match the period line (months [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] of 2022)"
        in message
    )


def test_hl060_without_its_sheets_says_where_to_get_the_current_edition():
    book = openpyxl.Workbook()
    book.active.title = "Ark1"
    with pytest.raises(SourceError) as excinfo:
        parse_hl060(workbook_bytes(book), "synthetic_other.xlsx")
    message = str(excinfo.value)
    assert "synthetic_other.xlsx: no sheets" in message and "'Ark1'" in message
    assert "«HL060 Helt ledige. Fylke og kommune. Tidsserie måned»" in message
    assert "https://www.nav.no/no/nav-og-samfunn/statistikk/" in message


def test_hl060_not_an_excel_file_is_refused():
    with pytest.raises(SourceError, match="not an Excel workbook"):
        parse_hl060(b"<html>Not found</html>", "synthetic.xlsx")


def test_municipal_emissions_keep_every_sector_and_source_trimmed():
    raw, rows = synthetic_oversikt_detaljert_from_telemark({"Skien"})
    records = parse_municipal(raw)
    assert len(records) == len(rows)
    sectors = {r.dimensions["sector"] for r in records}
    assert {"Industri, olje og gass", "Veitrafikk", "produkter med fluorgasser"} <= sectors
    heavy = [
        r for r in records if r.dimensions["source"] == "Tunge kjøretøy" and r.period == "2019"
    ]
    expected = next(
        Decimal(r["Utslipp"])
        for r in rows
        if r["Utslippskilde"] == "Tunge kjøretøy" and r["År"] == "2019"
    )
    assert heavy[0].value == expected
    assert heavy[0].code == "4003"
    assert not any(s.endswith(" ") for r in records for s in r.dimensions.values())


def test_municipal_emissions_renamed_column_is_named():
    header = [
        "Fylke",
        "Kommunenr",
        "Kommune",
        "År",
        "Sektor",
        "Utslippskilde",
        "Klimagass",
        "Utslipp",
    ]
    raw, _ = synthetic_oversikt_detaljert_from_telemark({"Siljan"}, header=header)
    with pytest.raises(SourceError) as excinfo:
        parse_municipal(raw, "synthetic.xlsx")
    assert "Kommunenummer" in str(excinfo.value) and "row 1" in str(excinfo.value)


REGION_NAMES = {
    "Kongsvinger": "3401",
    "Nord-Odal": "3414",
    "Sør-Odal": "3415",
    "Eidskog": "3416",
    "Grue": "3417",
    "Åsnes": "3418",
}


def test_facility_emissions_real_national_file_gives_the_regions_plants_as_in_the_snapshot():
    # The real export: title in row 1, header in row 3, `Org.nr.` with its full stop, and
    # four extra sheets the downloader added.
    records, skipped = parse_facilities(NORSKE_UTSLIPP.read_bytes(), REGION_NAMES)
    assert len(records) + skipped == 5857
    got = {(r.dimensions["facility"], r.period): r.value for r in records}
    with (SNAPSHOT_DIR / "industrial_facility_emissions.csv").open(encoding="utf-8") as handle:
        # the snapshot's 98 plant figures were copied from this file by hand
        expected = {
            (row["variable"].split("_")[4], row["year"]): Decimal(row["value"])
            for row in csv.DictReader(handle)
        }
    assert len(expected) == 98
    assert got == expected
    maarud = {r.period: r for r in records if r.dimensions == {"facility": "6430"}}
    assert maarud["2019"].value == Decimal("6215.59") and maarud["2019"].code == "3415"
    assert maarud["2019"].attributes == {
        "facility_name": "Maarud as",
        "org_nr": "873125632",
        "nace": "10.310",
    }


def test_facility_emissions_without_the_organisation_number_column_name_it():
    # the real file's first 40 rows, with the column renamed (hence synthetic)
    real = openpyxl.load_workbook(NORSKE_UTSLIPP, read_only=True)
    book = openpyxl.Workbook()
    book.active.title = "Utslipp"
    for row in real["Utslipp"].iter_rows(max_row=40, values_only=True):
        book.active.append(row)
    real.close()
    book.active["L3"] = "Organisasjonsnummer"
    with pytest.raises(SourceError) as excinfo:
        parse_facilities(workbook_bytes(book), REGION_NAMES, "synthetic_renamed.xlsx")
    message = str(excinfo.value)
    assert "synthetic_renamed.xlsx" in message and "row 3" in message and "'Org.nr.'" in message


@pytest.mark.django_db
def test_refresh_nav_and_miljodir_over_http_store_the_region_and_keep_it_on_failure(
    settings, loaded_strategy
):
    municipal, _ = synthetic_oversikt_detaljert_from_telemark({"Skien"}, years={"2019"})
    # The region's municipalities are not in Telemark's rows: relabel one as Kongsvinger.
    book = openpyxl.load_workbook(io.BytesIO(municipal))
    for row in book["Oversikt - detaljert"].iter_rows(min_row=2):
        row[1].value = "3401"
    facilities, _ = synthetic_norskeutslipp_layout_with_real_values()
    files = {
        "/hl060.xlsx": (HL060.read_bytes(), XLSX),
        "/kommuner.xlsx": (workbook_bytes(book), XLSX),
        "/anlegg.xlsx": (facilities, XLSX),
    }
    with StaticServer(files) as server:
        settings.RETNING_NAV_URL = server.url + "/hl060.xlsx"
        settings.RETNING_MILJODIR_URL = server.url + "/kommuner.xlsx"
        settings.RETNING_NORSKEUTSLIPP_URL = server.url + "/anlegg.xlsx"
        outcomes = [run_job(job, client()) for job in nav_jobs() + miljodir_jobs()]
        assert all(o.ok for o in outcomes), [o.message for o in outcomes]
        assert {p.code for p in series("nav_registered_unemployed")} == {
            "3401",
            "3414",
            "3415",
            "3416",
            "3417",
            "3418",
        }
        assert Observation.objects.filter(measure="ghg_emissions", code="3401").exists()
        assert series("facility_ghg_emissions", dimensions={"facility": "6228"})
        before = Observation.objects.filter(current=True).count()
        server.faults["/hl060.xlsx"] = 500
        failed = run_job(nav_jobs()[0], client())
    assert not failed.ok
    assert failed.message.startswith("NAV:") and "HTTP 500" in failed.message
    assert Observation.objects.filter(current=True).count() == before


@pytest.mark.django_db
def test_municipal_emissions_new_release_replaces_the_series_and_keeps_history(
    settings, loaded_strategy
):
    first, _ = synthetic_oversikt_detaljert_from_telemark({"Skien"}, years={"2019", "2020"})
    book = openpyxl.load_workbook(io.BytesIO(first))
    for row in book["Oversikt - detaljert"].iter_rows(min_row=2):
        row[1].value = "3401"
    release_1 = workbook_bytes(book)
    for row in book["Oversikt - detaljert"].iter_rows(min_row=2):
        if row[3].value == 2019 and row[7].value is not None:
            row[7].value = row[7].value + 1  # the next release revises 2019
    release_2 = workbook_bytes(book)
    files = {"/k.xlsx": (release_1, XLSX)}
    with StaticServer(files) as server:
        settings.RETNING_MILJODIR_URL = server.url + "/k.xlsx"
        assert run_job(miljodir_jobs()[0], client()).ok
        server.files["/k.xlsx"] = (release_2, XLSX)
        outcome = run_job(miljodir_jobs()[0], client())
    assert outcome.ok
    revised = Observation.objects.filter(
        measure="ghg_emissions", period="2019", value__isnull=False
    )
    assert outcome.changed == revised.filter(current=True).count() > 0
    assert revised.filter(current=False).count() == outcome.changed
    assert TELEMARK["Skien"] not in set(Observation.objects.values_list("code", flat=True))
