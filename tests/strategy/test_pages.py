"""Public pages render in bokmål and English with the strategy's content."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from retning.strategy.models import FocusArea, Goal, MainStrategy, Municipality

pytestmark = pytest.mark.django_db


def get_text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_front_page_in_bokmal_shows_goals_strategies_focus_areas_and_municipalities(
    client, loaded_strategy
):
    html = get_text(client, "/")
    assert '<html lang="nb">' in html
    assert "Næringsstrategi for Kongsvingerregionen 2016–2028" in html
    for title in [
        "Netto vekst på 100 arbeidsplasser per år",
        "70–100 prosent reell omsetningsvekst innen 2030",
        "55 prosent lavere CO2-utslipp i eksisterende industri innen 2030",
        "Øke inkluderingen i arbeidslivet",
    ]:
        assert title in html
    # targets, in Norwegian number format (real minus sign, space before %)
    assert "+100 per år fra basisåret 2015 til 2028" in html
    assert "+70\u00a0% til +100\u00a0% fra 2016 til 2030, i faste priser" in html
    assert "\u221255\u00a0% fra 2019 til 2030" in html
    assert "Økning fra basisåret 2016" in html
    for main in MainStrategy.objects.all():
        assert main.title in html
    for area in FocusArea.objects.all():
        assert area.title in html
    for name, code, old in [
        ("Kongsvinger", "3401", "0402"),
        ("Eidskog", "3416", "0420"),
        ("Grue", "3417", "0423"),
        ("Nord-Odal", "3414", "0418"),
        ("Sør-Odal", "3415", "0419"),
        ("Åsnes", "3418", "0425"),
    ]:
        slug = Municipality.objects.get(name=name).slug
        assert f'<th scope="row"><a href="/kommuner/{slug}/">{name}</a></th>' in html
        assert f"<td>{code}</td>" in html
        assert f"{old} (til 31. desember 2019)" in html
    assert "Strategiperiode: 2016–2028." in html
    assert "Kongsvingerregionen interkommunale politiske råd (KIPR)" in html
    assert "15. juni 2024" in html


def test_front_page_in_english(client, loaded_strategy):
    html = get_text(client, "/en/")
    assert '<html lang="en">' in html
    assert "Business strategy for the Kongsvinger region 2016–2028" in html
    assert "Main goals" in html
    assert "Net growth of 100 jobs per year" in html
    assert "+100 per year from base year 2015 to 2028" in html
    assert "+70\u00a0% to +100\u00a0% from 2016 to 2030, in real terms" in html
    assert "Increase from base year 2016" in html
    assert "Sustainable growth" in html
    assert "Knowledge-intensive services" in html
    assert "15 June 2024" in html


@pytest.mark.parametrize("language,prefix", [("nb", ""), ("en", "/en")])
def test_goal_pages_show_definition_target_and_measurement(
    client, loaded_strategy, language, prefix
):
    for goal in Goal.objects.select_related("target"):
        html = get_text(client, f"{prefix}/mal/{goal.slug}/")
        title = goal.title_en if language == "en" else goal.title
        assert f"<h1>{title}</h1>" in html
        for source in goal.indicator_sources:
            assert source in html
    co2 = get_text(client, f"{prefix}/mal/co2-industri/")
    assert ("Base year" if language == "en" else "Basisår") in co2
    assert "2019" in co2


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_main_strategy_and_focus_area_pages(client, loaded_strategy, prefix):
    for main in MainStrategy.objects.all():
        html = get_text(client, f"{prefix}/strategier/{main.slug}/")
        assert escape(main.title_en if prefix else main.title) in html
    logistics = get_text(client, f"{prefix}/fokusomrader/logistikk/")
    assert "49, 50, 51, 52, 53" in logistics
    assert ("Transportation and storage" if prefix else "Transport og lagring") in logistics


def test_consultation_pages_say_how_to_send_a_proposal(client, loaded_strategy):
    listing = get_text(client, "/horing/")
    assert "Høring om revidert næringsstrategi 2024" in listing
    assert "Avsluttet" in listing
    html = get_text(client, "/horing/2024/")
    assert "«Høringsinnspill næringsstrategi»" in html
    assert (
        'href="mailto:lars@klosser.no?subject=H%C3%B8ringsinnspill%20n%C3%A6ringsstrategi"' in html
    )
    assert "15. juni 2024 kl. 23.59" in html
    english = get_text(client, "/en/horing/2024/")
    assert "Consultation on the revised business strategy 2024" in english
    assert "The deadline has passed" in english


def test_unknown_goal_is_404(client, loaded_strategy):
    assert client.get("/mal/finnes-ikke/").status_code == 404


def test_pages_say_so_when_no_strategy_is_loaded(client, db):
    response = client.get("/")
    assert response.status_code == 404
    # the public is told the strategy is not published; what to run is for staff only
    assert "Strategien er ikke publisert ennå." in response.content.decode()
    assert "retning setup" not in response.content.decode()
