"""Retning's background tasks (Django's task framework; `retning worker` runs them).

Each task does what its command does, through the same command (one way in), so a task
and `retning refresh` / `import-mail` / `analyse` behave alike; the command's output is
the task's return value, and a command that fails makes the task fail with its message.
Queue one with `retning enqueue NAME` (cron, systemd timers: docs/operations.md) or from
code with `TASK.enqueue(...)`. Every task is safe to run again: a task whose worker died
is queued again and runs from the start.
"""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError
from django.tasks import task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult


def is_waiting(queued_task, **kwargs) -> bool:
    """A run of `queued_task` (with these keyword arguments, e.g. round="2024") is queued
    or running: what the buttons that queue work check, so one click does not queue it
    twice."""
    waiting = DBTaskResult.objects.filter(
        task_path=queued_task.module_path,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    )
    for name, value in kwargs.items():
        waiting = waiting.filter(**{f"args_kwargs__kwargs__{name}": value})
    return waiting.exists()


class TaskFailedError(Exception):
    """The command behind a task did not succeed; the message carries its output."""


def _run(name: str, *args: str) -> dict:
    out, err = StringIO(), StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=err)
    except SystemExit as exc:
        if exc.code:
            raise TaskFailedError(
                f"retning {name} exited {exc.code}\n{out.getvalue()}{err.getvalue()}"
            ) from None
    except CommandError as exc:
        raise TaskFailedError(f"retning {name}: {exc}\n{out.getvalue()}{err.getvalue()}") from None
    return {"command": [name, *args], "output": out.getvalue(), "errors": err.getvalue()}


@task
def refresh_statistics(sources: list[str] | None = None) -> dict:
    """`retning refresh [--source …]`: fetch the official statistics anew."""
    return _run("refresh", *[f"--source={source}" for source in sources or []])


@task
def import_mail(round: str) -> dict:
    """`retning import-mail --round SLUG --imap`: poll the consultation mailbox."""
    return _run("import_mail", f"--round={round}", "--imap")


@task
def analyse_round(round: str) -> dict:
    """`retning analyse --round SLUG`: analyse a round's proposals."""
    return _run("analyse", f"--round={round}")


@task
def retrain_tagger(round: str, user_id: int | None = None) -> dict:
    """Retrain the tagger on the round's confirmations and renew its suggestions (queued by
    staff confirming tags, `consultation_analysis.views.queue`)."""
    from django.contrib.auth import get_user_model

    from retning.consultation.models import ConsultationRound
    from retning.consultation_analysis import service
    from retning.strategy.selectors import current_strategy

    found = ConsultationRound.objects.get(strategy=current_strategy(), slug=round)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    run = service.retrain(found, user)
    return {"round": round, "run": run.pk, "model_version": run.model_version}


# The names `retning enqueue` knows, with the arguments each takes on the command line.
TASKS = {
    "refresh": refresh_statistics,
    "import-mail": import_mail,
    "analyse": analyse_round,
    "retrain": retrain_tagger,
}
