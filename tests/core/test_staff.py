"""Staff login, brute-force protection and the change log of admin edits."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from retning.core.models import ChangeRecord
from retning.strategy.models import Target

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_user():
    return get_user_model().objects.create_superuser(
        "sekretariat", "s@example.org", "riktig-passord-123"
    )


def test_staff_page_requires_login(client):
    response = client.get("/stab/")
    assert response.status_code == 302
    assert response["Location"].startswith("/stab/logg-inn/")


def test_login_with_correct_password_reaches_the_staff_page(client, staff_user, loaded_strategy):
    response = client.post(
        "/stab/logg-inn/", {"username": "sekretariat", "password": "riktig-passord-123"}
    )
    assert response.status_code == 302
    assert "Du er logget inn som sekretariat" in client.get("/stab/").content.decode()


def test_login_is_locked_after_five_failures(client, staff_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/stab/logg-inn/", {"username": "sekretariat", "password": "feil"})
        assert response.status_code in (200, 429)
    response = client.post(
        "/stab/logg-inn/", {"username": "sekretariat", "password": "riktig-passord-123"}
    )
    assert response.status_code == 429
    assert "For mange mislykkede innloggingsforsøk" in response.content.decode()
    assert client.get("/stab/").status_code == 302


def test_admin_change_to_a_target_is_recorded_with_who_and_old_and_new(
    client, staff_user, loaded_strategy
):
    client.force_login(staff_user)
    target = Target.objects.get(goal__slug="arbeidsplasser")
    form = {
        "goal": target.goal_id,
        "kind": target.kind,
        "baseline_year": target.baseline_year,
        "end_year": target.end_year,
        "per_year": "150",
        "change_low_pct": "",
        "change_high_pct": "",
        "direction": "",
    }
    response = client.post(f"/admin/strategy/target/{target.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    record = ChangeRecord.objects.get(action=ChangeRecord.Action.UPDATE)
    assert (record.field, record.old_value, record.new_value) == ("per_year", "100.00", "150")
    assert record.changed_by == staff_user
    assert record.via == ChangeRecord.Via.ADMIN
    page = client.get("/stab/").content.decode()
    # the field as the admin form names it, not its code name
    assert "<td>endring per år</td>" in page and "100.00" in page
    assert "per_year" not in page


def test_english_staff_pages_are_translated(client, staff_user):
    client.force_login(staff_user)
    assert "You are logged in as sekretariat" in client.get("/en/stab/").content.decode()
