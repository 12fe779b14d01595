"""A second, synthetic region: its own strategy file and figures, no code of its own.

Every public page, the goals API, `retning status` and both reports render from
tests/fixtures/regions/syntetiskregionen/, with that region's targets, base years and thresholds in
the method texts — and nothing of Kongsvinger's.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from retning.stats.snapshot import load_snapshot
from retning.strategy.loader import load_strategy_file
from retning.strategy.models import FocusArea, Goal, MainStrategy, Municipality

pytestmark = pytest.mark.django_db

REGION = Path(__file__).resolve().parents[1] / "fixtures" / "regions" / "syntetiskregionen"


@pytest.fixture
def synthetic(settings):
    settings.REGIONS_DIR = REGION.parent
    settings.RETNING_REGION = REGION.name
    settings.RETNING_STRATEGY_FILE = REGION / "strategy.yaml"
    load_strategy_file(REGION / "strategy.yaml")
    report = load_snapshot(REGION / "snapshot")
    assert report.files == ["synthetic_figures.csv"]


def text_of(response) -> str:
    assert response.status_code == 200, response.request["PATH_INFO"]
    html = response.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# Kongsvinger's targets, base years and names, none of which the synthetic region has.
KONGSVINGER = [
    "Kongsvinger",
    "pluss 100 for hvert år",
    "basisåret 2019",
    "70 og 100 prosent",
    "2016-priser",
    "plus 100 for each year",
    "70 and 100 per cent",
]


def assert_not_kongsvinger(text: str) -> None:
    for phrase in KONGSVINGER:
        assert phrase not in text


def test_goal_pages_carry_the_synthetic_targets_in_their_method_texts(synthetic, client):
    jobs = text_of(client.get("/mal/jobber/"))
    assert "Målbanen er basisårets tall pluss 37 for hvert år." in jobs
    assert "over de siste fire observasjonene" in jobs  # status: trend_years: 4
    turnover = text_of(client.get("/mal/omsetning/"))
    assert "målet vurderes mot både 40 og 60 prosent" in turnover
    assert "Tallene regnes om til 2018-priser" in turnover
    emissions = text_of(client.get("/mal/utslipp/"))
    assert "i basisåret 2018, fulgt som et fast utvalg" in emissions
    assert "over de siste tre observasjonene" in emissions
    # the synthetic plant of the fixed set, its name ("Syntetisk sagbruk") in the careful
    # case organisation names are shown in
    assert "Syntetisk Sagbruk" in emissions
    inclusion = text_of(client.get("/mal/deltakelse/"))
    assert "over de siste seks årene: under 0,5 prosent av nivået" in inclusion
    for page in (jobs, turnover, emissions, inclusion):
        assert_not_kongsvinger(page)
    for page in (jobs, emissions):  # their own trend_years, not the default five
        assert "fem observasjonene" not in page


def test_goal_pages_in_english_carry_the_synthetic_targets(synthetic, client):
    jobs = text_of(client.get("/en/mal/jobber/"))
    assert "plus 37 for each year" in jobs
    assert "over the last four observations" in jobs
    turnover = text_of(client.get("/en/mal/omsetning/"))
    assert "both 40 and 60 per cent" in turnover
    inclusion = text_of(client.get("/en/mal/deltakelse/"))
    assert "over the last six years: less than 0.5 per cent" in inclusion
    for page in (jobs, turnover, inclusion):
        assert_not_kongsvinger(page)


def test_the_synthetic_jobs_figure_is_the_sum_of_its_three_municipalities(synthetic, client):
    # 2023 in the fixture: 4000 + 31·9 + 0, 2500 − 4·9 + 0, 1200 + 9·9 + 0
    data = json.loads(client.get("/api/v1/goals/jobber.json").content)
    latest = {p["year"]: p["value"] for p in data["series"]}[2023]
    assert latest == (4000 + 279) + (2500 - 36) + (1200 + 81)


def test_every_public_page_renders_for_the_synthetic_region(synthetic, client):
    pages = ["/", "/horing/", "/horing/syntetisk-horing/", "/data/", "/api/v1/goals/"]
    pages += [f"/mal/{g.slug}/" for g in Goal.objects.all()]
    pages += [f"/kommuner/{m.slug}/" for m in Municipality.objects.all()]
    pages += [f"/strategier/{s.slug}/" for s in MainStrategy.objects.all()]
    pages += [f"/fokusomrader/{f.slug}/" for f in FocusArea.objects.all()]
    assert len(pages) == 5 + 4 + 3 + 1 + 1
    for page in pages:
        for prefix in ("", "/en") if not page.startswith("/api") else ("",):
            text = text_of(client.get(prefix + page))
            assert_not_kongsvinger(text)
    home = text_of(client.get("/"))
    assert "Syntetisk næringsplan 2017–2032" in home
    municipality = text_of(client.get("/kommuner/syntetisk-sor/"))
    assert "Syntetisk Sør" in municipality


def test_status_command_and_status_report_for_the_synthetic_region(synthetic, tmp_path):
    data = json.loads(run("status", "--format", "json"))
    goals = {g["goal"]: g for g in data["goals"]}
    assert set(goals) == {"jobber", "omsetning", "utslipp", "deltakelse"}
    assert goals["jobber"]["target"]["per_year"] == 37
    assert goals["utslipp"]["target"]["low_pct"] == -35
    table = run("status")
    assert_not_kongsvinger(table)
    path = tmp_path / "status.html"
    run("report", "status", "--format", "html", "-o", str(path))
    html = " ".join(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")).split())
    assert "pluss 37 for hvert år" in html
    assert "40 og 60 prosent" in html
    assert "basisåret 2018" in html
    assert_not_kongsvinger(html)


def test_consultation_report_for_the_synthetic_region(synthetic, tmp_path):
    path = tmp_path / "horing.html"
    run(
        "report", "consultation", "--round", "syntetisk-horing", "--format", "html", "-o", str(path)
    )
    html = " ".join(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")).split())
    assert "Syntetisk høring 2025" in html
    assert_not_kongsvinger(html)
