"""Partial evidence: what the members with figures show while the region's figure is
missing — pure functions, then the front-page cards, goal pages, `retning status` and the
status report on the bundled snapshot of real figures."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command

from retning.goals.engine import Point
from retning.goals.partial import PartChange, SilentPart, part_changes, silent_parts
from retning.goals.service import goal_report
from retning.stats.sources.base import Record
from retning.stats.store import ensure_dataset, record_fetch
from retning.strategy.models import Goal

# The plants of the 2019 set in the real Norske utslipp export (tonnes CO2-equivalents):
# Maarud 1992–2022, Hydro Magnor to 2021, First Seafood to 2019.
PLANTS = {
    "6430": [Point(2018, 7585.6675), Point(2019, 6215.59), Point(2022, 4311.9406)],
    "6228": [Point(2019, 43.3), Point(2020, 46.5), Point(2021, 35.0)],
    "6668": [Point(2018, 1.1415), Point(2019, 1.4449)],
}
NAMES = {"6430": "Maarud as", "6228": "Hydro Magnor", "6668": "First seafood as"}


def test_part_changes_run_from_the_baseline_year_to_each_members_latest():
    changes = part_changes(PLANTS, NAMES, 2019)
    assert changes == [
        PartChange("Maarud as", 2019, 6215.59, 2022, 4311.9406),
        PartChange("Hydro Magnor", 2019, 43.3, 2021, 35.0),
    ]  # First Seafood has no year after 2019: no change to show
    assert round(changes[0].change_pct, 2) == -30.63


def test_part_changes_start_at_the_first_later_year_when_the_baseline_is_missing():
    rates = {"3401": [Point(2018, 58.7, sources=("7",)), Point(2023, 60.5, sources=("8",))]}
    (change,) = part_changes(rates, {"3401": "Kongsvinger"}, 2016)
    assert (change.start_year, change.end_year, change.sources) == (2018, 2023, ("7", "8"))
    assert part_changes({"3401": [Point(2010, 1.0), Point(2012, 2.0)]}, {}, 2016) == []


def test_silent_plants_are_named_with_their_share_of_the_baseline_set():
    silent, year = silent_parts(PLANTS, NAMES, 2019)
    total = 6215.59 + 43.3 + 1.4449
    assert year == 2022
    assert silent == [
        SilentPart("Hydro Magnor", 2021, pytest.approx(43.3 / total * 100)),
        SilentPart("First seafood as", 2019, pytest.approx(1.4449 / total * 100)),
    ]
    assert round(silent[1].share_pct, 3) == 0.023  # 0,02 % of the set's 2019 emissions


def test_silent_parts_need_a_baseline_set():
    assert silent_parts({"1": [Point(2020, 5.0)]}, {}, 2019) == ([], None)


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("\u00a0", " ").split())


def card(html: str, title: str) -> str:
    """A front-page card up to its facts (target, latest figure)."""
    return text_of(next(c for c in html.split('<li class="card">') if title in c).split("<dl")[0])


@pytest.mark.django_db
def test_front_page_cards_show_labelled_partial_evidence_and_keep_the_status(
    client, snapshot_loaded
):
    html = client.get("/").content.decode()
    co2 = card(html, "CO2-utslipp")
    assert "For lite data" in co2
    assert "Delvis grunnlag, ikke regionens tall:" in co2
    assert "Maarud AS: −31 % fra 2019 til 2022" in co2
    assert (
        "Ikke rapportert for 2022, så året er ufullstendig: Hydro Extrusion Norway Magnor før "
        "Sapa (siste rapport 2021; 0,69 % av utvalgets utslipp i 2019); First Seafood AS "
        "(siste rapport 2019; 0,02 % av utvalgets utslipp i 2019)."
    ) in co2
    assert "Mangler helt: tungtransport på vei." in co2
    jobs = card(html, "arbeidsplasser per år")
    assert "For lite data" in jobs
    # Kongsvinger 2015 → 2022: 8 222 → 8 668 (KommuneProfilen's copy of SSB)
    assert "1 av 6 kommuner har tall. Kongsvinger: +5 % fra 2015 til 2022" in jobs
    assert "Ingen tall for Eidskog, Grue, Nord-Odal, Sør-Odal, Åsnes." in jobs
    assert "Tallene er fra en sekundærkilde: KommuneProfilen (kilde: SSB)." in jobs
    inclusion = card(html, "inkluderingen")
    assert "Kongsvinger: +1,8 prosentpoeng fra 2018 til 2023" in inclusion
    # nothing is known of turnover: no partial evidence, only what is missing
    assert "Delvis grunnlag" not in card(html, "omsetningsvekst")


@pytest.mark.django_db
def test_goal_page_shows_each_plants_figures_next_to_the_missing_year(client, snapshot_loaded):
    html = text_of(client.get("/mal/co2-industri/").content.decode())
    known = html.split("Det som er kjent så langt")[1].split("Tall som mangler")[0]
    assert (
        "Maarud AS (Sør-Odal): −31 % fra 2019 til 2022 (6 216 → 4 312 tonn CO2-ekvivalenter)"
    ) in known
    assert "Anleggene som rapporterte i 2019, hvert for seg." in known
    assert "Mangler helt: tungtransport på vei." in known


@pytest.mark.django_db
def test_status_table_and_report_show_the_partial_evidence(snapshot_loaded, tmp_path):
    out = io.StringIO()
    call_command("status", stdout=out)
    table = " ".join(out.getvalue().replace("│", " ").split())
    assert "Delvis: Maarud AS −31 % (2019–2022)" in table
    assert "First Seafood AS 0,02 %" in table
    path = tmp_path / "status.html"
    call_command("report", "status", "--format", "html", "-o", str(path))
    report = text_of(path.read_text())
    assert "Delvis grunnlag, ikke regionens tall:" in report
    assert "Maarud AS (Sør-Odal): −31 % fra 2019 til 2022" in report


@pytest.mark.django_db
def test_no_partial_evidence_once_the_region_has_its_own_figure(loaded_strategy):
    # synthetic jobs for all six, 2015–2022, +20 a year each: the region is evaluated
    records = [
        Record(
            "employed_by_workplace", code, str(year), Decimal(1000 + 20 * (year - 2015)), "persons"
        )
        for code in ["3401", "3414", "3415", "3416", "3417", "3418"]
        for year in range(2015, 2023)
    ]
    record_fetch(ensure_dataset("ssb-13470"), via="import", records=records, raw=b"synthetic")
    goal = Goal.objects.select_related("target", "strategy__region").get(slug="arbeidsplasser")
    report = goal_report(goal)
    assert report.status != "insufficient_data"
    assert report.partial is None


@pytest.mark.django_db
def test_goals_api_gives_the_partial_evidence_as_data(client, snapshot_loaded):
    data = client.get("/api/v1/goals/co2-industri.json").json()
    partial = data["partial_evidence"]
    assert partial["note"] == "parts of the region, not the regional figure"
    maarud = partial["changes"][0]
    assert (maarud["name"], maarud["start"], maarud["end"]["year"]) == (
        "Maarud AS",
        {"year": 2019, "value": 6215.59},
        2022,
    )
    assert maarud["change_pct"] == pytest.approx(-30.627, abs=1e-3)
    assert [p["name"] for p in partial["not_reported"]["parts"]] == [
        "Hydro Extrusion Norway Magnor før Sapa",
        "First Seafood AS",
    ]
    assert partial["without_figures"] == ["tungtransport på vei"]
    assert client.get("/api/v1/goals/omsetning.json").json()["partial_evidence"] is None
