"""`retning setup`: migrate, collect static files and load the region's strategy.

Idempotent: running it twice changes nothing the second time. What staff changed in the
admin is kept (see `retning.strategy.loader`); the values kept against a change in the file
are listed. Exit 2: the strategy file is not valid; exit 3: the file would delete something
staff's work depends on (nothing is loaded, the reasons are listed).
"""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from retning.strategy.loader import LoadRefusedError, load_strategy_file
from retning.strategy.spec import SpecError


class Command(BaseCommand):
    help = "Prepare the database and load the region's strategy (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--strategy",
            default=str(settings.RETNING_STRATEGY_FILE),
            help="strategy file (default: the bundled file of RETNING_REGION)",
        )

    def handle(self, *args, strategy: str, **options):
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=max(0, verbosity - 1))
        call_command("collectstatic", interactive=False, verbosity=0)
        try:
            report = load_strategy_file(strategy)
        except SpecError as exc:
            for problem in exc.problems:
                self.stderr.write(problem.format(exc.filename))
            raise CommandError(
                f"the strategy file {exc.filename} is not valid", returncode=2
            ) from None
        except LoadRefusedError as exc:
            for problem in exc.problems:
                self.stderr.write(f"{strategy}: {problem}")
            raise CommandError(
                f"the strategy file {strategy} was not loaded: it would delete staff's work",
                returncode=3,
            ) from None
        self.stdout.write(f"{strategy}: {report.summary()}")
        for line in report.kept:
            self.stdout.write(f"  {line}")
        if verbosity > 1:
            for line in report.created + report.updated + report.deleted:
                self.stdout.write(f"  {line}")
        from retning.stats.snapshot import load_snapshot

        self.stdout.write(load_snapshot().summary())
        self.stdout.write(f"data directory: {settings.DATA_DIR}")
