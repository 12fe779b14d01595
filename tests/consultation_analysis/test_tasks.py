"""Analysis and retraining as background tasks: queued, then run by `retning worker`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from retning.consultation.models import Submission
from retning.consultation_analysis import service
from retning.consultation_analysis.models import AnalysisRun
from retning.core.tasks import analyse_round, retrain_tagger
from tests.consultation_analysis.conftest import synthetic_proposals

# The worker closes connections between tasks, as in production: no test transaction.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def quiet_heartbeat(settings):
    settings.RETNING_WORKER_HEARTBEAT = 3600


def run_worker() -> None:
    call_command(
        "worker", "--batch", "--no-startup-delay", "--interval=0", "--no-reload", stdout=StringIO()
    )


def test_worker_runs_a_queued_analysis(synthetic_imported_round):
    result = analyse_round.enqueue(round=synthetic_imported_round.slug)
    assert not AnalysisRun.objects.exists()
    run_worker()
    stored = DBTaskResult.objects.get(pk=result.id)
    assert stored.status == "SUCCESSFUL", stored.traceback
    run = AnalysisRun.objects.get()
    assert run.kind == AnalysisRun.Kind.FULL and run.round == synthetic_imported_round
    assert run.submissions == Submission.objects.filter(round=synthetic_imported_round).count()
    assert (
        f"{synthetic_imported_round.slug}: {run.submissions} proposals"
        in (stored.return_value["output"])
    )


def test_an_analysis_of_an_unknown_round_fails_with_the_reason(synthetic_imported_round):
    result = analyse_round.enqueue(round="no-such-round")
    run_worker()
    stored = DBTaskResult.objects.get(pk=result.id)
    assert stored.status == "FAILED" and "no consultation round 'no-such-round'" in (
        stored.traceback
    )


def test_staff_confirmations_queue_the_retraining_instead_of_running_it(
    synthetic_imported_round, staff_client
):
    service.analyse(synthetic_imported_round)
    texts = {p["text"]: p["labels"] for p in synthetic_proposals()}
    submissions = Submission.objects.filter(round=synthetic_imported_round, text__in=texts)
    url = reverse("staff-analysis-queue", args=[synthetic_imported_round.slug])
    told = []
    for submission in submissions[: service.RETRAIN_BATCH + 1]:
        response = staff_client.post(
            url, {"submission": submission.pk, "labels": texts[submission.text]}, follow=True
        )
        assert response.status_code == 200
        told.append("Ny trening av merkingen er satt i kø" in response.content.decode())
    # Queued once (the 10th confirmation), not run in the request; the 11th adds no second.
    assert not AnalysisRun.objects.filter(kind=AnalysisRun.Kind.RETRAIN).exists()
    queued = DBTaskResult.objects.filter(task_path=retrain_tagger.module_path)
    assert queued.count() == 1 and queued.get().status == "READY"
    assert told == [False] * (service.RETRAIN_BATCH - 1) + [True, False]
    run_worker()
    assert queued.get().status == "SUCCESSFUL", queued.get().traceback
    retrained = AnalysisRun.objects.get(kind=AnalysisRun.Kind.RETRAIN)
    assert retrained.confirmed_examples == service.RETRAIN_BATCH + 1


def test_staff_queue_the_analysis_from_the_overview_and_the_worker_runs_it(
    synthetic_imported_round, staff_client, reader_client
):
    page = reverse("staff-analysis", args=[synthetic_imported_round.slug])
    assert "Runden er ikke analysert ennå." in staff_client.get(page).text
    assert "Analyser runden nå" in staff_client.get(page).text
    assert "Analyser runden nå" not in reader_client.get(page).text
    assert reader_client.post(page).status_code == 403
    assert not DBTaskResult.objects.exists()

    first = staff_client.post(page, follow=True)
    assert "Analysen er satt i kø" in first.text
    again = staff_client.post(page, follow=True)
    assert "Analysen står allerede i kø" in again.text
    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path == analyse_round.module_path
    assert not AnalysisRun.objects.exists()  # nothing ran in the request

    run_worker()
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL", queued.traceback
    assert AnalysisRun.objects.get().round == synthetic_imported_round
    assert "Analyser på nytt" in staff_client.get(page).text
