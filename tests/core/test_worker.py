"""`retning worker` loses no task: a task whose worker died is queued again and finished by
the next worker. Run as a user runs it: real processes, `kill -9`, a SQLite file."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from retning.core.models import WorkerHeartbeat
from retning.core.worker import requeue_orphans
from tests.core.synthetic_tasks import wait_for_gate
from tests.processes import REPO, clean_environment
from tests.processes import run_retning as retning


@pytest.fixture
def environment(tmp_path):
    env = clean_environment(tmp_path / "data")
    env["PYTHONPATH"] = str(REPO)  # the synthetic task lives in tests/
    env["RETNING_WORKER_HEARTBEAT"] = "0.5"
    return env


def worker(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "retning.cli",
            "worker",
            "--no-startup-delay",
            "--interval=0.1",
            *args,
        ],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for(predicate, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_task_of_a_killed_worker_is_finished_by_the_next(environment, tmp_path):
    assert retning("migrate", "--verbosity=0", env=environment).returncode == 0
    gate = tmp_path / "gate-dir"
    gate.mkdir()
    queued = retning(
        "enqueue",
        "tests.core.synthetic_tasks.wait_for_gate",
        "--kwargs",
        json.dumps({"directory": str(gate)}),
        env=environment,
    )
    assert queued.returncode == 0, queued.stderr
    task_id = queued.stdout.split()[-1]

    first = worker(environment)
    try:
        wait_for(lambda: any(gate.glob("started-*")))
    finally:
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=30)
    assert first.returncode == -signal.SIGKILL
    assert not (gate / "finished").exists()

    (gate / "gate").write_text("")
    second = worker(environment, "--batch")
    output, _ = second.communicate(timeout=120)
    assert second.returncode == 0, output

    with sqlite3.connect(tmp_path / "data" / "retning.sqlite3") as db:
        status, worker_ids, value = db.execute(
            "SELECT status, worker_ids, return_value FROM django_tasks_database_dbtaskresult "
            "WHERE replace(id, '-', '') = ?",
            (task_id.replace("-", ""),),
        ).fetchone()
    assert status == "SUCCESSFUL"
    assert json.loads(value) == "done"
    assert len(json.loads(worker_ids)) == 2  # claimed by the killed worker, then the next
    assert len(list(gate.glob("started-*"))) == 2
    assert (gate / "finished").read_text() == str(second.pid)


@pytest.mark.django_db
def test_a_task_is_requeued_only_when_its_worker_is_silent(settings):
    settings.RETNING_WORKER_TIMEOUT = 60
    now = timezone.now()
    for worker_id, seen in [("alive", now), ("silent", now - timedelta(seconds=61))]:
        WorkerHeartbeat.objects.create(
            worker_id=worker_id,
            hostname="another-machine.example.org",
            pid=1,
            started_at=now - timedelta(hours=1),
            last_seen=seen,
        )
    results = {}
    for worker_id in ("alive", "silent"):
        result = wait_for_gate.enqueue(directory="/nonexistent")
        DBTaskResult.objects.filter(pk=result.id).get().claim(worker_id)
        results[worker_id] = result.id
    assert requeue_orphans() == [str(results["silent"])]
    assert DBTaskResult.objects.get(pk=results["silent"]).status == "READY"
    assert DBTaskResult.objects.get(pk=results["alive"]).status == "RUNNING"
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["alive"]


@pytest.mark.django_db
def test_on_this_machine_the_process_decides_not_the_heartbeat(settings):
    settings.RETNING_WORKER_TIMEOUT = 60
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    now = timezone.now()
    rows = {
        # silent for an hour (a long task holding the write lock), but its process runs
        "busy": (os.getpid(), now - timedelta(hours=1)),
        # heard from just now, but its process is gone (killed)
        "killed": (gone.pid, now),
    }
    results = {}
    for worker_id, (pid, seen) in rows.items():
        WorkerHeartbeat.objects.create(
            worker_id=worker_id,
            hostname=socket.gethostname(),
            pid=pid,
            started_at=now - timedelta(hours=2),
            last_seen=seen,
        )
        result = wait_for_gate.enqueue(directory="/nonexistent")
        DBTaskResult.objects.get(pk=result.id).claim(worker_id)
        results[worker_id] = result.id
    assert requeue_orphans() == [str(results["killed"])]
    assert DBTaskResult.objects.get(pk=results["busy"]).status == "RUNNING"


@pytest.mark.django_db
def test_enqueue_queues_the_named_task_with_its_arguments():
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    from retning.core.tasks import analyse_round, refresh_statistics

    out = StringIO()
    call_command("enqueue", "analyse", "--round", "2024", stdout=out)
    call_command("enqueue", "refresh", "--source", "ssb", "--source", "nav", stdout=out)
    queued = {r.task_path: r.args_kwargs["kwargs"] for r in DBTaskResult.objects.all()}
    assert queued == {
        analyse_round.module_path: {"round": "2024"},
        refresh_statistics.module_path: {"sources": ["ssb", "nav"]},
    }
    assert out.getvalue().startswith("queued analyse: ")
    with pytest.raises(CommandError, match="import-mail needs --round SLUG"):
        call_command("enqueue", "import-mail")
    with pytest.raises(CommandError, match="unknown task 'backup'"):
        call_command("enqueue", "backup")
