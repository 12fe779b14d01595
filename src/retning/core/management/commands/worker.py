"""`retning worker`: run queued background tasks (django-tasks-db's worker, with a
heartbeat so that a task whose worker died is queued again; see retning.core.worker)."""

from __future__ import annotations

from django_tasks_db.management.commands import db_worker

from retning.core.worker import Heartbeat


class HeartbeatWorker(db_worker.Worker):
    def run(self) -> None:
        heartbeat = Heartbeat(self.worker_id)
        heartbeat.start()
        try:
            super().run()
        finally:
            heartbeat.stop()


class Command(db_worker.Command):
    help = (
        "Run queued background tasks (refresh, import-mail, analyse, retrain) until stopped; "
        "--batch runs what is queued and exits. Tasks of a worker that died are queued again."
    )

    def handle(self, *args, **options):
        original = db_worker.Worker
        db_worker.Worker = HeartbeatWorker
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = original
