"""`retning status` and the annual status report, as a council member or the secretariat
would get them."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from retning.strategy.models import Goal

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_status_json_lists_every_goal_with_status_target_and_sources(snapshot_loaded):
    data = json.loads(run("status", "--format", "json"))
    goals = {g["goal"]: g for g in data["goals"]}
    assert set(goals) == {"arbeidsplasser", "omsetning", "co2-industri", "inkludering"}
    for goal in goals.values():
        assert goal["evaluation"]["status"] == "insufficient_data"
        assert goal["gaps"]
    assert goals["arbeidsplasser"]["target"]["per_year"] == 100
    assert goals["co2-industri"]["target"]["low_pct"] == -55
    assert {s["source"] for s in goals["arbeidsplasser"]["sources"]} >= {"snapshot (ssb)"}
    # the secretariat's terminal gets the commands that fill the gaps
    assert "retning refresh --source ssb" in goals["arbeidsplasser"]["gaps"][0]["action"]


def test_status_table_for_one_municipality_by_its_old_code(snapshot_loaded):
    text = run("status", "--municipality", "0402")
    assert "Kongsvinger" in text
    assert "2022: 8\u00a0668" in text  # the latest jobs figure, Norwegian grouping
    assert "+446" in text


def test_status_refuses_an_unknown_municipality(snapshot_loaded):
    with pytest.raises(CommandError, match="unknown municipality code '9999'"):
        run("status", "--municipality", "9999")


def test_status_report_pdf_contains_every_goal_and_its_status(snapshot_loaded, tmp_path):
    path = tmp_path / "statusrapport.pdf"
    run("report", "status", "--format", "pdf", "-o", str(path))
    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    flat = " ".join(text.split())
    for goal in Goal.objects.all():
        assert " ".join(goal.title.split()) in flat
    assert flat.count("For lite data") >= 4
    assert "Vedlegg: tall som mangler" in flat
    html = tmp_path / "statusrapport.html"
    run("report", "status", "--format", "html", "-o", str(html))
    # Maarud's 2019 emissions, 6 215.59 t (industrial_facility_emissions.csv), rounded, with
    # a thin space between thousands as in print
    assert "6\u202f216" in html.read_text()


def test_status_report_html_in_english(snapshot_loaded, tmp_path):
    path = tmp_path / "status.html"
    run("report", "status", "--format", "html", "--language", "en", "-o", str(path))
    html = path.read_text()
    assert '<html lang="en">' in html
    assert "Net growth of 100 jobs per year" in html
    assert "Too little data" in html


def test_status_report_cover_names_the_secondary_source_instead_of_all_official(
    snapshot_loaded, tmp_path
):
    path = tmp_path / "statusrapport.html"
    run("report", "status", "--format", "html", "-o", str(path))
    html = path.read_text()
    cover = html.split('<section class="cover">')[1].split("</section>")[0]
    # Kongsvinger's jobs and employment rates come from KommuneProfilen's copy of SSB
    assert "Alle tall er hentet fra offisiell statistikk" not in cover
    assert "sekundærkilde (KommuneProfilen (kilde: SSB))" in cover
    assert "(sekundærkilde: KommuneProfilen (kilde: SSB))" in html
    assert "lisens: Ikke oppgitt av KommuneProfilen; tallene er SSBs (NLOD 2.0)" in html
    assert "samlet inn november 2026" in html
