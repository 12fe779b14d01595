"""`retning enqueue NAME [--round SLUG] [--source S]`: queue one background task for
`retning worker` (for cron and systemd timers: docs/operations.md)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.tasks import Task
from django.utils.module_loading import import_string

from retning.core.tasks import TASKS
from retning.stats.refresh import SOURCES


class Command(BaseCommand):
    help = (
        "Queue a background task: refresh [--source S], import-mail --round SLUG, "
        "analyse --round SLUG, retrain --round SLUG (or a task's dotted path with --kwargs)."
    )

    def add_arguments(self, parser):
        parser.add_argument("task", help=f"one of {', '.join(TASKS)}, or a task's dotted path")
        parser.add_argument("--round", help="the consultation round's slug")
        parser.add_argument("--source", action="append", choices=SOURCES, help="refresh only")
        parser.add_argument("--kwargs", default="{}", help="JSON object (dotted path only)")

    def handle(self, *args, task: str, round, source, kwargs: str, **options):
        if task in TASKS:
            chosen = TASKS[task]
            if task == "refresh":
                arguments = {"sources": source} if source else {}
            elif not round:
                raise CommandError(f"{task} needs --round SLUG")
            else:
                arguments = {"round": round}
        elif "." in task:
            try:
                chosen = import_string(task)
                arguments = json.loads(kwargs)
            except ImportError as exc:
                raise CommandError(f"no task {task!r}: {exc}") from None
            except json.JSONDecodeError as exc:
                raise CommandError(f"--kwargs is not JSON: {exc}") from None
            if not isinstance(chosen, Task) or not isinstance(arguments, dict):
                raise CommandError(f"{task!r} is not a task, or --kwargs is not an object")
        else:
            raise CommandError(f"unknown task {task!r} (known: {', '.join(TASKS)})")
        result = chosen.enqueue(**arguments)
        self.stdout.write(f"queued {task}: {result.id}")
