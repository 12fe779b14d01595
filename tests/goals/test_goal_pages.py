"""Goal pages, municipality pages, the goals API and the front-page cards, on the bundled
snapshot of real figures."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from retning.goals.recipes.common import comparison_regions
from retning.goals.service import goal_report
from retning.stats.models import Fetch
from retning.strategy.models import Goal

pytestmark = pytest.mark.django_db


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_every_goal_is_insufficient_data_offline_with_the_gap_explained(snapshot_loaded):
    # The snapshot holds jobs for Kongsvinger only, no municipal transport emissions, no
    # accounts and employment rates for Kongsvinger only: no goal can be judged for the
    # region, and each report says what is missing and how to get it.
    for goal in Goal.objects.select_related("target", "strategy__region"):
        report = goal_report(goal)
        assert report.status == "insufficient_data", goal.slug
        assert report.gaps, goal.slug
        assert all(gap.remedy for gap in report.gaps)


def test_jobs_goal_page_shows_kongsvinger_and_names_the_missing_municipalities(
    client, snapshot_loaded
):
    html = html_of(client, "/mal/arbeidsplasser/")
    assert "For lite data" in html
    assert "Sysselsatte etter arbeidssted for Eidskog, Grue, Nord-Odal, Sør-Odal, Åsnes" in html
    # employment_by_workplace.csv holds Kongsvinger 2005–2022 only
    assert "Tall finnes bare for Kongsvinger (2005–2022)." in html
    # Kongsvinger 2015 → 2022 from the snapshot: 8 222 → 8 668 persons (KommuneProfilen/SSB)
    assert "2015–2022" in html
    assert "+446" in html
    # the 20–66 population trend sits next to the jobs goal, for the region and each member
    assert "Befolkning 20–66 år" in html
    # what fills the gap, in plain words; the command is on the staff page only
    assert "Tallene finnes i SSB-tabell 13470 og kommer med når sekretariatet" in html
    assert "retning refresh" not in html


def test_jobs_change_for_kongsvinger_matches_the_snapshot_figures(snapshot_loaded):
    goal = Goal.objects.select_related("target", "strategy__region").get(slug="arbeidsplasser")
    part = next(p for p in goal_report(goal).municipalities if p.municipality.name == "Kongsvinger")
    values = {p.year: p.value for p in part.series}
    # employment_by_workplace.csv: 2015 8222, 2022 8668
    assert (values[2015], values[2022]) == (8222, 8668)
    assert (part.change, part.change_from, part.change_to) == (446, 2015, 2022)


def test_emissions_page_lists_the_fixed_set_of_2019_plants(client, snapshot_loaded):
    html = html_of(client, "/mal/co2-industri/")
    # the three plants with a 2019 report in industrial_facility_emissions.csv
    for plant in ["Maarud AS (6430)", "First Seafood AS (6668)", "Hydro Extrusion Norway"]:
        assert plant in html
    assert html.count("Ja (rapporterte i basisåret)") == 3
    assert "Tungtransport på vei" in html
    assert "ikke som null" in html  # a plant without a report is not counted as zero


def test_every_figure_on_a_goal_page_is_linked_to_its_fetch(client, snapshot_loaded):
    goal = Goal.objects.select_related("target", "strategy__region").get(slug="co2-industri")
    report = goal_report(goal)
    used = {int(s) for p in report.region_series for s in p.sources}
    assert used and used <= {s.fetch_id for s in report.sources}
    html = html_of(client, "/mal/co2-industri/")
    for fetch in Fetch.objects.filter(pk__in=used):
        assert f'href="/data/radata/{fetch.pk}/"' in html
    assert "https://www.norskeutslipp.no/" in html
    assert "NLOD 2.0" in html


def test_goal_page_in_english(client, snapshot_loaded):
    html = html_of(client, "/en/mal/inkludering/")
    assert "Too little data" in html
    assert "Missing figures" in html
    assert "Method" in html


def test_municipality_page_shows_its_part_of_each_goal(client, snapshot_loaded):
    html = html_of(client, "/kommuner/kongsvinger/")
    assert "<h1>Kongsvinger</h1>" in html
    for goal in Goal.objects.all():
        assert goal.title in html
    assert "Endring 2015–2022" in html
    html_grue = html_of(client, "/kommuner/grue/")
    assert "Ingen tall for kommunen ennå." in html_grue


def test_goals_api_returns_status_target_and_sources(client, snapshot_loaded):
    data = json.loads(html_of(client, "/api/v1/goals/"))
    assert [g["goal"] for g in data["goals"]] == [
        "arbeidsplasser",
        "omsetning",
        "co2-industri",
        "inkludering",
    ]
    turnover = data["goals"][1]
    assert turnover["target"] == {
        "kind": "relative_change",
        "baseline_year": 2016,
        "end_year": 2030,
        "low_pct": 70.0,
        "high_pct": 100.0,
    }
    assert turnover["evaluation"]["status"] == "insufficient_data"
    co2 = data["goals"][2]
    assert {s["licence"] for s in co2["sources"]} == {"NLOD 2.0"}
    assert all(f for point in co2["series"] for f in point["fetch_ids"])


def test_goal_csv_export_has_one_row_per_year_and_area(client, snapshot_loaded):
    response = client.get("/api/v1/goals/arbeidsplasser.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    kongsvinger = [r for r in rows if r["area"] == "Kongsvinger"]
    assert [r["year"] for r in kongsvinger] == [str(y) for y in range(2005, 2023)]
    assert kongsvinger[-1]["value"] == "8668"
    assert all(r["fetch_ids"] for r in kongsvinger)


def test_goal_csv_export_quotes_names_a_spreadsheet_would_run(client, snapshot_loaded):
    from retning.strategy.models import Municipality

    # Names are edited in the admin; whatever is typed there must not run in a spreadsheet.
    Municipality.objects.filter(slug="kongsvinger").update(name='=HYPERLINK("http://x")')
    response = client.get("/api/v1/goals/arbeidsplasser.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    cells = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("http://x")' in cells
    assert not [c for c in cells if c[:1] in {"=", "+", "@"}]


def test_front_page_cards_show_status_in_words(client, snapshot_loaded):
    html = html_of(client, "/")
    assert html.count("For lite data") == 4
    assert html.count('aria-hidden="true">?</span>') == 4  # the symbol is not read aloud


def test_front_page_query_count(client, snapshot_loaded, django_assert_max_num_queries):
    # The four goal reports are built from a handful of queries each; the count does not
    # grow with the number of observations or facilities.
    with django_assert_max_num_queries(60):
        client.get("/")


def source_rows(html: str) -> list[tuple[str, str, str]]:
    sources = html.split('id="sources-heading"')[1].split("</section>")[0]
    return re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td>", sources, re.S)


@pytest.mark.parametrize("slug", ["arbeidsplasser", "co2-industri", "inkludering"])
def test_goal_page_sources_show_licence_collection_month_and_secondary_sources(
    client, snapshot_loaded, slug
):
    rows = source_rows(html_of(client, f"/mal/{slug}/"))
    assert rows
    today = date_format(timezone.localdate(), "DATE_FORMAT")
    for name, licence, retrieved in rows:
        assert licence.strip() not in ("", "–"), name
        # the snapshot's figures were collected in November 2026 (its SOURCES.md)
        assert retrieved.startswith("november 2026 (samlet inn"), retrieved
        assert today not in retrieved
        if "KommuneProfilen" in name:
            assert "(sekundærkilde: KommuneProfilen (kilde: SSB))" in name
            assert licence == "Ikke oppgitt av KommuneProfilen; tallene er SSBs (NLOD 2.0)"
    if slug == "co2-industri":
        assert {licence for name, licence, _ in rows if "Norske utslipp" in name} == {"NLOD 2.0"}


def test_comparison_regions_are_the_ones_in_the_regions_stats_file(client, snapshot_loaded):
    # regions/kongsvingerregionen/stats.yaml: Innlandet (34) and Hele landet (0)
    assert comparison_regions() == [("34", "Innlandet"), ("0", "Hele landet")]
    with translation.override("en"):
        assert comparison_regions() == [("34", "Innlandet"), ("0", "Norway")]
    html = html_of(client, "/mal/inkludering/")
    assert "Sammenligning med Innlandet og Hele landet" in html


def test_method_texts_follow_the_target_in_the_strategy_file(snapshot_loaded):
    goals = Goal.objects.select_related("target", "strategy__region")
    jobs = goals.get(slug="arbeidsplasser")
    jobs.target.per_year = 50
    jobs.target.save()
    assert any("pluss 50 for hvert år" in str(text) for text in goal_report(jobs).method)
    turnover = goals.get(slug="omsetning")
    turnover.target.change_low_pct, turnover.target.baseline_year = 60, 2017
    turnover.target.save()
    method = " ".join(str(text) for text in goal_report(turnover).method)
    assert "2017-priser" in method and "mot både 60 og 100 prosent" in method
    emissions = goals.get(slug="co2-industri")
    emissions.target.baseline_year = 2018
    emissions.target.save()
    method = " ".join(str(text) for text in goal_report(emissions).method)
    assert "i basisåret 2018" in method and "2019" not in method
