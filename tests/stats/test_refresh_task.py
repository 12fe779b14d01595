"""A refresh queued as a background task and run by `retning worker`, against the loopback
PxWebApi server."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from retning.core.tasks import refresh_statistics
from retning.stats.models import Observation
from retning.stats.sources import ssb
from tests.stats.pxweb_server import PxWebServer
from tests.stats.ssb_cubes import all_synthetic_and_real_cubes

# The worker closes connections between tasks, as in production: no test transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def run_worker() -> str:
    out = StringIO()
    call_command(
        "worker", "--batch", "--no-startup-delay", "--interval=0", "--no-reload", stdout=out
    )
    return out.getvalue()


def test_worker_runs_a_queued_refresh(settings, loaded_strategy):
    settings.RETNING_WORKER_HEARTBEAT = 3600
    with PxWebServer(all_synthetic_and_real_cubes()) as server:
        settings.RETNING_SSB_URL = server.url
        settings.RETNING_HTTP_MIN_INTERVAL = 0
        settings.RETNING_HTTP_RETRIES = 1
        settings.RETNING_HTTP_TIMEOUT = 1
        result = refresh_statistics.enqueue(sources=["ssb"])
        assert not Observation.objects.exists()
        run_worker()
        assert len(server.data_requests()) == len(ssb.GROUPS)
    stored = DBTaskResult.objects.get(pk=result.id)
    assert stored.status == "SUCCESSFUL", stored.traceback
    assert "07459 population" in stored.return_value["output"]
    for group in ssb.GROUPS:
        assert Observation.objects.filter(dataset__slug=group.dataset).exists(), group.table


def test_a_failed_refresh_is_a_failed_task_with_the_reason(settings, loaded_strategy):
    settings.RETNING_WORKER_HEARTBEAT = 3600
    settings.RETNING_SSB_URL = "http://127.0.0.1:9/api"  # nothing listens there
    settings.RETNING_HTTP_MIN_INTERVAL = 0
    settings.RETNING_HTTP_RETRIES = 1
    settings.RETNING_HTTP_TIMEOUT = 1
    result = refresh_statistics.enqueue(sources=["ssb"])
    run_worker()
    stored = DBTaskResult.objects.get(pk=result.id)
    assert stored.status == "FAILED"
    assert "retning refresh exited 1" in stored.traceback
