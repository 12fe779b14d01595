"""Confirmed plant closures in the CO2 goal: zeros only where a person has recorded a
closure with a source. The closures here are synthetic (made up for the tests, not known
facts about these plants); the plant figures are the snapshot's real ones."""

from __future__ import annotations

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
    assert "First seafood" in {p.year: p for p in report.region_series}[2021].missing_reason


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
