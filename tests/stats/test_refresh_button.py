"""Administrators queue a refresh of every source from /stab/statistikk/; the worker runs
it (tests/stats/test_refresh_task.py runs a queued refresh against loopback servers)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django_tasks_db.models import DBTaskResult

from retning.core.tasks import refresh_statistics

pytestmark = pytest.mark.django_db
PAGE = "/stab/statistikk/"
BUTTON = "Hent ny statistikk nå"


def member_of(role: str) -> Client:
    user = User.objects.create_user(f"user-{role}", password="x")
    user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return client


def test_only_administrators_may_refresh_the_statistics():
    may = {
        group.name: group.permissions.filter(
            content_type__app_label="stats", codename="refresh_statistics"
        ).exists()
        for group in Group.objects.all()
    }
    assert may == {"Administratorer": True, "Saksbehandlere": False, "Lesere": False}


def test_an_administrator_queues_one_refresh_and_others_cannot(loaded_strategy):
    reviewer = member_of("Saksbehandlere")
    assert BUTTON not in reviewer.get(PAGE).text
    assert reviewer.post(PAGE).status_code == 403
    assert not DBTaskResult.objects.exists()

    admin = member_of("Administratorer")
    assert BUTTON in admin.get(PAGE).text
    first = admin.post(PAGE, follow=True)
    assert "Hentingen av ny statistikk er satt i kø" in first.text
    again = admin.post(PAGE, follow=True)
    assert "Statistikken hentes allerede, eller står i kø." in again.text
    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path == refresh_statistics.module_path
    assert queued.status == "READY"  # queued for the worker, nothing fetched in the request
