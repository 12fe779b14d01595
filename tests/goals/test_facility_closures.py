"""Confirmed plant closures in the CO2 goal: zeros only where a person has recorded a
closure with a source. The closures here are synthetic (made up for the tests, not known
facts about these plants); the plant figures are the snapshot's real ones."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client

from retning.goals.engine import Point
from retning.goals.indicators import with_closure
from retning.goals.models import FacilityClosure
from retning.goals.service import goal_report
from retning.strategy.models import Goal
from tests.goals.test_emissions_goal import synthetic_transport

SYNTHETIC_SOURCE = "https://example.org/synthetic-closure-for-tests"


def test_closure_fills_only_unreported_years_from_the_closure_on():
    series = [Point(2019, 5.0, "", ("1",)), Point(2020, 4.0, "", ("1",))]
    filled, reported_after = with_closure(series, 2021, [2019, 2020, 2021, 2022], "closure:1")
    assert [(p.year, p.value) for p in filled] == [
        (2019, 5.0),
        (2020, 4.0),
        (2021, 0.0),
        (2022, 0.0),
    ]
    assert filled[2].sources == ("closure:1",)
    assert reported_after == []


def test_a_report_after_the_closure_is_kept_and_named():
    series = [Point(2019, 5.0), Point(2021, 3.0), Point(2022, None, "not reported")]
    filled, reported_after = with_closure(series, 2020, [2019, 2020, 2021, 2022], "closure:1")
    assert [(p.year, p.value) for p in filled] == [
        (2019, 5.0),
        (2020, 0.0),
        (2021, 3.0),
        (2022, 0.0),
    ]
    assert reported_after == [2021]


def co2_report():
    goal = Goal.objects.select_related("target", "strategy__region").get(slug="co2-industri")
    return goal_report(goal)


@pytest.mark.django_db
def test_a_recorded_closure_counts_the_plant_as_zero(snapshot_loaded):
    synthetic_transport(range(2019, 2023))
    FacilityClosure.objects.create(
        facility_id="6668", facility_name="First Seafood AS", closed_from=2020,
        source=SYNTHETIC_SOURCE,
    )  # fmt: skip
    values = {p.year: p for p in co2_report().region_series}
    # Snapshot CSV: Hydro Magnor (6228) 46.5 and 35, Maarud (6430) 6674.775 and 4594.384;
    # transport 6 municipalities × (10 + 1) t (synthetic).
    assert values[2020].value == pytest.approx(46.5 + 0 + 6674.775 + 66)
    assert values[2021].value == pytest.approx(35 + 0 + 4594.384 + 66)
    # Hydro Magnor has no 2022 report and no recorded closure: still incomplete.
    assert values[2022].value is None
    assert "Hydro" in values[2022].missing_reason


@pytest.mark.django_db
def test_a_closure_contradicted_by_reports_keeps_the_reports(snapshot_loaded):
    synthetic_transport(range(2019, 2023))
    FacilityClosure.objects.create(
        facility_id="6430", facility_name="Maarud AS", closed_from=2021, source=SYNTHETIC_SOURCE
    )
    report = co2_report()
    assert any("2021, 2022" in str(gap.why) for gap in report.gaps)
    assert "First Seafood AS" in {p.year: p for p in report.region_series}[2021].missing_reason


@pytest.mark.django_db
def test_goal_page_names_the_closure_and_its_source(snapshot_loaded):
    FacilityClosure.objects.create(
        facility_id="6668", facility_name="First Seafood AS", closed_from=2020,
        source=SYNTHETIC_SOURCE,
    )  # fmt: skip
    html = Client().get("/mal/co2-industri/").text
    assert "Nedlagt fra 2020, ifølge" in html
    assert f'<a href="{SYNTHETIC_SOURCE}">' in html


@pytest.mark.django_db
def test_a_closure_needs_a_numeric_plant_id_a_year_and_a_source():
    closure = FacilityClosure(
        facility_id="Maarud", facility_name="Maarud AS", closed_from=20, source=" "
    )
    with pytest.raises(ValidationError) as error:
        closure.full_clean()
    assert set(error.value.message_dict) == {"facility_id", "closed_from", "source"}


@pytest.mark.django_db
def test_admin_records_who_registered_the_closure(loaded_strategy):
    admin = User.objects.create_superuser("sekretariat", password="x")
    client = Client()
    client.force_login(admin)
    response = client.post(
        "/admin/goals/facilityclosure/add/",
        {"facility_id": "6668", "facility_name": "First Seafood AS", "closed_from": "2020",
         "source": SYNTHETIC_SOURCE},
    )  # fmt: skip
    assert response.status_code == 302
    assert FacilityClosure.objects.get().recorded_by == admin


def synthetic_register_unit(orgnr: str, **dates) -> None:
    """A register entry made up for the tests (not what Enhetsregisteret says of it)."""
    from retning.business.models import RegisterUnit
    from retning.stats.store import ensure_dataset, new_fetch

    fetch = new_fetch(ensure_dataset("brreg-enheter"), via="import", raw_name="synthetic.json")
    RegisterUnit.objects.create(
        kind="enhet", orgnr=orgnr, name="Synthetic Plant AS", municipality_code="3416",
        fetch=fetch, **dates,
    )  # fmt: skip


@pytest.mark.django_db
def test_a_silent_plant_whose_organisation_is_deleted_is_pointed_out_not_closed(
    snapshot_loaded,
):
    synthetic_transport(range(2019, 2023))
    # First Seafood (6668, org.nr. 929066294 in the snapshot) reported last in 2019.
    synthetic_register_unit("929066294", deleted=dt.date(2021, 3, 1))
    # Maarud (6430) reports every year: a deleted entry says nothing about a silence.
    synthetic_register_unit("873125632", deleted=dt.date(2021, 3, 1))
    report = co2_report()
    rows = {row.facility_id: row for row in report.facilities}
    assert rows["6668"].register is not None and rows["6668"].register.orgnr == "929066294"
    assert rows["6430"].register is None
    gaps = [g for g in report.gaps if "Mulig nedlagt anlegg" in str(g.what)]
    assert len(gaps) == 1 and "6668" in str(gaps[0].what)
    assert "slettet 1. mars 2021" in str(gaps[0].why) and "2019" in str(gaps[0].why)
    # Only a hint: the plant's missing years stay missing, not zero.
    values = {p.year: p for p in report.region_series}
    assert values[2020].value is None and "First" in values[2020].missing_reason
    html = Client().get("/mal/co2-industri/").text
    assert "Enhetsregisteret: Synthetic Plant AS (929066294) slettet 1. mars 2021" in html
    fetch_id = rows["6668"].register.fetch_id
    assert f'href="/data/radata/{fetch_id}/"' in html
    from retning.reports.status import status_report_html

    report_html = status_report_html("nb")
    assert "Enhetsregisteret: Synthetic Plant AS (929066294) slettet 1. mars 2021" in report_html
    assert f"(henting {fetch_id})" in report_html
    english = Client().get("/en/mal/co2-industri/").text
    assert "Central Coordinating Register: Synthetic Plant AS (929066294) deleted on" in english


@pytest.mark.django_db
def test_a_recorded_closure_needs_no_register_hint(snapshot_loaded):
    synthetic_register_unit("929066294", closed=dt.date(2020, 1, 1))
    FacilityClosure.objects.create(
        facility_id="6668", facility_name="First Seafood AS", closed_from=2020,
        source=SYNTHETIC_SOURCE,
    )  # fmt: skip
    report = co2_report()
    assert not any("Mulig nedlagt anlegg" in str(g.what) for g in report.gaps)
    assert {row.facility_id: row for row in report.facilities}["6668"].register is None
