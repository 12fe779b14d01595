"""The bundled snapshot of real figures, loaded as `retning setup` loads it."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from django.utils import timezone

from retning.stats.models import Fetch, Observation
from retning.stats.queries import series
from retning.stats.snapshot import load_snapshot
from retning.stats.sources.base import SourceError
from retning.stats.sources.snapshot import Collected, collection_date, parse_snapshot_csv
from tests.stats.conftest import SNAPSHOT_DIR

pytestmark = pytest.mark.django_db


def csv_rows(name: str) -> list[dict]:
    with (SNAPSHOT_DIR / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_snapshot_load_twice_adds_nothing_the_second_time(snapshot_loaded):
    observations = Observation.objects.count()
    fetches = Fetch.objects.count()
    again = load_snapshot(SNAPSHOT_DIR)
    assert again.fetches == 0
    assert again.already_loaded == snapshot_loaded.fetches
    assert (Observation.objects.count(), Fetch.objects.count()) == (observations, fetches)


def test_snapshot_loads_every_row_except_the_collectors_sums(snapshot_loaded):
    rows = [row for path in SNAPSHOT_DIR.glob("*.csv") for row in csv_rows(path.name)]
    sums = [row for row in rows if row["municipality_code"] == "KR6"]
    assert snapshot_loaded.skipped_rows == len(sums) > 0
    assert Observation.objects.count() == len(rows) - len(sums)
    assert not Observation.objects.filter(code="KR6").exists()


def test_snapshot_population_for_kongsvinger_by_old_code_is_one_unbroken_series(
    snapshot_loaded,
):
    expected = {
        row["year"]: Decimal(row["value"])
        for row in csv_rows("population_total.csv")
        if row["municipality_name"] == "Kongsvinger"
    }
    points = series("population", codes=["0402"])
    assert {p.code for p in points} == {"3401"}
    assert {p.code_published for p in points} == {"0402", "3401"}
    assert {p.period: p.value for p in points} == expected
    assert [p.period for p in points] == [str(year) for year in range(2005, 2027)]


def test_snapshot_region_sum_computed_by_retning_equals_the_collectors_sum(snapshot_loaded):
    collector = {
        (row["variable"], row["year"]): Decimal(row["value"])
        for row in csv_rows("population_by_age.csv")
        if row["municipality_code"] == "KR6" and row["variable"] == "population_20_66"
    }
    ours: dict[str, Decimal] = defaultdict(Decimal)
    for point in series("population", dimensions={"age": "20-66"}):
        ours[point.period] += point.value
    assert len(collector) == 22
    for (_, year), value in collector.items():
        assert ours[year] == value, year


def test_snapshot_fetch_names_the_original_source_and_the_snapshot(snapshot_loaded):
    point = series("employed_by_workplace", codes=["3401"])[0]
    fetch = Fetch.objects.get(pk=point.fetch_id)
    assert fetch.via == Fetch.Via.SNAPSHOT
    assert fetch.url.startswith("https://kommuneprofilen.no/")
    assert "employment_by_workplace.csv" in fetch.note
    assert "Sysselsetting i alt" in fetch.note
    assert len(fetch.sha256) == 64


def test_snapshot_quoted_region_figures_stay_under_their_own_code(snapshot_loaded):
    quoted = Observation.objects.filter(code__in=["KR", "KR_SB1"])
    assert quoted.exists()
    assert set(quoted.values_list("dataset__slug", flat=True)) == {"quoted-regional-facts"}
    assert all(
        measure.startswith("quoted_") for measure in quoted.values_list("measure", flat=True)
    )
    sb1 = quoted.filter(code="KR_SB1").first()
    assert "SpareBank 1" in sb1.attributes["region_definition"]


def test_snapshot_facility_emissions_carry_facility_id_name_org_number_and_nace(snapshot_loaded):
    points = series("facility_ghg_emissions", dimensions={"facility": "6228"})
    assert points and {p.code for p in points} == {"3416"}
    row = Observation.objects.filter(measure="facility_ghg_emissions", dimensions__facility="6228")
    attributes = row.first().attributes
    assert attributes["org_nr"] == "971680423"
    assert attributes["nace"] == "24.422"
    assert "magnor" in attributes["facility_name"].lower()


def test_snapshot_nav_months_are_monthly_periods(snapshot_loaded):
    points = series("nav_registered_unemployed", codes=["3401"], dataset="nav-hl060")
    assert [p.period for p in points] == [f"2022M{month:02d}" for month in range(1, 11)]
    assert points[0].value == Decimal("202")


def test_parse_snapshot_unknown_variable_names_file_and_line():
    raw = (
        b"municipality_code,municipality_name,year,variable,value,unit,source_url,source_note\n"
        b"3401,Kongsvinger,2022,synthetic_unknown,1,persons,https://example.org,x\n"
    )
    with pytest.raises(SourceError) as excinfo:
        parse_snapshot_csv("synthetic.csv", raw)
    assert "synthetic.csv:2" in str(excinfo.value)
    assert "synthetic_unknown" in str(excinfo.value)


def test_parse_snapshot_renamed_column_is_refused():
    raw = b"kommune,navn,year,variable,value,unit,source_url,source_note\n"
    with pytest.raises(SourceError, match="columns"):
        parse_snapshot_csv("synthetic.csv", raw)


def test_snapshot_fetches_are_dated_when_the_figures_were_collected(snapshot_loaded):
    # SOURCES.md: "Collected November 2026." The date a figure was fetched is that month,
    # not the day Retning was installed.
    stated = collection_date("SOURCES.md", (SNAPSHOT_DIR / "SOURCES.md").read_text())
    assert stated == Collected(dt.date(2026, 11, 1), "month")
    dates = {
        timezone.localtime(f.retrieved_at).date()
        for f in Fetch.objects.filter(via=Fetch.Via.SNAPSHOT)
    }
    assert dates == {stated.date}


def test_snapshot_loaded_with_the_loading_day_gets_its_date_corrected(snapshot_loaded):
    fetches = Fetch.objects.filter(via=Fetch.Via.SNAPSHOT)
    fetches.update(retrieved_at=timezone.now())
    again = load_snapshot(SNAPSHOT_DIR)
    assert again.fetches == 0
    assert again.dates_corrected == fetches.count() > 0
    assert {timezone.localtime(f.retrieved_at).date() for f in fetches} == {dt.date(2026, 11, 1)}
    assert "corrected to the collection date 2026-11" in again.summary()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "# Snapshot\n\nCollected November 2026. Every value …",
            Collected(dt.date(2026, 11, 1), "month"),
        ),
        ("Samlet inn 12. november 2026.", Collected(dt.date(2026, 11, 12), "day")),
        ("collected 3 March 2025", Collected(dt.date(2025, 3, 3), "day")),
    ],
)
def test_collection_date_is_read_from_the_sources_text(text, expected):
    assert collection_date("SOURCES.md", text) == expected


def test_collection_date_missing_is_refused_with_the_file_named():
    with pytest.raises(SourceError, match=r"synthetic/SOURCES\.md: no line such as 'Collected"):
        collection_date("synthetic/SOURCES.md", "# Sources\n\nGathered recently.")
