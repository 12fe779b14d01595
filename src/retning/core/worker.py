"""The database worker's one addition to django-tasks-db: no task is lost with its worker.

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again,
so a worker killed mid-task (power cut, OOM killer, `kill -9`) would leave the task
RUNNING for ever. Each `retning worker` therefore keeps a heartbeat row; when it starts,
and on every beat, a worker puts back in the queue every RUNNING task whose worker is
gone: on this machine, its process no longer exists (found at once); on another machine,
it has been silent for `RETNING_WORKER_TIMEOUT` seconds.

A requeued task runs again from the start: tasks must be safe to run twice (refresh,
import-mail, analyse and retrain are).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from retning.core.models import WorkerHeartbeat

logger = logging.getLogger("retning.worker")


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def live_worker_ids(timeout: float | None = None) -> set[str]:
    """Workers that are alive: on this machine, those whose process exists (a long task
    may hold SQLite's write lock past a beat, so silence alone proves nothing here); on
    other machines, those heard from within `timeout` seconds."""
    timeout = settings.RETNING_WORKER_TIMEOUT if timeout is None else timeout
    since = timezone.now() - timedelta(seconds=timeout)
    here = socket.gethostname()
    alive = set()
    for beat in WorkerHeartbeat.objects.all():
        if beat.hostname == here:
            if _process_exists(beat.pid):
                alive.add(beat.worker_id)
        elif beat.last_seen >= since:
            alive.add(beat.worker_id)
    return alive


def requeue_orphans(timeout: float | None = None) -> list[str]:
    """Put RUNNING tasks whose worker is gone back in the queue; return their ids."""
    alive = live_worker_ids(timeout)
    requeued = []
    for task in DBTaskResult.objects.running().only("id", "worker_ids", "task_path"):
        if task.worker_ids and task.worker_ids[-1] in alive:
            continue
        # Only if still RUNNING under the same worker, so a task finished meanwhile stays done.
        changed = DBTaskResult.objects.filter(
            pk=task.pk, status=TaskResultStatus.RUNNING, worker_ids=task.worker_ids
        ).update(status=TaskResultStatus.READY, started_at=None)
        if changed:
            requeued.append(str(task.pk))
            logger.warning(
                "task %s (%s) was claimed by worker %s, which is gone: queued again",
                task.pk,
                task.task_path,
                task.worker_ids[-1] if task.worker_ids else "?",
            )
    dead = WorkerHeartbeat.objects.exclude(worker_id__in=alive)
    dead.delete()
    return requeued


class Heartbeat:
    """Registers a worker and beats in a background thread until stopped."""

    def __init__(self, worker_id: str, interval: float | None = None) -> None:
        self.worker_id = worker_id
        self.interval = settings.RETNING_WORKER_HEARTBEAT if interval is None else interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)

    def beat(self) -> None:
        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"hostname": socket.gethostname(), "pid": os.getpid(), "last_seen": now},
            create_defaults={
                "hostname": socket.gethostname(),
                "pid": os.getpid(),
                "started_at": now,
                "last_seen": now,
            },
        )

    def start(self) -> None:
        self.beat()
        requeue_orphans()
        self._thread.start()

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    close_old_connections()
                    self.beat()
                    requeue_orphans()
                except Exception:  # a missed beat is retried at the next one
                    logger.exception("worker heartbeat failed")
        finally:
            connection.close()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=self.interval + 5)
        WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
